/* The synthetic generator: creation (planning, per-channel gains and phases, ground-truth
 * measures) and block-wise rendering. Every sample is the sum, in a fixed order, of the
 * streaming noise components and of pure functions of the sample index, so the output does
 * not depend on how the stream is cut into blocks. */
#include "synth/synth_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TWO_PI 6.283185307179586476925

/* Advances one EMG-shaping filter (Shwedyk et al. 1977 spectrum) by one white sample. */
static double shape(const etw_synth *s, double st[4], double x)
{
    st[1] = s->a_hp * (st[1] + x - st[0]);
    st[0] = x;
    st[2] = s->a_lp * st[2] + (1.0 - s->a_lp) * st[1];
    st[3] = s->a_lp * st[3] + (1.0 - s->a_lp) * st[2];
    return st[3];
}

/* Gain that gives the shaping filter unit output variance for unit white input. */
static double shape_normaliser(const etw_synth *s)
{
    double st[4] = {0, 0, 0, 0}, energy = 0.0;
    double tc = s->cfg.fs_hz / (TWO_PI * s->cfg.background.fl_hz);
    size_t n = (size_t)(40.0 * tc) + 1000;
    for (size_t k = 0; k < n; k++) {
        double h = shape(s, st, k == 0 ? 1.0 : 0.0);
        energy += h * h;
    }
    return 1.0 / sqrt(energy);
}

static size_t argmax_gain(const etw_synth *s, int which)
{
    const double *g = s->gains + (size_t)which * s->cfg.nch;
    size_t best = 0;
    for (size_t c = 1; c < s->cfg.nch; c++)
        if (g[c] > g[best])
            best = c;
    return best;
}

double etw_synth_item_value(etw_synth *s, size_t idx, size_t c, int64_t n)
{
    const etw_synth_item *it = &s->items[idx];
    const etw_synth_config *cfg = &s->cfg;
    double fs = cfg->fs_hz, t = (double)(n - it->ev.onset) / fs;
    switch (it->ev.kind) {
    case ETW_SYNTH_TWITCH: {
        int dist = abs((int)c - it->ev.channel);
        if ((int32_t)c < it->ev.first_channel || (int32_t)c > it->ev.last_channel)
            return 0.0;
        t -= dist * cfg->twitch.delay_ms_per_channel * 1e-3;
        if (t <= 0.0 || t >= it->width_s)
            return 0.0;
        if (s->burst_item != idx) {
            etw_synth_burst_build(&s->burst, it->seed, it->width_s);
            s->burst_item = idx;
        }
        return it->gain * pow(cfg->twitch.attenuation_per_channel, dist) *
               etw_synth_burst_value(&s->burst, t);
    }
    case ETW_SYNTH_ECG:
        return s->gains[ETW_SYNTH_G_ECG * cfg->nch + c] * cfg->ecg.r_amplitude_v *
               etw_synth_ecg_value((double)n / fs - it->t0_s, it->width_s);
    case ETW_SYNTH_MOTION:
        return s->gains[ETW_SYNTH_G_MOT * cfg->nch + c] * it->gain *
               etw_synth_motion_value(t, it->width_s);
    case ETW_SYNTH_SATURATION:
        return t < 0.0 ? 0.0 : it->gain * exp(-t / it->width_s);
    case ETW_SYNTH_SPIKE:
        return ((int32_t)c == it->ev.channel && n == it->ev.onset) ? it->gain : 0.0;
    default:
        return 0.0; /* contractions are noise, rendered from the carrier */
    }
}

/* Lead channel, SNR and peak of every non-twitch event (twitches got theirs when planned). */
static void measure_events(etw_synth *s)
{
    const etw_synth_config *cfg = &s->cfg;
    for (size_t i = 0; i < s->nitems; i++) {
        etw_synth_item *it = &s->items[i];
        etw_synth_event *ev = &it->ev;
        ev->onset_s = (double)ev->onset / cfg->fs_hz;
        ev->offset_s = (double)ev->offset / cfg->fs_hz;
        ev->duration_s = (double)(ev->offset - ev->onset) / cfg->fs_hz;
        s->stats.count[ev->kind]++;
        if (ev->kind == ETW_SYNTH_TWITCH || ev->kind == ETW_SYNTH_SPIKE) {
            if (ev->kind == ETW_SYNTH_SPIKE) {
                ev->peak_v = fabs(it->gain);
                ev->snr_db = 20.0 * log10(ev->peak_v / s->ref_rms);
            }
            continue;
        }
        if (ev->kind == ETW_SYNTH_ECG)
            ev->channel = (int32_t)argmax_gain(s, ETW_SYNTH_G_ECG);
        else if (ev->kind == ETW_SYNTH_MOTION)
            ev->channel = (int32_t)argmax_gain(s, ETW_SYNTH_G_MOT);
        if (ev->kind == ETW_SYNTH_CONTRACTION) {
            ev->channel = (int32_t)argmax_gain(s, ETW_SYNTH_G_CON);
            ev->peak_v = it->gain * s->gains[ETW_SYNTH_G_CON * cfg->nch + (size_t)ev->channel];
            ev->snr_db = 20.0 * log10(ev->peak_v / s->ref_rms);
            continue;
        }
        double sum = 0.0, peak = 0.0;
        for (int64_t n = ev->onset; n < ev->offset; n++) {
            double v = etw_synth_item_value(s, i, (size_t)ev->channel, n);
            sum += v * v;
            peak = fmax(peak, fabs(v));
        }
        ev->peak_v = peak;
        ev->snr_db = 10.0 * log10(sum / (double)(ev->offset - ev->onset)) -
                     20.0 * log10(s->ref_rms);
    }
}

static void draw_gains(etw_synth *s)
{
    etw_synth_rng r;
    etw_synth_rng_init(&r, s->cfg.seed, 2);
    size_t nch = s->cfg.nch;
    static const double lo[4] = {0.6, 0.5, 0.5, 0.5};
    for (size_t c = 0; c < nch; c++)
        for (int k = 0; k < 4; k++)
            s->gains[(size_t)k * nch + c] = etw_synth_rng_range(&r, lo[k], 1.0);
    for (int k = 0; k < 3; k++)
        s->wander_f[k] = etw_synth_rng_range(&r, 0.02, s->cfg.wander.max_freq_hz);
    for (size_t k = 0; k < 3 * nch + 20; k++)
        s->phases[k] = etw_synth_rng_range(&r, 0.0, TWO_PI);
    for (size_t h = 0; h < 20; h++) {
        s->phases[3 * nch + 20 + h] = cos(s->phases[3 * nch + h]);
        s->phases[3 * nch + 40 + h] = sin(s->phases[3 * nch + h]);
    }
}

etw_status etw_synth_create(const etw_synth_config *config, etw_synth **out)
{
    if (!config || !out)
        return ETW_ERR_NULL;
    *out = NULL;
    etw_status st = etw_synth_config_check(config);
    if (st != ETW_OK)
        return st;
    etw_synth *s = calloc(1, sizeof *s);
    if (!s)
        return ETW_ERR_NOMEM;
    s->cfg = *config;
    size_t nch = config->nch;
    s->nframes = (int64_t)llround(config->duration_s * config->fs_hz);
    s->ref_rms = hypot(config->background.emg_rms_v, config->background.white_rms_v);
    s->a_hp = exp(-TWO_PI * config->background.fl_hz / config->fs_hz);
    s->a_lp = exp(-TWO_PI * config->background.fh_hz / config->fs_hz);
    s->shape_gain = shape_normaliser(s);
    s->burst_item = SIZE_MAX;
    s->chan = calloc(nch, sizeof *s->chan);
    s->carrier = calloc(nch * ETW_SYNTH_CHUNK, sizeof *s->carrier);
    s->gains = calloc(4 * nch, sizeof *s->gains);
    s->phases = calloc(3 * nch + 60, sizeof *s->phases);
    if (!s->chan || !s->carrier || !s->gains || !s->phases) {
        etw_synth_destroy(s);
        return ETW_ERR_NOMEM;
    }
    draw_gains(s);
    st = etw_synth_plan(s);
    if (st == ETW_OK && s->nitems > 0) {
        s->events = malloc(s->nitems * sizeof *s->events);
        st = s->events ? ETW_OK : ETW_ERR_NOMEM;
    }
    if (st != ETW_OK) {
        etw_synth_destroy(s);
        return st;
    }
    measure_events(s);
    for (size_t i = 0; i < s->nitems; i++) {
        s->events[i] = s->items[i].ev;
        int64_t lead = s->items[i].ev.onset - s->items[i].start;
        s->max_lead = lead > s->max_lead ? lead : s->max_lead;
    }
    s->stats.nframes = s->nframes;
    s->stats.nevents = s->nitems;
    s->stats.nmarkers = s->nmarkers;
    s->stats.reference_rms_v = s->ref_rms;
    etw_synth_reset(s);
    *out = s;
    return ETW_OK;
}

void etw_synth_destroy(etw_synth *s)
{
    if (!s)
        return;
    free(s->items);
    free(s->events);
    free(s->markers);
    free(s->chan);
    free(s->carrier);
    free(s->gains);
    free(s->phases);
    free(s);
}

void etw_synth_reset(etw_synth *s)
{
    if (!s)
        return;
    s->pos = 0;
    s->cursor = 0;
    for (size_t c = 0; c < s->cfg.nch; c++) {
        memset(&s->chan[c], 0, sizeof s->chan[c]);
        etw_synth_rng_init(&s->chan[c].rng, s->cfg.seed, 1000 + (uint64_t)c);
    }
}

/* Background (and contraction carrier) of one channel for one chunk. */
static void render_noise(etw_synth *s, size_t c, float *o, size_t len)
{
    const etw_synth_config *cfg = &s->cfg;
    etw_synth_chan *ch = &s->chan[c];
    float *car = s->carrier + c * ETW_SYNTH_CHUNK;
    double emg = cfg->background.emg_rms_v * s->shape_gain, white = cfg->background.white_rms_v;
    double cg = s->shape_gain;
    for (size_t i = 0; i < len; i++) {
        double v = 0.0;
        if (cfg->background.enabled) {
            v = emg * shape(s, ch->bg, etw_synth_rng_normal(&ch->rng));
            v += white * etw_synth_rng_normal(&ch->rng);
        }
        o[i] = (float)v;
        if (cfg->contraction.enabled)
            car[i] = (float)(cg * shape(s, ch->car, etw_synth_rng_normal(&ch->rng)));
    }
}

/* Adds the contribution of item idx to a chunk starting at sample n0. */
static void render_item(etw_synth *s, size_t idx, float *const *out, size_t off, int64_t n0,
                        size_t len)
{
    const etw_synth_item *it = &s->items[idx];
    int64_t a = it->start > n0 ? it->start : n0;
    int64_t b = it->end < n0 + (int64_t)len ? it->end : n0 + (int64_t)len;
    if (a >= b)
        return;
    size_t c0 = (size_t)it->ev.first_channel, c1 = (size_t)it->ev.last_channel;
    if (it->ev.kind == ETW_SYNTH_CONTRACTION) {
        for (size_t c = c0; c <= c1; c++) {
            double g = it->gain * s->gains[ETW_SYNTH_G_CON * s->cfg.nch + c];
            const float *car = s->carrier + c * ETW_SYNTH_CHUNK;
            for (int64_t n = a; n < b; n++) {
                double t = (double)(n - it->ev.onset) / s->cfg.fs_hz;
                out[c][off + (size_t)(n - n0)] +=
                    (float)(g * etw_synth_contraction_envelope(it, t) * car[n - n0]);
            }
        }
        return;
    }
    for (size_t c = c0; c <= c1; c++)
        for (int64_t n = a; n < b; n++)
            out[c][off + (size_t)(n - n0)] += (float)etw_synth_item_value(s, idx, c, n);
}

/* Powerline, baseline wander and clipping: pure functions of the sample index. */
static void render_continuous(etw_synth *s, size_t c, float *o, int64_t n0, size_t len)
{
    const etw_synth_config *cfg = &s->cfg;
    double fs = cfg->fs_hz;
    double pl = cfg->powerline.amplitude_v * s->gains[ETW_SYNTH_G_PL * cfg->nch + c];
    const double *ph = s->phases + 3 * c;
    const double *plc = s->phases + 3 * cfg->nch + 20, *pls = plc + 20; /* cos, sin of phases */
    for (size_t i = 0; i < len; i++) {
        int64_t n = n0 + (int64_t)i;
        double v = o[i];
        if (cfg->powerline.enabled) {
            /* harmonic h by angle addition from the fundamental: sin(h a + phase_h) */
            double cyc = cfg->powerline.mains_hz * (double)n / fs;
            double a = TWO_PI * (cyc - floor(cyc)), s1 = sin(a), c1 = cos(a), sh = s1, ch = c1;
            for (int h = 1; h <= cfg->powerline.harmonics; h++) {
                if (h * cfg->powerline.mains_hz >= 0.5 * fs)
                    break;
                double rel = h == 1 ? 1.0 : (h % 2 ? 0.5 : 0.15) / h;
                v += pl * rel * (sh * plc[h - 1] + ch * pls[h - 1]);
                double next = sh * c1 + ch * s1;
                ch = ch * c1 - sh * s1;
                sh = next;
            }
        }
        for (int k = 0; cfg->wander.enabled && k < 3; k++)
            v += cfg->wander.amplitude_v / 3.0 *
                 sin(TWO_PI * s->wander_f[k] * (double)n / fs + ph[k]);
        if (cfg->saturation.enabled)
            v = fmin(fmax(v, -cfg->saturation.rail_v), cfg->saturation.rail_v);
        o[i] = (float)v;
    }
}

static void render_chunk(etw_synth *s, float *const *out, size_t off, size_t len)
{
    int64_t n0 = s->pos, n1 = n0 + (int64_t)len;
    for (size_t c = 0; c < s->cfg.nch; c++)
        render_noise(s, c, out[c] + off, len);
    while (s->cursor < s->nitems && s->items[s->cursor].end <= n0)
        s->cursor++;
    for (size_t i = s->cursor; i < s->nitems; i++) {
        if (s->items[i].ev.onset - s->max_lead >= n1)
            break;
        render_item(s, i, out, off, n0, len);
    }
    for (size_t c = 0; c < s->cfg.nch; c++)
        render_continuous(s, c, out[c] + off, n0, len);
    s->pos = n1;
}

etw_status etw_synth_generate(etw_synth *s, float *const *out, size_t nframes, size_t *produced)
{
    if (!s || !produced || (!out && nframes > 0))
        return ETW_ERR_NULL;
    *produced = 0;
    int64_t left = s->nframes - s->pos;
    size_t n = (int64_t)nframes < left ? nframes : (size_t)left;
    for (size_t c = 0; c < s->cfg.nch && n > 0; c++)
        if (!out[c])
            return ETW_ERR_NULL;
    for (size_t off = 0; off < n; off += ETW_SYNTH_CHUNK)
        render_chunk(s, out, off, n - off < ETW_SYNTH_CHUNK ? n - off : ETW_SYNTH_CHUNK);
    *produced = n;
    return ETW_OK;
}

etw_status etw_synth_generate_all(etw_synth *s, float *const *out, size_t capacity)
{
    if (!s || !out)
        return ETW_ERR_NULL;
    if ((int64_t)capacity < s->nframes)
        return ETW_ERR_SIZE;
    etw_synth_reset(s);
    size_t produced;
    return etw_synth_generate(s, out, (size_t)s->nframes, &produced);
}

const etw_synth_event *etw_synth_events(const etw_synth *s, size_t *count)
{
    if (count)
        *count = s ? s->nitems : 0;
    return s ? s->events : NULL;
}

const etw_synth_marker *etw_synth_markers_get(const etw_synth *s, size_t *count)
{
    if (count)
        *count = s ? s->nmarkers : 0;
    return (s && s->nmarkers > 0) ? s->markers : NULL;
}

etw_status etw_synth_get_stats(const etw_synth *s, etw_synth_stats *stats)
{
    if (!s || !stats)
        return ETW_ERR_NULL;
    *stats = s->stats;
    return ETW_OK;
}

const etw_synth_config *etw_synth_get_config(const etw_synth *s)
{
    return &s->cfg;
}
