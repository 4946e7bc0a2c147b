/* Second-order notch and peak filters (scipy.signal.iirnotch / iirpeak, after S. J.
 * Orfanidis, Introduction to Signal Processing, Prentice-Hall 1996, eqs. 11.3.4-11.3.7 and
 * 11.3.19-11.3.21: -3 dB bandwidth f0/Q) and the powerline comb built from notches. */
#include <math.h>

#include "filter/check.h"

enum { NOTCH, PEAK };

#define COMB_EDGE 0.98 /* harmonics at or above this fraction of Nyquist are left out */
#define COMB_MAX_HARMONICS 64

static etw_status check_args(double f0_hz, double q, double fs_hz)
{
    if (!isfinite(f0_hz) || !isfinite(q) || !isfinite(fs_hz)) {
        return ETW_ERR_NONFINITE;
    }
    if (fs_hz <= 0.0 || f0_hz <= 0.0 || q <= 0.0) {
        return ETW_ERR_RANGE;
    }
    if (f0_hz >= fs_hz / 2.0) {
        return ETW_ERR_NYQUIST;
    }
    return ETW_OK;
}

static etw_status design(int kind, double f0_hz, double q, double fs_hz, etw_sos sos)
{
    if (sos == NULL) {
        return ETW_ERR_NULL;
    }
    etw_status st = check_args(f0_hz, q, fs_hz);
    if (st != ETW_OK) {
        return st;
    }
    double w0 = 2.0 * f0_hz / fs_hz;
    double bw = w0 / q * ETW_PI;
    w0 *= ETW_PI;
    double gb = 1.0 / sqrt(2.0);
    double root = sqrt(1.0 - gb * gb);
    double beta = (kind == NOTCH ? root / gb : gb / root) * tan(bw / 2.0);
    double gain = 1.0 / (1.0 + beta);
    double c = cos(w0);
    if (kind == NOTCH) {
        sos[0] = gain;
        sos[1] = gain * (-2.0 * c);
        sos[2] = gain;
    } else {
        sos[0] = 1.0 - gain;
        sos[1] = 0.0;
        sos[2] = (1.0 - gain) * -1.0;
    }
    sos[3] = 1.0;
    sos[4] = -2.0 * gain * c;
    sos[5] = 2.0 * gain - 1.0;
    return ETW_OK;
}

etw_status etw_iirnotch(double f0_hz, double q, double fs_hz, etw_sos sos)
{
    return design(NOTCH, f0_hz, q, fs_hz, sos);
}

etw_status etw_iirpeak(double f0_hz, double q, double fs_hz, etw_sos sos)
{
    return design(PEAK, f0_hz, q, fs_hz, sos);
}

etw_status etw_powerline_comb(double mains_hz, double q, int max_harmonics, double fs_hz,
                              etw_sos *sos, size_t capacity, size_t *nsections)
{
    if (sos == NULL || nsections == NULL) {
        return ETW_ERR_NULL;
    }
    etw_status st = check_args(mains_hz, q, fs_hz);
    if (st != ETW_OK) {
        return st;
    }
    if (max_harmonics < 1 || max_harmonics > COMB_MAX_HARMONICS) {
        return ETW_ERR_RANGE;
    }
    double edge = COMB_EDGE * fs_hz / 2.0;
    if (mains_hz >= edge) {
        return ETW_ERR_NYQUIST;
    }
    size_t n = 0;
    while (n < (size_t)max_harmonics && (double)(n + 1) * mains_hz < edge) {
        n++;
    }
    if (capacity < n) {
        return ETW_ERR_SIZE;
    }
    for (size_t h = 0; h < n; h++) {
        st = etw_iirnotch((double)(h + 1) * mains_hz, q, fs_hz, sos[h]);
        if (st != ETW_OK) {
            return st;
        }
    }
    *nsections = n;
    return ETW_OK;
}
