/* Pre-emphasis of the twitch detector (internal): the 3-tap FIR (1 - a z^-1)^2 scaled to unit
 * white-noise gain, in float, one channel at a time. */
#ifndef ETW_TWITCH_EMPHASIS_H
#define ETW_TWITCH_EMPHASIS_H

#include <stddef.h>

/* One output of the pre-emphasis from the input s0 and the two before it (s1, s2): evaluated
 * left to right in float (no fused multiply-add). The loops below and the detector's
 * recomputation of the detection signal (etw_view_w()) both call it, so they agree bit for
 * bit. */
static inline float etw_emphasis_tap(const float *b, float s0, float s1, float s2)
{
    return b[0] * s0 + b[1] * s1 + b[2] * s2;
}

/* o[i] = etw_emphasis_tap(b, s[i], s[i-1], s[i-2]) for i < n (n >= 1), with s[-1] = h[0] and
 * s[-2] = h[1]; h gets the last two inputs. s and o must not overlap. */
typedef void (*etw_emphasis_fn)(const float *s, float *o, size_t n, const float *b, float *h);

/* The AVX2 build of the same loop when the CPU has AVX2 (8 samples per vector; the same
 * roundings, so the same values), else the portable one. */
etw_emphasis_fn etw_emphasis_kernel(void);

/* The portable build (for tests: it must agree with etw_emphasis_kernel() bit for bit). */
etw_emphasis_fn etw_emphasis_portable(void);

#endif
