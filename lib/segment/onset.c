/* The classical onset/offset detectors on a whole buffer (see segment.h and
 * docs/segmentation.md for the methods and their references). */
#include "emgtwitch/segment.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "emgtwitch/envelope.h"
#include "emgtwitch/filter.h"
#include "segment/activity.h"
#include "segment/onset_internal.h"
#include "segment/rest.h"

#define REST_WINDOW_MS 250.0
#define REST_PERCENTILE 10.0

/* y = x, band-passed (zero phase) when configured. */
static etw_status condition(const etw_onset_config *c, const float *x, float *y, size_t n)
{
    if (c->bandpass_lo_hz <= 0.0) {
        memcpy(y, x, n * sizeof *y);
        return ETW_OK;
    }
    etw_sos sos[2 * ONSET_MAX_ORDER];
    size_t ns = 0;
    etw_status st = etw_butter(ETW_BANDPASS, c->bandpass_order, c->bandpass_lo_hz,
                               fmin(c->bandpass_hi_hz, 0.45 * c->fs_hz), c->fs_hz, sos,
                               2 * ONSET_MAX_ORDER, &ns);
    if (st != ETW_OK) {
        return st;
    }
    const float *in[1] = {x};
    float *out[1] = {y};
    return etw_sosfiltfilt(sos, ns, in, out, 1, n);
}

/* d = centred envelope of y: the streaming envelope advanced by its latency. */
static etw_status centred_envelope(etw_envelope_kind kind, double window_ms, double fs,
                                   const float *y, float *d, size_t n)
{
    etw_envelope_config ec = etw_envelope_config_default(kind, fs, 1);
    ec.window_ms = window_ms;
    etw_envelope *e = NULL;
    etw_status st = etw_envelope_create(&ec, &e);
    if (st != ETW_OK) {
        return st;
    }
    const float *in[1] = {y};
    float *out[1] = {d};
    st = etw_envelope_process(e, in, out, n);
    size_t lag = (size_t)round(etw_envelope_get_latency(e));
    etw_envelope_destroy(e);
    if (lag > 0 && lag < n) {
        memmove(d, d + lag, (n - lag) * sizeof *d);
        for (size_t i = n - lag; i < n; i++) {
            d[i] = d[n - lag - 1];
        }
    }
    return st;
}

/* Marks rest samples: the given segment, or the quietest windows of |y|. */
static etw_status rest_mask(const etw_onset_config *c, const float *y, float *tmp, size_t n,
                            uint8_t *rest)
{
    memset(rest, 0, n);
    if (c->rest_len_s > 0.0) {
        size_t a = (size_t)round(c->rest_start_s * c->fs_hz);
        size_t len = (size_t)round(c->rest_len_s * c->fs_hz);
        if (len < 2 || a + len > n) {
            return ETW_ERR_RANGE;
        }
        memset(rest + a, 1, len);
        return ETW_OK;
    }
    size_t w = etw_ms_to_samples(REST_WINDOW_MS, c->fs_hz);
    w = w < 2 ? 2 : w;
    if (w > n) {
        return ETW_ERR_RANGE;
    }
    for (size_t i = 0; i < n; i++) {
        tmp[i] = fabsf(y[i]);
    }
    size_t nwin = n / w;
    size_t quietest = 0;
    /* the window mask is written into the first bytes of rest, then spread out backwards */
    etw_status st = etw_rest_windows(tmp, n, w, REST_PERCENTILE, rest, &quietest);
    if (st != ETW_OK) {
        return st;
    }
    for (size_t k = nwin; k-- > 0;) {
        uint8_t v = rest[k];
        memset(rest + k * w, v, w);
    }
    return ETW_OK;
}

/* Mean and SD of v over the rest samples. */
static etw_status rest_mean_sd(const float *v, const uint8_t *rest, size_t n, double *mean,
                               double *sd)
{
    double s = 0.0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (rest[i]) {
            s += (double)v[i];
            m++;
        }
    }
    if (m < 2) {
        return ETW_ERR_RANGE;
    }
    double mu = s / (double)m;
    double ss = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (rest[i]) {
            ss += ((double)v[i] - mu) * ((double)v[i] - mu);
        }
    }
    *mean = mu;
    *sd = sqrt(ss / (double)(m - 1));
    return *sd > 0.0 ? ETW_OK : ETW_ERR_STATE;
}

/* Mean square of y over the rest samples (the noise variance of a zero-mean signal). */
static etw_status rest_power(const float *y, const uint8_t *rest, size_t n, double *power)
{
    double s = 0.0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (rest[i]) {
            s += (double)y[i] * (double)y[i];
            m++;
        }
    }
    *power = m > 0 ? s / (double)m : 0.0;
    return *power > 0.0 ? ETW_OK : ETW_ERR_STATE;
}

static etw_status threshold_mask(const float *d, const uint8_t *rest, size_t n, double k,
                                 uint8_t *mask)
{
    double mean = 0.0;
    double sd = 0.0;
    etw_status st = rest_mean_sd(d, rest, n, &mean, &sd);
    double thr = mean + k * sd;
    for (size_t i = 0; i < n; i++) {
        mask[i] = (double)d[i] > thr;
    }
    return st;
}

/* Bonato et al. 1998: g_j on sample pairs; pair j active when at least r0 of the m
 * statistics g_j .. g_{j+m-1} exceed zeta. */
static void bonato_mask(const etw_onset_config *c, const float *y, size_t n, double var,
                        uint8_t *mask)
{
    size_t npairs = n / 2;
    size_t m = (size_t)c->bonato_m;
    /* exceedances first, stored in mask[2j+1] (read before it is overwritten) */
    for (size_t j = 0; j < npairs; j++) {
        double a = (double)y[2 * j];
        double b = (double)y[2 * j + 1];
        mask[2 * j + 1] = (a * a + b * b) / var > c->bonato_zeta;
    }
    size_t cnt = 0;
    for (size_t j = 0; j < m && j < npairs; j++) {
        cnt += mask[2 * j + 1];
    }
    for (size_t j = 0; j < npairs; j++) {
        uint8_t active = cnt >= (size_t)c->bonato_r0;
        /* slide the window [j, j+m) to [j+1, j+m+1) before overwriting pair j */
        cnt -= mask[2 * j + 1];
        if (j + m < npairs) {
            cnt += mask[2 * (j + m) + 1];
        }
        mask[2 * j] = active;
        mask[2 * j + 1] = active;
    }
    if (n % 2) {
        mask[n - 1] = npairs > 0 ? mask[n - 2] : 0;
    }
}

/* Page's two-sided CUSUM on the Gaussian log-likelihood ratio of variance q * var against
 * var. In rest, S accumulates evidence for activity and an alarm dates the onset at S's
 * last zero; in activity, T accumulates evidence for rest and dates the offset likewise. */
static void cusum_mask(const etw_onset_config *c, const float *y, size_t n, double var,
                       uint8_t *mask)
{
    double a = 0.0;
    double b = 0.0;
    etw_cusum_coefficients(c, var, &a, &b);
    int active = 0;
    double s = 0.0;
    size_t last_zero = 0;
    memset(mask, 0, n);
    for (size_t i = 0; i < n; i++) {
        double llr = a + b * (double)y[i] * (double)y[i];
        s = active ? s - llr : s + llr;
        if (s <= 0.0) {
            s = 0.0;
            last_zero = i + 1;
        }
        if (s > c->cusum_h) {
            if (!active) {
                memset(mask + last_zero, 1, i + 1 - last_zero);
            } else {
                memset(mask + last_zero, 0, i + 1 - last_zero);
            }
            active = !active;
            s = 0.0;
            last_zero = i + 1;
        } else if (active) {
            mask[i] = 1;
        }
    }
}

/* Drop-outs of up to max_dropout_ms are bridged, then activity shorter than min_on_ms is
 * dropped (Lidierth's rule; with no drop-outs allowed, a minimum time above threshold). */
static void keep_sustained(const etw_onset_config *c, uint8_t *mask, size_t n)
{
    etw_mask_fill_gaps(mask, n, etw_ms_to_samples(c->max_dropout_ms, c->fs_hz));
    etw_mask_keep_lengths(mask, n, etw_ms_to_samples(c->min_on_ms, c->fs_hz), 0);
}

etw_status etw_onset_detect(const etw_onset_config *config, const float *x, size_t n,
                            etw_segment *out, size_t capacity, size_t *count)
{
    if (config == NULL || x == NULL || count == NULL || (out == NULL && capacity > 0)) {
        return ETW_ERR_NULL;
    }
    *count = 0;
    etw_status st = etw_onset_config_check(config);
    if (st != ETW_OK) {
        return st;
    }
    const double fs = config->fs_hz;
    if ((double)n < fs) {
        return ETW_ERR_RANGE;
    }
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i])) {
            return ETW_ERR_NONFINITE;
        }
    }
    float *y = malloc(n * sizeof *y);
    float *d = malloc(n * sizeof *d);
    uint8_t *rest = malloc(n);
    uint8_t *mask = malloc(n);
    if (y == NULL || d == NULL || rest == NULL || mask == NULL) {
        st = ETW_ERR_NOMEM;
        goto done;
    }
    st = condition(config, x, y, n);
    if (st == ETW_OK) {
        st = rest_mask(config, y, d, n, rest);
    }
    if (st != ETW_OK) {
        goto done;
    }
    double var = 0.0;
    st = rest_power(y, rest, n, &var);
    if (st != ETW_OK) {
        goto done;
    }
    switch (config->method) {
    case ETW_ONSET_HODGES:
        st = centred_envelope(ETW_ENV_ARV, config->window_ms, fs, y, d, n);
        if (st == ETW_OK) {
            st = threshold_mask(d, rest, n, config->k_sd, mask);
        }
        keep_sustained(config, mask, n);
        break;
    case ETW_ONSET_TKEO:
        st = centred_envelope(ETW_ENV_TKEO, config->window_ms, fs, y, d, n);
        for (size_t i = 0; i < n; i++) {
            d[i] = fabsf(d[i]);
        }
        if (st == ETW_OK) {
            st = centred_envelope(ETW_ENV_ARV, config->window_ms, fs, d, d, n);
        }
        if (st == ETW_OK) {
            st = threshold_mask(d, rest, n, config->k_sd, mask);
        }
        keep_sustained(config, mask, n);
        break;
    case ETW_ONSET_LIDIERTH:
        for (size_t i = 0; i < n; i++) {
            d[i] = fabsf(y[i]);
        }
        st = threshold_mask(d, rest, n, config->k_sd, mask);
        keep_sustained(config, mask, n);
        break;
    case ETW_ONSET_BONATO:
        bonato_mask(config, y, n, var, mask);
        keep_sustained(config, mask, n);
        break;
    case ETW_ONSET_CUSUM:
        cusum_mask(config, y, n, var, mask);
        break;
    }
    if (st != ETW_OK) {
        goto done;
    }
    etw_mask_fill_gaps(mask, n, etw_ms_to_samples(config->merge_gap_ms, fs));
    etw_mask_keep_lengths(mask, n, etw_ms_to_samples(config->min_duration_ms, fs),
                          etw_ms_to_samples(config->max_duration_ms, fs));
    st = etw_mask_to_segments(mask, y, n, fs, var, config->min_snr_db, out, capacity, count);
done:
    free(y);
    free(d);
    free(rest);
    free(mask);
    return st;
}
