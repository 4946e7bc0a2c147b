/* Internal: the AVX2 scan of one channel for non-finite samples, shared by the kernels that
 * scan their own blocks (filter/kernel_avx2.c, filter/kernel_one.c). Include after
 * <immintrin.h>, inside the x86 guard. */
#ifndef ETW_FILTER_SCAN_AVX2_H
#define ETW_FILTER_SCAN_AVX2_H

#include <math.h>
#include <stddef.h>

/* Nonzero when x[0 .. n) holds a NaN or an infinity (exponent all ones). */
__attribute__((target("avx2"))) static inline __attribute__((always_inline)) int
etw_scan_one_avx2(const float *x, size_t n)
{
    const __m256i expo = _mm256_set1_epi32(0x7f800000);
    __m256i hit = _mm256_setzero_si256();
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(x + i));
        hit = _mm256_or_si256(hit, _mm256_cmpeq_epi32(_mm256_and_si256(v, expo), expo));
    }
    if (!_mm256_testz_si256(hit, hit)) {
        return 1;
    }
    for (; i < n; i++) {
        if (!isfinite(x[i])) {
            return 1;
        }
    }
    return 0;
}

#endif
