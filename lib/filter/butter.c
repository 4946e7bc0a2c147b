/* Butterworth design, the same way as scipy.signal.butter / iirfilter (SciPy 1.10): analog
 * prototype poles -exp(i*pi*m/(2N)), m = -N+1, -N+3, ..., N-1 (buttap), frequency
 * transformation lp2lp/lp2hp/lp2bp/lp2bs at pre-warped edges 4*tan(pi*Wn/2) (Wn = 2f/fs),
 * bilinear transform with fs = 2, then zpk -> sos with 'nearest' pairing (zpk.c).
 * References: A. V. Oppenheim, R. W. Schafer, Discrete-Time Signal Processing, 3rd ed.,
 * sec. 7.2 (bilinear transform, pre-warping) and 7.3 (frequency transformations). */
#include <math.h>
#include <string.h>

#include "filter/check.h"
#include "filter/zpk.h"

#define PREWARP_FS 2.0

size_t etw_butter_sections(etw_filter_type type, int order)
{
    if (order < 1 || order > ETW_BUTTER_MAX_ORDER) {
        return 0;
    }
    switch (type) {
    case ETW_LOWPASS:
    case ETW_HIGHPASS:
        return (size_t)(order + 1) / 2;
    case ETW_BANDPASS:
    case ETW_BANDSTOP:
        return (size_t)order;
    }
    return 0;
}

static double complex neg_product(const double complex *v, size_t n)
{
    double complex acc = 1.0;
    for (size_t i = 0; i < n; i++) {
        acc = etw_cmul(acc, -v[i]);
    }
    return acc;
}

/* Shifts each value v (already scaled) to v +- sqrt(v^2 - wo^2) (lp2bp / lp2bs). */
static size_t split_band(double complex *v, size_t n, double wo)
{
    double complex out[ETW_ZPK_MAX];
    for (size_t i = 0; i < n; i++) {
        double complex sq = etw_cmul(v[i], v[i]);
        double complex r = csqrt(CMPLX(creal(sq) - wo * wo, cimag(sq)));
        out[i] = v[i] + r;
        out[n + i] = v[i] - r;
    }
    memcpy(v, out, 2 * n * sizeof *v);
    return 2 * n;
}

static void analog_transform(etw_zpk *f, etw_filter_type type, double w0, double w1)
{
    size_t n = f->np; /* the prototype has no zeros */
    switch (type) {
    case ETW_LOWPASS:
        for (size_t i = 0; i < n; i++) {
            f->p[i] = CMPLX(w0 * creal(f->p[i]), w0 * cimag(f->p[i]));
        }
        f->k *= pow(w0, (double)n);
        break;
    case ETW_HIGHPASS:
        for (size_t i = 0; i < n; i++) {
            f->p[i] = etw_cdiv(w0, f->p[i]);
            f->z[i] = 0.0;
        }
        f->nz = n;
        break;
    case ETW_BANDPASS: {
        double bw = w1 - w0, wo = sqrt(w0 * w1);
        for (size_t i = 0; i < n; i++) {
            double complex s = CMPLX(creal(f->p[i]) * bw, cimag(f->p[i]) * bw);
            f->p[i] = CMPLX(creal(s) * 0.5, cimag(s) * 0.5);
        }
        f->np = split_band(f->p, n, wo);
        for (size_t i = 0; i < n; i++) {
            f->z[i] = 0.0;
        }
        f->nz = n;
        f->k *= pow(bw, (double)n);
        break;
    }
    case ETW_BANDSTOP: {
        double bw = w1 - w0, wo = sqrt(w0 * w1);
        for (size_t i = 0; i < n; i++) {
            f->p[i] = etw_cdiv(bw / 2.0, f->p[i]);
        }
        f->np = split_band(f->p, n, wo);
        for (size_t i = 0; i < n; i++) {
            f->z[i] = CMPLX(0.0, wo);
            f->z[n + i] = CMPLX(0.0, -wo);
        }
        f->nz = 2 * n;
        break;
    }
    }
}

/* Bilinear transform with fs = 2 (scipy.signal.bilinear_zpk). */
static void bilinear(etw_zpk *f)
{
    const double fs2 = 2.0 * PREWARP_FS;
    size_t degree = f->np - f->nz;
    double complex num = 1.0, den = 1.0;
    for (size_t i = 0; i < f->nz; i++) {
        num = etw_cmul(num, fs2 - f->z[i]);
    }
    for (size_t i = 0; i < f->np; i++) {
        den = etw_cmul(den, fs2 - f->p[i]);
    }
    f->k *= creal(etw_cdiv(num, den));
    for (size_t i = 0; i < f->nz; i++) {
        f->z[i] = etw_cdiv(fs2 + f->z[i], fs2 - f->z[i]);
    }
    for (size_t i = 0; i < f->np; i++) {
        f->p[i] = etw_cdiv(fs2 + f->p[i], fs2 - f->p[i]);
    }
    for (size_t i = 0; i < degree; i++) {
        f->z[f->nz++] = -1.0;
    }
}

static etw_status check_args(etw_filter_type type, int order, double low_hz, double high_hz,
                             double fs_hz)
{
    int band = type == ETW_BANDPASS || type == ETW_BANDSTOP;
    if (etw_butter_sections(type, order) == 0) {
        return ETW_ERR_RANGE;
    }
    if (!isfinite(low_hz) || !isfinite(fs_hz) || (band && !isfinite(high_hz))) {
        return ETW_ERR_NONFINITE;
    }
    if (fs_hz <= 0.0 || low_hz <= 0.0 || (band && high_hz <= 0.0)) {
        return ETW_ERR_RANGE;
    }
    if (low_hz >= fs_hz / 2.0 || (band && high_hz >= fs_hz / 2.0)) {
        return ETW_ERR_NYQUIST;
    }
    if (band && low_hz >= high_hz) {
        return ETW_ERR_RANGE;
    }
    return ETW_OK;
}

etw_status etw_butter(etw_filter_type type, int order, double low_hz, double high_hz,
                      double fs_hz, etw_sos *sos, size_t capacity, size_t *nsections)
{
    if (sos == NULL || nsections == NULL) {
        return ETW_ERR_NULL;
    }
    etw_status st = check_args(type, order, low_hz, high_hz, fs_hz);
    if (st != ETW_OK) {
        return st;
    }
    size_t want = etw_butter_sections(type, order);
    if (capacity < want) {
        return ETW_ERR_SIZE;
    }
    etw_zpk f;
    f.nz = 0;
    f.np = (size_t)order;
    f.k = 1.0;
    for (int i = 0; i < order; i++) {
        int m = -order + 1 + 2 * i;
        double theta = ETW_PI * (double)m / (double)(2 * order);
        f.p[i] = CMPLX(-cos(theta), -sin(theta));
    }
    double w0 = PREWARP_FS * PREWARP_FS * tan(ETW_PI * (2.0 * low_hz / fs_hz) / PREWARP_FS);
    double w1 = PREWARP_FS * PREWARP_FS * tan(ETW_PI * (2.0 * high_hz / fs_hz) / PREWARP_FS);
    /* lp2hp and lp2bs scale k by real(prod(-z) / prod(-p)) of the prototype (no zeros) */
    double inversion_gain = creal(etw_cdiv(1.0, neg_product(f.p, f.np)));
    analog_transform(&f, type, w0, w1);
    if (type == ETW_HIGHPASS || type == ETW_BANDSTOP) {
        f.k *= inversion_gain;
    }
    bilinear(&f);
    etw_sos tmp[ETW_BUTTER_MAX_ORDER];
    if (etw_zpk_to_sos(&f, tmp) != want) {
        return ETW_ERR_INTERNAL;
    }
    memcpy(sos, tmp, want * sizeof *tmp);
    *nsections = want;
    return ETW_OK;
}
