/* AVX2 kernel of the four-channel RMS envelope (see rms4.h): frames are loaded four at a time
 * per channel and transposed so each vector holds one frame of the four channels. Compiled
 * with __attribute__((target("avx2"))) (no FMA: the sums must round as the scalar loop's) and
 * chosen at run time. */
#include "envelope/rms4.h"

#if defined(__x86_64__) || defined(__i386__)
#include <float.h>
#include <immintrin.h>

#include "core/cpu.h"

#define TARGET __attribute__((target("avx2")))
#define ALWAYS_INLINE inline __attribute__((always_inline))

/* etw_rms_value() of four sums. */
TARGET static ALWAYS_INLINE __m128 rms_of(__m256d s, __m256d inv)
{
    __m128 ms = _mm256_cvtpd_ps(_mm256_mul_pd(s, inv));
    return _mm_and_ps(_mm_sqrt_ps(ms), _mm_cmpgt_ps(ms, _mm_setzero_ps()));
}

/* The state of a group's window sums while the kernel runs: sum = the running sums, part =
 * the sum (from zero, in ring order) of the values pushed since the last wrap — at the next
 * wrap it is exactly what etw_winsum_recompute() would add up, so it replaces that
 * recomputation (a second, independent dependency chain instead of len serial additions). */
typedef struct {
    double *ring;
    size_t len, pos;
    __m256d sum, part;
} state4;

/* One frame r of the four channels: the window sums advance (slot = the oldest values), at a
 * wrap the sums become the exact recomputation, and the four RMS values are returned. */
TARGET static ALWAYS_INLINE __m128 step(__m128 r, state4 *st, __m256d inv)
{
    double *slot = st->ring + 4 * st->pos;
    __m256d v = _mm256_cvtps_pd(r);
    __m256d sq = _mm256_mul_pd(v, v);
    __m256d s = _mm256_sub_pd(st->sum, _mm256_loadu_pd(slot));
    _mm256_storeu_pd(slot, sq);
    s = _mm256_add_pd(s, sq);
    __m256d part = _mm256_add_pd(st->part, sq);
    if (++st->pos == st->len) {
        st->pos = 0;
        s = part;
        part = _mm256_setzero_pd();
    }
    st->sum = s;
    st->part = part;
    return rms_of(s, inv);
}

/* All-ones lanes where r is finite (not NaN, not +-Inf). */
TARGET static ALWAYS_INLINE __m128 finite_of(__m128 r)
{
    const __m128 abs_mask = _mm_castsi128_ps(_mm_set1_epi32(0x7fffffff));
    return _mm_cmple_ps(_mm_and_ps(r, abs_mask), _mm_set1_ps(FLT_MAX));
}

TARGET static size_t rms4(etw_winsum *w, const float *const *x, float *const *y, size_t n,
                          double inv)
{
    state4 st = {w[0].ring, w[0].len, w[0].pos,
                 _mm256_set_pd(w[3].sum, w[2].sum, w[1].sum, w[0].sum), _mm256_setzero_pd()};
    /* the values pushed since the last wrap (all finite: the windows are clean) */
    for (size_t j = 0; j < st.pos; j++) {
        st.part = _mm256_add_pd(st.part, _mm256_loadu_pd(st.ring + 4 * j));
    }
    const __m256d vinv = _mm256_set1_pd(inv);
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        __m128 r0 = _mm_loadu_ps(x[0] + i), r1 = _mm_loadu_ps(x[1] + i);
        __m128 r2 = _mm_loadu_ps(x[2] + i), r3 = _mm_loadu_ps(x[3] + i);
        __m128 ok = _mm_and_ps(_mm_and_ps(finite_of(r0), finite_of(r1)),
                               _mm_and_ps(finite_of(r2), finite_of(r3)));
        if (_mm_movemask_ps(ok) != 15) {
            break; /* the frame loop below stops at the first non-finite frame */
        }
        _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
        r0 = step(r0, &st, vinv);
        r1 = step(r1, &st, vinv);
        r2 = step(r2, &st, vinv);
        r3 = step(r3, &st, vinv);
        _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
        _mm_storeu_ps(y[0] + i, r0);
        _mm_storeu_ps(y[1] + i, r1);
        _mm_storeu_ps(y[2] + i, r2);
        _mm_storeu_ps(y[3] + i, r3);
    }
    for (; i < n; i++) {
        float o[4];
        __m128 r = _mm_set_ps(x[3][i], x[2][i], x[1][i], x[0][i]);
        if (_mm_movemask_ps(finite_of(r)) != 15) {
            break;
        }
        _mm_storeu_ps(o, step(r, &st, vinv));
        for (int k = 0; k < 4; k++) {
            y[k][i] = o[k];
        }
    }
    double s[4];
    _mm256_storeu_pd(s, st.sum);
    for (int k = 0; k < 4; k++) {
        w[k].sum = s[k];
        w[k].pos = st.pos;
    }
    return i;
}

etw_rms4_fn etw_rms4_avx2(void)
{
    return etw_cpu_has_avx2() ? rms4 : NULL;
}

#else

etw_rms4_fn etw_rms4_avx2(void)
{
    return NULL;
}

#endif
