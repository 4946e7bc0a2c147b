/* bench_filter: throughput of the streaming cascade on workload W (fs 2048 Hz, 4th-order
 * Butterworth band-pass 20-450 Hz = 4 sections, plus a 50 Hz notch Q=30; causal) for
 * 1/8/64/256 channels and block sizes 16..4096, against liquid-dsp measured in the same run
 * (iirfilt_rrrf_create_sos + execute_block, one object per channel) and SciPy sosfilt
 * results read from a file made by peer_scipy.py in the same run; the default (double) and
 * the opt-in float precision of the cascade are both measured. Each figure is the best of
 * several repetitions timed by the thread's CPU time (the machine is shared, so the best one
 * is the least disturbed).
 *
 * usage: bench_filter [--quick] [--scipy FILE] [--json FILE] [--markdown FILE]
 */
#define _POSIX_C_SOURCE 199309L
#include <liquid/liquid.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "emgtwitch/filter.h"

#define FS 2048.0
#define MAX_ROWS 64

typedef struct row {
    size_t nch, block;
    double etw, etw_float, etw_interleaved, liquid, scipy_whole, scipy_block;
} row;

/* CPU time of this thread: time the thread spends waiting for a core (the machine is shared)
 * is not counted; a busy sibling hardware thread still slows it down, hence best-of-reps. */
static double now_s(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) {
        clock_gettime(CLOCK_MONOTONIC, &ts);
    }
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void die(const char *what)
{
    fprintf(stderr, "bench_filter: %s\n", what);
    exit(1);
}

static size_t design_w(etw_sos *sos)
{
    size_t n = 0;
    if (etw_butter(ETW_BANDPASS, 4, 20.0, 450.0, FS, sos, 5, &n) != ETW_OK ||
        etw_iirnotch(50.0, 30.0, FS, sos[n]) != ETW_OK) {
        die("design failed");
    }
    return n + 1;
}

/* Input and output buffers hold WORKING_SET samples over all channels (at least one block
 * per channel) and are filtered PASSES times per repetition, as a streaming host whose
 * freshly acquired blocks are in cache would; this measures the filter, not the DRAM. */
#define WORKING_SET (1u << 18)
#define PEER_SAMPLES (1u << 15) /* per liquid-dsp repetition */

typedef struct setup {
    size_t nch, block, frames; /* frames per channel in the buffers */
    size_t passes;             /* passes over the buffers per repetition */
    size_t stride;             /* floats between channel starts (padded, see make_setup) */
    float *in, *out, *inter, *inter_out;
    const float **ip;
    float **op;
} setup;

static void make_setup(setup *s, size_t nch, size_t block, size_t total)
{
    s->nch = nch;
    s->block = block;
    s->frames = WORKING_SET / nch < block ? block : WORKING_SET / nch / block * block;
    s->passes = total / (nch * s->frames) > 0 ? total / (nch * s->frames) : 1;
    /* channels as separate allocations would be: not a power-of-two apart */
    s->stride = s->frames + 48;
    size_t n = nch * s->stride;
    s->in = malloc(n * sizeof(float));
    s->out = malloc(n * sizeof(float));
    s->inter = malloc(n * sizeof(float));
    s->inter_out = malloc(n * sizeof(float));
    s->ip = malloc(nch * sizeof *s->ip);
    s->op = malloc(nch * sizeof *s->op);
    if (!s->in || !s->out || !s->inter || !s->inter_out || !s->ip || !s->op) {
        die("out of memory");
    }
    unsigned state = 12345u;
    for (size_t i = 0; i < n; i++) {
        state = state * 1664525u + 1013904223u;
        s->in[i] = (float)((double)(state >> 8) / 16777216.0 - 0.5) * 1e-3f;
    }
    for (size_t c = 0; c < nch; c++) {
        for (size_t f = 0; f < s->frames; f++) {
            s->inter[f * nch + c] = s->in[c * s->stride + f];
        }
    }
}

static void free_setup(setup *s)
{
    free(s->in);
    free(s->out);
    free(s->inter);
    free(s->inter_out);
    free(s->ip);
    free(s->op);
}

static void run_planar(etw_cascade *c, setup *s)
{
    for (size_t pos = 0; pos < s->frames; pos += s->block) {
        for (size_t ch = 0; ch < s->nch; ch++) {
            s->ip[ch] = s->in + ch * s->stride + pos;
            s->op[ch] = s->out + ch * s->stride + pos;
        }
        if (etw_cascade_process(c, s->ip, s->op, s->block) != ETW_OK) {
            die("process failed");
        }
    }
}

/* Interleaved data straight through etw_cascade_process_interleaved. */
static void run_interleaved(etw_cascade *c, setup *s)
{
    for (size_t pos = 0; pos < s->frames; pos += s->block) {
        const float *src = s->inter + pos * s->nch;
        float *dst = s->inter_out + pos * s->nch;
        if (etw_cascade_process_interleaved(c, src, dst, s->block) != ETW_OK) {
            die("process failed");
        }
    }
}

static void run_liquid(iirfilt_rrrf *q, setup *s)
{
    for (size_t pos = 0; pos < s->frames; pos += s->block) {
        for (size_t ch = 0; ch < s->nch; ch++) {
            iirfilt_rrrf_execute_block(q[ch], s->in + ch * s->stride + pos,
                                       (unsigned)s->block, s->out + ch * s->stride + pos);
        }
    }
}

enum { ETW_PLANAR, ETW_FLOAT, ETW_INTERLEAVED, LIQUID };

/* Best-of-reps throughput in Msamples/s (all channels). */
static double measure(int what, setup *s, const etw_sos *sos, size_t nsec, int reps)
{
    etw_cascade *c = NULL;
    iirfilt_rrrf *q = NULL;
    if (what == LIQUID) {
        q = malloc(s->nch * sizeof *q);
        float b[3 * 8], a[3 * 8];
        for (size_t k = 0; k < nsec; k++) {
            for (int i = 0; i < 3; i++) {
                b[3 * k + i] = (float)sos[k][i];
                a[3 * k + i] = (float)sos[k][3 + i];
            }
        }
        for (size_t ch = 0; ch < s->nch; ch++) {
            q[ch] = iirfilt_rrrf_create_sos(b, a, (unsigned)nsec);
        }
    } else if (etw_cascade_create(sos, nsec, s->nch, &c) != ETW_OK ||
               etw_cascade_set_precision(c, what == ETW_FLOAT ? ETW_PRECISION_FLOAT
                                                              : ETW_PRECISION_DOUBLE) != ETW_OK) {
        die("create failed");
    }
    /* liquid-dsp is ~20x slower: time it on a shorter stretch so that each repetition is
     * as short as ours and has the same chance to run undisturbed */
    size_t passes = s->passes, frames = s->frames;
    if (what == LIQUID) {
        passes = 1;
        size_t want = PEER_SAMPLES / s->nch / s->block * s->block;
        s->frames = want < s->block ? s->block : want < frames ? want : frames;
    }
    double best = 1e300;
    for (int r = 0; r < reps; r++) {
        double t0 = now_s();
        for (size_t p = 0; p < passes; p++) {
            if (what == LIQUID) {
                run_liquid(q, s);
            } else if (what == ETW_PLANAR || what == ETW_FLOAT) {
                run_planar(c, s);
            } else {
                run_interleaved(c, s);
            }
        }
        double dt = now_s() - t0;
        best = dt < best ? dt : best;
    }
    if (q != NULL) {
        for (size_t ch = 0; ch < s->nch; ch++) {
            iirfilt_rrrf_destroy(q[ch]);
        }
        free(q);
    }
    etw_cascade_destroy(c);
    double msps = (double)(s->nch * s->frames * passes) / best / 1e6;
    s->frames = frames;
    return msps;
}

/* liquid and emgtwitch must compute the same filter, else the comparison is meaningless. */
static double check_liquid_agrees(const etw_sos *sos, size_t nsec)
{
    setup s;
    make_setup(&s, 1, 256, 4096);
    etw_cascade *c = NULL;
    if (etw_cascade_create(sos, nsec, 1, &c) != ETW_OK) {
        die("create failed");
    }
    run_planar(c, &s);
    float *ours = malloc(s.frames * sizeof(float));
    memcpy(ours, s.out, s.frames * sizeof(float));
    measure(LIQUID, &s, sos, nsec, 1);
    double worst = 0.0, peak = 0.0;
    for (size_t i = 0; i < s.frames; i++) {
        worst = fmax(worst, fabs((double)ours[i] - (double)s.out[i]));
        peak = fmax(peak, fabs((double)ours[i]));
    }
    free(ours);
    etw_cascade_destroy(c);
    free_setup(&s);
    return worst / peak;
}

static void read_scipy(const char *path, row *rows, size_t nrows)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "bench_filter: no SciPy results (%s); SciPy columns left empty\n", path);
        return;
    }
    char kind[32];
    size_t nch, block;
    double msps;
    while (fscanf(f, "%31s %zu %zu %lf", kind, &nch, &block, &msps) == 4) {
        for (size_t i = 0; i < nrows; i++) {
            if (rows[i].nch != nch) {
                continue;
            }
            if (strcmp(kind, "whole") == 0) {
                rows[i].scipy_whole = msps;
            } else if (strcmp(kind, "block") == 0 && rows[i].block == block) {
                rows[i].scipy_block = msps;
            }
        }
    }
    fclose(f);
}

static void ratio(FILE *f, double a, double b)
{
    if (b > 0) {
        fprintf(f, " %.1fx |", a / b);
    } else {
        fprintf(f, " - |");
    }
}

/* The 1-minute load average (the machine may be shared), or -1. */
static double load_average(void)
{
    double load = -1.0;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f != NULL) {
        if (fscanf(f, "%lf", &load) != 1) {
            load = -1.0;
        }
        fclose(f);
    }
    return load;
}

/* The precision ETW_PRECISION_AUTO chooses for sos. */
static const char *auto_choice(const etw_sos *sos, size_t nsec)
{
    etw_cascade *c = NULL;
    if (etw_cascade_create(sos, nsec, 1, &c) != ETW_OK ||
        etw_cascade_set_precision(c, ETW_PRECISION_AUTO) != ETW_OK) {
        die("create failed");
    }
    etw_precision p = etw_cascade_get_precision(c);
    etw_cascade_destroy(c);
    return p == ETW_PRECISION_FLOAT ? "float" : "double";
}

static void write_markdown(FILE *f, const row *rows, size_t n, double liquid_err, int reps,
                           const char *auto_precision)
{
    fprintf(f, "Workload W (fs 2048 Hz, Butterworth band-pass 20-450 Hz order 4 + notch 50 Hz "
               "Q=30: 5 sections), causal, float samples, best of %d repetitions (thread CPU "
               "time); 1-minute load average at the end: %.2f.\n"
               "liquid-dsp output agrees with emgtwitch to %.2g of peak. \"emgtwitch\" is the "
               "default double precision; \"float precision\" is ETW_PRECISION_FLOAT, opt-in "
               "(for W, ETW_PRECISION_AUTO chooses %s).\n\n",
            reps, load_average(), liquid_err, auto_precision);
    fprintf(f, "| channels | block | emgtwitch Msamples/s | ns/sample | float precision "
               "Msamples/s | interleaved Msamples/s | interleaved / planar | liquid-dsp "
               "Msamples/s | SciPy whole Msamples/s | SciPy blocks Msamples/s | vs liquid | "
               "vs SciPy whole |\n");
    fprintf(f, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (size_t i = 0; i < n; i++) {
        const row *r = &rows[i];
        fprintf(f, "| %zu | %zu | %.0f | %.2f | %.0f | %.0f | %.2f | %.1f | ", r->nch, r->block,
                r->etw, 1e3 / r->etw, r->etw_float, r->etw_interleaved,
                r->etw_interleaved / r->etw, r->liquid);
        if (r->scipy_whole > 0) {
            fprintf(f, "%.1f | ", r->scipy_whole);
        } else {
            fprintf(f, "- | ");
        }
        if (r->scipy_block > 0) {
            fprintf(f, "%.1f |", r->scipy_block);
        } else {
            fprintf(f, "- |");
        }
        ratio(f, r->etw, r->liquid);
        ratio(f, r->etw, r->scipy_whole);
        fprintf(f, "\n");
    }
}

static void write_json(FILE *f, const row *rows, size_t n, double liquid_err, int reps)
{
    fprintf(f, "{\n  \"workload\": \"W: fs 2048, butter(4, [20, 450], bandpass) + "
               "iirnotch(50, 30)\",\n  \"repetitions\": %d,\n  \"liquid_rel_error\": %.3g,\n"
               "  \"rows\": [\n",
            reps, liquid_err);
    for (size_t i = 0; i < n; i++) {
        const row *r = &rows[i];
        fprintf(f,
                "    {\"channels\": %zu, \"block\": %zu, \"emgtwitch_msps\": %.2f, "
                "\"ns_per_sample\": %.4f, \"float_precision_msps\": %.2f, "
                "\"interleaved_msps\": %.2f, \"liquid_msps\": %.2f, "
                "\"scipy_whole_msps\": %.2f, \"scipy_block_msps\": %.2f}%s\n",
                r->nch, r->block, r->etw, 1e3 / r->etw, r->etw_float, r->etw_interleaved,
                r->liquid,
                r->scipy_whole, r->scipy_block, i + 1 < n ? "," : "");
    }
    fprintf(f, "  ]\n}\n");
}

int main(int argc, char **argv)
{
    const char *scipy = NULL, *json = NULL, *markdown = NULL;
    int quick = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) {
            quick = 1;
        } else if (i + 1 < argc && strcmp(argv[i], "--scipy") == 0) {
            scipy = argv[++i];
        } else if (i + 1 < argc && strcmp(argv[i], "--json") == 0) {
            json = argv[++i];
        } else if (i + 1 < argc && strcmp(argv[i], "--markdown") == 0) {
            markdown = argv[++i];
        } else {
            fprintf(stderr, "usage: bench_filter [--quick] [--scipy FILE] [--json FILE] "
                            "[--markdown FILE]\n");
            return 2;
        }
    }
    etw_sos sos[5];
    size_t nsec = design_w(sos);
    const size_t channels[] = {1, 8, 64, 256};
    const size_t blocks[] = {16, 64, 256, 1024, 4096};
    /* many short repetitions: on a busy machine some of them run undisturbed */
    const int reps = quick ? 15 : 60;
    const size_t total = quick ? (1u << 18) : (1u << 19);
    row rows[MAX_ROWS];
    size_t nrows = 0;
    for (size_t ci = 0; ci < sizeof channels / sizeof *channels; ci++) {
        for (size_t bi = 0; bi < sizeof blocks / sizeof *blocks; bi++) {
            row *r = &rows[nrows++];
            memset(r, 0, sizeof *r);
            setup s;
            make_setup(&s, channels[ci], blocks[bi], total);
            r->nch = channels[ci];
            r->block = blocks[bi];
            r->etw = measure(ETW_PLANAR, &s, (const etw_sos *)sos, nsec, reps);
            r->etw_float = measure(ETW_FLOAT, &s, (const etw_sos *)sos, nsec, reps);
            r->etw_interleaved = measure(ETW_INTERLEAVED, &s, (const etw_sos *)sos, nsec, reps);
            r->liquid = measure(LIQUID, &s, (const etw_sos *)sos, nsec, quick ? 15 : 60);
            free_setup(&s);
            fprintf(stderr, "nch %4zu block %4zu: %8.1f Msamples/s (float precision %.1f)\n",
                    r->nch, r->block, r->etw, r->etw_float);
        }
    }
    double liquid_err = check_liquid_agrees((const etw_sos *)sos, nsec);
    if (scipy != NULL) {
        read_scipy(scipy, rows, nrows);
    }
    const char *auto_precision = auto_choice((const etw_sos *)sos, nsec);
    write_markdown(stdout, rows, nrows, liquid_err, reps, auto_precision);
    if (markdown != NULL) {
        FILE *f = fopen(markdown, "w");
        if (f == NULL) {
            die("cannot write the markdown file");
        }
        write_markdown(f, rows, nrows, liquid_err, reps, auto_precision);
        fclose(f);
    }
    if (json != NULL) {
        FILE *f = fopen(json, "w");
        if (f == NULL) {
            die("cannot write the JSON file");
        }
        write_json(f, rows, nrows, liquid_err, reps);
        fclose(f);
    }
    return 0;
}
