/* Configuration: defaults, presets, validation of every field, the parameter table and
 * setting parameters by name. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emgtwitch/twitch.h"
#include "etw_test.h"
#include "twitch_tests.h"

void config_defaults_are_valid(void **state)
{
    (void)state;
    const double rates[] = {500.0, 1000.0, 2048.0, 4000.0, 10000.0};
    for (size_t i = 0; i < sizeof rates / sizeof rates[0]; i++) {
        etw_twitch_config cfg, ltr;
        assert_int_equal(etw_twitch_config_default(rates[i], 1, &cfg), ETW_OK);
        assert_int_equal(etw_twitch_config_validate(&cfg), ETW_OK);
        assert_int_equal(etw_twitch_config_ltr(rates[i], ETW_TWITCH_MAX_CHANNELS, &ltr),
                         ETW_OK);
        assert_int_equal(etw_twitch_config_validate(&ltr), ETW_OK);
        assert_true(ltr.highpass_hz > cfg.highpass_hz);
        assert_close(cfg.fs_hz, rates[i], 0, 0);
    }
    etw_twitch_config cfg;
    assert_int_equal(etw_twitch_config_default(2048.0, 0, &cfg), ETW_ERR_RANGE);
    assert_int_equal(etw_twitch_config_default(2048.0, ETW_TWITCH_MAX_CHANNELS + 1, &cfg),
                     ETW_ERR_RANGE);
    assert_int_equal(etw_twitch_config_default(199.0, 1, &cfg), ETW_ERR_RANGE);
    assert_int_equal(etw_twitch_config_default(NAN, 1, &cfg), ETW_ERR_NONFINITE);
    assert_int_equal(etw_twitch_config_default(1000.0, 1, NULL), ETW_ERR_NULL);
    assert_int_equal(etw_twitch_config_ltr(1000.0, 0, &cfg), ETW_ERR_RANGE);
    assert_int_equal(etw_twitch_config_validate(NULL), ETW_ERR_NULL);
}

static etw_status with(const char *assignment)
{
    etw_twitch_config cfg;
    assert_int_equal(etw_twitch_config_default(1000.0, 4, &cfg), ETW_OK);
    char text[128];
    snprintf(text, sizeof text, "%s", assignment);
    char *eq = strchr(text, '=');
    *eq = '\0';
    double v = strtod(eq + 1, NULL);
    const etw_twitch_param *p = NULL;
    for (size_t i = 0; i < etw_twitch_param_count(); i++) {
        if (strcmp(etw_twitch_param_info(i)->name, text) == 0) {
            p = etw_twitch_param_info(i);
        }
    }
    assert_non_null(p);
    /* write the field bypassing the setter's own range check */
    char *field = NULL;
#define FIELD_(f)                                                                          \
    if (strcmp(text, #f) == 0) {                                                           \
        field = (char *)&cfg.f;                                                            \
    }
    FIELD_(highpass_hz) FIELD_(lowpass_hz) FIELD_(mains_hz) FIELD_(on_db) FIELD_(off_db)
    FIELD_(min_duration_ms) FIELD_(max_duration_ms) FIELD_(ecg_rr_min_ms)
    FIELD_(ecg_rr_max_ms) FIELD_(settle_ms)
#undef FIELD_
    if (field) {
        memcpy(field, &v, sizeof v);
    } else if (strcmp(text, "min_channels") == 0) {
        cfg.min_channels = (int)v;
    }
    return etw_twitch_config_validate(&cfg);
}

void config_every_parameter_error_path(void **state)
{
    (void)state;
    etw_twitch_config base;
    assert_int_equal(etw_twitch_config_default(1000.0, 4, &base), ETW_OK);
    for (size_t i = 0; i < etw_twitch_param_count(); i++) {
        const etw_twitch_param *p = etw_twitch_param_info(i);
        char text[160];
        etw_twitch_config cfg = base;
        snprintf(text, sizeof text, "%s=%.17g", p->name, p->min_value - 1.0);
        assert_int_equal(etw_twitch_config_set(&cfg, text), ETW_ERR_RANGE);
        assert_memory_equal(&cfg, &base, sizeof cfg); /* unchanged on error */
        snprintf(text, sizeof text, "%s=%.17g", p->name, p->max_value * 2.0 + 1.0);
        assert_int_equal(etw_twitch_config_set(&cfg, text), ETW_ERR_RANGE);
        snprintf(text, sizeof text, "%s=nan", p->name);
        assert_int_equal(etw_twitch_config_set(&cfg, text), ETW_ERR_NONFINITE);
        snprintf(text, sizeof text, "%s=inf", p->name);
        assert_int_equal(etw_twitch_config_set(&cfg, text), ETW_ERR_NONFINITE);
        snprintf(text, sizeof text, "%s=%.17g", p->name, p->min_value);
        assert_int_equal(etw_twitch_config_set(&cfg, text), ETW_OK);
        /* the same field set out of range directly is caught by validate */
        double value;
        assert_int_equal(etw_twitch_config_get(&cfg, p->name, &value), ETW_OK);
        assert_close(value, p->min_value, 0, 0);
    }
    /* inconsistent pairs and Nyquist */
    assert_int_equal(with("off_db=10"), ETW_ERR_RANGE);          /* above on_db 6 */
    assert_int_equal(with("min_duration_ms=400"), ETW_ERR_RANGE); /* above max 300 */
    assert_int_equal(with("ecg_rr_min_ms=2000"), ETW_ERR_RANGE);
    assert_int_equal(with("min_channels=5"), ETW_ERR_RANGE);      /* nch is 4 */
    assert_int_equal(with("mains_hz=0.5"), ETW_ERR_RANGE);
    assert_int_equal(with("mains_hz=600"), ETW_ERR_RANGE);        /* above fs/2 */
    assert_int_equal(with("highpass_hz=600"), ETW_ERR_NYQUIST);
    assert_int_equal(with("highpass_hz=460"), ETW_ERR_RANGE);     /* above capped upper edge */
    assert_int_equal(with("lowpass_hz=5"), ETW_ERR_RANGE);
    assert_int_equal(with("settle_ms=-1"), ETW_ERR_RANGE);
    assert_int_equal(with("on_db=nan"), ETW_ERR_NONFINITE);
    assert_int_equal(with("mains_hz=60"), ETW_OK);
    assert_int_equal(with("mains_hz=-1"), ETW_OK);
    assert_int_equal(with("mains_hz=0"), ETW_OK);
    etw_twitch_config cfg = base;
    cfg.fs_hz = 100001.0;
    assert_int_equal(etw_twitch_config_validate(&cfg), ETW_ERR_RANGE);
    cfg = base;
    cfg.nch = 0;
    assert_int_equal(etw_twitch_config_validate(&cfg), ETW_ERR_RANGE);
}

void config_set_by_name(void **state)
{
    (void)state;
    etw_twitch_config cfg;
    assert_int_equal(etw_twitch_config_default(2000.0, 1, &cfg), ETW_OK);
    assert_int_equal(etw_twitch_config_set(&cfg, "on_db=8.5"), ETW_OK);
    assert_close(cfg.on_db, 8.5, 0, 0);
    assert_int_equal(etw_twitch_config_set(&cfg, "mains_hz=auto"), ETW_OK);
    assert_close(cfg.mains_hz, ETW_TWITCH_MAINS_AUTO, 0, 0);
    assert_int_equal(etw_twitch_config_set(&cfg, "mains_hz=60"), ETW_OK);
    assert_int_equal(etw_twitch_config_set(&cfg, "ecg_reject=off"), ETW_OK);
    assert_int_equal(cfg.ecg_reject, 0);
    assert_int_equal(etw_twitch_config_set(&cfg, "report_all=on"), ETW_OK);
    assert_int_equal(cfg.report_all, 1);
    assert_int_equal(etw_twitch_config_set(&cfg, "filter_order=2"), ETW_OK);
    assert_int_equal(cfg.filter_order, 2);
    etw_twitch_config before = cfg;
    assert_int_equal(etw_twitch_config_set(&cfg, "filter_order=2.5"), ETW_ERR_FORMAT);
    assert_int_equal(etw_twitch_config_set(&cfg, "on_db"), ETW_ERR_FORMAT);
    assert_int_equal(etw_twitch_config_set(&cfg, "on_db="), ETW_ERR_FORMAT);
    assert_int_equal(etw_twitch_config_set(&cfg, "on_db=8x"), ETW_ERR_FORMAT);
    assert_int_equal(etw_twitch_config_set(&cfg, "ecg_reject=maybe"), ETW_ERR_FORMAT);
    assert_int_equal(etw_twitch_config_set(&cfg, "lowpass_hz=auto"), ETW_ERR_FORMAT);
    assert_int_equal(etw_twitch_config_set(&cfg, "no_such=1"), ETW_ERR_NOT_FOUND);
    assert_int_equal(etw_twitch_config_set(&cfg, "=1"), ETW_ERR_NOT_FOUND);
    assert_int_equal(etw_twitch_config_set(&cfg, "fs_hz=1000"), ETW_ERR_NOT_FOUND);
    assert_int_equal(etw_twitch_config_set(NULL, "on_db=1"), ETW_ERR_NULL);
    assert_int_equal(etw_twitch_config_set(&cfg, NULL), ETW_ERR_NULL);
    assert_memory_equal(&cfg, &before, sizeof cfg);
    double v;
    assert_int_equal(etw_twitch_config_get(&cfg, "on_db", &v), ETW_OK);
    assert_close(v, 8.5, 0, 0);
    assert_int_equal(etw_twitch_config_get(&cfg, "nope", &v), ETW_ERR_NOT_FOUND);
    assert_int_equal(etw_twitch_config_get(NULL, "on_db", &v), ETW_ERR_NULL);
    assert_int_equal(etw_twitch_config_get(&cfg, NULL, &v), ETW_ERR_NULL);
    assert_int_equal(etw_twitch_config_get(&cfg, "on_db", NULL), ETW_ERR_NULL);
}

void config_table_is_complete(void **state)
{
    (void)state;
    size_t n = etw_twitch_param_count();
    /* every field of etw_twitch_config except fs_hz and nch */
    assert_int_equal(n, 33);
    assert_null(etw_twitch_param_info(n));
    etw_twitch_config cfg;
    assert_int_equal(etw_twitch_config_ltr(4000.0, 2, &cfg), ETW_OK);
    for (size_t i = 0; i < n; i++) {
        const etw_twitch_param *p = etw_twitch_param_info(i);
        assert_non_null(p);
        assert_true(strlen(p->help) > 10);
        assert_true(p->min_value <= p->max_value);
        double v;
        assert_int_equal(etw_twitch_config_get(&cfg, p->name, &v), ETW_OK);
        assert_true(v >= p->min_value && v <= p->max_value);
        for (size_t j = 0; j < i; j++) {
            assert_string_not_equal(p->name, etw_twitch_param_info(j)->name);
        }
    }
}
