/* Zero-phase filtering as scipy.signal.sosfiltfilt with padtype='odd' and the default
 * padlen: the signal is extended at both ends by point reflection about its end samples
 * (odd extension, 3 * ntaps samples, ntaps = 2 * nsections + 1 - min(#(b2 == 0),
 * #(a2 == 0))), filtered forward from the steady state scaled by the first sample, then
 * backward from the steady state scaled by the last output, and the padding is cut off.
 * Works in double, one channel at a time, in one working buffer. */
#include <math.h>
#include <stdlib.h>

#include "filter/cascade.h"
#include "filter/check.h"

/* sosfilt over v[0..n-1] starting from the steady state for the constant v[0], in place. Transposed
 * direct form II with the same denormal guard as the streaming kernels. */
static void filter_forward(const etw_sos *sos, size_t nsec, const double (*zi)[2], double *v,
                           size_t n)
{
    double x0 = v[0];
    for (size_t s = 0; s < nsec; s++) {
        const double *c = sos[s];
        double z0 = zi[s][0] * x0, z1 = zi[s][1] * x0;
        for (size_t i = 0; i < n; i++) {
            double x = v[i];
            double y = c[0] * x + z0;
            z0 = c[1] * x - c[4] * y + z1;
            z1 = c[2] * x - c[5] * y + ETW_DENORMAL_GUARD;
            v[i] = y;
        }
    }
}

static void reverse(double *v, size_t n)
{
    for (size_t i = 0, j = n - 1; i < j; i++, j--) {
        double t = v[i];
        v[i] = v[j];
        v[j] = t;
    }
}

etw_status etw_sosfiltfilt(const etw_sos *sos, size_t nsections, const float *const *in,
                           float *const *out, size_t nch, size_t nframes)
{
    etw_status st = etw_sos_check(sos, nsections);
    if (st != ETW_OK) {
        return st;
    }
    if (in == NULL || out == NULL) {
        return ETW_ERR_NULL;
    }
    for (size_t ch = 0; ch < nch; ch++) {
        if (in[ch] == NULL || out[ch] == NULL) {
            return ETW_ERR_NULL;
        }
    }
    for (size_t ch = 0; ch < nch; ch++) {
        for (size_t i = 0; i < nframes; i++) {
            if (!isfinite(in[ch][i])) {
                return ETW_ERR_NONFINITE;
            }
        }
    }
    size_t zeros_b = 0, zeros_a = 0;
    for (size_t s = 0; s < nsections; s++) {
        zeros_b += sos[s][2] == 0.0;
        zeros_a += sos[s][5] == 0.0;
    }
    size_t edge = 3 * (2 * nsections + 1 - (zeros_b < zeros_a ? zeros_b : zeros_a));
    if (nch == 0 || nframes <= edge) {
        return ETW_ERR_RANGE;
    }
    double zi[ETW_MAX_SECTIONS][2];
    etw_sos_zi(sos, nsections, zi);
    size_t len = nframes + 2 * edge;
    double *v = malloc(len * sizeof *v);
    if (v == NULL) {
        return ETW_ERR_NOMEM;
    }
    for (size_t ch = 0; ch < nch; ch++) {
        const float *x = in[ch];
        double first = x[0], last = x[nframes - 1];
        for (size_t i = 0; i < edge; i++) {
            v[i] = 2.0 * first - (double)x[edge - i];
            v[edge + nframes + i] = 2.0 * last - (double)x[nframes - 2 - i];
        }
        for (size_t i = 0; i < nframes; i++) {
            v[edge + i] = x[i];
        }
        filter_forward(sos, nsections, (const double(*)[2])zi, v, len);
        reverse(v, len);
        filter_forward(sos, nsections, (const double(*)[2])zi, v, len);
        for (size_t i = 0; i < nframes; i++) {
            out[ch][i] = (float)v[len - 1 - edge - i];
        }
    }
    free(v);
    return ETW_OK;
}
