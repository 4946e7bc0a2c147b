/* Configuration of the synthetic generator: defaults, named presets, kind names, checks. */
#include "synth/synth_internal.h"

#include <math.h>
#include <string.h>

etw_synth_config etw_synth_config_default(double fs_hz, size_t nch, double duration_s,
                                          uint64_t seed)
{
    etw_synth_config c;
    memset(&c, 0, sizeof c);
    c.fs_hz = fs_hz;
    c.nch = nch;
    c.duration_s = duration_s;
    c.seed = seed;
    c.background = (etw_synth_background){1, 5e-6, 1e-6, 60.0, 120.0};
    c.twitch = (etw_synth_twitch){1, 20.0, 10.0, 10.0, 10.0, 250.0, 1, 0.5, 0.05, 1.0,
                                  1, 1.5, 0.6};
    c.contraction = (etw_synth_contraction){0, 2.0, 5e-5, 0.3, 1.0, 1.0, 4.0};
    c.ecg = (etw_synth_ecg){0, 50.0, 100.0, 0.03, 80.0, 120.0, 1.5e-4};
    c.powerline = (etw_synth_powerline){0, 50.0, 2e-5, 5};
    c.wander = (etw_synth_wander){0, 1e-4, 0.5};
    c.motion = (etw_synth_motion){0, 3.0, 1e-3, 30.0, 150.0};
    c.spikes = (etw_synth_spikes){0, 6.0, 5e-4};
    c.saturation = (etw_synth_saturation){0, 0.5, 5e-3, 50.0, 300.0};
    c.markers = (etw_synth_markers){0, 6.0, 0.7, 5.0, 50.0};
    return c;
}

enum {
    P_TWITCH = 1 << 0,
    P_POWERLINE = 1 << 1,
    P_ECG = 1 << 2,
    P_CONTRACTION = 1 << 3,
    P_MOTION = 1 << 4, /* motion artifacts and spikes */
    P_WANDER = 1 << 5,
    P_SATURATION = 1 << 6,
    P_MARKERS = 1 << 7,
    P_ALL = P_POWERLINE | P_ECG | P_CONTRACTION | P_MOTION | P_WANDER | P_SATURATION
};

static const struct {
    const char *name;
    unsigned flags;
} presets[] = {
    {"clean", P_TWITCH},
    {"rest", 0},
    {"powerline", P_TWITCH | P_POWERLINE},
    {"ecg", P_TWITCH | P_ECG},
    {"contractions", P_TWITCH | P_CONTRACTION},
    {"motion", P_TWITCH | P_MOTION},
    {"all", P_TWITCH | P_ALL},
    {"demo", P_TWITCH | P_ALL | P_MARKERS},
};

const char *etw_synth_preset_name(size_t i)
{
    return i < sizeof presets / sizeof presets[0] ? presets[i].name : NULL;
}

etw_status etw_synth_config_preset(const char *name, etw_synth_config *config)
{
    if (!name || !config)
        return ETW_ERR_NULL;
    for (size_t i = 0; i < sizeof presets / sizeof presets[0]; i++) {
        if (strcmp(name, presets[i].name) != 0)
            continue;
        unsigned f = presets[i].flags;
        config->background.enabled = 1;
        config->twitch.enabled = (f & P_TWITCH) != 0;
        config->powerline.enabled = (f & P_POWERLINE) != 0;
        config->ecg.enabled = (f & P_ECG) != 0;
        config->contraction.enabled = (f & P_CONTRACTION) != 0;
        config->motion.enabled = (f & P_MOTION) != 0;
        config->spikes.enabled = (f & P_MOTION) != 0;
        config->wander.enabled = (f & P_WANDER) != 0;
        config->saturation.enabled = (f & P_SATURATION) != 0;
        config->markers.enabled = (f & P_MARKERS) != 0;
        if (strcmp(name, "demo") == 0) {
            config->twitch.snr_min_db = 6.0;
            config->twitch.snr_max_db = 20.0;
        }
        return ETW_OK;
    }
    return ETW_ERR_NOT_FOUND;
}

static const char *const kind_names[ETW_SYNTH_KIND_COUNT] = {
    "twitch", "contraction", "ecg", "motion", "spike", "saturation"};

const char *etw_synth_kind_name(etw_synth_kind kind)
{
    return (unsigned)kind < ETW_SYNTH_KIND_COUNT ? kind_names[kind] : "unknown";
}

etw_status etw_synth_kind_from_name(const char *name, etw_synth_kind *kind)
{
    if (!name || !kind)
        return ETW_ERR_NULL;
    for (int k = 0; k < ETW_SYNTH_KIND_COUNT; k++) {
        if (strcmp(name, kind_names[k]) == 0) {
            *kind = (etw_synth_kind)k;
            return ETW_OK;
        }
    }
    return ETW_ERR_NOT_FOUND;
}

/* ---- validation ------------------------------------------------------------------ */

/* Checks lo <= x <= hi; NaN and infinity fail with NONFINITE first. */
static etw_status in_range(double x, double lo, double hi)
{
    if (!isfinite(x))
        return ETW_ERR_NONFINITE;
    return (x >= lo && x <= hi) ? ETW_OK : ETW_ERR_RANGE;
}

/* Checks a [lo, hi] pair of a component against [min, max]. */
static etw_status pair(double lo, double hi, double min, double max)
{
    etw_status st = in_range(lo, min, max);
    if (st == ETW_OK)
        st = in_range(hi, min, max);
    if (st == ETW_OK && hi < lo)
        st = ETW_ERR_RANGE;
    return st;
}

#define CHECK(expr)                \
    do {                           \
        etw_status st_ = (expr);   \
        if (st_ != ETW_OK)         \
            return st_;            \
    } while (0)

static etw_status check_events(const etw_synth_config *c)
{
    const double big = 1e6;
    if (c->contraction.enabled) {
        CHECK(in_range(c->contraction.rate_per_min, 0.0, 600.0));
        CHECK(in_range(c->contraction.level_rms_v, 0.0, 10.0));
        CHECK(pair(c->contraction.ramp_min_s, c->contraction.ramp_max_s, 1e-3, 60.0));
        CHECK(pair(c->contraction.plateau_min_s, c->contraction.plateau_max_s, 0.0, 600.0));
    }
    if (c->ecg.enabled) {
        CHECK(pair(c->ecg.hr_min_bpm, c->ecg.hr_max_bpm, 30.0, 200.0));
        CHECK(in_range(c->ecg.hrv, 0.0, 0.2));
        CHECK(pair(c->ecg.qrs_min_ms, c->ecg.qrs_max_ms, 40.0, 200.0));
        CHECK(in_range(c->ecg.r_amplitude_v, 0.0, 10.0));
    }
    if (c->powerline.enabled) {
        CHECK(in_range(c->powerline.mains_hz, 40.0, 70.0));
        CHECK(in_range(c->powerline.amplitude_v, 0.0, 10.0));
        if (c->powerline.harmonics < 1 || c->powerline.harmonics > 20)
            return ETW_ERR_RANGE;
    }
    if (c->wander.enabled) {
        CHECK(in_range(c->wander.amplitude_v, 0.0, 10.0));
        CHECK(in_range(c->wander.max_freq_hz, 0.01, 10.0));
    }
    if (c->motion.enabled) {
        CHECK(in_range(c->motion.rate_per_min, 0.0, 600.0));
        CHECK(in_range(c->motion.amplitude_v, 0.0, 10.0));
        CHECK(pair(c->motion.tau_min_ms, c->motion.tau_max_ms, 1.0, 5000.0));
    }
    if (c->spikes.enabled) {
        CHECK(in_range(c->spikes.rate_per_min, 0.0, 60000.0));
        CHECK(in_range(c->spikes.amplitude_v, 0.0, 10.0));
    }
    if (c->saturation.enabled) {
        CHECK(in_range(c->saturation.rate_per_min, 0.0, 600.0));
        CHECK(in_range(c->saturation.rail_v, 1e-9, 100.0));
        CHECK(pair(c->saturation.min_duration_ms, c->saturation.max_duration_ms, 1.0, 1e4));
    }
    if (c->markers.enabled) {
        CHECK(in_range(c->markers.rate_per_min, 0.0, 600.0));
        CHECK(in_range(c->markers.response_probability, 0.0, 1.0));
        CHECK(pair(c->markers.latency_min_ms, c->markers.latency_max_ms, 0.0, big));
    }
    return ETW_OK;
}

etw_status etw_synth_config_check(const etw_synth_config *c)
{
    CHECK(in_range(c->fs_hz, 500.0, 20000.0));
    CHECK(in_range(c->duration_s, 0.0, 86400.0));
    if (c->nch < 1 || c->nch > 1024 || !(c->duration_s * c->fs_hz >= 1.0))
        return ETW_ERR_RANGE;
    const etw_synth_background *b = &c->background;
    CHECK(in_range(b->emg_rms_v, 0.0, 10.0));
    CHECK(in_range(b->white_rms_v, 0.0, 10.0));
    CHECK(in_range(b->fl_hz, 0.1, c->fs_hz));
    CHECK(in_range(b->fh_hz, b->fl_hz, c->fs_hz));
    if (b->fh_hz >= 0.5 * c->fs_hz)
        return ETW_ERR_NYQUIST;
    const etw_synth_twitch *t = &c->twitch;
    if (t->enabled || c->markers.enabled) {
        CHECK(in_range(t->rate_per_min, 0.0, 600.0));
        CHECK(pair(t->snr_min_db, t->snr_max_db, -40.0, 80.0));
        CHECK(pair(t->min_duration_ms, t->max_duration_ms, 2.0, 1000.0));
        CHECK(in_range(t->isolation_s, 0.0, 60.0));
        CHECK(in_range(t->ecg_guard_s, 0.0, 60.0));
        CHECK(in_range(t->margin_s, 0.0, 3600.0));
        CHECK(in_range(t->delay_ms_per_channel, 0.0, 100.0));
        CHECK(in_range(t->attenuation_per_channel, 0.0, 1.0));
        if (t->spread_channels < 0 || t->spread_channels > 64)
            return ETW_ERR_RANGE;
        if (!(hypot(b->emg_rms_v, b->white_rms_v) > 0.0))
            return ETW_ERR_RANGE;
    }
    return check_events(c);
}
