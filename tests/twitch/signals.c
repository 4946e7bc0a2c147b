#include "signals.h"

#include <math.h>

void sig_noise(etw_test_rng *rng, float *x, size_t n, double sigma)
{
    for (size_t i = 0; i < n; i++) {
        x[i] = (float)(sigma * etw_test_rng_normal(rng));
    }
}

void sig_burst(etw_test_rng *rng, float *x, size_t n, double fs, double t_s, double duration_s,
               double rms)
{
    size_t start = (size_t)llround(t_s * fs), len = (size_t)llround(duration_s * fs);
    const double pi = 3.14159265358979323846;
    /* sin envelope: mean square 1/2, so scale by sqrt(2) for the requested RMS */
    for (size_t i = 0; i < len && start + i < n; i++) {
        double env = sin(pi * ((double)i + 0.5) / (double)len);
        x[start + i] += (float)(sqrt(2.0) * rms * env * etw_test_rng_normal(rng));
    }
}

void sig_slow_burst(etw_test_rng *rng, float *x, size_t n, double fs, double t_s,
                    double duration_s, double corner_hz, double amp)
{
    size_t start = (size_t)llround(t_s * fs), len = (size_t)llround(duration_s * fs);
    const double pi = 3.14159265358979323846;
    double a = exp(-2.0 * pi * corner_hz / fs), y1 = 0.0, y2 = 0.0;
    /* two one-pole low-passes: sum of (k+1)^2 a^(2k) = (1+a^2)/(1-a^2)^3 for unit variance */
    double g = 1.0 / sqrt((1.0 + a * a) / ((1.0 - a * a) * (1.0 - a * a) * (1.0 - a * a)));
    for (size_t i = 0; i < len && start + i < n; i++) {
        y1 = a * y1 + etw_test_rng_normal(rng);
        y2 = a * y2 + y1;
        double env = sin(pi * ((double)i + 0.5) / (double)len);
        x[start + i] += (float)(amp * env * g * y2);
    }
}
