/* bench_twitch: throughput of the whole twitch detection pipeline (conditioning, envelope,
 * noise floor, bursts, classification) on etw_synth recordings (background + twitches, 20 s
 * at 2048 Hz), for 1 and 64 channels, next to the filtering core alone (the detector's
 * band-pass cascade, and band-pass + 50 Hz comb, in the precision the detector runs them:
 * float from 8 channels on, else double). The "clean" input has no mains hum, so the
 * detector's automatic decision leaves its comb off; a second pass over the "powerline"
 * preset (50 Hz hum and harmonics) times the detector with the comb switched on. Reports Msamples/s (samples summed over
 * channels) and the real-time factor on one core, from the thread's CPU time. Each figure is
 * the best of several repetitions: the machine is shared, so the best run is the least
 * disturbed one.
 *
 * usage: bench_twitch [--quick]
 */
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "emgtwitch/emgtwitch.h"

#define FS 2048.0
#define BLOCK 512

static double now_s(void)
{
    struct timespec ts;
    /* CPU time of this thread: time the scheduler gives other jobs on the shared machine is
     * not counted (their cache and memory traffic still is) */
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void die(const char *what)
{
    fprintf(stderr, "bench_twitch: %s\n", what);
    exit(1);
}

static float **make_input(const char *preset, size_t nch, double seconds, size_t *nframes)
{
    etw_synth_config sc = etw_synth_config_default(FS, nch, seconds, 42);
    if (etw_synth_config_preset(preset, &sc) != ETW_OK) {
        die("synth preset");
    }
    etw_synth *sy = NULL;
    etw_synth_stats st;
    if (etw_synth_create(&sc, &sy) != ETW_OK || etw_synth_get_stats(sy, &st) != ETW_OK) {
        die("synth");
    }
    size_t n = (size_t)st.nframes;
    float **x = malloc(nch * sizeof *x);
    for (size_t c = 0; c < nch; c++) {
        x[c] = malloc(n * sizeof **x);
    }
    if (etw_synth_generate_all(sy, x, n) != ETW_OK) {
        die("synth generate");
    }
    etw_synth_destroy(sy);
    *nframes = n;
    return x;
}

/* Seconds for one pass of the detector over x in blocks of BLOCK frames. */
static double time_detector(float **x, size_t nch, size_t n, size_t *nevents)
{
    etw_twitch_config cfg;
    etw_twitch *det = NULL;
    if (etw_twitch_config_default(FS, nch, &cfg) != ETW_OK ||
        etw_twitch_create(&cfg, &det) != ETW_OK) {
        die("detector");
    }
    static etw_twitch_event ev[4096];
    const float *ptr[64];
    size_t found = 0;
    double t0 = now_s();
    for (size_t pos = 0; pos < n; pos += BLOCK) {
        size_t len = n - pos < BLOCK ? n - pos : BLOCK, used = 0, k = 0;
        for (size_t c = 0; c < nch; c++) {
            ptr[c] = x[c] + pos;
        }
        if (etw_twitch_process(det, ptr, len, &used, ev, 4096, &k) != ETW_OK) {
            die("process");
        }
        found += k;
    }
    size_t k = 0;
    if (etw_twitch_flush(det, ev, 4096, &k) != ETW_OK) {
        die("flush");
    }
    double t = now_s() - t0;
    *nevents = found + k;
    etw_twitch_destroy(det);
    return t;
}

/* The precision the detector runs its conditioning in (float from 8 channels on). */
static etw_precision filter_precision(size_t nch)
{
    return nch >= 8 ? ETW_PRECISION_FLOAT : ETW_PRECISION_DOUBLE;
}

/* Seconds for one pass of the filtering core (band-pass, optionally + comb) over x. */
static double time_filter(float **x, size_t nch, size_t n, int comb, float **scratch)
{
    etw_sos sos[32];
    size_t nb = 0, nc = 0;
    if (etw_butter(ETW_BANDPASS, 4, 20.0, 450.0, FS, sos, 32, &nb) != ETW_OK) {
        die("butter");
    }
    if (comb && etw_powerline_comb(50.0, 30.0, 8, FS, sos + nb, 32 - nb, &nc) != ETW_OK) {
        die("comb");
    }
    etw_cascade *cas = NULL;
    if (etw_cascade_create((const etw_sos *)sos, nb + nc, nch, &cas) != ETW_OK ||
        etw_cascade_set_precision(cas, filter_precision(nch)) != ETW_OK) {
        die("cascade");
    }
    const float *in[64];
    float *out[64];
    double t0 = now_s();
    for (size_t pos = 0; pos < n; pos += BLOCK) {
        size_t len = n - pos < BLOCK ? n - pos : BLOCK;
        for (size_t c = 0; c < nch; c++) {
            in[c] = x[c] + pos;
            out[c] = scratch[c];
        }
        if (etw_cascade_process(cas, in, out, len) != ETW_OK) {
            die("cascade process");
        }
    }
    double t = now_s() - t0;
    etw_cascade_destroy(cas);
    return t;
}

int main(int argc, char **argv)
{
    int quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
    int reps = quick ? 2 : 5;
    double seconds = quick ? 5.0 : 20.0;
    const size_t chans[] = {1, 64};
    printf("| channels | stage | Msamples/s | real-time factor | events |\n");
    printf("|---:|---|---:|---:|---:|\n");
    for (size_t i = 0; i < 2; i++) {
        size_t nch = chans[i], n = 0;
        float **x = make_input("clean", nch, seconds, &n);
        float **hum = make_input("powerline", nch, seconds, &n);
        float **scratch = malloc(nch * sizeof *scratch);
        for (size_t c = 0; c < nch; c++) {
            scratch[c] = malloc(BLOCK * sizeof **scratch);
        }
        double samples = (double)n * (double)nch;
        double best[4] = {INFINITY, INFINITY, INFINITY, INFINITY};
        size_t events[2] = {0, 0};
        for (int r = 0; r < reps; r++) {
            best[0] = fmin(best[0], time_detector(x, nch, n, &events[0]));
            best[1] = fmin(best[1], time_detector(hum, nch, n, &events[1]));
            best[2] = fmin(best[2], time_filter(x, nch, n, 0, scratch));
            best[3] = fmin(best[3], time_filter(x, nch, n, 1, scratch));
        }
        const char *prec = filter_precision(nch) == ETW_PRECISION_FLOAT ? "float" : "double";
        const char *names[4] = {"whole detector (defaults; no hum, comb off)",
                                "whole detector (defaults; 50 Hz hum, comb on)",
                                "band-pass only (4 sections, %s)",
                                "band-pass + 50 Hz comb (12 sections, %s)"};
        for (int s = 0; s < 4; s++) {
            char name[96];
            snprintf(name, sizeof name, names[s], prec);
            printf("| %zu | %s | %.1f | %.0f | %s |\n", nch, name, samples / best[s] / 1e6,
                   (double)n / FS / best[s], s < 2 ? (events[s] ? "yes" : "none") : "-");
        }
        for (size_t c = 0; c < nch; c++) {
            free(x[c]);
            free(hum[c]);
            free(scratch[c]);
        }
        free(x);
        free(hum);
        free(scratch);
    }
    return 0;
}
