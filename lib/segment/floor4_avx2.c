/* AVX2 kernel of the floor tracker's four-channel window sums (see floor4.h): frames are
 * loaded four at a time per channel and transposed so each vector holds one frame of the
 * four channels. Compiled with __attribute__((target("avx2"))) (no FMA: the sums must round
 * as the scalar loop's) and chosen at run time. */
#include "segment/floor4.h"

#if defined(__x86_64__) || defined(__i386__)
#include <float.h>
#include <immintrin.h>

#include "core/cpu.h"

#define TARGET __attribute__((target("avx2")))
#define ALWAYS_INLINE inline __attribute__((always_inline))

TARGET static ALWAYS_INLINE void add(__m128 r, __m256d shift, __m256d *sum, __m256d *sumsq,
                                     const int squares)
{
    __m256d d = _mm256_sub_pd(_mm256_cvtps_pd(r), shift);
    *sum = _mm256_add_pd(*sum, d);
    if (squares) {
        *sumsq = _mm256_add_pd(*sumsq, _mm256_mul_pd(d, d));
    }
}

/* Whether every lane of the sums is finite: a non-finite float makes its lane's sum
 * non-finite for good (+-Inf, or NaN), and finite floats cannot overflow either double sum
 * (x^2 <= 1.2e77), so this is "every value was finite" without a test per value. */
TARGET static ALWAYS_INLINE int all_finite(__m256d a, __m256d b)
{
    const __m256d abs_mask = _mm256_castsi256_pd(_mm256_set1_epi64x(0x7fffffffffffffff));
    const __m256d max = _mm256_set1_pd(DBL_MAX);
    __m256d ok = _mm256_and_pd(_mm256_cmp_pd(_mm256_and_pd(a, abs_mask), max, _CMP_LE_OQ),
                               _mm256_cmp_pd(_mm256_and_pd(b, abs_mask), max, _CMP_LE_OQ));
    return _mm256_movemask_pd(ok) == 0xf;
}

TARGET static ALWAYS_INLINE int sums(const float *const *x, size_t n, const double *shift,
                                     double *sum, double *sumsq, const int squares)
{
    const __m256d sh = _mm256_loadu_pd(shift);
    __m256d s = _mm256_loadu_pd(sum), q = s;
    if (squares) {
        q = _mm256_loadu_pd(sumsq);
    }
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        __m128 r0 = _mm_loadu_ps(x[0] + i), r1 = _mm_loadu_ps(x[1] + i);
        __m128 r2 = _mm_loadu_ps(x[2] + i), r3 = _mm_loadu_ps(x[3] + i);
        _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
        add(r0, sh, &s, &q, squares);
        add(r1, sh, &s, &q, squares);
        add(r2, sh, &s, &q, squares);
        add(r3, sh, &s, &q, squares);
    }
    for (; i < n; i++) {
        add(_mm_set_ps(x[3][i], x[2][i], x[1][i], x[0][i]), sh, &s, &q, squares);
    }
    _mm256_storeu_pd(sum, s);
    if (!squares) {
        /* the sums alone tell it as well */
        return all_finite(s, s);
    }
    _mm256_storeu_pd(sumsq, q);
    return all_finite(s, q);
}

TARGET static int floor4(const float *const *x, size_t n, const double *shift, double *sum,
                         double *sumsq, int squares)
{
    return squares ? sums(x, n, shift, sum, sumsq, 1) : sums(x, n, shift, sum, sumsq, 0);
}

etw_floor4_fn etw_floor4_avx2(void)
{
    return etw_cpu_has_avx2() ? floor4 : NULL;
}

#else

etw_floor4_fn etw_floor4_avx2(void)
{
    return NULL;
}

#endif
