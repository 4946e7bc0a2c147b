/* AVX2 + FMA cascade kernel: ETW_LANES channels side by side in one vector of doubles.
 * Frames are loaded 4 at a time per channel and transposed so each vector holds one frame of
 * the four channels; each section then filters those frames with its state kept in registers
 * (the section count is a compile-time constant for the common cascades of 1..8 sections).
 * Sections whose numerator is one of Butterworth's exact patterns (etw_section_kind) replace
 * the multiply-adds by 1 with additions and drop the one by 0 (identical rounding); the
 * +-2 x term stays one multiply-add, one instruction where x + x and an addition took two:
 * on this kernel the instruction count, not the multiply-add pipes, sets the speed (moving
 * work from the multiply-add pipes to the adder pipes at a higher count was measured slower,
 * see docs/filters.md).
 * Every frame goes through the same operations whether it sits in a 4-frame tile or in the
 * tail of a block, so the output does not depend on how the stream is cut.
 * Interleaved data needs no transposes: a full group's frame is 4 adjacent floats.
 * Compiled with __attribute__((target)) and chosen at run time (etw_kernel_avx2); blocks with
 * a non-finite sample take the same path with masking enabled. */
#include "filter/cascade.h"
#include "filter/check.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#include "core/cpu.h"
#include "filter/scan_avx2.h"
#include <math.h>

#define TARGET __attribute__((target("avx2,fma")))
#define ALWAYS_INLINE inline __attribute__((always_inline))

/* Filters count frame vectors x[] through one section (state *z0, *z1). */
TARGET static ALWAYS_INLINE void section(unsigned char kind, const double *c, __m256d *z0p,
                                         __m256d *z1p, __m256d *x, int count, __m256d guard)
{
    __m256d z0 = *z0p, z1 = *z1p;
    const __m256d b1 = _mm256_load_pd(c + ETW_LANES);
    const __m256d na1 = _mm256_load_pd(c + 3 * ETW_LANES);
    const __m256d na2 = _mm256_load_pd(c + 4 * ETW_LANES);
    switch (kind) {
    case ETW_SECTION_1_0_M1: /* b = 1, 0, -1 */
        for (int i = 0; i < count; i++) {
            __m256d y = _mm256_add_pd(x[i], z0);
            __m256d t1 = _mm256_sub_pd(guard, x[i]);
            z0 = _mm256_fmadd_pd(na1, y, z1);
            z1 = _mm256_fmadd_pd(na2, y, t1);
            x[i] = y;
        }
        break;
    case ETW_SECTION_1_2_1: /* b = 1, +-2, 1 (sign in b1) */
    case ETW_SECTION_1_M2_1:
        for (int i = 0; i < count; i++) {
            __m256d y = _mm256_add_pd(x[i], z0);
            __m256d t0 = _mm256_fmadd_pd(b1, x[i], z1); /* +-2 x + z1: one rounding */
            __m256d t1 = _mm256_add_pd(guard, x[i]);
            z0 = _mm256_fmadd_pd(na1, y, t0);
            z1 = _mm256_fmadd_pd(na2, y, t1);
            x[i] = y;
        }
        break;
    default: {
        const __m256d b0 = _mm256_load_pd(c), b2 = _mm256_load_pd(c + 2 * ETW_LANES);
        for (int i = 0; i < count; i++) {
            __m256d y = _mm256_fmadd_pd(b0, x[i], z0);
            __m256d t0 = _mm256_fmadd_pd(b1, x[i], z1);
            __m256d t1 = _mm256_fmadd_pd(b2, x[i], guard);
            z0 = _mm256_fmadd_pd(na1, y, t0);
            z1 = _mm256_fmadd_pd(na2, y, t1);
            x[i] = y;
        }
        break;
    }
    }
    *z0p = z0;
    *z1p = z1;
}

TARGET static ALWAYS_INLINE void sections(const double *coef, const unsigned char *kinds,
                                          size_t nsec, __m256d *z0, __m256d *z1, __m256d *x,
                                          int count, __m256d guard)
{
    for (size_t s = 0; s < nsec; s++) {
        section(kinds[s], coef + s * ETW_COEFS * ETW_LANES, &z0[s], &z1[s], x, count, guard);
    }
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

/* Interleaved data (stride > 1): frames n .. n+3 of the group as frame vectors; a full
 * group's frame is 4 adjacent floats, no transpose. */
TARGET static ALWAYS_INLINE void load_frames(const float *const *in, size_t nvalid, size_t n,
                                             size_t stride, __m256d *x)
{
    for (size_t i = 0; i < 4; i++) {
        size_t at = (n + i) * stride;
        x[i] = nvalid == ETW_LANES ? _mm256_cvtps_pd(_mm_loadu_ps(in[0] + at))
                                   : _mm256_setr_pd(in[0][at], in[1][at], in[2][at], in[3][at]);
    }
}

/* Stores frame vectors x[0..3] as interleaved frames n .. n+3 of the group's valid lanes. */
TARGET static ALWAYS_INLINE void store_frames(float *const *out, size_t nvalid, size_t n,
                                              size_t stride, const __m256d *x)
{
    for (size_t i = 0; i < 4; i++) {
        size_t at = (n + i) * stride;
        if (nvalid == ETW_LANES) {
            _mm_storeu_ps(out[0] + at, _mm256_cvtpd_ps(x[i]));
        } else {
            float y[ETW_LANES];
            _mm_storeu_ps(y, _mm256_cvtpd_ps(x[i]));
            for (size_t c = 0; c < nvalid; c++) {
                out[c][at] = y[c];
            }
        }
    }
}

/* Zeroes non-finite lanes of x; returns the mask of finite lanes. */
TARGET static ALWAYS_INLINE __m256d sanitize(__m256d *x)
{
    __m256d ok = _mm256_cmp_pd(_mm256_sub_pd(*x, *x), _mm256_setzero_pd(), _CMP_EQ_OQ);
    *x = _mm256_and_pd(*x, ok);
    return ok;
}

TARGET static ALWAYS_INLINE void run(const double *coef, const unsigned char *kinds,
                                     size_t nsec, double *state,
                                     const float *const *in, float *const *out,
                                     size_t nvalid, size_t nframes, size_t stride, int masked,
                                     __m256d *z0, __m256d *z1)
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
        if (stride == 1) {
            for (int c = 0; c < 4; c++) {
                x[c] = _mm256_cvtps_pd(_mm_loadu_ps(in[c] + n));
            }
            transpose(x);
        } else {
            load_frames(in, nvalid, n, stride, x);
        }
        if (masked) {
            for (int i = 0; i < 4; i++) {
                ok[i] = sanitize(&x[i]);
            }
        }
        sections(coef, kinds, nsec, z0, z1, x, 4, guard);
        if (masked) {
            for (int i = 0; i < 4; i++) {
                x[i] = _mm256_blendv_pd(nan, x[i], ok[i]);
            }
        }
        if (stride == 1) {
            transpose(x);
            for (size_t c = 0; c < nvalid; c++) {
                _mm_storeu_ps(out[c] + n, _mm256_cvtpd_ps(x[c]));
            }
        } else {
            store_frames(out, nvalid, n, stride, x);
        }
    }
    for (; n < nframes; n++) {
        size_t at = n * stride;
        __m256d x = _mm256_setr_pd(in[0][at], in[1][at], in[2][at], in[3][at]), ok = x;
        if (masked) {
            ok = sanitize(&x);
        }
        sections(coef, kinds, nsec, z0, z1, &x, 1, guard);
        if (masked) {
            x = _mm256_blendv_pd(nan, x, ok);
        }
        float y[ETW_LANES];
        _mm_storeu_ps(y, _mm256_cvtpd_ps(x));
        for (size_t c = 0; c < nvalid; c++) {
            out[c][at] = y[c];
        }
    }
    for (size_t s = 0; s < nsec; s++) {
        _mm256_store_pd(state + s * 2 * ETW_LANES, z0[s]);
        _mm256_store_pd(state + s * 2 * ETW_LANES + ETW_LANES, z1[s]);
    }
}

/* run() with the section count and the masking known at compile time: run_N for planar
 * data (stride 1, a constant), runi_N for interleaved data (separate functions, so that the
 * planar one compiles as if the other did not exist) */
#define ETW_RUN_FIXED(N)                                                                   \
    TARGET static void run_##N(const double *coef, const unsigned char *kinds,             \
                               double *state, const float *const *in, float *const *out,   \
                               size_t nvalid, size_t nframes, size_t stride)               \
    {                                                                                      \
        __m256d z0[N], z1[N];                                                              \
        (void)stride;                                                                      \
        run(coef, kinds, N, state, in, out, nvalid, nframes, 1, 0, z0, z1);                \
    }                                                                                      \
    TARGET static void runi_##N(const double *coef, const unsigned char *kinds,            \
                                double *state, const float *const *in, float *const *out,  \
                                size_t nvalid, size_t nframes, size_t stride)              \
    {                                                                                      \
        __m256d z0[N], z1[N];                                                              \
        run(coef, kinds, N, state, in, out, nvalid, nframes, stride, 0, z0, z1);           \
    }
ETW_RUN_FIXED(1)
ETW_RUN_FIXED(2)
ETW_RUN_FIXED(3)
ETW_RUN_FIXED(4)
ETW_RUN_FIXED(5)
ETW_RUN_FIXED(6)
ETW_RUN_FIXED(7)
ETW_RUN_FIXED(8)

TARGET static void run_any(const double *coef, const unsigned char *kinds, size_t nsec,
                           double *state, const float *const *in, float *const *out,
                           size_t nvalid, size_t nframes, size_t stride, int masked)
{
    __m256d z0[ETW_MAX_SECTIONS], z1[ETW_MAX_SECTIONS];
    run(coef, kinds, nsec, state, in, out, nvalid, nframes, stride, masked, z0, z1);
}

/* Nonzero when a sample of the nch channels is NaN or infinite (exponent all ones). */
TARGET static int any_nonfinite(const float *const *in, size_t nch, size_t nframes)
{
    for (size_t c = 0; c < nch; c++) {
        if (etw_scan_one_avx2(in[c], nframes)) {
            return 1;
        }
    }
    return 0;
}


TARGET static void kernel(const double *coef, const unsigned char *kinds, size_t nsec,
                          double *state, const float *const *in, float *const *out,
                          size_t nvalid, size_t nframes, size_t stride, int masked)
{
    typedef void (*fixed_fn)(const double *, const unsigned char *, double *,
                             const float *const *, float *const *, size_t, size_t, size_t);
    static const fixed_fn planar[] = {NULL, run_1, run_2, run_3, run_4,
                                      run_5, run_6, run_7, run_8};
    static const fixed_fn interleaved[] = {NULL, runi_1, runi_2, runi_3, runi_4,
                                           runi_5, runi_6, runi_7, runi_8};
    if (masked) {
        run_any(coef, kinds, nsec, state, in, out, nvalid, nframes, stride, 1);
    } else if (nsec < sizeof planar / sizeof planar[0]) {
        (stride == 1 ? planar : interleaved)[nsec](coef, kinds, state, in, out, nvalid, nframes,
                                                   stride);
    } else {
        run_any(coef, kinds, nsec, state, in, out, nvalid, nframes, stride, 0);
    }
}

etw_cascade_kernel etw_kernel_avx2(void)
{
    if (etw_cpu_has_avx2_fma()) {
        return kernel;
    }
    return NULL;
}

etw_scan etw_scan_avx2(void)
{
    return etw_kernel_avx2() != NULL ? any_nonfinite : NULL;
}

#else

etw_cascade_kernel etw_kernel_avx2(void)
{
    return NULL;
}

etw_scan etw_scan_avx2(void)
{
    return NULL;
}

#endif
