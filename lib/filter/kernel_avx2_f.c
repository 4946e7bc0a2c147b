/* AVX2 + FMA cascade kernel in float precision: direct form I (filter/dfi.h), groups of
 * ETW_LANES_F channels side by side in one vector of floats, chunked section by section
 * (filter/kernel_pass.h); loading transposes 8 frames of 8 planar channels at a time to
 * frame vectors (interleaved data needs no transpose), storing transposes back. Compiled
 * with __attribute__((target)) and chosen at run time (etw_kernel_avx2_f). */
#include "filter/cascade.h"
#include "filter/check.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#include "core/cpu.h"
#include <math.h>

#define TARGET __attribute__((target("avx2,fma")))
#define ALWAYS_INLINE inline __attribute__((always_inline))

#define DFI_T __m256
#define DFI_C float
#define DFI_STRIDE ETW_LANES_F
#define DFI_ADD(a, b) _mm256_add_ps(a, b)
#define DFI_SUB(a, b) _mm256_sub_ps(a, b)
#define DFI_MAC(a, b, c) _mm256_fmadd_ps(a, b, c)
#define DFI_COEF(c, k) _mm256_load_ps((c) + (k) * ETW_LANES_F)
#define DFI_NAME(name) vecf_##name
#define DFI_INLINE TARGET static ALWAYS_INLINE
#include "filter/dfi.h"

#define DFI_T float
#define DFI_C float
#define DFI_STRIDE ETW_LANES_F
#define DFI_ADD(a, b) ((a) + (b))
#define DFI_SUB(a, b) ((a) - (b))
#define DFI_MAC(a, b, c) __builtin_fmaf(a, b, c)
#define DFI_COEF(c, k) ((c)[(k) * ETW_LANES_F])
#define DFI_NAME(name) onef_##name
#define DFI_INLINE TARGET static ALWAYS_INLINE
#include "filter/dfi.h"

/* r[c] = 8 frames of channel c  <->  r[i] = frame i of the 8 channels */
TARGET static ALWAYS_INLINE void transpose8(__m256 *r)
{
    __m256 t[8], u[8];
    for (int i = 0; i < 8; i += 2) {
        t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
        t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
    }
    for (int i = 0; i < 8; i += 4) {
        u[i] = _mm256_shuffle_ps(t[i], t[i + 2], 0x44);
        u[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], 0xee);
        u[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0x44);
        u[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0xee);
    }
    for (int i = 0; i < 4; i++) {
        r[i] = _mm256_permute2f128_ps(u[i], u[i + 4], 0x20);
        r[i + 4] = _mm256_permute2f128_ps(u[i], u[i + 4], 0x31);
    }
}

#define PV_T __m256
#define PV_S float
#define PV_N ETW_LANES_F
#define PV_LOADV(p) _mm256_load_ps(p)
#define PV_STOREV(p, v) _mm256_store_ps(p, v)
#define PV_SET1(x) _mm256_set1_ps(x)
#define PV_LOADU(p) _mm256_loadu_ps(p)
#define PV_WIDEN(p) _mm256_loadu_ps(p)
#define PV_NARROW(p, v) _mm256_storeu_ps(p, v)
#define PV_STOREU(p, v) _mm256_storeu_ps(p, v)
#define PV_GUARD ETW_DENORMAL_GUARD_F
#define PV_COEF coef_f
#define PV_STATE state_f
#define PV_NAME(name) vecf_##name
#define PV_ONE(name) onef_##name
#define PV_LOAD_FRAMES load
#define PV_STORE_FRAMES store
#include "filter/kernel_pass.h"

/* Sum of 8 vectors (the finiteness check of load()) */
TARGET static ALWAYS_INLINE __m256 sum8(const __m256 *r)
{
    return _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(r[0], r[1]), _mm256_add_ps(r[2], r[3])),
                         _mm256_add_ps(_mm256_add_ps(r[4], r[5]), _mm256_add_ps(r[6], r[7])));
}

/* Loads len frames of a group into x[] (see PV_LOAD_FRAMES). The check adds up the samples:
 * the sum is finite unless a sample is NaN or infinite (or the sum overflows, a false alarm
 * that only costs the masked reload). */
TARGET static int load(const vecf_lanes *l, size_t len, __m256 *x, __m256 *ok, int masked)
{
    __m256 sum = _mm256_setzero_ps();
    size_t i = 0, st = l->stride;
    if (st == 1) {
        for (; i + 8 <= len; i += 8) {
            __m256 r[8];
            for (int c = 0; c < 8; c++) {
                r[c] = _mm256_loadu_ps(l->in[c] + i);
            }
            sum = _mm256_add_ps(sum, sum8(r));
            transpose8(r);
            for (int c = 0; c < 8; c++) {
                x[i + c] = r[c];
            }
        }
    } else if (l->nvalid == ETW_LANES_F) { /* interleaved: a frame is 8 adjacent floats */
        for (; i < len; i++) {
            x[i] = _mm256_loadu_ps(l->in[0] + i * st);
            sum = _mm256_add_ps(sum, x[i]);
        }
    }
    for (; i < len; i++) {
        size_t at = i * st;
        x[i] = _mm256_setr_ps(l->in[0][at], l->in[1][at], l->in[2][at], l->in[3][at],
                              l->in[4][at], l->in[5][at], l->in[6][at], l->in[7][at]);
        sum = _mm256_add_ps(sum, x[i]);
    }
    if (masked > 0) {
        for (i = 0; i < len; i++) {
            ok[i] = _mm256_cmp_ps(_mm256_sub_ps(x[i], x[i]), _mm256_setzero_ps(), _CMP_EQ_OQ);
            x[i] = _mm256_and_ps(x[i], ok[i]);
        }
    }
    __m256 fine = _mm256_cmp_ps(_mm256_sub_ps(sum, sum), _mm256_setzero_ps(), _CMP_EQ_OQ);
    return masked < 0 && _mm256_movemask_ps(fine) != 0xff;
}

/* Stores the frames i .. i + 7 of x[] to nvalid planar channels (a constant where inlined). */
TARGET static ALWAYS_INLINE void store8(float *const *out, size_t nvalid, const __m256 *x,
                                        size_t i)
{
    __m256 r[8];
    for (int c = 0; c < 8; c++) {
        r[c] = x[i + c];
    }
    transpose8(r);
    for (size_t c = 0; c < nvalid; c++) {
        _mm256_storeu_ps(out[c] + i, r[c]);
    }
}

/* Stores len frames of a group from x[] (NaN where ok[] is clear when masked). */
TARGET static void store(const vecf_lanes *l, size_t len, __m256 *x, const __m256 *ok,
                         int masked)
{
    if (masked) {
        const __m256 nan = _mm256_set1_ps(NAN);
        for (size_t i = 0; i < len; i++) {
            x[i] = _mm256_blendv_ps(nan, x[i], ok[i]);
        }
    }
    size_t i = 0, st = l->stride;
    if (st == 1) {
        if (l->nvalid == ETW_LANES_F) {
            for (; i + 8 <= len; i += 8) {
                store8(l->out, ETW_LANES_F, x, i);
            }
        } else {
            for (; i + 8 <= len; i += 8) {
                store8(l->out, l->nvalid, x, i);
            }
        }
    } else if (l->nvalid == ETW_LANES_F) {
        for (; i < len; i++) {
            _mm256_storeu_ps(l->out[0] + i * st, x[i]);
        }
    }
    for (; i < len; i++) {
        float y[ETW_LANES_F];
        _mm256_storeu_ps(y, x[i]);
        for (size_t c = 0; c < l->nvalid; c++) {
            l->out[c][i * st] = y[c];
        }
    }
}

TARGET static float frame_f(const float *coef, const unsigned char *kinds, size_t nsec,
                            float *h, float x)
{
    return onef_frame(coef, kinds, nsec, h, x, ETW_DENORMAL_GUARD_F, 0);
}

etw_cascade_kernel_f etw_kernel_avx2_f(void)
{
    if (etw_cpu_has_avx2_fma()) {
        return vecf_kernel;
    }
    return NULL;
}

etw_frame_f etw_frame_avx2_f(void)
{
    return etw_kernel_avx2_f() != NULL ? frame_f : NULL;
}

#else

etw_cascade_kernel_f etw_kernel_avx2_f(void)
{
    return NULL;
}

etw_frame_f etw_frame_avx2_f(void)
{
    return NULL;
}

#endif
