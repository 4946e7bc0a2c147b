/* Frequency response of a cascade of second-order sections: H(e^{jw}) is the product of
 * the sections' N(e^{jw}) / D(e^{jw}); the group delay of a polynomial c(z^-1) is
 * Re( sum_k k c_k e^{-jwk} / sum_k c_k e^{-jwk} ) samples (the formula of
 * scipy.signal.group_delay), summed over numerators minus denominators. */
#include <complex.h>
#include <math.h>

#include "filter/check.h"

/* Value of c0 + c1 e^{-jw} + c2 e^{-2jw} and of its k-weighted sum. */
static double complex poly_at(const double *c, double complex e1, double complex e2,
                              double complex *weighted)
{
    *weighted = c[1] * e1 + 2.0 * c[2] * e2;
    return c[0] + c[1] * e1 + c[2] * e2;
}

/* Group delay contribution of one polynomial in samples; 0 at an exact zero (like SciPy). */
static double delay_of(double complex value, double complex weighted)
{
    if (cabs(value) == 0.0) {
        return 0.0;
    }
    return creal(weighted / value);
}

etw_status etw_sos_response(const etw_sos *sos, size_t nsections, double fs_hz,
                            const double *freqs_hz, size_t nfreq, double *magnitude,
                            double *phase_rad, double *group_delay_s)
{
    etw_status st = etw_sos_check(sos, nsections);
    if (st != ETW_OK) {
        return st;
    }
    if (nfreq > 0 && freqs_hz == NULL) {
        return ETW_ERR_NULL;
    }
    if (!isfinite(fs_hz)) {
        return ETW_ERR_NONFINITE;
    }
    if (fs_hz <= 0.0) {
        return ETW_ERR_RANGE;
    }
    for (size_t i = 0; i < nfreq; i++) {
        if (!isfinite(freqs_hz[i])) {
            return ETW_ERR_NONFINITE;
        }
        if (freqs_hz[i] < 0.0 || freqs_hz[i] > fs_hz / 2.0) {
            return ETW_ERR_RANGE;
        }
    }
    for (size_t i = 0; i < nfreq; i++) {
        double w = 2.0 * ETW_PI * freqs_hz[i] / fs_hz;
        double complex e1 = CMPLX(cos(w), -sin(w));
        double complex e2 = CMPLX(cos(2.0 * w), -sin(2.0 * w));
        double complex h = 1.0;
        double delay = 0.0;
        for (size_t s = 0; s < nsections; s++) {
            double complex wn, wd;
            double complex n = poly_at(&sos[s][0], e1, e2, &wn);
            double complex d = poly_at(&sos[s][3], e1, e2, &wd);
            h *= n / d;
            delay += delay_of(n, wn) - delay_of(d, wd);
        }
        if (magnitude != NULL) {
            magnitude[i] = cabs(h);
        }
        if (phase_rad != NULL) {
            double ph = carg(h);
            phase_rad[i] = ph <= -ETW_PI ? ETW_PI : ph;
        }
        if (group_delay_s != NULL) {
            group_delay_s[i] = delay / fs_hz;
        }
    }
    return ETW_OK;
}
