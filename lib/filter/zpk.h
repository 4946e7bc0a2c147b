/* Internal: zeros, poles and gain of a digital filter, and their conversion to second-order
 * sections with SciPy's 'nearest' pairing. */
#ifndef ETW_FILTER_ZPK_H
#define ETW_FILTER_ZPK_H

#include <complex.h>
#include <stddef.h>

#include "emgtwitch/filter.h"

/* Band designs of order 16 have 32 poles; zpk2sos may pad one more. */
#define ETW_ZPK_MAX (2 * ETW_BUTTER_MAX_ORDER + 2)

typedef struct etw_zpk {
    double complex z[ETW_ZPK_MAX];
    double complex p[ETW_ZPK_MAX];
    size_t nz, np;
    double k;
} etw_zpk;

/* Complex product and quotient computed exactly as NumPy does (the quotient with Smith's
 * algorithm, R. L. Smith, CACM 5(8):435, 1962), so designs round like SciPy's. */
double complex etw_cmul(double complex a, double complex b);
double complex etw_cdiv(double complex a, double complex b);

/* Writes (zpk->np + 1) / 2 sections (after padding to equal, even counts) into sos, pairing
 * poles and zeros like scipy.signal.zpk2sos(..., pairing='nearest'). Returns the section
 * count, or 0 on an internal inconsistency (unpaired complex values). zpk is consumed. */
size_t etw_zpk_to_sos(etw_zpk *zpk, etw_sos *sos);

#endif
