/* Noise floor of an envelope from a rest segment or from its quietest windows. */
#include "emgtwitch/segment.h"

#include <math.h>
#include <stdlib.h>

#include "segment/stats.h"

/* Statistics of v[0..m-1] (finite values, m >= 1); v is reordered. */
static void rest_stats(double *v, size_t m, etw_floor_estimate *out)
{
    double mean = 0.0;
    for (size_t i = 0; i < m; i++) {
        mean += v[i];
    }
    mean /= (double)m;
    double ss = 0.0;
    for (size_t i = 0; i < m; i++) {
        ss += (v[i] - mean) * (v[i] - mean);
    }
    out->mean = mean;
    out->sd = sqrt(ss / (double)m);
    out->nsamples = m;
    double mad = 0.0;
    etw_median_mad_inplace(v, m, &out->level, &mad);
    out->mad_sd = ETW_MAD_TO_SD * mad;
}

/* Copies the finite samples of env[0..n-1] to dst; returns how many. */
static size_t copy_finite(const float *env, size_t n, double *dst)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (isfinite(env[i])) {
            dst[m++] = (double)env[i];
        }
    }
    return m;
}

etw_status etw_floor_from_rest(const float *env, size_t n, etw_floor_estimate *out)
{
    if (env == NULL || out == NULL) {
        return ETW_ERR_NULL;
    }
    if (n == 0) {
        return ETW_ERR_RANGE;
    }
    double *v = malloc(n * sizeof *v);
    if (v == NULL) {
        return ETW_ERR_NOMEM;
    }
    size_t m = copy_finite(env, n, v);
    if (m == 0) {
        free(v);
        return ETW_ERR_NONFINITE;
    }
    rest_stats(v, m, out);
    out->rest_start = 0;
    out->rest_len = (int64_t)n;
    free(v);
    return ETW_OK;
}

etw_status etw_floor_auto(const float *env, size_t n, double fs_hz, double window_ms,
                          double percentile, etw_floor_estimate *out)
{
    if (env == NULL || out == NULL) {
        return ETW_ERR_NULL;
    }
    if (!isfinite(fs_hz) || !isfinite(window_ms) || !isfinite(percentile)) {
        return ETW_ERR_NONFINITE;
    }
    if (fs_hz <= 0.0 || window_ms <= 0.0 || percentile < 0.0 || percentile > 100.0) {
        return ETW_ERR_RANGE;
    }
    double wd = round(window_ms * fs_hz / 1000.0);
    size_t w = wd < 1.0 ? 1 : (wd > (double)n ? n + 1 : (size_t)wd);
    if (n == 0 || w > n) {
        return ETW_ERR_RANGE;
    }
    size_t nwin = n / w;
    double *means = malloc(nwin * sizeof *means);
    double *sorted = malloc(nwin * sizeof *sorted);
    double *v = malloc(n * sizeof *v);
    etw_status st = ETW_OK;
    if (means == NULL || sorted == NULL || v == NULL) {
        st = ETW_ERR_NOMEM;
        goto done;
    }
    size_t nvalid = 0;
    size_t quietest = 0;
    for (size_t k = 0; k < nwin; k++) {
        size_t m = copy_finite(env + k * w, w, v);
        double s = 0.0;
        for (size_t i = 0; i < m; i++) {
            s += v[i];
        }
        means[k] = m > 0 ? s / (double)m : NAN;
        if (m > 0) {
            sorted[nvalid++] = means[k];
            if (isnan(means[quietest]) || means[k] < means[quietest]) {
                quietest = k;
            }
        }
    }
    if (nvalid == 0) {
        st = ETW_ERR_NONFINITE;
        goto done;
    }
    double threshold = etw_quantile_inplace(sorted, nvalid, percentile / 100.0);
    size_t m = 0;
    for (size_t k = 0; k < nwin; k++) {
        if (means[k] <= threshold) {
            m += copy_finite(env + k * w, w, v + m);
        }
    }
    rest_stats(v, m, out);
    out->rest_start = (int64_t)(quietest * w);
    out->rest_len = (int64_t)w;
done:
    free(means);
    free(sorted);
    free(v);
    return st;
}
