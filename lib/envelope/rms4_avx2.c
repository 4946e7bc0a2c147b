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

/* The state of the groups' window sums while the kernel runs (the groups advance together:
 * one position): sum = the running sums, part = the sums (from zero, in ring order) of the
 * values pushed since the last wrap — at the next wrap that is exactly what
 * etw_winsum_recompute() would add up, so it replaces that recomputation (a second,
 * independent dependency chain instead of len serial additions). */
typedef struct {
    double *ring[2];
    size_t len, pos;
    __m256d sum[2], part[2];
} state;

/* One frame r[g] of the four channels of each of the G groups: the window sums advance
 * (slots = the oldest values), at a wrap the sums become the exact recomputation, and the
 * RMS values (etw_rms_value()) are written to out[g]; the two groups' square roots share one
 * 8-lane instruction. */
TARGET static ALWAYS_INLINE void step(const __m128 *r, state *st, __m256d inv, __m128 *out,
                                      const int G)
{
    __m256d s[2];
    for (int g = 0; g < G; g++) {
        double *slot = st->ring[g] + 4 * st->pos;
        __m256d v = _mm256_cvtps_pd(r[g]);
        __m256d sq = _mm256_mul_pd(v, v);
        s[g] = _mm256_sub_pd(st->sum[g], _mm256_loadu_pd(slot));
        _mm256_storeu_pd(slot, sq);
        s[g] = _mm256_add_pd(s[g], sq);
        st->part[g] = _mm256_add_pd(st->part[g], sq);
    }
    if (++st->pos == st->len) {
        st->pos = 0;
        for (int g = 0; g < G; g++) {
            s[g] = st->part[g];
            st->part[g] = _mm256_setzero_pd();
        }
    }
    __m128 ms[2];
    for (int g = 0; g < G; g++) {
        st->sum[g] = s[g];
        ms[g] = _mm256_cvtpd_ps(_mm256_mul_pd(s[g], inv));
    }
    if (G == 2) {
        __m256 m = _mm256_set_m128(ms[1], ms[0]);
        m = _mm256_and_ps(_mm256_sqrt_ps(m), _mm256_cmp_ps(m, _mm256_setzero_ps(), _CMP_GT_OQ));
        out[0] = _mm256_castps256_ps128(m);
        out[1] = _mm256_extractf128_ps(m, 1);
    } else {
        out[0] = _mm_and_ps(_mm_sqrt_ps(ms[0]), _mm_cmpgt_ps(ms[0], _mm_setzero_ps()));
    }
}

/* All-ones lanes where r is finite (not NaN, not +-Inf). */
TARGET static ALWAYS_INLINE __m128 finite_of(__m128 r)
{
    const __m128 abs_mask = _mm_castsi128_ps(_mm_set1_epi32(0x7fffffff));
    return _mm_cmple_ps(_mm_and_ps(r, abs_mask), _mm_set1_ps(FLT_MAX));
}

/* Four frames of a group from frame i on, loaded; 0 when one value is not finite. */
TARGET static ALWAYS_INLINE int load4(const float *const *x, size_t i, __m128 *r)
{
    for (int k = 0; k < 4; k++) {
        r[k] = _mm_loadu_ps(x[k] + i);
    }
    __m128 ok = _mm_and_ps(_mm_and_ps(finite_of(r[0]), finite_of(r[1])),
                           _mm_and_ps(finite_of(r[2]), finite_of(r[3])));
    return _mm_movemask_ps(ok) == 15;
}

/* The kernel for G (1 or 2) groups of four channels side by side: G independent dependency
 * chains overlap. */
TARGET static ALWAYS_INLINE size_t run(etw_winsum *w, const float *const *x, float *const *y,
                                       size_t n, double inv, const int G)
{
    state st;
    st.len = w[0].len;
    st.pos = w[0].pos;
    for (int g = 0; g < G; g++) {
        const etw_winsum *v = w + 4 * g;
        st.ring[g] = v[0].ring;
        st.sum[g] = _mm256_set_pd(v[3].sum, v[2].sum, v[1].sum, v[0].sum);
        st.part[g] = _mm256_set_pd(v[3].part, v[2].part, v[1].part, v[0].part);
        if (!(v[0].part_ok & v[1].part_ok & v[2].part_ok & v[3].part_ok)) {
            /* after the per-channel path: the values pushed since the last wrap (all finite:
             * the windows are clean), once */
            st.part[g] = _mm256_setzero_pd();
            for (size_t j = 0; j < st.pos; j++) {
                st.part[g] = _mm256_add_pd(st.part[g], _mm256_loadu_pd(st.ring[g] + 4 * j));
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
            _MM_TRANSPOSE4_PS(r[g][0], r[g][1], r[g][2], r[g][3]);
        }
        for (int k = 0; k < 4; k++) {
            __m128 f[2], o[2];
            for (int g = 0; g < G; g++) {
                f[g] = r[g][k];
            }
            step(f, &st, vinv, o, G);
            for (int g = 0; g < G; g++) {
                r[g][k] = o[g];
            }
        }
        for (int g = 0; g < G; g++) {
            _MM_TRANSPOSE4_PS(r[g][0], r[g][1], r[g][2], r[g][3]);
            for (int k = 0; k < 4; k++) {
                _mm_storeu_ps(y[4 * g + k] + i, r[g][k]);
            }
        }
    }
    for (; i < n; i++) {
        __m128 r[2], o[2];
        int ok = 1;
        for (int g = 0; g < G; g++) {
            const float *const *xg = x + 4 * g;
            r[g] = _mm_set_ps(xg[3][i], xg[2][i], xg[1][i], xg[0][i]);
            ok &= _mm_movemask_ps(finite_of(r[g])) == 15;
        }
        if (!ok) {
            break;
        }
        step(r, &st, vinv, o, G);
        for (int g = 0; g < G; g++) {
            float v[4];
            _mm_storeu_ps(v, o[g]);
            for (int k = 0; k < 4; k++) {
                y[4 * g + k][i] = v[k];
            }
        }
    }
    for (int g = 0; g < G; g++) {
        double s[4], p[4];
        _mm256_storeu_pd(s, st.sum[g]);
        _mm256_storeu_pd(p, st.part[g]);
        for (int k = 0; k < 4; k++) {
            w[4 * g + k].sum = s[k];
            w[4 * g + k].pos = st.pos;
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
