/* Single-channel kernels of double precision, for cascades of ETW_ONE_MIN_SECTIONS ..
 * ETW_ONE_MAX_SECTIONS sections: direct form I (filter/dfi1.h). One channel cannot fill a
 * vector of channels; instead the AVX2 kernel pipelines the sections so that their
 * loop-carried chains (one multiply-add each) overlap: sections 1 .. 4 sit side by side in
 * the lanes of one vector, section k filtering frame i - skew k at step i, while section 0
 * filters frame i from its feed-forward computed ahead (4 frames per vector, a group of 4
 * frames ahead); a step's sections are independent, and a section's input is the previous
 * section's output of skew steps before, so the lane shift that carries it is not on a
 * loop-carried chain. The pipeline fills at the start of every block and drains at its
 * end, so a block costs its frames plus skew (nsec - 1) steps; short blocks take a smaller
 * skew (run_clean), and blocks shorter than the fill of skew 2 run frame by frame.
 * Each (section, frame) goes through the same operations on every path, so the output does
 * not depend on how the stream is cut. */
#include <math.h>

#include "filter/cascade.h"

#define ONE_T double
#define ONE_MAC(a, b, c) ((a) * (b) + (c))
#define ONE_COEF(c, k) ((c)[(k) * ETW_LANES])
#define ONE_NAME(name) onep_##name
#define ONE_INLINE static inline
#include "filter/dfi1.h"

/* Portable: one frame at a time, multiply then add. */
void etw_kernel_one_portable(const double *coef, size_t nsec, double *state, const float *in,
                             float *out, size_t nframes)
{
    double *h = state;
    for (size_t n = 0; n < nframes; n++) {
        double u = in[n];
        int finite = isfinite(u);
        u = finite ? u : 0.0;
        for (size_t k = 0; k < nsec; k++) {
            const double *c = coef + k * ETW_COEFS * ETW_LANES;
            double *hk = h + 2 * k;
            double y = onep_back(c, onep_feed(c, u, hk[0], hk[1], ETW_DENORMAL_GUARD), hk[2],
                                 hk[3]);
            hk[1] = hk[0];
            hk[0] = u;
            u = y;
        }
        h[2 * nsec + 1] = h[2 * nsec];
        h[2 * nsec] = u;
        out[n] = finite ? (float)u : NAN;
    }
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#include "core/cpu.h"
#include "filter/scan_avx2.h"

#define TARGET __attribute__((target("avx2,fma")))
#define ALWAYS_INLINE inline __attribute__((always_inline))

/* vectors of 2 equal doubles: packed instructions, so register copies are plain moves */
#define ONE_T __m128d
#define ONE_MAC(a, b, c) _mm_fmadd_pd(a, b, c)
#define ONE_COEF(c, k) _mm_load_pd((c) + (k) * ETW_LANES)
#define ONE_NAME(name) one_##name
#define ONE_INLINE TARGET static ALWAYS_INLINE
#include "filter/dfi1.h"

/* section 0's feed-forward, 4 frames at a time */
#define ONE_T __m256d
#define ONE_MAC(a, b, c) _mm256_fmadd_pd(a, b, c)
#define ONE_COEF(c, k) _mm256_load_pd((c) + (k) * ETW_LANES)
#define ONE_NAME(name) four_##name
#define ONE_INLINE TARGET static ALWAYS_INLINE
#include "filter/dfi1.h"

#define CHUNK 64 /* frames per clean copy when a block holds a non-finite sample */

/* One frame at a time: blocks shorter than the pipeline's delay. */
TARGET static void frames(const double *coef, size_t nsec, double *h, const float *in,
                          float *out, size_t nframes)
{
    const __m128d g = _mm_set1_pd(ETW_DENORMAL_GUARD);
    for (size_t n = 0; n < nframes; n++) {
        __m128d u = _mm_set1_pd(in[n]);
        for (size_t k = 0; k < nsec; k++) {
            const double *c = coef + k * ETW_COEFS * ETW_LANES;
            double *hk = h + 2 * k;
            __m128d y = one_back(c, one_feed(c, u, _mm_set1_pd(hk[0]), _mm_set1_pd(hk[1]), g),
                                 _mm_set1_pd(hk[2]), _mm_set1_pd(hk[3]));
            hk[1] = hk[0];
            hk[0] = _mm_cvtsd_f64(u);
            u = y;
        }
        h[2 * nsec + 1] = h[2 * nsec];
        h[2 * nsec] = _mm_cvtsd_f64(u);
        out[n] = (float)h[2 * nsec];
    }
}

/* The vector pipeline (2 .. VLANES + 1 sections, skew 2 .. SKEW_MAX): lane j of a vector
 * holds section j + 1, which at step t filters frame t - skew (j + 1); section 0 filters
 * frame t in the low lane of a 2-lane vector. u[q] is U(t - 1 - q), where lane 0 of U(s)
 * is section 0's output of step s and lane j >= 1 section j's (so U(t - skew) holds the
 * inputs of step t's sections); y1, y2 are the sections' last two outputs, s1, s2
 * section 0's. */
#define SKEW_MAX 4
#define VLANES 4
typedef struct vpipe {
    __m256d u[SKEW_MAX + 2], y1, y2;
    __m128d s1, s2;
    __m256d f1, f2; /* skew < SKEW_MAX: y1, y2 of the lanes that have finished draining */
} vpipe;

/* Steps of the vector pipeline: all sections busy, or while it fills (step t of the block,
 * t < the last lane's delay) or drains (step nframes + t). */
enum { STEADY, FILL, DRAIN };

/* A lane mask: bit j set where lane j's condition holds. */
static inline int lanes(int l0, int l1, int l2, int l3)
{
    return l0 | l1 << 1 | l2 << 2 | l3 << 3;
}

/* The lane mask m as a vector (all bits set in lane j where bit j of m is set). */
TARGET static ALWAYS_INLINE __m256d lane_mask(int m)
{
    return _mm256_castsi256_pd(_mm256_setr_epi64x(-(long long)(m & 1), -(long long)(m >> 1 & 1),
                                                  -(long long)(m >> 2 & 1),
                                                  -(long long)(m >> 3 & 1)));
}

/* Lane j of b where bit j of m (a constant where inlined) is set, else of a: an immediate
 * blend, which runs beside the multiply-adds on Zen 3 (a variable blend, vblendvpd, takes
 * their ports). The fill and drain steps of skew 2 and 3 (blocks below 64 frames) use it;
 * those of skew SKEW_MAX keep variable blends (lane_mask), as GCC 12 then schedules the
 * steady loop as before: with immediate blends there it ran 3-5 % slower at 4096 frames
 * (W, thread CPU time, medians of alternating runs). */
#define BLEND_CASE(m)                                                                      \
    case m:                                                                                \
        return _mm256_blend_pd(a, b, m);
TARGET static ALWAYS_INLINE __m256d blend(__m256d a, __m256d b, int m)
{
    switch (m) { /* (blend controls must be literal constants) */
    case 0:
        return a;
        BLEND_CASE(1)
        BLEND_CASE(2)
        BLEND_CASE(3)
        BLEND_CASE(4)
        BLEND_CASE(5)
        BLEND_CASE(6)
        BLEND_CASE(7)
        BLEND_CASE(8)
        BLEND_CASE(9)
        BLEND_CASE(10)
        BLEND_CASE(11)
        BLEND_CASE(12)
        BLEND_CASE(13)
        BLEND_CASE(14)
    default:
        return b;
    }
}
#undef BLEND_CASE

/* One step of the vector pipeline; cb: the coefficients of sections 1 .. 4 lane by lane
 * (5 vectors, ETW_COEFS * VLANES doubles), c0: section 0's, v: section 0's feed-forward
 * (idle while draining), nl: the lanes in use. Filling or draining (mode and t constants
 * where inlined), only the busy sections advance: lane j from step skew (j + 1) on, and
 * until skew (j + 1) steps after the last frame entered. Returns the sections' outputs.
 * Draining with skew < SKEW_MAX, the lanes that have finished run on (their results are
 * not read by the busy ones), so no blend lengthens the section hops that bound the drain;
 * a lane's last two outputs are kept aside in f1, f2 (off those hops) for the state, and
 * once only the last lane reads the shifted outputs, and it is odd, the shift is one in-lane
 * duplicate instead of an insert and a shuffle. Filling with skew < SKEW_MAX, the first
 * steps' shifted outputs are read by lane 0 only (t < skew - 2: no shift) or lanes 0 and 1
 * (t < 2 skew - 2: one in-lane unpack). */
TARGET static ALWAYS_INLINE __m256d vstep(vpipe *p, const double *cb, const double *c0,
                                          __m128d v, size_t nl, int mode, int t, int skew)
{
    const int lean = mode == DRAIN && skew != SKEW_MAX;
    const __m256d g = _mm256_set1_pd(ETW_DENORMAL_GUARD);
    __m256d y = four_back(cb, four_feed(cb, p->u[skew - 1], p->u[skew], p->u[skew + 1], g),
                          p->y1, p->y2);
    __m256d src = y; /* what the next sections will read as this step's output */
    if (mode == STEADY || lean) {
        p->y2 = p->y1;
    } else {
        int busy = mode == FILL ? lanes(t >= skew, t >= 2 * skew, t >= 3 * skew, t >= 4 * skew)
                                : lanes(t < skew, t < 2 * skew, t < 3 * skew, t < 4 * skew);
        /* before a section starts, its output of frame -1 or -2 is its history */
        int last = lanes(t == skew - 1, t == 2 * skew - 1, t == 3 * skew - 1, t == 4 * skew - 1);
        if (skew == SKEW_MAX) { /* (see blend) */
            __m256d b = lane_mask(busy), l = lane_mask(last);
            src = _mm256_blendv_pd(_mm256_blendv_pd(p->y2, p->y1, l), y, b);
            y = _mm256_blendv_pd(p->y1, y, b);
            p->y2 = _mm256_blendv_pd(p->y2, p->y1, b);
        } else {
            src = blend(blend(p->y2, p->y1, last), y, busy);
            y = blend(p->y1, y, busy);
            p->y2 = blend(p->y2, p->y1, busy);
        }
    }
    p->y1 = y;
    for (int j = 0; lean && j < (int)nl; j++) {
        if (t == skew * (j + 1) - 1) { /* lane j's last frame */
            p->f1 = blend(p->f1, y, 1 << j);
            p->f2 = blend(p->f2, p->y2, 1 << j);
        }
    }
    __m128d y0 = p->s1;
    if (mode != DRAIN) {
        y0 = one_back(c0, v, p->s1, p->s2);
        p->s2 = p->s1;
        p->s1 = y0;
    }
    for (int q = skew + 1; q > 0; q--) {
        p->u[q] = p->u[q - 1];
    }
    /* U(t) = y0, src[0], src[1], src[2]: an insert and an in-lane shuffle (3 cycles) rather
     * than a lane-crossing permute and a blend (7) */
    if (lean && nl % 2 == 0 && t >= skew * ((int)nl - 2)) { /* only lane nl - 1 reads it */
        p->u[0] = _mm256_movedup_pd(src);
    } else if (mode == FILL && skew != SKEW_MAX && t < skew - 2) { /* only lane 0 reads it */
        p->u[0] = _mm256_zextpd128_pd256(y0);
    } else if (mode == FILL && skew != SKEW_MAX && t < 2 * skew - 2) { /* lanes 0 and 1 */
        p->u[0] = _mm256_unpacklo_pd(_mm256_castpd128_pd256(y0), src);
    } else {
        p->u[0] = _mm256_shuffle_pd(
            _mm256_insertf128_pd(_mm256_castpd128_pd256(y0), _mm256_castpd256_pd128(src), 1),
            src, 4);
    }
    return y;
}

/* Stores lane j (a constant where inlined) of y at *to, as a float. */
TARGET static ALWAYS_INLINE void store_lane(float *to, __m256d y, size_t j)
{
    __m128 f = _mm256_cvtpd_ps(y);
    switch (j) { /* (shuffle controls must be literal constants) */
    case 0:
        break;
    case 1:
        f = _mm_shuffle_ps(f, f, 1);
        break;
    case 2:
        f = _mm_shuffle_ps(f, f, 2);
        break;
    default:
        f = _mm_shuffle_ps(f, f, 3);
        break;
    }
    _mm_store_ss(to, f);
}

/* Lane j (a constant where inlined) of x in both lanes of a 2-lane vector. */
TARGET static ALWAYS_INLINE __m128d lane_dup(__m256d x, int j)
{
    __m128d h = j < 2 ? _mm256_castpd256_pd128(x) : _mm256_extractf128_pd(x, 1);
    return j % 2 == 0 ? _mm_movedup_pd(h) : _mm_unpackhi_pd(h, h);
}

/* Lane j (a constant where inlined) of ya and yb as floats, in lanes 0 and 1 (j < 2) or 2
 * and 3 of the result: an in-lane unpack and one conversion for two frames. Of these only
 * the conversion takes a multiply-add port, where store_lane's conversion and extract, per
 * frame, take ~3 times as many (Zen 3; the draining steps use it). */
TARGET static ALWAYS_INLINE __m128 pair_lane(__m256d ya, __m256d yb, size_t j)
{
    return _mm256_cvtpd_ps(j % 2 ? _mm256_unpackhi_pd(ya, yb) : _mm256_unpacklo_pd(ya, yb));
}

/* Stores two results of pair_lane (frames 0, 1 and frames 2, 3) at to[0 .. 3]. */
TARGET static ALWAYS_INLINE void store_pairs(float *to, __m128 p01, __m128 p23, size_t j)
{
    _mm_storeu_ps(to, j < 2 ? _mm_shuffle_ps(p01, p23, 0x44) : _mm_shuffle_ps(p01, p23, 0xee));
}

/* Section 0's feed-forward of the frames 0 .. 3 of the block in (nframes >= 4); h1, h2: the
 * history of frame 0. */
TARGET static ALWAYS_INLINE __m256d feed_first(const double *coef, const float *in, double h1,
                                               double h2)
{
    __m256d x = _mm256_cvtps_pd(_mm_loadu_ps(in));
    /* x1, x2 = the frames before, history first */
    __m256d x2 = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_setr_pd(h2, h1)),
                                      _mm256_castpd256_pd128(x), 1);
    return four_feed(coef, x, _mm256_shuffle_pd(x2, x, 5), x2,
                     _mm256_set1_pd(ETW_DENORMAL_GUARD));
}

/* Section 0's feed-forward v[0 .. 3] of the frames f .. f + 3 of the block in (those before
 * nframes); h1, h2: the history of frame 0. */
TARGET static ALWAYS_INLINE void feed4(const double *coef, const float *in, size_t f,
                                       size_t nframes, double h1, double h2, double *v)
{
    if (f >= 2 && f + 4 <= nframes) {
        _mm256_store_pd(v, four_feed(coef, _mm256_cvtps_pd(_mm_loadu_ps(in + f)),
                                     _mm256_cvtps_pd(_mm_loadu_ps(in + f - 1)),
                                     _mm256_cvtps_pd(_mm_loadu_ps(in + f - 2)),
                                     _mm256_set1_pd(ETW_DENORMAL_GUARD)));
        return;
    }
    for (size_t i = 0; i < 4; i++) {
        size_t n = f + i;
        if (n >= nframes) {
            v[i] = 0.0; /* not used */
            continue;
        }
        double x1 = n >= 1 ? in[n - 1] : h1, x2 = n >= 2 ? in[n - 2] : n == 1 ? h1 : h2;
        v[i] = _mm_cvtsd_f64(one_feed(coef, _mm_set1_pd(in[n]), _mm_set1_pd(x1),
                                      _mm_set1_pd(x2), _mm_set1_pd(ETW_DENORMAL_GUARD)));
    }
}

/* Filters a block of one channel (stride 1) through nsec = 2 .. VLANES + 1 sections with
 * the pipeline of the given skew (constants where inlined); blocks shorter than the
 * pipeline's delay run frame by frame. Section 0's feed-forward is computed 4 frames at a
 * time, one group ahead of the steps that take it, so that it fills the pipeline's idle
 * issue slots. */
TARGET static ALWAYS_INLINE void run_vector(const double *coef, size_t nsec, int skew,
                                            double *state, const float *in, float *out,
                                            size_t nframes)
{
    const size_t nl = nsec - 1, lag = (size_t)skew * nl; /* lanes in use; the last one's delay */
    if (nframes < lag) {
        frames(coef, nsec, state, in, out, nframes);
        return;
    }
    /* built in registers and stored whole, so that the vector loads that follow are
     * forwarded from one store each */
    double cb[ETW_COEFS * VLANES] __attribute__((aligned(32)));
    for (size_t k = 0; k < ETW_COEFS; k++) {
        const double *c = coef + (ETW_COEFS + k) * ETW_LANES; /* section 1, coefficient k */
        const size_t sec = ETW_COEFS * ETW_LANES;
        _mm256_store_pd(cb + k * VLANES,
                        _mm256_setr_pd(c[0], nl > 1 ? c[sec] : 0.0, nl > 2 ? c[2 * sec] : 0.0,
                                       nl > 3 ? c[3 * sec] : 0.0));
    }
    vpipe p;
    p.f1 = p.f2 = _mm256_setzero_pd();
    p.y1 = _mm256_setr_pd(state[4], nl > 1 ? state[6] : 0.0, nl > 2 ? state[8] : 0.0,
                          nl > 3 ? state[10] : 0.0);
    p.y2 = _mm256_setr_pd(state[5], nl > 1 ? state[7] : 0.0, nl > 2 ? state[9] : 0.0,
                          nl > 3 ? state[11] : 0.0);
    p.s1 = _mm_set1_pd(state[2]);
    p.s2 = _mm_set1_pd(state[3]);
    for (int q = 0; q < skew + 2; q++) {
        p.u[q] = _mm256_setzero_pd();
    }
    p.u[0] = _mm256_blend_pd(p.u[0], _mm256_castpd128_pd256(p.s1), 1);
    p.u[1] = _mm256_blend_pd(p.u[1], _mm256_castpd128_pd256(p.s2), 1);
    const double h1 = state[0], h2 = state[1];
    state[0] = in[nframes - 1]; /* read before an in-place output overwrites it */
    state[1] = in[nframes - 2];
    float *o = out - lag; /* step t's output frame */
    double v[SKEW_MAX * VLANES + 4] __attribute__((aligned(32)));
    double ring[8] __attribute__((aligned(32)));
    /* the first group from registers where it can: frame 0 starts section 0's chain, the
     * critical path while the pipeline fills (a store and a reload take ~7 cycles) */
    __m256d first;
    if (nframes >= 4) {
        first = feed_first(coef, in, h1, h2);
        _mm256_store_pd(v, first);
    } else {
        feed4(coef, in, 0, nframes, h1, h2, v);
        first = _mm256_load_pd(v);
    }
    for (size_t f = 4; f < lag + 4; f += 4) { /* filling the pipeline, and one group ahead */
        feed4(coef, in, f, nframes, h1, h2, v + f);
    }
    /* v[4 ..] as broadcast loads (vmovddup): seeing the vector stores, GCC would otherwise
     * take v[9 .. 11] from the stack with lane-crossing permutes (vpermpd), which take the
     * multiply-add ports */
    const double *vp = v;
    __asm__("" : "+r"(vp));
#pragma GCC unroll 16
    for (int f = 0; f < (int)lag; f++) {
        (void)vstep(&p, cb, coef, f < 4 ? lane_dup(first, f) : _mm_loaddup_pd(vp + f), nl, FILL,
                    f, skew);
    }
    double *now = ring, *next = ring + 4;
    _mm256_store_pd(now, _mm256_loadu_pd(v + lag)); /* lag: any multiple of skew */
    const double *cp = cb;
    size_t t = lag;
    for (; t + 4 <= nframes; t += 4) {
        __asm__("" : "+r"(cp)); /* coefficients stay memory operands */
        feed4(coef, in, t + 4, nframes, h1, h2, next);
        for (int r = 0; r < 4; r++) {
            store_lane(o + t + r, vstep(&p, cp, coef, _mm_loaddup_pd(now + r), nl, STEADY, 0, skew),
                       nl - 1);
        }
        double *swap = now;
        now = next;
        next = swap;
    }
    for (int r = 0; t < nframes; t++, r++) {
        store_lane(o + t, vstep(&p, cb, coef, _mm_loaddup_pd(now + r), nl, STEADY, 0, skew),
                   nl - 1);
    }
    __m256d ya = _mm256_setzero_pd();
    __m128 p01 = _mm_setzero_ps();
#pragma GCC unroll 16
    for (int d = 0; d < (int)lag; d++) { /* draining it, storing 4 frames at a time */
        __m256d y = vstep(&p, cb, coef, _mm_setzero_pd(), nl, DRAIN, d, skew);
        if (d % 4 == 3) {
            store_pairs(o + t + d - 3, p01, pair_lane(ya, y, nl - 1), nl - 1);
        } else if (d == (int)lag - 1) { /* (lag is even: skew 3 only for 4 lanes) */
            store_lane(o + t + d - 1, ya, nl - 1);
            store_lane(o + t + d, y, nl - 1);
        } else if (d % 2 == 1) {
            p01 = pair_lane(ya, y, nl - 1);
        }
        ya = y;
    }
    double y1[VLANES] __attribute__((aligned(32))), y2[VLANES] __attribute__((aligned(32)));
    _mm256_store_pd(y1, skew == SKEW_MAX ? p.y1 : p.f1);
    _mm256_store_pd(y2, skew == SKEW_MAX ? p.y2 : p.f2);
    state[2] = _mm_cvtsd_f64(p.s1);
    state[3] = _mm_cvtsd_f64(p.s2);
    for (size_t j = 0; j < nl; j++) {
        state[2 * j + 4] = y1[j];
        state[2 * j + 5] = y2[j];
    }
}

/* run_vector for 2 .. 5 sections with skews 2 and 4, and for 5 sections with skew 3 */
#define ONE_VECTOR(n, skew)                                                                \
    TARGET static void run_vector_##n##_##skew(                                            \
        const double *coef, double *state, const float *in, float *out, size_t nframes)   \
    {                                                                                      \
        run_vector(coef, n, skew, state, in, out, nframes);                                \
    }
#define ONE_VECTORS(skew)                                                                  \
    ONE_VECTOR(2, skew)                                                                    \
    ONE_VECTOR(3, skew)                                                                    \
    ONE_VECTOR(4, skew)                                                                    \
    ONE_VECTOR(5, skew)
ONE_VECTORS(2)
ONE_VECTORS(4)
ONE_VECTOR(5, 3)

/* run_vector for nsec sections (a constant where inlined) and a block of nframes frames. A
 * smaller skew fills and drains in fewer steps, but its steady steps are slower (the hop from
 * one section to the next, 3 multiply-adds and the lane shift, takes ~19 cycles) and, as
 * compiled, much slower for some section counts; measured (thread CPU time, 2 to 5
 * sections, blocks of 8 to 4096 frames): skew 2 wins where skew 3 cannot run yet, skew 3
 * only for 5 sections below 64 frames, skew 4 everywhere else. */
typedef void (*one_fn)(const double *coef, double *state, const float *in, float *out,
                       size_t nframes);
static const one_fn run_vector_2[] = {NULL, NULL, run_vector_2_2, run_vector_3_2, run_vector_4_2,
                                      run_vector_5_2};
static const one_fn run_vector_4[] = {NULL, NULL, run_vector_2_4, run_vector_3_4, run_vector_4_4,
                                      run_vector_5_4};
TARGET static ALWAYS_INLINE void run_clean(const double *coef, size_t nsec, double *state,
                                           const float *in, float *out, size_t nframes)
{
    if (nframes < 3 * (nsec - 1)) { /* (frame by frame below 2 (nsec - 1)) */
        run_vector_2[nsec](coef, state, in, out, nframes);
    } else if (nsec == 5 && nframes < 64) {
        run_vector_5_3(coef, state, in, out, nframes);
    } else {
        run_vector_4[nsec](coef, state, in, out, nframes);
    }
}

/* A block holding a non-finite sample: its non-finite samples enter as 0 and give NaN,
 * through a clean copy, chunk by chunk. */
TARGET static void run_masked(const double *coef, size_t nsec, double *state, const float *in,
                              float *out, size_t nframes)
{
    for (size_t n = 0; n < nframes; n += CHUNK) {
        size_t len = nframes - n < CHUNK ? nframes - n : CHUNK;
        float x[CHUNK], y[CHUNK];
        for (size_t j = 0; j < len; j++) {
            x[j] = isfinite(in[n + j]) ? in[n + j] : 0.0f;
        }
        run_clean(coef, nsec, state, x, y, len);
        for (size_t j = 0; j < len; j++) {
            out[n + j] = isfinite(in[n + j]) ? y[j] : NAN;
        }
    }
}

/* The kernel for n sections (etw_one_kernel; nsec is n). */
#define ONE_KERNEL(n)                                                                      \
    TARGET static void kernel_##n(const double *coef, size_t nsec, double *state,          \
                                  const float *in, float *out, size_t nframes)             \
    {                                                                                      \
        (void)nsec;                                                                        \
        if (etw_scan_one_avx2(in, nframes)) {                                              \
            run_masked(coef, n, state, in, out, nframes);                                  \
        } else {                                                                           \
            run_clean(coef, n, state, in, out, nframes);                                   \
        }                                                                                  \
    }
ONE_KERNEL(2)
ONE_KERNEL(3)
ONE_KERNEL(4)
ONE_KERNEL(5)

etw_one_kernel etw_kernel_one_avx2(size_t nsec)
{
    static const etw_one_kernel kernels[] = {kernel_2, kernel_3, kernel_4, kernel_5};
    if (!etw_cpu_has_avx2_fma() || nsec < ETW_ONE_MIN_SECTIONS || nsec > ETW_ONE_MAX_SECTIONS) {
        return NULL;
    }
    return kernels[nsec - ETW_ONE_MIN_SECTIONS];
}

#else

etw_one_kernel etw_kernel_one_avx2(size_t nsec)
{
    (void)nsec;
    return NULL;
}

#endif
