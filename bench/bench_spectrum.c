/* FFT transforms/s through emgtwitch's internal interface (spectrum/fft.h) next to the raw
 * backend on the same sizes, and Welch PSD throughput.
 * Usage: bench_spectrum [--quick] [--json FILE]. Prints Markdown tables on stdout; --json
 * also writes the numbers to FILE; --quick measures for a shorter time. */
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "emgtwitch/emgtwitch.h"
#include "spectrum/fft.h"

#if defined(ETW_FFT_FFTW)
#include <fftw3.h>
#else
#include <kiss_fftr.h>
#endif

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef void (*run_fn)(void *ctx, long reps);

/* Best of 5 rates (calls/s) of run(ctx, reps), reps sized to take about `seconds`. */
static double rate(run_fn run, void *ctx, double seconds)
{
    long reps = 1;
    for (;;) {
        double t0 = now();
        run(ctx, reps);
        double dt = now() - t0;
        if (dt > seconds / 10) {
            reps = (long)((double)reps * seconds / 5 / dt) + 1;
            break;
        }
        reps *= 2;
    }
    double best = 0.0;
    for (int i = 0; i < 5; i++) {
        double t0 = now();
        run(ctx, reps);
        double r = (double)reps / (now() - t0);
        best = r > best ? r : best;
    }
    return best;
}

static void run_ours(void *ctx, long reps)
{
    for (long i = 0; i < reps; i++) {
        etw_fft_execute(ctx);
    }
}

#if defined(ETW_FFT_FFTW)
typedef struct raw {
    fftw_plan plan;
} raw;
static void run_raw(void *ctx, long reps)
{
    raw *r = ctx;
    for (long i = 0; i < reps; i++) {
        fftw_execute(r->plan);
    }
}
#else
typedef struct raw {
    kiss_fftr_cfg cfg;
    kiss_fft_scalar *in;
    kiss_fft_cpx *out;
} raw;
static void run_raw(void *ctx, long reps)
{
    raw *r = ctx;
    for (long i = 0; i < reps; i++) {
        kiss_fftr(r->cfg, r->in, r->out);
    }
}
#endif

typedef struct welch_ctx {
    etw_welch *w;
    const float *x;
    size_t n;
    double *psd;
} welch_ctx;

static void run_welch(void *ctx, long reps)
{
    welch_ctx *c = ctx;
    for (long i = 0; i < reps; i++) {
        if (etw_welch_compute(c->w, c->x, c->n, c->psd, etw_welch_nfreq(c->w)) != ETW_OK) {
            abort();
        }
    }
}

int main(int argc, char **argv)
{
    double seconds = 0.3;
    FILE *json = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) {
            seconds = 0.05;
        } else if (strcmp(argv[i], "--json") == 0 && i + 1 < argc) {
            json = fopen(argv[++i], "w");
            if (json == NULL) {
                fprintf(stderr, "bench_spectrum: cannot write %s\n", argv[i]);
                return 1;
            }
        } else {
            fprintf(stderr, "usage: bench_spectrum [--quick] [--json FILE]\n");
            return 2;
        }
    }
    if (json != NULL) {
        fprintf(json, "{\"backend\": \"%s\", \"fft\": [", etw_fft_backend());
    }
    printf("FFT backend: %s\n\n", etw_fft_backend());
    printf("| n | ours (transforms/s) | raw backend (transforms/s) | overhead |\n");
    printf("|---:|---:|---:|---:|\n");
    const size_t sizes[] = {256, 1024, 2000, 4096};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t n = sizes[s];
        etw_fft *f = NULL;
        if (etw_fft_create(n, &f) != ETW_OK) {
            return 1;
        }
        etw_fft_real *in = etw_fft_input(f);
        raw r;
#if defined(ETW_FFT_FFTW)
        double *rin = fftw_malloc(n * sizeof *rin);
        fftw_complex *rout = fftw_malloc((n / 2 + 1) * sizeof *rout);
        r.plan = fftw_plan_dft_r2c_1d((int)n, rin, rout, FFTW_ESTIMATE);
#else
        r.cfg = kiss_fftr_alloc((int)n, 0, NULL, NULL);
        r.in = malloc(n * sizeof *r.in);
        r.out = malloc((n / 2 + 1) * sizeof *r.out);
        kiss_fft_scalar *rin = r.in;
#endif
        for (size_t i = 0; i < n; i++) {
            in[i] = (etw_fft_real)sin(0.1 * (double)i);
            rin[i] = in[i];
        }
        /* interleave the two measurements so drift in machine load hits both alike */
        double ours = 0.0;
        double theirs = 0.0;
        for (int round = 0; round < 3; round++) {
            double a = rate(run_ours, f, seconds);
            double b = rate(run_raw, &r, seconds);
            ours = a > ours ? a : ours;
            theirs = b > theirs ? b : theirs;
        }
        printf("| %zu | %.0f | %.0f | %+.1f %% |\n", n, ours, theirs,
               100.0 * (theirs / ours - 1.0));
        if (json != NULL) {
            fprintf(json, "%s{\"n\": %zu, \"ours_per_s\": %.1f, \"raw_per_s\": %.1f}",
                    s ? ", " : "", n, ours, theirs);
        }
#if defined(ETW_FFT_FFTW)
        fftw_destroy_plan(r.plan);
        fftw_free(rin);
        fftw_free(rout);
#else
        kiss_fftr_free(r.cfg);
        free(r.in);
        free(r.out);
#endif
        etw_fft_destroy(f);
    }

    const double fs = 2000.0;
    const size_t n = (size_t)(60 * fs);
    float *x = malloc(n * sizeof *x);
    double psd[4097];
    if (x == NULL) {
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        x[i] = (float)sin(0.37 * (double)i) + (float)((i * 7919) % 1000) * 1e-3f;
    }
    printf("\nWelch PSD of 60 s at 2 kHz (Hann, 50 %% overlap):\n\n");
    printf("| nperseg | PSDs/s | samples/s |\n|---:|---:|---:|\n");
    const size_t segs[] = {256, 1024, 4096};
    for (size_t s = 0; s < 3; s++) {
        etw_welch_config cfg = etw_welch_config_default(fs);
        cfg.nperseg = segs[s];
        cfg.noverlap = segs[s] / 2;
        welch_ctx c = {NULL, x, n, psd};
        if (etw_welch_create(&cfg, &c.w) != ETW_OK) {
            return 1;
        }
        double r = rate(run_welch, &c, seconds);
        printf("| %zu | %.1f | %.3g |\n", segs[s], r, r * (double)n);
        if (json != NULL) {
            fprintf(json, "%s{\"nperseg\": %zu, \"psd_per_s\": %.2f, \"samples_per_s\": %.4g}",
                    s ? ", " : "], \"welch\": [", segs[s], r, r * (double)n);
        }
        etw_welch_destroy(c.w);
    }
    free(x);
    if (json != NULL) {
        fprintf(json, "]}\n");
        fclose(json);
    }
    return 0;
}
