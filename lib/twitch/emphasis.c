/* Pre-emphasis loop, compiled twice: portable, and for AVX2 (chosen at run time). Both
 * evaluate every output with the same float operations in the same order, so they agree bit
 * for bit; the AVX2 build only fits 8 outputs in a vector instead of 4. */
#include "twitch/emphasis.h"

#if defined(__x86_64__) || defined(__i386__)
#include "core/cpu.h"
#endif

#define ALWAYS_INLINE inline __attribute__((always_inline))

static ALWAYS_INLINE void emphasis_body(const float *restrict s, float *restrict o, size_t n,
                                        const float *b, float *h)
{
    o[0] = etw_emphasis_tap(b, s[0], h[0], h[1]);
    if (n > 1) {
        o[1] = etw_emphasis_tap(b, s[1], s[0], h[0]);
    }
    for (size_t i = 2; i < n; i++) {
        o[i] = etw_emphasis_tap(b, s[i], s[i - 1], s[i - 2]);
    }
    h[1] = n > 1 ? s[n - 2] : h[0];
    h[0] = s[n - 1];
}

static void emphasis_portable(const float *s, float *o, size_t n, const float *b, float *h)
{
    emphasis_body(s, o, n, b, h);
}

#if defined(__x86_64__) || defined(__i386__)
__attribute__((target("avx2"))) static void emphasis_avx2(const float *s, float *o, size_t n,
                                                          const float *b, float *h)
{
    emphasis_body(s, o, n, b, h);
}
#endif

etw_emphasis_fn etw_emphasis_portable(void)
{
    return emphasis_portable;
}

etw_emphasis_fn etw_emphasis_kernel(void)
{
#if defined(__x86_64__) || defined(__i386__)
    if (etw_cpu_has_avx2()) {
        return emphasis_avx2;
    }
#endif
    return emphasis_portable;
}
