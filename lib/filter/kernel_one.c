/* Single-channel kernels of double precision: direct form I (filter/dfi1.h). One channel
 * cannot fill a vector of channels; instead the AVX2 kernel keeps the history of the whole
 * cascade in registers and lets the sections' loop-carried chains (one multiply-add each)
 * overlap: step i filters frame i through section 0, frame i - 1 through section 1, and so
 * on (a software pipeline, drained at the end of every block), with section 0's
 * feed-forward computed ahead for a chunk of frames 4 at a time. Each (section, frame) goes
 * through the same operations however the frames are grouped, so the output does not
 * depend on how the stream is cut. */
#include <math.h>

#include "filter/cascade.h"

#define ONE_T double
#define ONE_ADD(a, b) ((a) + (b))
#define ONE_SUB(a, b) ((a) - (b))
#define ONE_MAC(a, b, c) ((a) * (b) + (c))
#define ONE_COEF(c, k) ((c)[(k) * ETW_LANES])
#define ONE_NAME(name) onep_##name
#define ONE_INLINE static inline
#include "filter/dfi1.h"

/* Portable: one frame at a time, multiply then add; every section in the general form
 * (the kinds round the same). */
void etw_kernel_one_portable(const double *coef, const unsigned char *kinds, size_t nsec,
                             double *state, const float *const *in, float *const *out,
                             size_t nvalid, size_t nframes, size_t stride, int masked)
{
    (void)kinds;
    (void)nvalid; /* 1 */
    (void)masked; /* every sample is checked */
    double *h = state;
    const double g = ETW_DENORMAL_GUARD;
    for (size_t n = 0; n < nframes; n++) {
        double x = in[0][n * stride];
        int finite = isfinite(x);
        double u = onep_back0(coef, onep_feed0(coef, finite ? x : 0.0, h[0], h[1], g), h[2],
                              h[3]);
        h[1] = h[0];
        h[0] = finite ? x : 0.0;
        for (size_t k = 1; k < nsec; k++) {
            const double *c = coef + k * ETW_COEFS * ETW_LANES;
            double *hk = h + 2 * k;
            double y = onep_out(ETW_SECTION_GENERIC, c, u,
                                onep_rest(ETW_SECTION_GENERIC, c, hk[0], hk[1], hk[3], g),
                                hk[2]);
            hk[1] = hk[0];
            hk[0] = u;
            u = y;
        }
        h[2 * nsec + 1] = h[2 * nsec];
        h[2 * nsec] = u;
        out[0][n * stride] = finite ? (float)u : NAN;
    }
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#include "core/cpu.h"

#define TARGET __attribute__((target("avx2,fma")))
#define ALWAYS_INLINE inline __attribute__((always_inline))

/* vectors of 2 equal doubles: packed instructions, so register copies are plain moves */
#define ONE_T __m128d
#define ONE_ADD(a, b) _mm_add_pd(a, b)
#define ONE_SUB(a, b) _mm_sub_pd(a, b)
#define ONE_MAC(a, b, c) _mm_fmadd_pd(a, b, c)
#define ONE_COEF(c, k) _mm_load_pd((c) + (k) * ETW_LANES)
#define ONE_NAME(name) one_##name
#define ONE_INLINE TARGET static ALWAYS_INLINE
#include "filter/dfi1.h"

/* section 0's feed-forward, 4 frames at a time */
#define ONE_T __m256d
#define ONE_ADD(a, b) _mm256_add_pd(a, b)
#define ONE_SUB(a, b) _mm256_sub_pd(a, b)
#define ONE_MAC(a, b, c) _mm256_fmadd_pd(a, b, c)
#define ONE_COEF(c, k) _mm256_load_pd((c) + (k) * ETW_LANES)
#define ONE_NAME(name) four_##name
#define ONE_INLINE TARGET static ALWAYS_INLINE
#include "filter/dfi1.h"

#define CHUNK 64 /* frames whose section-0 feed-forward is computed ahead */
#define MAX_FIXED 8 /* section counts with a register-resident kernel */

/* The pipeline's history in registers: w[k][j] = u_k(latest - j), the last 3 values of the
 * signal before section k (k = 1 .. nsec; u_nsec is the output). */
typedef __m128d window[MAX_FIXED + 1][3];

/* One step of the pipeline: section k (lo <= k <= hi) filters its next frame, section 0
 * from v (its feed-forward). Returns section nsec-1's output (when hi = nsec - 1). kinds[k],
 * lo and hi are constants where inlined. */
TARGET static ALWAYS_INLINE __m128d step(const double *coef, const unsigned char *kinds,
                                         window w, __m128d v, size_t lo, size_t hi)
{
    const __m128d g = _mm_set1_pd(ETW_DENORMAL_GUARD);
    __m128d y[MAX_FIXED];
#pragma GCC unroll 8
    for (size_t k = lo; k <= hi; k++) {
        const double *c = coef + k * ETW_COEFS * ETW_LANES;
        if (k == 0) {
            y[0] = one_back0(c, v, w[1][0], w[1][1]);
        } else {
            __m128d r = one_rest(kinds[k], c, w[k][1], w[k][2], w[k + 1][1], g);
            y[k] = one_out(kinds[k], c, w[k][0], r, w[k + 1][0]);
        }
    }
#pragma GCC unroll 8
    for (size_t k = lo; k <= hi; k++) {
        w[k + 1][2] = w[k + 1][1];
        w[k + 1][1] = w[k + 1][0];
        w[k + 1][0] = y[k];
    }
    return y[hi];
}

/* step() with every section busy and the window slots renamed instead of shifted: at phase
 * p, u_k(latest - j) is w[k][(p + j) % 3] and the new value takes slot (p + 2) % 3, so the
 * next step has phase (p + 2) % 3 and three steps (phases 0, 2, 1) come back to phase 0. */
TARGET static ALWAYS_INLINE __m128d steady(const double *coef, const unsigned char *kinds,
                                           size_t nsec, window w, __m128d v, size_t p)
{
    const __m128d g = _mm_set1_pd(ETW_DENORMAL_GUARD);
    size_t p1 = (p + 1) % 3, p2 = (p + 2) % 3;
    __m128d y[MAX_FIXED];
    y[0] = one_back0(coef, v, w[1][p], w[1][p1]);
#pragma GCC unroll 8
    for (size_t k = 1; k < nsec; k++) {
        const double *c = coef + k * ETW_COEFS * ETW_LANES;
        __m128d r = one_rest(kinds[k], c, w[k][p1], w[k][p2], w[k + 1][p1], g);
        y[k] = one_out(kinds[k], c, w[k][p], r, w[k + 1][p]);
    }
#pragma GCC unroll 8
    for (size_t k = 0; k < nsec; k++) {
        w[k + 1][p2] = y[k];
    }
    return y[nsec - 1];
}

/* Section 0's feed-forward v[j] of frames j = 0 .. len - 1 of in, with the history x1, x2
 * (updated). */
TARGET static void feed_chunk(const double *coef, const float *in, double *v, size_t len,
                              double *x1, double *x2)
{
    double x[CHUNK + 2];
    x[0] = *x2;
    x[1] = *x1;
    for (size_t j = 0; j < len; j++) {
        x[j + 2] = in[j];
    }
    const __m256d g4 = _mm256_set1_pd(ETW_DENORMAL_GUARD);
    size_t j = 0;
    for (; j + 4 <= len; j += 4) {
        __m256d f = four_feed0(coef, _mm256_loadu_pd(x + j + 2), _mm256_loadu_pd(x + j + 1),
                               _mm256_loadu_pd(x + j), g4);
        _mm256_storeu_pd(v + j, f);
    }
    for (; j < len; j++) {
        __m128d f = one_feed0(coef, _mm_set1_pd(x[j + 2]), _mm_set1_pd(x[j + 1]),
                              _mm_set1_pd(x[j]), _mm256_castpd256_pd128(g4));
        v[j] = _mm_cvtsd_f64(f);
    }
    *x2 = x[len];
    *x1 = x[len + 1];
}

/* One frame at a time through any number of sections (general form, which rounds like the
 * kinds), any stride: short blocks and long cascades. */
TARGET static void frames(const double *coef, size_t nsec, double *h, const float *in,
                          float *out, size_t nframes, size_t stride)
{
    const __m128d g = _mm_set1_pd(ETW_DENORMAL_GUARD);
    for (size_t n = 0; n < nframes; n++) {
        __m128d x = _mm_set1_pd(in[n * stride]);
        __m128d u = one_back0(coef, one_feed0(coef, x, _mm_set1_pd(h[0]), _mm_set1_pd(h[1]), g),
                              _mm_set1_pd(h[2]), _mm_set1_pd(h[3]));
        h[1] = h[0];
        h[0] = _mm_cvtsd_f64(x);
        for (size_t k = 1; k < nsec; k++) {
            const double *c = coef + k * ETW_COEFS * ETW_LANES;
            double *hk = h + 2 * k;
            __m128d r = one_rest(ETW_SECTION_GENERIC, c, _mm_set1_pd(hk[0]), _mm_set1_pd(hk[1]),
                                 _mm_set1_pd(hk[3]), g);
            __m128d y = one_out(ETW_SECTION_GENERIC, c, u, r, _mm_set1_pd(hk[2]));
            hk[1] = hk[0];
            hk[0] = _mm_cvtsd_f64(u);
            u = y;
        }
        h[2 * nsec + 1] = h[2 * nsec];
        h[2 * nsec] = _mm_cvtsd_f64(u);
        out[n * stride] = (float)h[2 * nsec];
    }
}

/* Filters a block of one channel (stride 1) with nsec <= MAX_FIXED sections; kinds[k]
 * (k >= 1) constants where inlined (kinds[0] is not used). Step i: section k filters frame
 * i - k; steps 0 .. nsec - 2 fill the pipeline, the last nsec - 1 drain it. */
TARGET static ALWAYS_INLINE void pipeline(const double *coef, const unsigned char *kinds,
                                          size_t nsec, double *state, const float *in,
                                          float *out, size_t nframes)
{
    if (nframes < nsec) {
        frames(coef, nsec, state, in, out, nframes, 1);
        return;
    }
    window w;
#pragma GCC unroll 9
    for (size_t k = 1; k <= nsec; k++) {
        w[k][0] = _mm_set1_pd(state[2 * k]);
        w[k][1] = _mm_set1_pd(state[2 * k + 1]);
        w[k][2] = w[k][1]; /* not read before it is shifted in */
    }
    double v[CHUNK + 2], x1 = state[0], x2 = state[1];
    float *o = out - (nsec - 1); /* step i's output frame */
    size_t n = 0, i = 0, pending = 0;
    while (n < nframes) {
        size_t len = nframes - n < CHUNK ? nframes - n : CHUNK, j = 0, avail = pending + len;
        feed_chunk(coef, in + n, v + pending, len, &x1, &x2);
        if (n == 0) {
#pragma GCC unroll 8
            for (size_t f = 0; f + 1 < nsec; f++) {
                (void)step(coef, kinds, w, _mm_set1_pd(v[f]), 0, f);
            }
            i = j = nsec - 1;
        }
        n += len;
        for (; j + 3 <= avail; i += 3, j += 3) {
            __asm__("" : "+r"(coef)); /* coefficients stay memory operands */
            __m128d y0 = steady(coef, kinds, nsec, w, _mm_loaddup_pd(v + j), 0);
            __m128d y1 = steady(coef, kinds, nsec, w, _mm_loaddup_pd(v + j + 1), 2);
            __m128d y2 = steady(coef, kinds, nsec, w, _mm_loaddup_pd(v + j + 2), 1);
            o[i] = (float)_mm_cvtsd_f64(y0);
            o[i + 1] = (float)_mm_cvtsd_f64(y1);
            o[i + 2] = (float)_mm_cvtsd_f64(y2);
        }
        for (pending = 0; j < avail; j++) {
            v[pending++] = v[j];
        }
    }
    for (size_t j = 0; j < pending; j++, i++) {
        o[i] = (float)_mm_cvtsd_f64(step(coef, kinds, w, _mm_set1_pd(v[j]), 0, nsec - 1));
    }
#pragma GCC unroll 8
    for (size_t lo = 1; lo < nsec; lo++, i++) {
        o[i] = (float)_mm_cvtsd_f64(step(coef, kinds, w, _mm_setzero_pd(), lo, nsec - 1));
    }
    state[0] = x1;
    state[1] = x2;
#pragma GCC unroll 9
    for (size_t k = 1; k <= nsec; k++) {
        state[2 * k] = _mm_cvtsd_f64(w[k][0]);
        state[2 * k + 1] = _mm_cvtsd_f64(w[k][1]);
    }
}

typedef void (*one_fn)(const double *coef, double *state, const float *in, float *out,
                       size_t nframes);

/* The kind sequences with a kernel of their own (section 0 may be of any kind; a general
 * section computes what a kind does, so it matches any): Butterworth high-pass of orders
 * 3-8 (and band-pass 2), low-pass 4 and 8, band-pass 3-5, band-pass 2-5 followed by a
 * notch, and 1 .. MAX_FIXED general sections (any other cascade that short). */
#define P ETW_SECTION_1_2_1
#define M ETW_SECTION_1_M2_1
#define B ETW_SECTION_1_0_M1
#define G ETW_SECTION_GENERIC
#define ONE_PATTERNS(X)                                                                    \
    X(hp4, G, M) X(hp6, G, M, M) X(hp8, G, M, M, M) X(lp4, G, P) X(lp8, G, P, P, P)         \
    X(bp3, G, B, M) X(bp4, G, P, M, M) X(bp5, G, P, B, M, M) X(bp2n, G, M, G)              \
    X(bp3n, G, B, M, G) X(bp4n, G, P, M, M, G) X(bp5n, G, P, B, M, M, G) X(g1, G)          \
    X(g2, G, G) X(g3, G, G, G) X(g4, G, G, G, G) X(g5, G, G, G, G, G)                      \
    X(g6, G, G, G, G, G, G) X(g7, G, G, G, G, G, G, G) X(g8, G, G, G, G, G, G, G, G)

#define ONE_DEFINE(name, ...)                                                              \
    static const unsigned char kinds_##name[] = {__VA_ARGS__};                             \
    TARGET static void run_##name(const double *coef, double *state, const float *in,     \
                                  float *out, size_t nframes)                              \
    {                                                                                      \
        pipeline(coef, kinds_##name, sizeof kinds_##name, state, in, out, nframes);        \
    }
ONE_PATTERNS(ONE_DEFINE)

#define ONE_ENTRY(name, ...) {run_##name, kinds_##name, sizeof kinds_##name},
static const struct {
    one_fn fn;
    const unsigned char *kinds;
    size_t nsec;
} patterns[] = {ONE_PATTERNS(ONE_ENTRY)};
#undef P
#undef M
#undef B
#undef G

/* The first kernel whose kinds (after section 0) are those of the cascade, or whose
 * sections are all general, or NULL. */
static one_fn pick(const unsigned char *kinds, size_t nsec)
{
    for (size_t p = 0; p < sizeof patterns / sizeof patterns[0]; p++) {
        if (patterns[p].nsec != nsec) {
            continue;
        }
        size_t k = 1;
        while (k < nsec && (patterns[p].kinds[k] == kinds[k] ||
                            patterns[p].kinds[k] == ETW_SECTION_GENERIC)) {
            k++;
        }
        if (k == nsec) {
            return patterns[p].fn;
        }
    }
    return NULL;
}

TARGET static void kernel(const double *coef, const unsigned char *kinds, size_t nsec,
                          double *state, const float *const *in, float *const *out,
                          size_t nvalid, size_t nframes, size_t stride, int masked)
{
    (void)nvalid; /* 1 */
    one_fn fn = stride == 1 ? pick(kinds, nsec) : NULL;
    if (!masked) {
        if (fn != NULL) {
            fn(coef, state, in[0], out[0], nframes);
        } else {
            frames(coef, nsec, state, in[0], out[0], nframes, stride);
        }
        return;
    }
    /* non-finite samples enter as 0 and give NaN: a clean copy, chunk by chunk */
    for (size_t n = 0; n < nframes; n += CHUNK) {
        size_t len = nframes - n < CHUNK ? nframes - n : CHUNK;
        float x[CHUNK], y[CHUNK];
        for (size_t j = 0; j < len; j++) {
            x[j] = in[0][(n + j) * stride];
            x[j] = isfinite(x[j]) ? x[j] : 0.0f;
        }
        if (fn != NULL) {
            fn(coef, state, x, y, len);
        } else {
            frames(coef, nsec, state, x, y, len, 1);
        }
        for (size_t j = 0; j < len; j++) {
            y[j] = isfinite(in[0][(n + j) * stride]) ? y[j] : NAN;
            out[0][(n + j) * stride] = y[j];
        }
    }
}

etw_cascade_kernel etw_kernel_one_avx2(void)
{
    return etw_cpu_has_avx2_fma() ? kernel : NULL;
}

#else

etw_cascade_kernel etw_kernel_one_avx2(void)
{
    return NULL;
}

#endif
