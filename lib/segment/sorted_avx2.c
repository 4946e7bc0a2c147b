/* AVX2 kernel of the sorted replacement (see sorted.h): eight elements per vector, each from
 * its own value and one neighbour's, read before the vector is stored over them (ascending
 * when the value rises, descending when it falls). Compiled with
 * __attribute__((target("avx2"))) and chosen at run time. */
#include "segment/sorted.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#include <math.h>

#include "core/cpu.h"

#define TARGET __attribute__((target("avx2")))

TARGET static void replace(float *s, size_t n, float out, float in)
{
    const __m256 vin = _mm256_set1_ps(in), vout = _mm256_set1_ps(out);
    if (in > out) {
        size_t i = 0;
        for (; i + 9 <= n; i += 8) {
            __m256 a = _mm256_loadu_ps(s + i), next = _mm256_loadu_ps(s + i + 1);
            /* from out on: max(a, min(next, in)) is a from in on, else next or in */
            __m256 moved = _mm256_max_ps(a, _mm256_min_ps(next, vin));
            _mm256_storeu_ps(s + i, _mm256_blendv_ps(moved, a, _mm256_cmp_ps(a, vout, _CMP_LT_OQ)));
        }
        for (; i < n; i++) {
            float a = s[i], next = i + 1 < n ? s[i + 1] : INFINITY;
            s[i] = a < out || a >= in ? a : next < in ? next : in;
        }
        return;
    }
    size_t i = n; /* elements i .. n - 1 are done */
    for (; i >= 9; i -= 8) {
        __m256 a = _mm256_loadu_ps(s + i - 8), prev = _mm256_loadu_ps(s + i - 9);
        __m256 keep = _mm256_or_ps(_mm256_cmp_ps(a, vin, _CMP_LT_OQ),
                                   _mm256_cmp_ps(prev, vout, _CMP_GE_OQ));
        _mm256_storeu_ps(s + i - 8, _mm256_blendv_ps(_mm256_max_ps(prev, vin), a, keep));
    }
    for (; i > 0; i--) {
        float a = s[i - 1], prev = i > 1 ? s[i - 2] : -INFINITY;
        s[i - 1] = a < in || prev >= out ? a : prev >= in ? prev : in;
    }
}

etw_sorted_replace_fn etw_sorted_replace_avx2(void)
{
    return etw_cpu_has_avx2() ? replace : NULL;
}

#else

etw_sorted_replace_fn etw_sorted_replace_avx2(void)
{
    return NULL;
}

#endif
