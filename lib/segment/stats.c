#include "segment/stats.h"

#include <math.h>

static void swap(double *a, double *b)
{
    double t = *a;
    *a = *b;
    *b = t;
}

/* Hoare-style selection: afterwards v[k] is the k-th smallest, smaller ones before it. */
static double select_kth(double *v, size_t n, size_t k)
{
    size_t lo = 0;
    size_t hi = n - 1;
    while (hi > lo) {
        /* median of three as pivot */
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < v[lo]) {
            swap(&v[mid], &v[lo]);
        }
        if (v[hi] < v[lo]) {
            swap(&v[hi], &v[lo]);
        }
        if (v[hi] < v[mid]) {
            swap(&v[hi], &v[mid]);
        }
        double pivot = v[mid];
        size_t i = lo;
        size_t j = hi;
        while (i <= j) {
            while (v[i] < pivot) {
                i++;
            }
            while (v[j] > pivot) {
                j--;
            }
            if (i <= j) {
                swap(&v[i], &v[j]);
                i++;
                if (j == 0) {
                    break;
                }
                j--;
            }
        }
        if (k <= j) {
            hi = j;
        } else if (k >= i) {
            lo = i;
        } else {
            break;
        }
    }
    return v[k];
}

double etw_quantile_sorted(const double *s, size_t n, double q)
{
    double pos = q * (double)(n - 1);
    size_t k = (size_t)floor(pos);
    if (k >= n - 1) {
        return s[n - 1];
    }
    double frac = pos - (double)k;
    return s[k] + frac * (s[k + 1] - s[k]);
}

double etw_quantile_inplace(double *v, size_t n, double q)
{
    double pos = q * (double)(n - 1);
    size_t k = (size_t)floor(pos);
    if (k >= n - 1) {
        return select_kth(v, n, n - 1);
    }
    double frac = pos - (double)k;
    double a = select_kth(v, n, k);
    /* the next order statistic is the minimum of the part after k */
    double b = v[k + 1];
    for (size_t i = k + 2; i < n; i++) {
        b = v[i] < b ? v[i] : b;
    }
    return a + frac * (b - a);
}

void etw_median_mad_inplace(double *v, size_t n, double *median, double *mad)
{
    double m = etw_quantile_inplace(v, n, 0.5);
    for (size_t i = 0; i < n; i++) {
        v[i] = fabs(v[i] - m);
    }
    *median = m;
    *mad = etw_quantile_inplace(v, n, 0.5);
}
