/* Hand-built test signals for the twitch detector: white noise plus white or low-passed
 * noise bursts with a raised-sine envelope at known times. */
#ifndef ETW_TWITCH_SIGNALS_H
#define ETW_TWITCH_SIGNALS_H

#include <stddef.h>

#include "etw_test.h"

/* x[0..n) = sigma * N(0,1). */
void sig_noise(etw_test_rng *rng, float *x, size_t n, double sigma);

/* Adds a burst of duration_s at t_s whose RMS over its duration is `rms`. */
void sig_burst(etw_test_rng *rng, float *x, size_t n, double fs, double t_s, double duration_s,
               double rms);

/* Adds a low-frequency burst (white noise through two one-pole low-passes at corner_hz,
 * raised-sine envelope) of duration_s at t_s, RMS `amp` at the envelope's peak. */
void sig_slow_burst(etw_test_rng *rng, float *x, size_t n, double fs, double t_s,
                    double duration_s, double corner_hz, double amp);

#endif
