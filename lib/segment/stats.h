/* Order statistics (internal): quantiles by selection or of sorted arrays, median and MAD. */
#ifndef ETW_SEGMENT_STATS_H
#define ETW_SEGMENT_STATS_H

#include <stddef.h>

/* Scale that turns a median absolute deviation into a Gaussian standard deviation. */
#define ETW_MAD_TO_SD 1.482602218505602

/* Quantile q (0..1) of v[0..n-1] with linear interpolation between order statistics (numpy's
 * default "linear" method). Reorders v. n >= 1. */
double etw_quantile_inplace(double *v, size_t n, double q);

/* The same quantile of an ascending s[0..n-1] (no reordering). n >= 1. */
double etw_quantile_sorted(const double *s, size_t n, double q);

/* Median of v, then the median absolute deviation from it (v is overwritten). n >= 1. */
void etw_median_mad_inplace(double *v, size_t n, double *median, double *mad);

#endif
