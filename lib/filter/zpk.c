/* Conversion of zeros/poles/gain to second-order sections, following the algorithm of
 * scipy.signal.zpk2sos with pairing='nearest' (SciPy 1.10, signal/_filter_design.py):
 * conjugate pairs are matched and averaged, then sections are built from the last to the
 * first, each time taking the pole closest to the unit circle and pairing it with the zero
 * nearest to it, so the poles nearest the unit circle end up in the last section. */
#include "filter/zpk.h"

#include <float.h>
#include <math.h>
#include <string.h>

double complex etw_cmul(double complex a, double complex b)
{
    double ar = creal(a), ai = cimag(a), br = creal(b), bi = cimag(b);
    return CMPLX(ar * br - ai * bi, ar * bi + ai * br);
}

double complex etw_cdiv(double complex a, double complex b)
{
    double ar = creal(a), ai = cimag(a), br = creal(b), bi = cimag(b);
    if (fabs(br) >= fabs(bi)) {
        if (br == 0.0 && bi == 0.0) {
            return CMPLX(ar / fabs(br), ai / fabs(br));
        }
        double rat = bi / br;
        double scl = 1.0 / (br + bi * rat);
        return CMPLX((ar + ai * rat) * scl, (ai - ar * rat) * scl);
    }
    double rat = br / bi;
    double scl = 1.0 / (bi + br * rat);
    return CMPLX((ar * rat + ai) * scl, (ai * rat - ar) * scl);
}

static int is_real(double complex v)
{
    return cimag(v) == 0.0;
}

/* Stable insertion sort by (real part, |imag|) or, when by_imag_only, by |imag|. */
static void sort_values(double complex *v, size_t n, int by_imag_only)
{
    for (size_t i = 1; i < n; i++) {
        double complex key = v[i];
        size_t j = i;
        while (j > 0) {
            double complex prev = v[j - 1];
            int greater;
            if (by_imag_only || creal(prev) == creal(key)) {
                greater = fabs(cimag(prev)) > fabs(cimag(key));
            } else {
                greater = creal(prev) > creal(key);
            }
            if (!greater) {
                break;
            }
            v[j] = prev;
            j--;
        }
        v[j] = key;
    }
}

/* scipy.signal._cplxreal: one member (imag > 0) of each conjugate pair, averaged with its
 * partner, followed by the real values. Rewrites v in place and returns its new length, or
 * 0 when a complex value has no conjugate. */
static size_t cplxreal(double complex *v, size_t n)
{
    const double tol = 100.0 * DBL_EPSILON;
    double complex pos[ETW_ZPK_MAX], neg[ETW_ZPK_MAX], real[ETW_ZPK_MAX];
    size_t npos = 0, nneg = 0, nreal = 0;
    sort_values(v, n, 0);
    for (size_t i = 0; i < n; i++) {
        if (fabs(cimag(v[i])) <= tol * cabs(v[i])) {
            real[nreal++] = CMPLX(creal(v[i]), 0.0);
        } else if (cimag(v[i]) > 0.0) {
            pos[npos++] = v[i];
        } else {
            neg[nneg++] = v[i];
        }
    }
    if (npos != nneg) {
        return 0;
    }
    /* runs of (nearly) equal real parts are ordered by |imag| */
    size_t start = 0;
    while (start < npos) {
        size_t stop = start;
        while (stop + 1 < npos &&
               creal(pos[stop + 1]) - creal(pos[stop]) <= tol * cabs(pos[stop])) {
            stop++;
        }
        if (stop > start) {
            sort_values(pos + start, stop - start + 1, 1);
            sort_values(neg + start, stop - start + 1, 1);
        }
        start = stop + 1;
    }
    size_t m = 0;
    for (size_t i = 0; i < npos; i++) {
        if (cabs(pos[i] - conj(neg[i])) > tol * cabs(neg[i])) {
            return 0;
        }
        v[m++] = CMPLX((creal(pos[i]) + creal(neg[i])) * 0.5,
                       (cimag(pos[i]) - cimag(neg[i])) * 0.5);
    }
    for (size_t i = 0; i < nreal; i++) {
        v[m++] = real[i];
    }
    return m;
}

static double complex take(double complex *v, size_t *n, size_t idx)
{
    double complex out = v[idx];
    memmove(v + idx, v + idx + 1, (*n - idx - 1) * sizeof *v);
    (*n)--;
    return out;
}

/* Index of the pole closest to the unit circle among v[i] with want_real (1), any (-1). */
static size_t idx_worst(const double complex *v, size_t n, int want_real)
{
    size_t best = n;
    double best_d = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (want_real == 1 && !is_real(v[i])) {
            continue;
        }
        double d = fabs(1.0 - cabs(v[i]));
        if (best == n || d < best_d) {
            best = i;
            best_d = d;
        }
    }
    return best;
}

enum { ANY = -1, COMPLEX = 0, REAL = 1 };

/* scipy's _nearest_real_complex_idx: the value nearest to `to` with the wanted realness
 * (stable order among equal distances). Returns n when there is none. */
static size_t nearest(const double complex *v, size_t n, double complex to, int which)
{
    size_t best = n;
    double best_d = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (which != ANY && is_real(v[i]) != which) {
            continue;
        }
        double d = cabs(v[i] - to);
        if (best == n || d < best_d) {
            best = i;
            best_d = d;
        }
    }
    return best;
}

static size_t count_real(const double complex *v, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++) {
        c += (size_t)is_real(v[i]);
    }
    return c;
}

/* Real coefficients of (1 - r1 z^-1)(1 - r2 z^-1) for a conjugate or a real pair. */
static void quadratic(double complex r1, double complex r2, double *c)
{
    c[0] = 1.0;
    if (!is_real(r1)) {
        c[1] = -creal(r1) - creal(r1);
        c[2] = creal(r1) * creal(r1) + cimag(r1) * cimag(r1);
    } else {
        c[1] = -creal(r2) + -creal(r1);
        c[2] = creal(r1) * creal(r2);
    }
}

size_t etw_zpk_to_sos(etw_zpk *zpk, etw_sos *sos)
{
    double complex *z = zpk->z, *p = zpk->p;
    size_t nz = zpk->nz, np = zpk->np;
    while (np < nz) {
        p[np++] = 0.0;
    }
    while (nz < np) {
        z[nz++] = 0.0;
    }
    size_t nsec = (np + 1) / 2;
    if (np % 2 == 1) {
        p[np++] = 0.0;
        z[nz++] = 0.0;
    }
    size_t nz_pairs = cplxreal(z, nz), np_pairs = cplxreal(p, np);
    if ((nz > 0 && nz_pairs == 0) || (np > 0 && np_pairs == 0)) {
        return 0;
    }
    nz = nz_pairs;
    np = np_pairs;
    /* With equal, even pole and zero counts every real pole has a real partner, so SciPy's
     * "last remaining real pole" case cannot occur here. */
    for (size_t si = nsec; si-- > 0;) {
        double complex p1 = take(p, &np, idx_worst(p, np, ANY));
        double complex p2, z1, z2;
        if (np + 1 == nz && !is_real(p1) && count_real(p, np) == 1 &&
            count_real(z, nz) == 1) {
            /* one real pole and one real zero left: p1 must take a complex zero */
            size_t zi = nearest(z, nz, p1, COMPLEX);
            if (zi == nz) {
                return 0;
            }
            z1 = take(z, &nz, zi);
            z2 = conj(z1);
            p2 = conj(p1);
        } else {
            if (is_real(p1)) {
                size_t pi2 = idx_worst(p, np, REAL);
                if (pi2 == np) {
                    return 0;
                }
                p2 = take(p, &np, pi2);
            } else {
                p2 = conj(p1);
            }
            size_t zi = nearest(z, nz, p1, ANY);
            if (zi == nz) {
                return 0;
            }
            z1 = take(z, &nz, zi);
            if (!is_real(z1)) {
                z2 = conj(z1);
            } else {
                size_t zi2 = nearest(z, nz, p1, REAL);
                if (zi2 == nz) {
                    return 0;
                }
                z2 = take(z, &nz, zi2);
            }
        }
        quadratic(z1, z2, &sos[si][0]);
        quadratic(p1, p2, &sos[si][3]);
    }
    if (np != 0 || nz != 0) {
        return 0;
    }
    for (int i = 0; i < 3; i++) {
        sos[0][i] *= zpk->k;
    }
    return nsec;
}
