/* AVX2 + FMA cascade kernel: ETW_LANES channels side by side in one vector of doubles.
 * Frames are loaded 4 at a time per channel and transposed so each vector holds one frame of
 * the four channels; all sections run on that frame with the states kept in registers
 * (the section count is a compile-time constant for the common cascades of 1..8 sections).
 * Every frame goes through the same fused multiply-adds whether it sits in a 4-frame tile or
 * in the tail of a block, so the output does not depend on how the stream is cut.
 * Compiled with __attribute__((target)) and chosen at run time (etw_kernel_avx2); blocks with
 * a non-finite sample take the same path with masking enabled. */
#include "filter/cascade.h"
#include "filter/check.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#include <math.h>

#define TARGET __attribute__((target("avx2,fma")))
#define ALWAYS_INLINE inline __attribute__((always_inline))

TARGET static ALWAYS_INLINE __m256d frame(const double *coef, size_t nsec, __m256d *z0,
                                          __m256d *z1, __m256d x, __m256d guard)
{
    for (size_t s = 0; s < nsec; s++) {
        const double *c = coef + s * ETW_COEFS * ETW_LANES;
        __m256d y = _mm256_fmadd_pd(_mm256_load_pd(c), x, z0[s]);
        __m256d t0 = _mm256_fmadd_pd(_mm256_load_pd(c + ETW_LANES), x, z1[s]);
        __m256d t1 = _mm256_fmadd_pd(_mm256_load_pd(c + 2 * ETW_LANES), x, guard);
        z0[s] = _mm256_fmadd_pd(_mm256_load_pd(c + 3 * ETW_LANES), y, t0);
        z1[s] = _mm256_fmadd_pd(_mm256_load_pd(c + 4 * ETW_LANES), y, t1);
        x = y;
    }
    return x;
}

/* r[c] = 4 frames of channel c  <->  r[i] = frame i of the 4 channels */
TARGET static ALWAYS_INLINE void transpose(__m256d *r)
{
    __m256d t0 = _mm256_unpacklo_pd(r[0], r[1]), t1 = _mm256_unpackhi_pd(r[0], r[1]);
    __m256d t2 = _mm256_unpacklo_pd(r[2], r[3]), t3 = _mm256_unpackhi_pd(r[2], r[3]);
    r[0] = _mm256_permute2f128_pd(t0, t2, 0x20);
    r[1] = _mm256_permute2f128_pd(t1, t3, 0x20);
    r[2] = _mm256_permute2f128_pd(t0, t2, 0x31);
    r[3] = _mm256_permute2f128_pd(t1, t3, 0x31);
}

/* Zeroes non-finite lanes of x; returns the mask of finite lanes. */
TARGET static ALWAYS_INLINE __m256d sanitize(__m256d *x)
{
    __m256d ok = _mm256_cmp_pd(_mm256_sub_pd(*x, *x), _mm256_setzero_pd(), _CMP_EQ_OQ);
    *x = _mm256_and_pd(*x, ok);
    return ok;
}

TARGET static ALWAYS_INLINE void run(const double *coef, size_t nsec, double *state,
                                     const float *const *in, float *const *out,
                                     size_t nvalid, size_t nframes, int masked, __m256d *z0,
                                     __m256d *z1)
{
    for (size_t s = 0; s < nsec; s++) {
        z0[s] = _mm256_load_pd(state + s * 2 * ETW_LANES);
        z1[s] = _mm256_load_pd(state + s * 2 * ETW_LANES + ETW_LANES);
    }
    const __m256d guard = _mm256_set1_pd(ETW_DENORMAL_GUARD);
    const __m256d nan = _mm256_set1_pd(NAN);
    size_t n = 0;
    for (; n + 4 <= nframes; n += 4) {
        __m256d x[4], ok[4];
        for (int c = 0; c < 4; c++) {
            x[c] = _mm256_cvtps_pd(_mm_loadu_ps(in[c] + n));
        }
        transpose(x);
        for (int i = 0; i < 4; i++) {
            if (masked) {
                ok[i] = sanitize(&x[i]);
            }
            x[i] = frame(coef, nsec, z0, z1, x[i], guard);
            if (masked) {
                x[i] = _mm256_blendv_pd(nan, x[i], ok[i]);
            }
        }
        transpose(x);
        for (size_t c = 0; c < nvalid; c++) {
            _mm_storeu_ps(out[c] + n, _mm256_cvtpd_ps(x[c]));
        }
    }
    for (; n < nframes; n++) {
        __m256d x = _mm256_setr_pd(in[0][n], in[1][n], in[2][n], in[3][n]), ok = x;
        if (masked) {
            ok = sanitize(&x);
        }
        x = frame(coef, nsec, z0, z1, x, guard);
        if (masked) {
            x = _mm256_blendv_pd(nan, x, ok);
        }
        float y[ETW_LANES];
        _mm_storeu_ps(y, _mm256_cvtpd_ps(x));
        for (size_t c = 0; c < nvalid; c++) {
            out[c][n] = y[c];
        }
    }
    for (size_t s = 0; s < nsec; s++) {
        _mm256_store_pd(state + s * 2 * ETW_LANES, z0[s]);
        _mm256_store_pd(state + s * 2 * ETW_LANES + ETW_LANES, z1[s]);
    }
}

/* run() with the section count and the masking known at compile time */
#define ETW_RUN_FIXED(N)                                                                   \
    TARGET static void run_##N(const double *coef, size_t nsec, double *state,             \
                               const float *const *in, float *const *out, size_t nvalid,   \
                               size_t nframes)                                             \
    {                                                                                      \
        __m256d z0[N], z1[N];                                                              \
        (void)nsec;                                                                        \
        run(coef, N, state, in, out, nvalid, nframes, 0, z0, z1);                          \
    }
ETW_RUN_FIXED(1)
ETW_RUN_FIXED(2)
ETW_RUN_FIXED(3)
ETW_RUN_FIXED(4)
ETW_RUN_FIXED(5)
ETW_RUN_FIXED(6)
ETW_RUN_FIXED(7)
ETW_RUN_FIXED(8)

TARGET static void run_any(const double *coef, size_t nsec, double *state,
                           const float *const *in, float *const *out, size_t nvalid,
                           size_t nframes, int masked)
{
    __m256d z0[ETW_MAX_SECTIONS], z1[ETW_MAX_SECTIONS];
    run(coef, nsec, state, in, out, nvalid, nframes, masked, z0, z1);
}

/* Nonzero when a sample of the nvalid channels is NaN or infinite (exponent all ones). */
TARGET static int any_nonfinite(const float *const *in, size_t nvalid, size_t nframes)
{
    const __m256i expo = _mm256_set1_epi32(0x7f800000);
    for (size_t c = 0; c < nvalid; c++) {
        __m256i hit = _mm256_setzero_si256();
        size_t n = 0;
        for (; n + 8 <= nframes; n += 8) {
            __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(in[c] + n));
            hit = _mm256_or_si256(hit, _mm256_cmpeq_epi32(_mm256_and_si256(v, expo), expo));
        }
        if (!_mm256_testz_si256(hit, hit)) {
            return 1;
        }
        for (; n < nframes; n++) {
            if (!isfinite(in[c][n])) {
                return 1;
            }
        }
    }
    return 0;
}

TARGET static void kernel(const double *coef, size_t nsec, double *state,
                          const float *const *in, float *const *out, size_t nvalid,
                          size_t nframes)
{
    typedef void (*fixed_fn)(const double *, size_t, double *, const float *const *,
                             float *const *, size_t, size_t);
    static const fixed_fn fixed[] = {NULL, run_1, run_2, run_3, run_4,
                                     run_5, run_6, run_7, run_8};
    if (any_nonfinite(in, nvalid, nframes)) {
        run_any(coef, nsec, state, in, out, nvalid, nframes, 1);
    } else if (nsec < sizeof fixed / sizeof fixed[0]) {
        fixed[nsec](coef, nsec, state, in, out, nvalid, nframes);
    } else {
        run_any(coef, nsec, state, in, out, nvalid, nframes, 0);
    }
}

etw_cascade_kernel etw_kernel_avx2(void)
{
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        return kernel;
    }
    return NULL;
}

#else

etw_cascade_kernel etw_kernel_avx2(void)
{
    return NULL;
}

#endif
