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

/* Four frames of group g from frame i on: loaded, checked (0 when one value is not finite),
 * pushed, and the RMS values stored. */
TARGET static ALWAYS_INLINE int load4(const float *const *x, size_t i, __m128 *r)
{
    for (int k = 0; k < 4; k++) {
        r[k] = _mm_loadu_ps(x[k] + i);
    }
    __m128 ok = _mm_and_ps(_mm_and_ps(finite_of(r[0]), finite_of(r[1])),
                           _mm_and_ps(finite_of(r[2]), finite_of(r[3])));
    return _mm_movemask_ps(ok) == 15;
}

TARGET static ALWAYS_INLINE void push4(__m128 *r, state4 *st, float *const *y, size_t i,
                                       __m256d inv)
{
    _MM_TRANSPOSE4_PS(r[0], r[1], r[2], r[3]);
    for (int k = 0; k < 4; k++) {
        r[k] = step(r[k], st, inv);
    }
    _MM_TRANSPOSE4_PS(r[0], r[1], r[2], r[3]);
    for (int k = 0; k < 4; k++) {
        _mm_storeu_ps(y[k] + i, r[k]);
    }
}

/* The kernel for G (1 or 2) groups of four channels side by side: G independent dependency
 * chains overlap. */
TARGET static ALWAYS_INLINE size_t run(etw_winsum *w, const float *const *x, float *const *y,
                                       size_t n, double inv, const int G)
{
    state4 st[2];
    for (int g = 0; g < G; g++) {
        const etw_winsum *v = w + 4 * g;
        st[g] = (state4){v[0].ring, v[0].len, v[0].pos,
                         _mm256_set_pd(v[3].sum, v[2].sum, v[1].sum, v[0].sum),
                         _mm256_set_pd(v[3].part, v[2].part, v[1].part, v[0].part)};
        if (!(v[0].part_ok & v[1].part_ok & v[2].part_ok & v[3].part_ok)) {
            /* after the per-channel path: the values pushed since the last wrap (all finite:
             * the windows are clean), once */
            st[g].part = _mm256_setzero_pd();
            for (size_t j = 0; j < st[g].pos; j++) {
                st[g].part = _mm256_add_pd(st[g].part, _mm256_loadu_pd(st[g].ring + 4 * j));
            }
        }
    }
    const __m256d vinv = _mm256_set1_pd(inv);
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        __m128 r[2][4];
        int ok = 1;
        for (int g = 0; g < G; g++) {
            ok &= load4(x + 4 * g, i, r[g]);
        }
        if (!ok) {
            break; /* the frame loop below stops at the first non-finite frame */
        }
        for (int g = 0; g < G; g++) {
            push4(r[g], &st[g], y + 4 * g, i, vinv);
        }
    }
    for (; i < n; i++) {
        __m128 r[2];
        int ok = 1;
        for (int g = 0; g < G; g++) {
            const float *const *xg = x + 4 * g;
            r[g] = _mm_set_ps(xg[3][i], xg[2][i], xg[1][i], xg[0][i]);
            ok &= _mm_movemask_ps(finite_of(r[g])) == 15;
        }
        if (!ok) {
            break;
        }
        for (int g = 0; g < G; g++) {
            float o[4];
            _mm_storeu_ps(o, step(r[g], &st[g], vinv));
            for (int k = 0; k < 4; k++) {
                y[4 * g + k][i] = o[k];
            }
        }
    }
    for (int g = 0; g < G; g++) {
        double s[4], p[4];
        _mm256_storeu_pd(s, st[g].sum);
        _mm256_storeu_pd(p, st[g].part);
        for (int k = 0; k < 4; k++) {
            w[4 * g + k].sum = s[k];
            w[4 * g + k].pos = st[g].pos;
            w[4 * g + k].part = p[k];
            w[4 * g + k].part_ok = 1;
        }
    }
    return i;
}

TARGET static size_t rms4(etw_winsum *w, const float *const *x, float *const *y, size_t n,
                          double inv, int groups)
{
    return groups == 2 ? run(w, x, y, n, inv, 2) : run(w, x, y, n, inv, 1);
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
