/* Waveforms of the synthetic events: twitch bursts (motor-unit action potentials as
 * Hermite-Rodriguez functions, Lo Conte et al. 1994), ECG complexes (sums of Gaussians after
 * McSharry et al. 2003), motion artifacts (alpha functions) and contraction envelopes. */
#include "synth/synth_internal.h"

#include <math.h>

/* A MUAP is nonzero on |t| < ETW_MUAP_SUPPORT * lambda. */
#define ETW_MUAP_SUPPORT 3.5

static double muap(const double c[3], double lambda, double t)
{
    double y = t / lambda;
    if (fabs(y) >= ETW_MUAP_SUPPORT)
        return 0.0;
    double y2 = y * y;
    /* physicists' Hermite polynomials H1 = 2y, H2 = 4y^2 - 2, H3 = 8y^3 - 12y */
    return (c[0] * 2.0 * y + c[1] * (4.0 * y2 - 2.0) + c[2] * (8.0 * y2 - 12.0) * y) * exp(-y2);
}

/* Scales c so that the MUAP has unit RMS over its support (numerical integration). */
static void normalise_unit(double c[3])
{
    const int n = 141;
    double sum = 0.0;
    for (int i = 0; i < n; i++) {
        double v = muap(c, 1.0, -ETW_MUAP_SUPPORT + 2.0 * ETW_MUAP_SUPPORT * (i + 0.5) / n);
        sum += v * v;
    }
    double rms = sqrt(sum / n);
    for (int k = 0; k < 3; k++)
        c[k] /= rms;
}

static double burst_envelope(double t, double rise, double tau)
{
    if (t < rise)
        return 0.4 + 0.6 * t / rise;
    return exp(-(t - rise) / tau);
}

void etw_synth_burst_build(etw_synth_burst *b, uint64_t seed, double d)
{
    etw_synth_rng r;
    etw_synth_rng_init(&r, seed, 7);
    b->nunits = 2 + (size_t)(etw_synth_rng_next(&r) % 4);
    double lam_hi = fmin(1.6e-3, d / (2.0 * ETW_MUAP_SUPPORT));
    double lam_lo = fmin(0.6e-3, lam_hi);
    for (size_t u = 0; u < b->nunits; u++) {
        b->lambda[u] = etw_synth_rng_range(&r, lam_lo, lam_hi);
        double *c = b->coef[u];
        c[0] = etw_synth_rng_range(&r, 0.5, 1.0) * (etw_synth_rng_uniform(&r) < 0.5 ? -1 : 1);
        c[1] = etw_synth_rng_range(&r, -0.6, 0.6);
        c[2] = etw_synth_rng_range(&r, -0.3, 0.3);
        normalise_unit(c);
        double a = etw_synth_rng_range(&r, 0.5, 1.5);
        for (int k = 0; k < 3; k++)
            c[k] *= a;
    }
    double rise = fmin(fmax(etw_synth_rng_range(&r, 0.05, 0.2) * d, 2e-3), 15e-3);
    rise = fmin(rise, 0.5 * d);
    double tau = (d - rise) / log(4.0);
    double rate = etw_synth_rng_range(&r, 150.0, 350.0);
    size_t nd = (size_t)lround(d * rate);
    nd = nd < 2 ? 2 : (nd > ETW_SYNTH_MAX_DISCHARGES ? ETW_SYNTH_MAX_DISCHARGES : nd);
    b->ndis = nd;
    for (size_t k = 0; k < nd; k++) {
        size_t u = (size_t)(etw_synth_rng_next(&r) % b->nunits);
        double half = ETW_MUAP_SUPPORT * b->lambda[u];
        double t;
        if (k == 0) {
            t = half; /* the first potential starts exactly at the onset */
        } else if (k == nd - 1) {
            t = d - half; /* the last one ends exactly at the offset */
        } else {
            do
                t = etw_synth_rng_range(&r, half, d - half);
            while (etw_synth_rng_uniform(&r) > burst_envelope(t, rise, tau));
        }
        b->unit[k] = (unsigned char)u;
        b->t[k] = t;
        b->amp[k] = burst_envelope(t, rise, tau) * etw_synth_rng_range(&r, 0.8, 1.2);
    }
}

double etw_synth_burst_value(const etw_synth_burst *b, double t)
{
    double v = 0.0;
    for (size_t k = 0; k < b->ndis; k++) {
        size_t u = b->unit[k];
        v += b->amp[k] * muap(b->coef[u], b->lambda[u], t - b->t[k]);
    }
    return v;
}

/* Gaussian bump, exactly 0 beyond 6 sigma (below 1.6e-8 of its peak). */
static double gauss(double t, double mu, double sigma)
{
    double z = (t - mu) / sigma;
    return fabs(z) < 6.0 ? exp(-0.5 * z * z) : 0.0;
}

double etw_synth_ecg_value(double t, double w)
{
    return 0.12 * gauss(t, -0.5 * w - 0.09, 0.02)   /* P */
           - 0.14 * gauss(t, -0.28 * w, 0.06 * w)  /* Q */
           + 1.00 * gauss(t, 0.0, 0.075 * w)       /* R */
           - 0.30 * gauss(t, 0.26 * w, 0.07 * w)   /* S */
           + 0.30 * gauss(t, 0.5 * w + 0.2, 0.04); /* T */
}

double etw_synth_motion_value(double t, double tau)
{
    return t <= 0.0 ? 0.0 : (t / tau) * exp(1.0 - t / tau);
}

double etw_synth_contraction_envelope(const etw_synth_item *it, double t)
{
    const double pi = 3.14159265358979323846;
    double r1 = it->width_s, p = it->plateau_s, r2 = it->ramp2_s;
    if (t <= 0.0)
        return 0.0;
    if (t < r1)
        return 0.5 * (1.0 - cos(pi * t / r1));
    if (t < r1 + p)
        return 1.0;
    if (t < r1 + p + r2)
        return 0.5 * (1.0 + cos(pi * (t - r1 - p) / r2));
    return 0.0;
}
