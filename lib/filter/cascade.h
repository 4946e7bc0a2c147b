/* Internal: layout of the streaming cascade and its processing kernels.
 *
 * Channels are processed in groups of ETW_LANES side by side (one SIMD vector of doubles per
 * group). Per section the coefficients are stored broadcast over the lanes as
 * b0, b1, b2, -a1, -a2 (ETW_COEFS vectors); the state of a group is, per section, z0 and z1
 * of the transposed direct form II (the state scipy.signal.sosfilt and sosfilt_zi use):
 *
 *     y  = b0 x + z0
 *     z0 = b1 x - a1 y + z1
 *     z1 = b2 x - a2 y + ETW_DENORMAL_GUARD
 *
 * ETW_DENORMAL_GUARD keeps the recursion away from subnormal numbers after a burst followed by
 * silence (see docs/filters.md): it enters every section as a constant input of 1e-200, far
 * below any float sample (the smallest float is 1.4e-45), so outputs are unchanged, yet
 * decaying states settle on normal numbers instead of creeping through the slow subnormal
 * range. It costs nothing: it replaces the zero addend of an existing multiply-add. */
#ifndef ETW_FILTER_CASCADE_H
#define ETW_FILTER_CASCADE_H

#include <stddef.h>

#include "emgtwitch/filter.h"
#include "filter/check.h"

#define ETW_LANES 4   /* doubles per vector: channels per group in double precision */
#define ETW_LANES_F 8 /* floats per vector: channels per group in float precision */
#define ETW_COEFS 5
#define ETW_DENORMAL_GUARD 1e-200
#define ETW_DENORMAL_GUARD_F 1e-30f

/* Numerator patterns a kernel may compute with additions instead of multiply-adds (exact
 * coefficients 1, +-2, 0, -1 round the same either way). Butterworth sections after the
 * first have b0 = 1 and zeros at z = +-1, hence these patterns. */
enum etw_section_kind {
    ETW_SECTION_GENERIC = 0,
    ETW_SECTION_1_0_M1, /* b = 1, 0, -1 (band-pass: zeros at +1 and -1) */
    ETW_SECTION_1_2_1,  /* b = 1, 2, 1 (low-pass: double zero at -1) */
    ETW_SECTION_1_M2_1  /* b = 1, -2, 1 (high-pass: double zero at +1) */
};

/* Processes one group of ETW_LANES channels. in/out hold ETW_LANES pointers to frame 0 of
 * each lane, frame n of a lane being at in[lane][n * stride] (stride 1: planar data; the
 * channel count: interleaved data, then in[lane] = in[0] + lane for the lanes of a full
 * group); lanes at and beyond nvalid read the input of lane nvalid-1 and are not stored.
 * kinds[s] is the etw_section_kind of section s; masked is nonzero when the block may hold
 * a non-finite sample. */
typedef void (*etw_cascade_kernel)(const double *coef, const unsigned char *kinds, size_t nsec,
                                   double *state, const float *const *in, float *const *out,
                                   size_t nvalid, size_t nframes, size_t stride, int masked);

/* Where a block is: planar (in[ch], out[ch]; stride 1) or, when in is NULL, interleaved
 * (frame n of channel ch at in_base[n * stride + ch], stride = the channel count). */
typedef struct etw_block {
    const float *const *in;
    float *const *out;
    const float *in_base;
    float *out_base;
    size_t stride;
} etw_block;

/* Float-precision kernel: filters nframes frames of every channel of c (in place allowed)
 * in direct form I (filter/dfi.h) and advances state_f; masked as for etw_cascade_kernel, or
 * -1 (planar blocks only): scan each group before filtering it. */
typedef void (*etw_cascade_kernel_f)(const etw_cascade *c, const etw_block *b, size_t nframes,
                                     int masked);

/* A scan for non-finite samples (etw_any_nonfinite). */
typedef int (*etw_scan)(const float *const *in, size_t nch, size_t nframes);

/* Single-channel kernel of double precision, for a cascade of one channel
 * (etw_cascade_is_one()): direct form I, state holding the history h[2k], h[2k+1] =
 * u_k(n-1), u_k(n-2) (k = 0 .. nsec) of the signal u_k before section k (filter/dfi1.h), as
 * in float precision. Filters nframes >= 1 frames of in (stride 1) into out (in place
 * allowed); it scans the block itself: a non-finite sample enters as 0 and gives NaN. */
typedef void (*etw_one_kernel)(const double *coef, size_t nsec, double *state, const float *in,
                               float *out, size_t nframes);

struct etw_cascade {
    size_t nch, nsec, ngroups;
    int owned;
    int portable;            /* kernels forced to the portable ones (tests) */
    etw_precision requested; /* as set by etw_cascade_set_precision() */
    etw_precision precision; /* in use: ETW_PRECISION_DOUBLE or ETW_PRECISION_FLOAT */
    etw_cascade_kernel kernel;
    etw_one_kernel one; /* one channel in double precision (etw_cascade_is_one()), else NULL */
    etw_cascade_kernel_f kernel_f;
    etw_scan scan; /* etw_any_nonfinite or its AVX2 twin */
    unsigned char kinds[ETW_MAX_SECTIONS]; /* etw_section_kind per section */
    double *coef;   /* [nsec][ETW_COEFS][ETW_LANES] */
    float *coef_f;  /* [nsec][ETW_COEFS][ETW_LANES_F]: the same rounded to float */
    double *unit;   /* [nsec][2]: state for a unit constant input (sosfilt_zi) */
    double *dc;     /* [nsec + 1]: DC gain of the sections before section k */
    double *state;  /* [ngroups][nsec][2][ETW_LANES]: transposed direct form II state; or
                       the direct form I history [nsec + 1][2] (etw_cascade_is_one()) */
    float *state_f; /* [ngroups_f][nsec + 1][2][ETW_LANES_F]: float precision, direct form I
                       history u_k(n-1), u_k(n-2) of the signal u_k before section k */
};

/* Portable kernel (plain C, multiply then add). */
void etw_kernel_portable(const double *coef, const unsigned char *kinds, size_t nsec,
                         double *state, const float *const *in, float *const *out,
                         size_t nvalid, size_t nframes, size_t stride, int masked);

/* AVX2 + FMA kernel, or NULL when this build or this CPU has none. */
etw_cascade_kernel etw_kernel_avx2(void);

/* The single-channel kernels (etw_one_kernel) for ETW_ONE_MIN_SECTIONS ..
 * ETW_ONE_MAX_SECTIONS sections; other cascades of one channel run in a lane of the
 * 4-channel kernels. */
#define ETW_ONE_MIN_SECTIONS 2
#define ETW_ONE_MAX_SECTIONS 5

/* Portable (multiply then add). */
void etw_kernel_one_portable(const double *coef, size_t nsec, double *state, const float *in,
                             float *out, size_t nframes);

/* AVX2 + FMA for nsec sections (the one it is called with), or NULL when this build or this
 * CPU has none. */
etw_one_kernel etw_kernel_one_avx2(size_t nsec);

/* Nonzero when c runs the single-channel kernels in double precision. */
static inline int etw_cascade_is_one(const etw_cascade *c)
{
    return c->nch == 1 && c->nsec >= ETW_ONE_MIN_SECTIONS && c->nsec <= ETW_ONE_MAX_SECTIONS;
}

/* Float-precision kernels: portable (multiply then add) and AVX2 + FMA (NULL when this build
 * or this CPU has none). */
void etw_kernel_portable_f(const etw_cascade *c, const etw_block *b, size_t nframes,
                           int masked);
etw_cascade_kernel_f etw_kernel_avx2_f(void);

/* One frame through all sections in float precision with the arithmetic of a kernel (h: the
 * history of one channel, 2 (nsec + 1) values); the AVX2 one (fused multiply-adds, as the
 * AVX2 kernel computes) or NULL. */
typedef float (*etw_frame_f)(const float *coef, const unsigned char *kinds, size_t nsec,
                             float *h, float x);
etw_frame_f etw_frame_avx2_f(void);

/* Nonzero when a sample of the nch channels is NaN or infinite: portable C, and the AVX2 one
 * (NULL when this build or this CPU has none). */
int etw_any_nonfinite(const float *const *in, size_t nch, size_t nframes);
etw_scan etw_scan_avx2(void);

/* Largest deviation of float from double precision (direct form I both) on the probe signal
 * of etw_cascade_set_precision(), relative to the peak output; uses c's coefficients and
 * the float arithmetic of c's float kernel. */
double etw_cascade_probe_float_error(const etw_cascade *c);

/* Makes a cascade use the portable kernels from now on (tests and CPUs without AVX2). */
void etw_cascade_force_portable(etw_cascade *cascade);

/* State of a constant unit input, like scipy.signal.sosfilt_zi: zi[s][0..1]. */
void etw_sos_zi(const etw_sos *sos, size_t nsections, double (*zi)[2]);

#endif
