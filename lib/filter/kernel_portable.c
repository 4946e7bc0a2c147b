/* Portable cascade kernel: one lane at a time, multiply then add (no fused multiply-add), so
 * it builds and gives the same results on any C11 compiler and CPU. Non-finite input samples
 * enter the state as 0 and give a NaN output sample (policy in filter.h). */
#include <math.h>

#include "filter/cascade.h"

void etw_kernel_portable(const double *coef, const unsigned char *kinds, size_t nsec,
                         double *state, const float *const *in, float *const *out,
                         size_t nvalid, size_t nframes, size_t stride, int masked)
{
    (void)kinds; /* multiply then add by 1, 2 or 0 is already exact */
    (void)masked; /* every sample is checked */
    for (size_t lane = 0; lane < nvalid; lane++) {
        const float *x_in = in[lane];
        float *y_out = out[lane];
        for (size_t n = 0; n < nframes; n++) {
            double x = x_in[n * stride];
            int finite = isfinite(x);
            if (!finite) {
                x = 0.0;
            }
            for (size_t s = 0; s < nsec; s++) {
                const double *c = coef + s * ETW_COEFS * ETW_LANES;
                double *z = state + s * 2 * ETW_LANES + lane;
                double y = c[0] * x + z[0];
                double t0 = c[ETW_LANES] * x + z[ETW_LANES];
                double t1 = c[2 * ETW_LANES] * x + ETW_DENORMAL_GUARD;
                z[0] = c[3 * ETW_LANES] * y + t0;
                z[ETW_LANES] = c[4 * ETW_LANES] * y + t1;
                x = y;
            }
            y_out[n * stride] = finite ? (float)x : NAN;
        }
    }
}
