/* AVX2 kernel of the sorted replacement (see sorted.h): four elements per vector, each from
 * its own value and one neighbour's, read before the vector is stored over them (ascending
 * when the value rises, descending when it falls). Compiled with
 * __attribute__((target("avx2"))) and chosen at run time. */
#include "segment/sorted.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#include <math.h>

#include "core/cpu.h"

#define TARGET __attribute__((target("avx2")))

TARGET static void replace(double *s, size_t n, double out, double in)
{
    const __m256d vin = _mm256_set1_pd(in), vout = _mm256_set1_pd(out);
    if (in > out) {
        size_t i = 0;
        for (; i + 5 <= n; i += 4) {
            __m256d a = _mm256_loadu_pd(s + i), next = _mm256_loadu_pd(s + i + 1);
            /* from out on: max(a, min(next, in)) is a from in on, else next or in */
            __m256d moved = _mm256_max_pd(a, _mm256_min_pd(next, vin));
            _mm256_storeu_pd(s + i, _mm256_blendv_pd(moved, a, _mm256_cmp_pd(a, vout, _CMP_LT_OQ)));
        }
        for (; i < n; i++) {
            double a = s[i], next = i + 1 < n ? s[i + 1] : INFINITY;
            s[i] = a < out || a >= in ? a : next < in ? next : in;
        }
        return;
    }
    size_t i = n; /* elements i .. n - 1 are done */
    for (; i >= 5; i -= 4) {
        __m256d a = _mm256_loadu_pd(s + i - 4), prev = _mm256_loadu_pd(s + i - 5);
        __m256d keep = _mm256_or_pd(_mm256_cmp_pd(a, vin, _CMP_LT_OQ),
                                    _mm256_cmp_pd(prev, vout, _CMP_GE_OQ));
        _mm256_storeu_pd(s + i - 4, _mm256_blendv_pd(_mm256_max_pd(prev, vin), a, keep));
    }
    for (; i > 0; i--) {
        double a = s[i - 1], prev = i > 1 ? s[i - 2] : -INFINITY;
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
