/* RMS envelope of four channels side by side (internal).
 *
 * The four channels' window rings are interleaved (channel k's ring starts at ring[k] of the
 * first one, stride 4) and their sums advance together in one vector: each channel still adds
 * and subtracts its own values in time order, with the same roundings as etw_winsum_push(),
 * so the outputs are bit-identical to the per-channel loop; only the four dependency chains
 * overlap instead of running one after the other. */
#ifndef ETW_ENVELOPE_RMS4_H
#define ETW_ENVELOPE_RMS4_H

#include <math.h>
#include <stddef.h>

#include "envelope/winsum.h"

/* RMS value of a window sum (inv = 1 / window length). */
static inline float etw_rms_value(double sum, double inv)
{
    return (float)(sum > 0.0 ? sqrt(sum * inv) : 0.0);
}

/* Pushes n frames of the four channels x[0..3] into w[0..3] (consecutive winsums with
 * interleaved rings, equal positions, no non-finite value in their windows) and writes their
 * RMS values to y[0..3]. Every x value must be finite. */
typedef void (*etw_rms4_fn)(etw_winsum *w, const float *const *x, float *const *y, size_t n,
                            double inv);

/* The AVX2 kernel, or NULL when the CPU (or the compiler's target) has no AVX2. */
etw_rms4_fn etw_rms4_avx2(void);

#endif
