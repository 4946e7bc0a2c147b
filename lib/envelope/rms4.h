/* RMS envelope of four channels side by side (internal).
 *
 * The four channels' window rings are interleaved (channel k's ring starts at ring[k] of the
 * first one, stride 4) and their sums advance together in one vector: each channel still adds
 * and subtracts its own values in time order, with the same roundings as etw_winsum_push(),
 * and its RMS value is etw_rms_value() of the same sum, so the outputs are bit-identical to
 * the per-channel loop; only the four dependency chains overlap instead of running one after
 * the other. */
#ifndef ETW_ENVELOPE_RMS4_H
#define ETW_ENVELOPE_RMS4_H

#include <math.h>
#include <stddef.h>

#include "envelope/winsum.h"

/* RMS value of a window sum (inv = 1 / window length): the mean square rounded to float,
 * then a float square root (the output is a float; the double square root cost three times
 * as much and the two differ by at most one unit in the last place); 0 for a sum that
 * rounding left at or below 0. */
static inline float etw_rms_value(double sum, double inv)
{
    float ms = (float)(sum * inv);
    return ms > 0.0f ? sqrtf(ms) : 0.0f;
}

/* Pushes frames of the 4 * groups channels x[0..] (groups 1 or 2) into w[0..] (consecutive
 * winsums, each four with interleaved rings, equal positions, no non-finite value in their
 * windows) and writes their RMS values to y[0..], up to the first frame (of n) with a
 * non-finite value in any of the channels; returns the number of frames pushed (n when all
 * are finite). */
typedef size_t (*etw_rms4_fn)(etw_winsum *w, const float *const *x, float *const *y, size_t n,
                              double inv, int groups);

/* The AVX2 kernel, or NULL when the CPU (or the compiler's target) has no AVX2. */
etw_rms4_fn etw_rms4_avx2(void);

#endif
