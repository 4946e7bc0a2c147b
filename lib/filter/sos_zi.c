/* Steady state of a cascade for a constant unit input, as scipy.signal.sosfilt_zi: each
 * section's lfilter_zi (solve (I - A^T) z = b[1:] - a[1:] b0 with A the companion matrix of
 * the denominator) scaled by the DC gain of the sections before it. The 2x2 system is solved
 * by Gaussian elimination with partial pivoting, as LAPACK's dgesv does for SciPy. */
#include <math.h>

#include "filter/cascade.h"

static void section_zi(const double *c, double *z)
{
    double b0 = c[0], b1 = c[1], b2 = c[2], a1 = c[4], a2 = c[5];
    double r0 = b1 - a1 * b0, r1 = b2 - a2 * b0;
    /* (I - A^T) = [[1 + a1, -1], [a2, 1]] */
    double m00 = 1.0 + a1, m01 = -1.0, m10 = a2, m11 = 1.0;
    if (fabs(m10) > fabs(m00)) {
        double t;
        t = m00, m00 = m10, m10 = t;
        t = m01, m01 = m11, m11 = t;
        t = r0, r0 = r1, r1 = t;
    }
    double l = m10 / m00;
    double u11 = m11 - l * m01;
    z[1] = (r1 - l * r0) / u11;
    z[0] = (r0 - m01 * z[1]) / m00;
}

void etw_sos_zi(const etw_sos *sos, size_t nsections, double (*zi)[2])
{
    double scale = 1.0;
    for (size_t s = 0; s < nsections; s++) {
        double z[2];
        section_zi(sos[s], z);
        zi[s][0] = scale * z[0];
        zi[s][1] = scale * z[1];
        scale *= ((sos[s][0] + sos[s][1]) + sos[s][2]) / ((sos[s][3] + sos[s][4]) + sos[s][5]);
    }
}
