/* bench_filter_accuracy: how far float-state and double-state cascades drift from a
 * long-double reference on workload W, on hard designs (8th-order 10 Hz high-pass at 10 kHz,
 * 4th-order 20 Hz high-pass at 10 kHz) and on an easy one (3rd-order 100 Hz low-pass at
 * 2048 Hz). The test signal is EMG-like: white noise
 * (1 mV rms), 50 Hz hum (0.5 mV) and a 20 mV electrode offset, 20 s long. Errors are the
 * largest |y - y_ref| divided by the peak |y_ref|; the requirement is < 1e-5.
 * The plain float-state filter is a transposed direct form II in float with float
 * coefficients; the library's cascade is measured in its default double precision and in
 * ETW_PRECISION_FLOAT (direct form I, float state and coefficients), with the precision
 * ETW_PRECISION_AUTO chooses for each design.
 *
 * usage: bench_filter_accuracy [--quick] [--json FILE]   (markdown table on stdout)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emgtwitch/filter.h"

typedef struct design {
    const char *name;
    double fs;
    etw_sos sos[8];
    size_t nsec;
} design;

static void die(const char *what)
{
    fprintf(stderr, "bench_filter_accuracy: %s\n", what);
    exit(1);
}

static void reference(const design *d, const float *x, long double *y, size_t n)
{
    long double z[8][2] = {{0}};
    for (size_t i = 0; i < n; i++) {
        long double v = x[i];
        for (size_t s = 0; s < d->nsec; s++) {
            const double *c = d->sos[s];
            long double out = c[0] * v + z[s][0];
            z[s][0] = c[1] * v - c[4] * out + z[s][1];
            z[s][1] = c[2] * v - c[5] * out;
            v = out;
        }
        y[i] = v;
    }
}

static void float_state(const design *d, const float *x, float *y, size_t n)
{
    float z[8][2] = {{0}}, c[8][6];
    for (size_t s = 0; s < d->nsec; s++) {
        for (int k = 0; k < 6; k++) {
            c[s][k] = (float)d->sos[s][k];
        }
    }
    for (size_t i = 0; i < n; i++) {
        float v = x[i];
        for (size_t s = 0; s < d->nsec; s++) {
            float out = c[s][0] * v + z[s][0];
            z[s][0] = c[s][1] * v - c[s][4] * out + z[s][1];
            z[s][1] = c[s][2] * v - c[s][5] * out;
            v = out;
        }
        y[i] = v;
    }
}

static double rel_error(const float *y, const long double *ref, size_t n)
{
    long double worst = 0, peak = 0;
    for (size_t i = 0; i < n; i++) {
        worst = fmaxl(worst, fabsl((long double)y[i] - ref[i]));
        peak = fmaxl(peak, fabsl(ref[i]));
    }
    return (double)(worst / peak);
}

int main(int argc, char **argv)
{
    const char *json = NULL;
    for (int i = 1; i < argc; i++) {
        if (i + 1 < argc && strcmp(argv[i], "--json") == 0) {
            json = argv[++i];
        } else if (strcmp(argv[i], "--quick") != 0) {
            fprintf(stderr, "usage: bench_filter_accuracy [--quick] [--json FILE]\n");
            return 2;
        }
    }
    design d[4];
    memset(d, 0, sizeof d);
    d[0].name = "W: band-pass 20-450 Hz order 4 + notch 50 Hz, fs 2048";
    d[0].fs = 2048;
    if (etw_butter(ETW_BANDPASS, 4, 20, 450, 2048, d[0].sos, 8, &d[0].nsec) != ETW_OK ||
        etw_iirnotch(50, 30, 2048, d[0].sos[d[0].nsec++]) != ETW_OK) {
        die("design failed");
    }
    d[1].name = "high-pass 10 Hz order 8, fs 10000";
    d[1].fs = 10000;
    d[2].name = "high-pass 20 Hz order 4, fs 10000";
    d[2].fs = 10000;
    if (etw_butter(ETW_HIGHPASS, 8, 10, 0, 10000, d[1].sos, 8, &d[1].nsec) != ETW_OK ||
        etw_butter(ETW_HIGHPASS, 4, 20, 0, 10000, d[2].sos, 8, &d[2].nsec) != ETW_OK) {
        die("design failed");
    }
    d[3].name = "low-pass 100 Hz order 3, fs 2048";
    d[3].fs = 2048;
    if (etw_butter(ETW_LOWPASS, 3, 100, 0, 2048, d[3].sos, 8, &d[3].nsec) != ETW_OK) {
        die("design failed");
    }
    FILE *js = json ? fopen(json, "w") : NULL;
    if (json && !js) {
        die("cannot write the JSON file");
    }
    printf("Largest error / peak against a long-double reference (20 s EMG-like signal with "
           "a 20 mV offset); the requirement is < 1e-5.\n\n");
    printf("| design | plain float state (TDF-II) | emgtwitch float precision | emgtwitch double "
           "precision | ETW_PRECISION_AUTO chooses |\n|---|---:|---:|---:|---|\n");
    if (js) {
        fprintf(js, "{\n  \"rows\": [\n");
    }
    for (int k = 0; k < 4; k++) {
        size_t n = (size_t)(20.0 * d[k].fs);
        float *x = malloc(n * sizeof *x), *yf = malloc(n * sizeof *yf);
        float *yd = malloc(n * sizeof *yd);
        long double *ref = malloc(n * sizeof *ref);
        if (!x || !yf || !yd || !ref) {
            die("out of memory");
        }
        unsigned long long st = 88172645463325252ull;
        for (size_t i = 0; i < n; i++) {
            double u = 0;
            for (int j = 0; j < 4; j++) { /* Irwin-Hall approximation of a Gaussian */
                st ^= st << 13, st ^= st >> 7, st ^= st << 17;
                u += (double)(st >> 11) / 9007199254740992.0;
            }
            x[i] = (float)(20e-3 + 1e-3 * (u - 2.0) * sqrt(3.0) +
                           0.5e-3 * sin(2 * 3.14159265358979 * 50.0 * (double)i / d[k].fs));
        }
        reference(&d[k], x, ref, n);
        float_state(&d[k], x, yf, n);
        double e[2];
        for (int p = 0; p < 2; p++) {
            etw_cascade *c = NULL;
            if (etw_cascade_create((const etw_sos *)d[k].sos, d[k].nsec, 1, &c) != ETW_OK ||
                etw_cascade_set_precision(c, p ? ETW_PRECISION_DOUBLE : ETW_PRECISION_FLOAT) !=
                    ETW_OK) {
                die("create failed");
            }
            const float *ip[1] = {x};
            float *op[1] = {yd};
            if (etw_cascade_process(c, ip, op, n) != ETW_OK) {
                die("process failed");
            }
            etw_cascade_destroy(c);
            e[p] = rel_error(yd, ref, n);
        }
        etw_cascade *a = NULL;
        if (etw_cascade_create((const etw_sos *)d[k].sos, d[k].nsec, 1, &a) != ETW_OK ||
            etw_cascade_set_precision(a, ETW_PRECISION_AUTO) != ETW_OK) {
            die("create failed");
        }
        const char *chosen =
            etw_cascade_get_precision(a) == ETW_PRECISION_FLOAT ? "float" : "double";
        etw_cascade_destroy(a);
        double ef = rel_error(yf, ref, n);
        printf("| %s | %.2g | %.2g | %.2g | %s |\n", d[k].name, ef, e[0], e[1], chosen);
        if (js) {
            fprintf(js,
                    "    {\"design\": \"%s\", \"plain_float_state\": %.3g, "
                    "\"float_precision\": %.3g, \"double_precision\": %.3g, \"auto\": \"%s\"}%s\n",
                    d[k].name, ef, e[0], e[1], chosen, k < 3 ? "," : "");
        }
        free(x);
        free(yf);
        free(yd);
        free(ref);
    }
    if (js) {
        fprintf(js, "  ]\n}\n");
        fclose(js);
    }
    return 0;
}
