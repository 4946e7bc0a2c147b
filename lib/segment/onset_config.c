/* Onset detector parameters: defaults per method, names, access by name. */
#include "emgtwitch/segment.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#include "segment/onset_internal.h"

static const char *const method_names[ETW_ONSET_NMETHODS] = {"hodges", "bonato", "tkeo",
                                                             "lidierth", "cusum"};

etw_onset_config etw_onset_config_default(etw_onset_method method, double fs_hz)
{
    etw_onset_config c;
    memset(&c, 0, sizeof c);
    c.method = method;
    c.fs_hz = fs_hz;
    c.bandpass_lo_hz = 20.0;
    c.bandpass_hi_hz = 450.0;
    c.bandpass_order = 4;
    c.window_ms = 25.0;
    c.k_sd = method == ETW_ONSET_TKEO ? 8.0 : 3.0;
    c.min_on_ms = method == ETW_ONSET_BONATO ? 30.0 : 25.0;
    c.max_dropout_ms = method == ETW_ONSET_LIDIERTH ? 10.0 : 0.0;
    c.bonato_m = 5;
    c.bonato_r0 = 1;
    c.bonato_zeta = 7.74;
    c.cusum_ratio_db = 6.0;
    c.cusum_h = 25.0;
    return c;
}

const char *etw_onset_method_name(etw_onset_method method)
{
    return (unsigned)method < ETW_ONSET_NMETHODS ? method_names[method] : "unknown";
}

etw_status etw_onset_method_from_name(const char *name, etw_onset_method *method)
{
    if (name == NULL || method == NULL) {
        return ETW_ERR_NULL;
    }
    for (int m = 0; m < ETW_ONSET_NMETHODS; m++) {
        if (strcmp(name, method_names[m]) == 0) {
            *method = (etw_onset_method)m;
            return ETW_OK;
        }
    }
    return ETW_ERR_NOT_FOUND;
}

/* The settable fields: X(name, is_int), in the order of etw_onset_config. */
#define ONSET_FIELDS(X)                                                                    \
    X(fs_hz, 0) X(bandpass_lo_hz, 0) X(bandpass_hi_hz, 0) X(bandpass_order, 1)             \
    X(rest_start_s, 0) X(rest_len_s, 0) X(window_ms, 0) X(k_sd, 0) X(min_on_ms, 0)          \
    X(max_dropout_ms, 0) X(bonato_m, 1) X(bonato_r0, 1) X(bonato_zeta, 0)                  \
    X(cusum_ratio_db, 0) X(cusum_h, 0) X(min_duration_ms, 0) X(max_duration_ms, 0)         \
    X(merge_gap_ms, 0) X(min_snr_db, 0)

typedef struct field {
    const char *name;
    size_t offset;
    int is_int;
} field;

#define FIELD_ENTRY(f, is_int) {#f, offsetof(etw_onset_config, f), is_int},
#define FIELD_NAME(f, is_int) #f,
static const field fields[] = {ONSET_FIELDS(FIELD_ENTRY)};
#define NFIELDS (sizeof fields / sizeof fields[0])

const char *const *etw_onset_config_names(void)
{
    static const char *const names[] = {ONSET_FIELDS(FIELD_NAME) NULL};
    return names;
}

static const field *find(const char *name)
{
    for (size_t i = 0; i < NFIELDS; i++) {
        if (strcmp(name, fields[i].name) == 0) {
            return &fields[i];
        }
    }
    return NULL;
}

etw_status etw_onset_config_set(etw_onset_config *config, const char *name, double value)
{
    if (config == NULL || name == NULL) {
        return ETW_ERR_NULL;
    }
    const field *f = find(name);
    if (f == NULL) {
        return ETW_ERR_NOT_FOUND;
    }
    if (!isfinite(value)) {
        return ETW_ERR_NONFINITE;
    }
    char *base = (char *)config + f->offset;
    if (f->is_int) {
        double r = round(value);
        *(int *)(void *)base = r > 1e9 ? 1000000000 : r < -1e9 ? -1000000000 : (int)r;
    } else {
        *(double *)(void *)base = value;
    }
    return ETW_OK;
}

etw_status etw_onset_config_get(const etw_onset_config *config, const char *name, double *value)
{
    if (config == NULL || name == NULL || value == NULL) {
        return ETW_ERR_NULL;
    }
    const field *f = find(name);
    if (f == NULL) {
        return ETW_ERR_NOT_FOUND;
    }
    const char *base = (const char *)config + f->offset;
    *value = f->is_int ? (double)*(const int *)(const void *)base
                       : *(const double *)(const void *)base;
    return ETW_OK;
}

etw_status etw_onset_config_check(const etw_onset_config *c)
{
    const double values[] = {c->fs_hz,          c->bandpass_lo_hz, c->bandpass_hi_hz,
                             c->rest_start_s,   c->rest_len_s,     c->window_ms,
                             c->k_sd,           c->min_on_ms,      c->max_dropout_ms,
                             c->bonato_zeta,    c->cusum_ratio_db, c->cusum_h,
                             c->min_duration_ms, c->max_duration_ms, c->merge_gap_ms,
                             c->min_snr_db};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        if (!isfinite(values[i])) {
            return ETW_ERR_NONFINITE;
        }
    }
    if ((unsigned)c->method >= ETW_ONSET_NMETHODS || c->fs_hz <= 0.0 || c->fs_hz > 1e7 ||
        c->bandpass_lo_hz < 0.0 || c->bandpass_order < 1 || c->bandpass_order > ONSET_MAX_ORDER ||
        c->rest_start_s < 0.0 || c->rest_len_s < 0.0 || c->window_ms <= 0.0 || c->k_sd < 0.0 ||
        c->min_on_ms < 0.0 || c->max_dropout_ms < 0.0 || c->bonato_m < 1 || c->bonato_m > 1000 ||
        c->bonato_r0 < 1 || c->bonato_r0 > c->bonato_m || c->bonato_zeta <= 0.0 ||
        c->cusum_ratio_db <= 0.0 || c->cusum_h <= 0.0 || c->min_duration_ms < 0.0 ||
        c->max_duration_ms < 0.0 || c->merge_gap_ms < 0.0) {
        return ETW_ERR_RANGE;
    }
    if (c->bandpass_lo_hz > 0.0) {
        double hi = fmin(c->bandpass_hi_hz, 0.45 * c->fs_hz);
        if (c->bandpass_lo_hz >= c->fs_hz / 2.0) {
            return ETW_ERR_NYQUIST;
        }
        if (c->bandpass_lo_hz >= hi) {
            return ETW_ERR_RANGE;
        }
    }
    return ETW_OK;
}

size_t etw_ms_to_samples(double ms, double fs)
{
    double v = round(ms * fs / 1000.0);
    return v < 0.0 ? 0 : (size_t)v;
}

void etw_cusum_coefficients(const etw_onset_config *c, double var, double *a, double *b)
{
    double q = pow(10.0, c->cusum_ratio_db / 10.0);
    *a = -0.5 * log(q);
    *b = 0.5 * (1.0 - 1.0 / q) / var;
}
