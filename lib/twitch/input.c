/* Input copy loops, compiled twice: portable, and for AVX2 (chosen at run time); the same
 * copies and subtractions, so the same values. */
#include "twitch/input.h"

#include <float.h>
#include <math.h>

#if defined(__x86_64__) || defined(__i386__)
#include "core/cpu.h"
#endif

#define ALWAYS_INLINE inline __attribute__((always_inline))

static ALWAYS_INLINE int input_body(float *ring, int64_t mask, int64_t t, const float *src,
                                    size_t n, float x0, float *out)
{
    size_t first = etw_ring_first(mask, t, n);
    int ok = 1;
    float *dst = ring + (t & mask);
    /* loops the compiler vectorises: the check rides on the copies */
    for (size_t i = 0; i < first; i++) {
        dst[i] = src[i];
        out[i] = src[i] - x0;
        ok &= fabsf(src[i]) <= FLT_MAX;
    }
    for (size_t i = first; i < n; i++) {
        ring[i - first] = src[i];
        out[i] = src[i] - x0;
        ok &= fabsf(src[i]) <= FLT_MAX;
    }
    return ok;
}

static int input_portable(float *ring, int64_t mask, int64_t t, const float *src, size_t n,
                          float x0, float *out)
{
    return input_body(ring, mask, t, src, n, x0, out);
}

#if defined(__x86_64__) || defined(__i386__)
__attribute__((target("avx2"))) static int input_avx2(float *ring, int64_t mask, int64_t t,
                                                      const float *src, size_t n, float x0,
                                                      float *out)
{
    return input_body(ring, mask, t, src, n, x0, out);
}
#endif

etw_input_fn etw_input_portable(void)
{
    return input_portable;
}

etw_input_fn etw_input_kernel(void)
{
#if defined(__x86_64__) || defined(__i386__)
    if (etw_cpu_has_avx2()) {
        return input_avx2;
    }
#endif
    return input_portable;
}
