/* Portable float-precision cascade kernel: one channel and one frame at a time in direct
 * form I (filter/dfi.h), multiply then add (no fused multiply-add), so it builds and gives
 * the same results on any C11 compiler and CPU; non-finite input samples enter the state as
 * 0 and give a NaN output sample (policy in filter.h). Also the probe that decides whether
 * float precision is accurate enough for a design (etw_cascade_set_precision()). */
#include <math.h>

#include "filter/cascade.h"

#define DFI_T float
#define DFI_C float
#define DFI_STRIDE ETW_LANES_F
#define DFI_ADD(a, b) ((a) + (b))
#define DFI_SUB(a, b) ((a) - (b))
#define DFI_MAC(a, b, c) ((a) * (b) + (c))
#define DFI_COEF(c, k) ((c)[(k) * ETW_LANES_F])
#define DFI_NAME(name) portable_f_##name
#define DFI_INLINE static inline
#include "filter/dfi.h"

/* the same arithmetic in double, for the probe's reference */
#define DFI_T double
#define DFI_C double
#define DFI_STRIDE ETW_LANES
#define DFI_ADD(a, b) ((a) + (b))
#define DFI_SUB(a, b) ((a) - (b))
#define DFI_MAC(a, b, c) ((a) * (b) + (c))
#define DFI_COEF(c, k) ((c)[(k) * ETW_LANES])
#define DFI_NAME(name) portable_d_##name
#define DFI_INLINE static inline
#include "filter/dfi.h"

void etw_kernel_portable_f(const etw_cascade *c, const etw_block *b, size_t nframes,
                           int masked)
{
    (void)masked; /* every sample is checked (masked may be -1: unknown) */
    float h[2 * (ETW_MAX_SECTIONS + 1)];
    size_t nhist = 2 * (c->nsec + 1), st = b->stride;
    for (size_t ch = 0; ch < c->nch; ch++) {
        const float *in = b->in != NULL ? b->in[ch] : b->in_base + ch;
        float *out = b->in != NULL ? b->out[ch] : b->out_base + ch;
        float *state = c->state_f + (ch / ETW_LANES_F) * nhist * ETW_LANES_F + ch % ETW_LANES_F;
        for (size_t k = 0; k < nhist; k++) {
            h[k] = state[k * ETW_LANES_F];
        }
        for (size_t n = 0; n < nframes; n++) {
            float x = in[n * st];
            int finite = isfinite(x);
            float y = portable_f_frame(c->coef_f, c->kinds, c->nsec, h, finite ? x : 0.0f,
                                       ETW_DENORMAL_GUARD_F, 0);
            out[n * st] = finite ? y : NAN;
        }
        for (size_t k = 0; k < nhist; k++) {
            state[k * ETW_LANES_F] = h[k];
        }
    }
}

/* The probe: white noise (rms 1: a sum of 4 uniform values from a xorshift generator) on a
 * DC offset of 20, through both precisions from zero state; the deviation is measured on
 * the second half, after the start transient, relative to the peak output there. */
#define PROBE_FRAMES 16384

static float frame_portable_f(const float *coef, const unsigned char *kinds, size_t nsec,
                              float *h, float x)
{
    return portable_f_frame(coef, kinds, nsec, h, x, ETW_DENORMAL_GUARD_F, 0);
}

double etw_cascade_probe_float_error(const etw_cascade *c)
{
    etw_frame_f frame = c->kernel_f == etw_kernel_portable_f ? NULL : etw_frame_avx2_f();
    if (frame == NULL) {
        frame = frame_portable_f;
    }
    double h[2 * (ETW_MAX_SECTIONS + 1)] = {0};
    float hf[2 * (ETW_MAX_SECTIONS + 1)] = {0};
    unsigned long long st = 88172645463325252ull;
    double worst = 0.0, peak = 0.0;
    for (size_t n = 0; n < PROBE_FRAMES; n++) {
        double u = 0.0;
        for (int j = 0; j < 4; j++) {
            st ^= st << 13, st ^= st >> 7, st ^= st << 17;
            u += (double)(st >> 11) / 9007199254740992.0;
        }
        float x = (float)(20.0 + (u - 2.0) * 1.7320508075688772); /* u - 2: rms 1/sqrt(3) */
        double y = portable_d_frame(c->coef, c->kinds, c->nsec, h, x, ETW_DENORMAL_GUARD, 0);
        float yf = frame(c->coef_f, c->kinds, c->nsec, hf, x);
        if (n >= PROBE_FRAMES / 2) {
            worst = fmax(worst, fabs((double)yf - y));
            peak = fmax(peak, fabs(y));
        }
    }
    return peak > 0.0 && isfinite(worst) ? worst / peak : INFINITY;
}
