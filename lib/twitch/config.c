/* Detector configuration: defaults, the LTR preset, validation and the parameter table that
 * lets command lines set every field by name. */
#include "emgtwitch/twitch.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "twitch/config_table.h"

#define P_(field, unit, lo, hi, isint, help) \
    {{#field, unit, help, lo, hi, isint}, offsetof(etw_twitch_config, field)}

static const etw_twitch_param_entry table[] = {
    P_(highpass_hz, "Hz", 1.0, 1000.0, 0,
       "lower band edge (20: removes motion and most ECG energy; sEMG standard 10-20 Hz)"),
    P_(lowpass_hz, "Hz", 10.0, 5000.0, 0,
       "upper band edge, capped at 0.45 fs (450: little sEMG power above 400-500 Hz)"),
    P_(filter_order, "", 1.0, 8.0, 1,
       "Butterworth prototype order of the band-pass (4: 80 dB/decade skirts, short ringing)"),
    P_(emphasis_hz, "Hz", 0.0, 5000.0, 0,
       "detection energy weighted by (f^2 + fc^2)^2, 0 = off (70: twitch MUAPs carry more "
       "energy above 100 Hz than the background; like TKEO weighting, Solnik 2010)"),
    P_(mains_hz, "Hz", -1.0, 1000.0, 0,
       "powerline: -1 (auto) decides 50/60/none from the first mains_probe_ms, 0 = no notch"),
    P_(mains_harmonics, "", 1.0, 64.0, 1,
       "notch k*mains for k = 1..this below lowpass_hz (8: odd harmonics of hum reach 400 Hz)"),
    P_(notch_q, "", 1.0, 200.0, 0,
       "notch quality factor (30: -3 dB width 1.7 Hz at 50 Hz, rings ~0.2 s)"),
    P_(mains_probe_ms, "ms", 100.0, 10000.0, 0,
       "stretch used to detect hum in auto mode (500: 25 cycles at 50 Hz)"),
    P_(settle_ms, "ms", 0.0, 10000.0, 0,
       "detection blanked at start and after non-finite input (200: 4 time constants at 20 Hz)"),
    P_(envelope_ms, "ms", 1.0, 100.0, 0,
       "centred RMS window (5: smooths single phases, keeps onset error near 1 ms)"),
    P_(floor_window_ms, "ms", 200.0, 60000.0, 0,
       "noise-floor median window (2000: tracks drifts, ignores bursts up to 1 s)"),
    P_(on_db, "dB", 0.5, 60.0, 0,
       "burst start threshold over the floor (6: envelope twice the floor RMS)"),
    P_(off_db, "dB", 0.0, 60.0, 0,
       "burst end threshold over the floor (3: hysteresis keeps polyphasic bursts whole)"),
    P_(min_duration_ms, "ms", 2.0, 10000.0, 0,
       "shortest burst (5: a 10 ms twitch measures 5-10 ms when its tail sinks into the noise; "
       "the peak criterion keeps noise out)"),
    P_(max_duration_ms, "ms", 5.0, 60000.0, 0,
       "longest twitch (300: LTRs last up to ~250 ms, measured tails run longer)"),
    P_(merge_gap_ms, "ms", 0.0, 1000.0, 0,
       "gaps up to this are bridged (30: keeps a long twitch's decaying tail in one piece)"),
    P_(refractory_ms, "ms", 0.0, 10000.0, 0,
       "no new burst for this long after one ends (0: isolation already covers it)"),
    P_(pre_quiet_ms, "ms", 0.0, 5000.0, 0,
       "quiet required before the onset (150: not the tail of a contraction)"),
    P_(post_quiet_ms, "ms", 0.0, 5000.0, 0,
       "quiet required after the offset (150: not the start of a contraction)"),
    P_(min_snr_db, "dB", -20.0, 60.0, 0,
       "minimum burst SNR over the floor (3: rejects threshold-grazing noise)"),
    P_(min_peak_db, "dB", 0.0, 60.0, 0,
       "minimum peak envelope over the floor (10: of the pre-emphasised signal; Gaussian "
       "background stays under 9 dB; heavier-tailed backgrounds raise it, see "
       "noise_alarms_per_min)"),
    P_(noise_alarms_per_min, "1/min", 0.0, 600.0, 0,
       "peak criterion raised to where the background's excursions reach it this often (0.5: "
       "the false-alarm bound of issue 5; exponential tail of the excursions 0-3 dB over "
       "on_db; 0 = off)"),
    P_(max_rise_ms, "ms", 1.0, 60000.0, 0,
       "longest onset-to-peak time (150: twitches rise fast, ramps do not)"),
    P_(min_mean_freq_hz, "Hz", 0.0, 5000.0, 0,
       "lowest mean frequency (50: motion, DC steps and filtered QRS lie below)"),
    P_(max_spike_fraction, "", 0.0, 1.0, 0,
       "spike/step test m/(m+a) on the raw first difference (0.995: a spike of 30 noise "
       "RMS gives 0.998, a step 0.996; short bursts at 1000 Hz reach 0.988)"),
    P_(ecg_reject, "", 0.0, 1.0, 1,
       "reject members of a periodic QRS train (1: trapezius recordings carry ECG)"),
    P_(ecg_rr_min_ms, "ms", 200.0, 5000.0, 0,
       "shortest RR interval of an ECG train (400: 150 bpm)"),
    P_(ecg_rr_max_ms, "ms", 200.0, 5000.0, 0,
       "longest RR interval of an ECG train (1300: 46 bpm); 3x this adds to the latency"),
    P_(ecg_tolerance, "", 0.01, 1.0, 0,
       "allowed relative spread of 3 consecutive RR intervals (0.2: normal sinus variability)"),
    P_(min_channels, "", 1.0, (double)ETW_TWITCH_MAX_CHANNELS, 1,
       "channels an event must be seen on (1)"),
    P_(coincidence_ms, "ms", 0.0, 1000.0, 0,
       "onsets this close on several channels form one event (20: conduction delays)"),
    P_(clip_level, "", 0.0, 1e30, 0,
       "|raw sample| at or above this flags clipping; 0 = flag flat tops of 3+ samples"),
    P_(report_all, "", 0.0, 1.0, 1,
       "1 = also report rejected bursts with their reasons (0)"),
};

size_t etw_twitch_param_count(void)
{
    return sizeof table / sizeof table[0];
}

const etw_twitch_param *etw_twitch_param_info(size_t index)
{
    return index < etw_twitch_param_count() ? &table[index].pub : NULL;
}

const etw_twitch_param_entry *etw_twitch_param_find(const char *name, size_t len)
{
    for (size_t i = 0; i < etw_twitch_param_count(); i++) {
        if (strlen(table[i].pub.name) == len && strncmp(table[i].pub.name, name, len) == 0) {
            return &table[i];
        }
    }
    return NULL;
}

double etw_twitch_param_read(const etw_twitch_config *cfg, const etw_twitch_param_entry *p)
{
    const char *base = (const char *)cfg + p->offset;
    if (p->pub.is_integer) {
        int v;
        memcpy(&v, base, sizeof v);
        return v;
    }
    double d;
    memcpy(&d, base, sizeof d);
    return d;
}

static etw_status check_value(const etw_twitch_param_entry *p, double v)
{
    if (!isfinite(v)) {
        return ETW_ERR_NONFINITE;
    }
    if (v < p->pub.min_value || v > p->pub.max_value) {
        return ETW_ERR_RANGE;
    }
    if (p->pub.is_integer && v != floor(v)) {
        return ETW_ERR_FORMAT;
    }
    return ETW_OK;
}

static void write_value(etw_twitch_config *cfg, const etw_twitch_param_entry *p, double v)
{
    char *base = (char *)cfg + p->offset;
    if (p->pub.is_integer) {
        int i = (int)v;
        memcpy(base, &i, sizeof i);
    } else {
        memcpy(base, &v, sizeof v);
    }
}

static etw_status check_shape(double fs_hz, size_t nch)
{
    if (!isfinite(fs_hz)) {
        return ETW_ERR_NONFINITE;
    }
    if (fs_hz < 200.0 || fs_hz > 100000.0 || nch < 1 || nch > ETW_TWITCH_MAX_CHANNELS) {
        return ETW_ERR_RANGE;
    }
    return ETW_OK;
}

etw_status etw_twitch_config_default(double fs_hz, size_t nch, etw_twitch_config *cfg)
{
    if (!cfg) {
        return ETW_ERR_NULL;
    }
    etw_status st = check_shape(fs_hz, nch);
    if (st != ETW_OK) {
        return st;
    }
    *cfg = (etw_twitch_config){
        .fs_hz = fs_hz, .nch = nch,
        .highpass_hz = 20.0, .lowpass_hz = 450.0, .filter_order = 4,
        .emphasis_hz = 50.0,
        .mains_hz = ETW_TWITCH_MAINS_AUTO, .mains_harmonics = 8, .notch_q = 30.0,
        .mains_probe_ms = 500.0, .settle_ms = 200.0,
        .envelope_ms = 5.0, .floor_window_ms = 2000.0,
        .on_db = 6.0, .off_db = 3.0,
        .min_duration_ms = 5.0, .max_duration_ms = 300.0, .merge_gap_ms = 30.0,
        .refractory_ms = 0.0, .pre_quiet_ms = 150.0, .post_quiet_ms = 150.0,
        .min_snr_db = 3.0, .min_peak_db = 10.0,
        .noise_alarms_per_min = 0.5, .max_rise_ms = 150.0, .min_mean_freq_hz = 50.0,
        .max_spike_fraction = 0.995,
        .ecg_reject = 1, .ecg_rr_min_ms = 400.0, .ecg_rr_max_ms = 1300.0, .ecg_tolerance = 0.2,
        .min_channels = 1, .coincidence_ms = 20.0, .clip_level = 0.0, .report_all = 0,
    };
    return ETW_OK;
}

etw_status etw_twitch_config_ltr(double fs_hz, size_t nch, etw_twitch_config *cfg)
{
    etw_status st = etw_twitch_config_default(fs_hz, nch, cfg);
    if (st != ETW_OK) {
        return st;
    }
    cfg->highpass_hz = 30.0;   /* Drake & Callaghan 2006: 30 Hz removes most ECG */
    cfg->pre_quiet_ms = 200.0; /* an LTR stands out of a quiet taut band */
    cfg->post_quiet_ms = 200.0;
    cfg->min_peak_db = 16.0;   /* a visible response: small motor-unit blips at rest stay out */
    return ETW_OK;
}

double etw_twitch_upper_edge(const etw_twitch_config *cfg)
{
    return fmin(cfg->lowpass_hz, 0.45 * cfg->fs_hz);
}

etw_status etw_twitch_config_validate(const etw_twitch_config *cfg)
{
    if (!cfg) {
        return ETW_ERR_NULL;
    }
    etw_status st = check_shape(cfg->fs_hz, cfg->nch);
    if (st != ETW_OK) {
        return st;
    }
    for (size_t i = 0; i < etw_twitch_param_count(); i++) {
        st = check_value(&table[i], etw_twitch_param_read(cfg, &table[i]));
        if (st != ETW_OK) {
            return st == ETW_ERR_FORMAT ? ETW_ERR_RANGE : st;
        }
    }
    if (cfg->highpass_hz >= 0.5 * cfg->fs_hz) {
        return ETW_ERR_NYQUIST;
    }
    int bad_mains = cfg->mains_hz != ETW_TWITCH_MAINS_AUTO && cfg->mains_hz != 0.0 &&
                    (cfg->mains_hz < 1.0 || cfg->mains_hz >= 0.5 * cfg->fs_hz);
    if (bad_mains || cfg->highpass_hz >= etw_twitch_upper_edge(cfg) ||
        cfg->off_db > cfg->on_db || cfg->min_duration_ms > cfg->max_duration_ms ||
        cfg->ecg_rr_min_ms > cfg->ecg_rr_max_ms || (size_t)cfg->min_channels > cfg->nch) {
        return ETW_ERR_RANGE;
    }
    return ETW_OK;
}

etw_status etw_twitch_config_get(const etw_twitch_config *cfg, const char *name, double *value)
{
    if (!cfg || !name || !value) {
        return ETW_ERR_NULL;
    }
    const etw_twitch_param_entry *p = etw_twitch_param_find(name, strlen(name));
    if (!p) {
        return ETW_ERR_NOT_FOUND;
    }
    *value = etw_twitch_param_read(cfg, p);
    return ETW_OK;
}

static int parse_number(const etw_twitch_param_entry *p, const char *text, double *v)
{
    if (strcmp(p->pub.name, "mains_hz") == 0 && strcmp(text, "auto") == 0) {
        *v = ETW_TWITCH_MAINS_AUTO;
        return 1;
    }
    if (p->pub.is_integer && p->pub.max_value == 1.0) {
        if (strcmp(text, "on") == 0 || strcmp(text, "off") == 0) {
            *v = text[1] == 'n' ? 1.0 : 0.0;
            return 1;
        }
    }
    char *end = NULL;
    *v = strtod(text, &end);
    return end != text && *end == '\0';
}

etw_status etw_twitch_config_set(etw_twitch_config *cfg, const char *assignment)
{
    if (!cfg || !assignment) {
        return ETW_ERR_NULL;
    }
    const char *eq = strchr(assignment, '=');
    if (!eq) {
        return ETW_ERR_FORMAT;
    }
    const etw_twitch_param_entry *p =
        etw_twitch_param_find(assignment, (size_t)(eq - assignment));
    if (!p) {
        return ETW_ERR_NOT_FOUND;
    }
    double v;
    if (!parse_number(p, eq + 1, &v)) {
        return ETW_ERR_FORMAT;
    }
    etw_status st = check_value(p, v);
    if (st == ETW_OK) {
        write_value(cfg, p, v);
    }
    return st;
}
