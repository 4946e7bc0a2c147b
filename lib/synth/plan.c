/* Planning of a synthetic recording: every event is drawn at creation, in a fixed order
 * (ECG, contractions, motion, saturation, spikes, markers with their twitches, spontaneous
 * twitches), then sorted by onset. Twitches are placed last, by rejection, away from what
 * they must be isolated from. */
#include "synth/synth_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_EVENTS 10000000.0
#define ATTEMPTS 200

typedef struct planner {
    etw_synth *s;
    etw_synth_rng r;
    double fs, dur;
} planner;

static size_t count_of(int enabled, double rate_per_min, double dur)
{
    return enabled ? (size_t)llround(rate_per_min * dur / 60.0) : 0;
}

static int64_t to_sample(const planner *p, double t)
{
    return (int64_t)llround(t * p->fs);
}

static etw_synth_item *add(planner *p, etw_synth_kind kind, int64_t onset, int64_t offset)
{
    etw_synth_item *it = &p->s->items[p->s->nitems++];
    memset(it, 0, sizeof *it);
    it->ev.kind = kind;
    it->ev.onset = onset;
    it->ev.offset = offset;
    it->ev.channel = 0;
    it->ev.first_channel = 0;
    it->ev.last_channel = (int32_t)p->s->cfg.nch - 1;
    it->ev.marker = -1;
    it->start = onset;
    it->end = offset;
    it->t0_s = (double)onset / p->fs;
    return it;
}

static int64_t clamp64(int64_t x, int64_t lo, int64_t hi)
{
    return x < lo ? lo : (x > hi ? hi : x);
}

static void plan_ecg(planner *p)
{
    const etw_synth_ecg *e = &p->s->cfg.ecg;
    if (!e->enabled)
        return;
    double rr0 = 60.0 / etw_synth_rng_range(&p->r, e->hr_min_bpm, e->hr_max_bpm);
    int64_t n = p->s->nframes;
    for (double t = etw_synth_rng_range(&p->r, 0.0, rr0); t < p->dur;) {
        double w = etw_synth_rng_range(&p->r, e->qrs_min_ms, e->qrs_max_ms) * 1e-3;
        int64_t on = clamp64(to_sample(p, t - 0.5 * w), 0, n - 1);
        int64_t off = clamp64(to_sample(p, t + 0.5 * w), on + 1, n);
        etw_synth_item *it = add(p, ETW_SYNTH_ECG, on, off);
        it->t0_s = t;
        it->width_s = w;
        it->start = clamp64((int64_t)floor((t - 0.3) * p->fs), 0, on);
        it->end = clamp64((int64_t)ceil((t + 0.5) * p->fs) + 1, off, n);
        double rr = rr0 * (1.0 + e->hrv * etw_synth_rng_normal(&p->r));
        t += fmin(fmax(rr, 0.7 * rr0), 1.3 * rr0);
    }
}

/* Places an event of length len_s uniformly in the recording; NULL if it does not fit. */
static etw_synth_item *add_uniform(planner *p, etw_synth_kind kind, double len_s)
{
    if (len_s >= p->dur)
        return NULL;
    double t = etw_synth_rng_range(&p->r, 0.0, p->dur - len_s);
    int64_t on = to_sample(p, t);
    int64_t off = clamp64(to_sample(p, t + len_s), on + 1, p->s->nframes);
    etw_synth_item *it = add(p, kind, on, off);
    it->t0_s = (double)on / p->fs;
    return it;
}

static int overlaps(const etw_synth_item *a, int64_t on, int64_t off, int64_t gap)
{
    return on < a->ev.offset + gap && a->ev.onset < off + gap;
}

static void plan_contractions(planner *p)
{
    const etw_synth_contraction *c = &p->s->cfg.contraction;
    size_t n = count_of(c->enabled, c->rate_per_min, p->dur);
    size_t first = p->s->nitems;
    int64_t gap = to_sample(p, 1.0);
    for (size_t k = 0; k < n; k++) {
        for (int a = 0; a < ATTEMPTS; a++) {
            double r1 = etw_synth_rng_range(&p->r, c->ramp_min_s, c->ramp_max_s);
            double pl = etw_synth_rng_range(&p->r, c->plateau_min_s, c->plateau_max_s);
            double r2 = etw_synth_rng_range(&p->r, c->ramp_min_s, c->ramp_max_s);
            etw_synth_item *it = add_uniform(p, ETW_SYNTH_CONTRACTION, r1 + pl + r2);
            if (!it)
                break;
            int clash = 0;
            for (size_t i = first; i + 1 < p->s->nitems; i++)
                clash |= overlaps(&p->s->items[i], it->ev.onset, it->ev.offset, gap);
            if (clash) {
                p->s->nitems--;
                continue;
            }
            it->width_s = r1;
            it->plateau_s = pl;
            it->ramp2_s = r2;
            it->gain = c->level_rms_v;
            break;
        }
    }
}

static double sign(planner *p)
{
    return etw_synth_rng_uniform(&p->r) < 0.5 ? -1.0 : 1.0;
}

static void plan_transients(planner *p)
{
    const etw_synth_config *c = &p->s->cfg;
    size_t n = count_of(c->motion.enabled, c->motion.rate_per_min, p->dur);
    for (size_t k = 0; k < n; k++) {
        double tau = etw_synth_rng_range(&p->r, c->motion.tau_min_ms, c->motion.tau_max_ms);
        etw_synth_item *it = add_uniform(p, ETW_SYNTH_MOTION, 8e-3 * tau);
        if (it) {
            it->width_s = 1e-3 * tau;
            it->gain = sign(p) * c->motion.amplitude_v * etw_synth_rng_range(&p->r, 0.5, 1.0);
        }
    }
    n = count_of(c->saturation.enabled, c->saturation.rate_per_min, p->dur);
    for (size_t k = 0; k < n; k++) {
        double d = etw_synth_rng_range(&p->r, c->saturation.min_duration_ms,
                                       c->saturation.max_duration_ms);
        etw_synth_item *it = add_uniform(p, ETW_SYNTH_SATURATION, 1e-3 * d);
        if (it) {
            it->width_s = 1e-3 * d / 6.0;
            it->gain = sign(p) * 4.0 * c->saturation.rail_v;
        }
    }
    n = count_of(c->spikes.enabled, c->spikes.rate_per_min, p->dur);
    for (size_t k = 0; k < n; k++) {
        int64_t on = (int64_t)(etw_synth_rng_uniform(&p->r) * (double)p->s->nframes);
        etw_synth_item *it = add(p, ETW_SYNTH_SPIKE, on, on + 1);
        int32_t ch = (int32_t)(etw_synth_rng_next(&p->r) % c->nch);
        it->ev.channel = it->ev.first_channel = it->ev.last_channel = ch;
        it->gain = sign(p) * c->spikes.amplitude_v;
    }
}

/* Nonzero if a twitch on [on, end) keeps the required distance from every event. */
static int twitch_fits(const planner *p, int64_t on, int64_t end)
{
    const etw_synth_twitch *t = &p->s->cfg.twitch;
    int64_t iso = to_sample(p, t->isolation_s), guard = to_sample(p, t->ecg_guard_s);
    for (size_t i = 0; i < p->s->nitems; i++) {
        const etw_synth_item *it = &p->s->items[i];
        etw_synth_kind k = it->ev.kind;
        if (k == ETW_SYNTH_TWITCH) {
            if (on < it->end + iso && it->ev.onset < end + iso)
                return 0;
        } else if (t->isolated) {
            int64_t gap = (k == ETW_SYNTH_ECG || k == ETW_SYNTH_SPIKE) ? guard : iso;
            if (overlaps(it, on, end, gap))
                return 0;
        }
    }
    return 1;
}

/* Tries to add a twitch with onset at on_s; returns the item or NULL if it does not fit. */
static etw_synth_item *try_twitch(planner *p, double on_s, double dur_s)
{
    etw_synth *s = p->s;
    const etw_synth_twitch *t = &s->cfg.twitch;
    int64_t on = to_sample(p, on_s);
    int64_t len = to_sample(p, dur_s);
    len = len < 2 ? 2 : len;
    int spread = (int)s->cfg.nch > 1 ? t->spread_channels : 0;
    int64_t end = on + len + (int64_t)ceil(spread * t->delay_ms_per_channel * 1e-3 * p->fs) + 1;
    int64_t margin = to_sample(p, t->margin_s);
    if (on < margin || end > s->nframes - margin || !twitch_fits(p, on, end))
        return NULL;
    etw_synth_item *it = add(p, ETW_SYNTH_TWITCH, on, on + len);
    it->end = end;
    it->width_s = (double)len / p->fs;
    int32_t lead = (int32_t)(etw_synth_rng_next(&p->r) % s->cfg.nch);
    it->ev.channel = lead;
    it->ev.first_channel = lead - spread < 0 ? 0 : lead - spread;
    it->ev.last_channel = lead + spread >= (int32_t)s->cfg.nch ? (int32_t)s->cfg.nch - 1
                                                                : lead + spread;
    it->ev.snr_db = etw_synth_rng_range(&p->r, t->snr_min_db, t->snr_max_db);
    it->seed = etw_synth_rng_next(&p->r);
    /* scale so that the RMS over [onset, offset) on the lead channel gives the SNR */
    etw_synth_burst_build(&s->burst, it->seed, it->width_s);
    double sum = 0.0, peak = 0.0;
    for (int64_t k = 0; k < len; k++) {
        double v = etw_synth_burst_value(&s->burst, (double)k / p->fs);
        sum += v * v;
        peak = fmax(peak, fabs(v));
    }
    double rms = sqrt(sum / (double)len);
    it->gain = rms > 0.0 ? s->ref_rms * pow(10.0, it->ev.snr_db / 20.0) / rms : 0.0;
    it->ev.peak_v = it->gain * peak;
    return it;
}

static double twitch_duration(planner *p)
{
    const etw_synth_twitch *t = &p->s->cfg.twitch;
    return 1e-3 * etw_synth_rng_range(&p->r, t->min_duration_ms, t->max_duration_ms);
}

static void plan_twitches(planner *p)
{
    etw_synth *s = p->s;
    const etw_synth_config *c = &s->cfg;
    size_t nm = count_of(c->markers.enabled, c->markers.rate_per_min, p->dur);
    s->stats.markers_requested = nm;
    for (size_t k = 0; k < nm; k++) {
        for (int a = 0; a < ATTEMPTS; a++) {
            double tm = etw_synth_rng_range(&p->r, 0.0, p->dur);
            double lat = 1e-3 * etw_synth_rng_range(&p->r, c->markers.latency_min_ms,
                                                    c->markers.latency_max_ms);
            int respond = etw_synth_rng_uniform(&p->r) < c->markers.response_probability;
            etw_synth_item *it = try_twitch(p, tm + lat, twitch_duration(p));
            if (!it)
                continue;
            etw_synth_marker *m = &s->markers[s->nmarkers];
            m->sample = to_sample(p, tm);
            m->time_s = (double)m->sample / p->fs;
            m->event = -1;
            if (respond && c->twitch.enabled) {
                it->ev.marker = (int32_t)s->nmarkers;
                m->event = (int32_t)(s->nitems - 1);
            } else {
                s->nitems--; /* the window stays free, but nothing follows */
            }
            s->nmarkers++;
            break;
        }
    }
    size_t nt = count_of(c->twitch.enabled, c->twitch.rate_per_min, p->dur);
    s->stats.twitches_requested = nt;
    double lo = c->twitch.margin_s;
    for (size_t k = 0; k < nt; k++) {
        for (int a = 0; a < ATTEMPTS; a++) {
            double d = twitch_duration(p);
            if (try_twitch(p, etw_synth_rng_range(&p->r, lo, fmax(lo, p->dur - lo - d)), d)) {
                s->stats.twitches_placed++;
                break;
            }
        }
    }
}

static int cmp_item(const void *pa, const void *pb)
{
    const etw_synth_item *a = pa, *b = pb;
    if (a->ev.onset != b->ev.onset)
        return a->ev.onset < b->ev.onset ? -1 : 1;
    if (a->ev.kind != b->ev.kind)
        return a->ev.kind < b->ev.kind ? -1 : 1;
    if (a->ev.channel != b->ev.channel)
        return a->ev.channel < b->ev.channel ? -1 : 1;
    if (a->ev.offset != b->ev.offset)
        return a->ev.offset < b->ev.offset ? -1 : 1;
    return (a->seed > b->seed) - (a->seed < b->seed);
}

static int cmp_marker(const void *pa, const void *pb)
{
    const etw_synth_marker *a = pa, *b = pb;
    if (a->sample != b->sample)
        return a->sample < b->sample ? -1 : 1;
    return (a->event > b->event) - (a->event < b->event);
}

/* Sorts items and markers and re-links them. */
static void sort_and_link(etw_synth *s)
{
    qsort(s->markers, s->nmarkers, sizeof *s->markers, cmp_marker);
    for (size_t j = 0; j < s->nmarkers; j++)
        if (s->markers[j].event >= 0)
            s->items[s->markers[j].event].ev.marker = (int32_t)j;
    qsort(s->items, s->nitems, sizeof *s->items, cmp_item);
    for (size_t i = 0; i < s->nitems; i++)
        if (s->items[i].ev.marker >= 0)
            s->markers[s->items[i].ev.marker].event = (int32_t)i;
}

etw_status etw_synth_plan(etw_synth *s)
{
    const etw_synth_config *c = &s->cfg;
    planner p = {s, {0, 0.0, 0}, c->fs_hz, (double)s->nframes / c->fs_hz};
    etw_synth_rng_init(&p.r, c->seed, 1);
    double nm = c->markers.enabled ? c->markers.rate_per_min * p.dur / 60.0 + 1 : 0;
    double cap = (c->ecg.enabled ? p.dur * c->ecg.hr_max_bpm / 60.0 / 0.7 + 2 : 0) + nm;
    cap += c->contraction.enabled ? c->contraction.rate_per_min * p.dur / 60.0 + 1 : 0;
    cap += c->motion.enabled ? c->motion.rate_per_min * p.dur / 60.0 + 1 : 0;
    cap += c->saturation.enabled ? c->saturation.rate_per_min * p.dur / 60.0 + 1 : 0;
    cap += c->spikes.enabled ? c->spikes.rate_per_min * p.dur / 60.0 + 1 : 0;
    cap += c->twitch.enabled ? c->twitch.rate_per_min * p.dur / 60.0 + 1 : 0;
    if (cap + nm > MAX_EVENTS)
        return ETW_ERR_OVERFLOW;
    s->items = malloc(((size_t)cap + 1) * sizeof *s->items);
    s->markers = malloc(((size_t)nm + 1) * sizeof *s->markers);
    if (!s->items || !s->markers)
        return ETW_ERR_NOMEM;
    plan_ecg(&p);
    plan_contractions(&p);
    plan_transients(&p);
    plan_twitches(&p);
    sort_and_link(s);
    return ETW_OK;
}
