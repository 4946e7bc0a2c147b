/* Per-channel detection: burst state machine over the envelope and floor, burst
 * measures and the classification of each burst once its quiet margins (and, with ECG
 * rejection, the neighbouring beats) are known. */
#include <math.h>
#include <string.h>

#include "twitch/detector.h"

/* Magnitude (in floors) a conditioned sample must reach to count as the burst's first or
 * last sample: Gaussian noise exceeds 2 sigma in 4.6 % of samples; the phase containing
 * the first such sample is then followed back to its start. */
#define ETW_REFINE_LEVEL 2.0

void etw_channel_reset(etw_twitch *d, etw_channel *c)
{
    size_t ring = (size_t)d->ring_mask + 1;
    memset(c->x, 0, ring * sizeof *c->x);
    memset(c->e, 0, ring * sizeof *c->e);
    memset(c->raw, 0, ring * sizeof *c->raw);
    memset(c->bad, 0, ring);
    c->last_finite = 0.0f;
    c->last_bad = INT64_MIN;
    c->blank_until = d->startup_blank;
    c->invalid_until = INT64_MIN;
    c->invalid_open = 0;
    c->invalid_onset = 0;
    etw_channel_set_floor(d, c, NAN);
    c->frozen = 0;
    c->warm = 0;
    etw_burst_init(&c->sm, &d->burst);
    c->log_first = 0;
    c->log_n = 0;
    c->undecided = 0;
    c->due = INT64_MAX;
    etw_excursions_reset(&c->xs);
}

/* k < log_cap and log_first < log_cap: one conditional subtraction wraps the index (a
 * division here cost as much as the rest of a detection step, which asks for the next
 * decision time at every sample of an open burst). */
static etw_log_entry *entry_at(const etw_twitch *d, const etw_channel *c, size_t k)
{
    size_t i = c->log_first + k;
    return &c->log[i >= d->log_cap ? i - d->log_cap : i];
}

static etw_ring_view view_of(const etw_twitch *d, const etw_channel *c)
{
    return (etw_ring_view){c->x,     c->e, c->raw, d->ring_mask, d->emph_on,
                           {d->emph[0], d->emph[1], d->emph[2]}, d->w_end};
}

/* Highest mean frequency of a QRS complex as the detector measures it (band-pass, 25 ms of
 * context): QRS energy lies below ~40 Hz, the synthetic QRS measure 21-27 Hz even at 10x
 * the default R amplitude; twitches measure 100-400 Hz. Without this bound, twitches that
 * fall one per beat between the QRS complexes (which the pre-emphasis hides) formed a
 * "regular train" themselves. */
#define ETW_QRS_MAX_MEAN_FREQ_HZ 100.0
/* Highest mean frequency of a burst that is itself tested against the train of QRS-like
 * neighbours (whose bound stays ETW_QRS_MAX_MEAN_FREQ_HZ): a QRS of a strong, sharp ECG
 * measures up to ~125 Hz now and then (the hostile_periodic_qrs_like beats: 56-123 Hz).
 * The train still needs mean frequencies within 2x: a twitch of 100-130 Hz does not join
 * QRS of 21-27 Hz (the synthetic ones). */
#define ETW_QRS_SELF_MAX_MEAN_FREQ_HZ 130.0

static int qrs_like(const etw_log_entry *e)
{
    return e->kind == ETW_ENTRY_BURST && e->significant &&
           e->ev.mean_freq_hz < ETW_QRS_MAX_MEAN_FREQ_HZ;
}

/* ECG test for entry k: the peaks of up to 3 QRS-like bursts on each side. */
static int ecg_like(const etw_twitch *d, const etw_channel *c, size_t k)
{
    if (entry_at(d, c, k)->ev.mean_freq_hz >= ETW_QRS_SELF_MAX_MEAN_FREQ_HZ) {
        return 0;
    }
    int64_t peaks[7];
    double amps[7], freqs[7];
    size_t n = 0, self = 0;
    size_t lo = k;
    for (int found = 0; lo > 0 && found < 3; lo--) {
        found += qrs_like(entry_at(d, c, lo - 1));
    }
    for (size_t j = lo; j < c->log_n && n < 7; j++) {
        const etw_log_entry *e = entry_at(d, c, j);
        if (j == k) {
            self = n;
        } else if (!qrs_like(e)) {
            continue;
        }
        peaks[n] = e->ev.peak;
        amps[n] = e->ev.peak_envelope;
        freqs[n] = e->ev.mean_freq_hz;
        n++;
        if (j > k && n >= self + 4) {
            break;
        }
    }
    return etw_ecg_in_train(peaks, amps, freqs, n, self, &d->ecg);
}

/* Peak ratio (10 dB) below which a neighbour does not disturb a burst: the decaying tail of
 * a twitch often comes back above the threshold after the merge gap. */
#define ETW_ISOLATION_RATIO 3.16

/* Peak ratio (3 dB) by which a later burst is weaker than this one if it is its tail: a
 * decaying tail has under half the peak power of the burst (the synthetic twitch decays to
 * -12 dB), while a following discharge of about the same size (1.03-1.22 in the PhysioNet
 * needle records) is another burst. */
#define ETW_TAIL_RATIO 1.41

/* Whether entry j breaks the isolation of burst `self`: significant, not much weaker, not
 * low-frequency, not a spike, not self's tail and not an ECG beat (those are rejected on
 * their own; a twitch between two beats is isolated). */
static int disturbs(const etw_twitch *d, const etw_channel *c, size_t j,
                    const etw_twitch_event *self)
{
    const etw_log_entry *e = entry_at(d, c, j);
    if (!e->significant) {
        return 0;
    }
    if (e->kind == ETW_ENTRY_INVALID) {
        return 1;
    }
    if (ETW_ISOLATION_RATIO * e->ev.peak_envelope < self->peak_envelope) {
        return 0;
    }
    /* a weaker burst after it, after a gap shorter than the burst itself and ending within
     * a twitch's longest duration of its onset, is its decaying tail, which dipped under the
     * off level for longer than the merge gap (at low SNR, or between the discharges of a
     * long twitch) */
    if (e->kind == ETW_ENTRY_BURST && e->ev.onset > self->onset &&
        ETW_TAIL_RATIO * e->ev.peak_envelope < self->peak_envelope &&
        e->ev.onset - self->offset <= self->offset - self->onset &&
        e->ev.offset - self->onset <= d->max_dur) {
        return 0;
    }
    /* low-frequency bursts (motion, DC steps, filtered QRS) and single-sample spikes are
     * not muscle activity */
    if (e->kind == ETW_ENTRY_BURST && (e->ev.mean_freq_hz < d->cfg.min_mean_freq_hz ||
                                       e->spike_fraction > d->cfg.max_spike_fraction)) {
        return 0;
    }
    if (e->kind != ETW_ENTRY_BURST || !d->cfg.ecg_reject) {
        return 1;
    }
    return e->decided ? !(e->ev.flags & ETW_TWITCH_FLAG_ECG) : !ecg_like(d, c, j);
}

static void decide(etw_twitch *d, size_t ci, size_t k, int64_t now)
{
    etw_channel *c = &d->ch[ci];
    etw_log_entry *en = entry_at(d, c, k);
    etw_twitch_event *ev = &en->ev;
    en->decided = 1;
    const etw_twitch_config *cfg = &d->cfg;
    /* invalid stretches are not events; an insignificant burst is not a twitch, and only
     * report_all shows it (its flags are read nowhere else: see disturbs(), qrs_like()) */
    if (en->kind == ETW_ENTRY_INVALID ||
        (en->kind == ETW_ENTRY_BURST && !en->significant && !cfg->report_all)) {
        return;
    }
    unsigned f = ev->flags;
    if (en->kind == ETW_ENTRY_BURST) {
        double dur_ms = ev->duration_s * 1000.0;
        if (dur_ms < cfg->min_duration_ms || dur_ms > cfg->max_duration_ms) {
            f |= ETW_TWITCH_FLAG_DURATION;
        }
        /* the peak criterion, raised where the background's excursions reach it too often
         * (the raise, a costly root search, only for bursts that pass the plain criterion:
         * the raised one is never lower) */
        double peak_min = d->peak_factor * ev->floor;
        int low = ev->snr_db < cfg->min_snr_db || ev->peak_envelope < peak_min;
        if (!low) {
            double raise_db = etw_excursions_threshold_db(&c->xs, now, cfg->fs_hz,
                                                          cfg->noise_alarms_per_min) +
                              cfg->on_db - cfg->min_peak_db;
            low = ev->peak_envelope < peak_min * (raise_db > 0.0 ? pow(10.0, raise_db / 20.0)
                                                                 : 1.0);
        }
        f |= low ? ETW_TWITCH_FLAG_LOW_SNR : 0u;
        f |= ev->rise_time_s * 1000.0 > cfg->max_rise_ms ? ETW_TWITCH_FLAG_SLOW_RISE : 0u;
        f |= ev->mean_freq_hz < cfg->min_mean_freq_hz ? ETW_TWITCH_FLAG_LOW_FREQUENCY : 0u;
        f |= en->spike_fraction > cfg->max_spike_fraction ? ETW_TWITCH_FLAG_SPIKE : 0u;
        if (cfg->ecg_reject && ecg_like(d, c, k)) {
            f |= ETW_TWITCH_FLAG_ECG;
        }
    } else {
        f |= ETW_TWITCH_FLAG_DURATION;
    }
    /* isolation: the neighbouring significant entries, an open burst, an open blanked
     * stretch */
    for (size_t j = k; j > 0; j--) {
        const etw_log_entry *prev = entry_at(d, c, j - 1);
        if (prev->ev.offset <= ev->onset - d->pre_quiet) {
            break;
        }
        if (disturbs(d, c, j - 1, ev)) {
            f |= prev->kind == ETW_ENTRY_INVALID ? ETW_TWITCH_FLAG_NONFINITE
                                                 : ETW_TWITCH_FLAG_NOT_ISOLATED;
        }
    }
    int64_t quiet_end = ev->offset + d->post_quiet;
    int covered = 0; /* the log already reaches past the quiet margin */
    for (size_t j = k + 1; j < c->log_n; j++) {
        const etw_log_entry *next = entry_at(d, c, j);
        covered = next->ev.onset >= quiet_end;
        if (covered) {
            break;
        }
        if (disturbs(d, c, j, ev)) {
            f |= next->kind == ETW_ENTRY_INVALID ? ETW_TWITCH_FLAG_NONFINITE
                                                 : ETW_TWITCH_FLAG_NOT_ISOLATED;
        }
    }
    if (covered) {
        /* nothing more to look at */
    } else if (etw_burst_busy(&c->sm) && c->sm.cur.onset < quiet_end) {
        f |= ETW_TWITCH_FLAG_NOT_ISOLATED;
    } else if (c->invalid_open && c->invalid_onset < quiet_end) {
        f |= ETW_TWITCH_FLAG_NONFINITE;
    }
    if (en->kind == ETW_ENTRY_BURST && quiet_end > now) {
        f |= ETW_TWITCH_FLAG_TRUNCATED;
    }
    const unsigned reasons = ~(ETW_TWITCH_FLAG_TWITCH | ETW_TWITCH_FLAG_CLIPPED |
                               ETW_TWITCH_FLAG_TRUNCATED);
    if (!(f & reasons)) {
        f |= ETW_TWITCH_FLAG_TWITCH;
        ev->confidence = 1.0 / (1.0 + exp(-(ev->snr_db - cfg->min_snr_db - 3.0) / 2.0));
    }
    ev->flags = f;
    if ((f & ETW_TWITCH_FLAG_TWITCH) || cfg->report_all) {
        etw_output_queue(d, ci, ev);
    }
}

/* c->due from the log (after entries were pushed or decided). */
static void refresh_due(const etw_twitch *d, etw_channel *c)
{
    c->due = c->undecided > 0 ? entry_at(d, c, c->log_n - c->undecided)->decide_at : INT64_MAX;
}

/* Decides every undecided entry whose time has come (all of them when `final`). */
static void decide_due(etw_twitch *d, size_t ci, int64_t now, int final)
{
    etw_channel *c = &d->ch[ci];
    while (c->undecided > 0) {
        size_t k = c->log_n - c->undecided;
        if (!final && entry_at(d, c, k)->decide_at > now) {
            break;
        }
        decide(d, ci, k, now);
        c->undecided--;
    }
    refresh_due(d, c);
}

static etw_log_entry *log_push(etw_twitch *d, size_t ci, int64_t now)
{
    etw_channel *c = &d->ch[ci];
    if (c->log_n == d->log_cap) {
        if (c->undecided == c->log_n) { /* cannot happen with valid bounds; stay exact */
            decide(d, ci, 0, now);
            c->undecided--;
        }
        c->log_first = (c->log_first + 1) % d->log_cap;
        c->log_n--;
    }
    etw_log_entry *en = entry_at(d, c, c->log_n);
    c->log_n++;
    c->undecided++;
    memset(en, 0, sizeof *en);
    en->ev.channel = ci;
    en->ev.nchannels = 1;
    en->ev.channel_mask[ci / 64] = (uint64_t)1 << (ci % 64);
    return en;
}

static void set_times(const etw_twitch *d, etw_twitch_event *ev)
{
    double fs = d->cfg.fs_hz;
    ev->onset_s = (double)ev->onset / fs;
    ev->offset_s = (double)ev->offset / fs;
    ev->peak_s = (double)ev->peak / fs;
    ev->duration_s = (double)(ev->offset - ev->onset) / fs;
    ev->rise_time_s = (double)(ev->peak - ev->onset) / fs;
}

static void on_burst(etw_twitch *d, size_t ci, const etw_burst *b, int64_t now, int at_end)
{
    etw_channel *c = &d->ch[ci];
    etw_log_entry *en = log_push(d, ci, now);
    etw_twitch_event *ev = &en->ev;
    double fl = c->floor;
    if (fl > 0.0 && b->peak_env > 0.0) {
        etw_excursions_add(&c->xs, b->onset, 20.0 * log10(b->peak_env / fl) - d->cfg.on_db,
                           d->cfg.fs_hz);
    }
    if (b->offset - b->onset > d->max_dur + d->win) {
        en->kind = ETW_ENTRY_LONG;
        ev->onset = b->onset;
        ev->offset = b->offset;
        ev->peak = b->peak;
        ev->peak_envelope = b->peak_env;
        ev->floor = fl;
        set_times(d, ev);
        en->decide_at = now;
        en->significant = 1;
        refresh_due(d, c);
        return;
    }
    en->kind = ETW_ENTRY_BURST;
    etw_ring_view v = view_of(d, c);
    int64_t onset, offset;
    etw_twitch_refine(&v, b->anchor, b->offset - 1, fl, ETW_REFINE_LEVEL * fl, d->h, &onset,
                      &offset);
    /* the envelope exists up to `now` only (a burst cut by blanking ends early) */
    offset = offset > now + 1 ? now + 1 : offset;
    onset = onset < offset ? onset : offset - 1;
    etw_twitch_amplitude(&v, onset, offset, fl, d->cfg.fs_hz, ev);
    if (b->truncated) {
        ev->flags |= at_end ? ETW_TWITCH_FLAG_TRUNCATED : ETW_TWITCH_FLAG_NONFINITE;
    }
    const etw_twitch_config *cfg = &d->cfg;
    en->significant = ev->snr_db >= cfg->min_snr_db &&
                      ev->peak_envelope >= d->peak_factor * fl &&
                      ev->duration_s * 1000.0 >= cfg->min_duration_ms;
    /* The rest only for significant bursts (all that classification and isolation look at:
     * an insignificant one is low or short, never a twitch, and never disturbs another), or
     * when every burst is reported; the spectrum, which costs most, for spikes neither. */
    if (!en->significant && !cfg->report_all) {
        en->decide_at = b->offset + d->decide_delay;
        refresh_due(d, c);
        return;
    }
    en->spike_fraction = etw_twitch_shape(&v, onset, offset, fl, cfg->fs_hz, cfg->clip_level,
                                          d->h, ev);
    if ((en->significant && en->spike_fraction <= cfg->max_spike_fraction) || cfg->report_all) {
        /* with the signal around it (spec_margin; after the burst only what is stored at
         * every block partition: up to now + h) */
        int64_t hi = offset + d->spec_margin;
        hi = hi < now + d->h + 1 ? hi : now + d->h + 1;
        etw_twitch_spectrum(&v, onset - d->spec_margin, hi, cfg->fs_hz, d->fmax_hz, d->scratch,
                            &ev->mean_freq_hz, &ev->median_freq_hz);
        /* saturation within the settling time before it (the rings hold `lookback`) or
         * right after it, up to hi (the edge into the rail) */
        if (etw_twitch_saturated(&v, onset - d->lookback, hi, cfg->fs_hz)) {
            ev->flags |= ETW_TWITCH_FLAG_SATURATED;
        }
    }
    en->decide_at = b->offset + d->decide_delay;
    refresh_due(d, c);
}

static void close_invalid(etw_twitch *d, size_t ci, int64_t end)
{
    etw_channel *c = &d->ch[ci];
    etw_log_entry *en = log_push(d, ci, end);
    en->kind = ETW_ENTRY_INVALID;
    en->ev.onset = c->invalid_onset;
    en->ev.offset = end;
    en->decide_at = end;
    en->significant = 1;
    c->invalid_open = 0;
    refresh_due(d, c);
}

/* Whether a burst open (c->sm.cur.onset) still counts as twitch-like at tc (the floor tracker is
 * frozen then; see step()). */
static int twitch_like_at(const etw_twitch *d, const etw_channel *c, int64_t tc)
{
    return tc - c->sm.cur.onset <= d->max_dur + d->win;
}

/* One detection-time step at tc; returns the floor-tracker marks of the sample (ETW_MARK_*). */
static int step(etw_twitch *d, size_t ci, int64_t tc)
{
    etw_channel *c = &d->ch[ci];
    /* the ring is read only when a bad sample can be there (it is cold otherwise) */
    if (c->last_bad >= tc + d->h && c->bad[(tc + d->h) & d->ring_mask]) {
        int64_t until = tc + 2 * d->h + d->settle + 1;
        c->blank_until = until > c->blank_until ? until : c->blank_until;
        c->invalid_until = until;
    }
    double fl = c->floor;
    int blank = tc < c->blank_until;
    double env = c->e[tc & d->ring_mask];
    etw_burst b;
    if (etw_burst_step(&c->sm, tc, env, fl * d->on_factor, fl * d->off_factor,
                       fl * d->peak_factor, blank || !(fl > 0.0), &b)) {
        on_burst(d, ci, &b, tc, 0);
    }
    int invalid = tc < c->invalid_until;
    if (invalid && !c->invalid_open) {
        c->invalid_open = 1;
        c->invalid_onset = tc;
    } else if (!invalid && c->invalid_open) {
        close_invalid(d, ci, tc);
    }
    if (c->due <= tc) {
        decide_due(d, ci, tc, 0);
    }
    /* the floor tracker is frozen while a burst that could be a twitch is open; longer
     * activity is left to the tracker's own gate, which re-learns when the level stays up
     * (otherwise a floor that starts too low would freeze itself for good) */
    int twitch_like = etw_burst_busy(&c->sm) && twitch_like_at(d, c, tc);
    return (twitch_like ? ETW_MARK_BURST : 0) | (blank ? ETW_MARK_BLANK : 0);
}

/* The largest float lo not above on: for a float e, e > on exactly when e > lo (NaN: never). */
static float float_below(double on)
{
    float lo = (float)on;
    return (double)lo > on ? nextafterf(lo, -INFINITY) : lo;
}

void etw_channel_set_floor(const etw_twitch *d, etw_channel *c, double floor)
{
    c->floor = floor;
    c->on = float_below(floor * d->on_factor);
}

/* First detection time in [from, to) whose envelope exceeds `on` (to if none), lo =
 * float_below(on): each contiguous span of the ring is first counted in a loop without exits,
 * which the compiler vectorises, and searched only when the count is not 0. */
static int64_t scan_above(const float *e, int64_t mask, int64_t from, int64_t to, float lo)
{
    for (int64_t t = from; t < to;) {
        int64_t at = t & mask, len = mask + 1 - at;
        len = len < to - t ? len : to - t;
        const float *p = e + at;
        int above = 0;
        for (int64_t i = 0; i < len; i++) {
            above += p[i] > lo;
        }
        for (int64_t i = 0; above > 0; i++) {
            if (p[i] > lo) {
                return t + i;
            }
        }
        t += len;
    }
    return to;
}

int etw_channel_run(etw_twitch *d, size_t ci, int64_t from, int64_t to)
{
    etw_channel *c = &d->ch[ci];
    /* NaN before the first floor: never exceeded */
    float on = c->on;
    int marks = 0;
    for (int64_t tc = from; tc < to; tc++) {
        /* fast paths, equivalent to step() sample by sample: no blanked stretch open, no bad
         * input at or after tc + h (so none at any later step of this call), no
         * classification due before `due`; then only the samples where the burst machine
         * changes state need a step */
        int64_t due = c->due, lim = due < to ? due : to;
        if (c->invalid_open || tc < c->invalid_until || c->last_bad >= tc + d->h || tc >= due) {
            marks |= step(d, ci, tc);
            continue;
        }
        int64_t start = tc;
        if (c->sm.state == ETW_BURST_IDLE) {
            /* only the first envelope value above the start threshold */
            tc = scan_above(c->e, d->ring_mask, tc, lim, on);
            marks |= tc > start && start < c->blank_until ? ETW_MARK_BLANK : 0;
        } else if (tc >= c->blank_until && c->floor > 0.0) {
            /* not blanked now nor later in this call: an active burst goes on while the
             * envelope stays at or above off; a gap lasts until a value above the start
             * threshold or until the merge gap is over */
            if (c->sm.state == ETW_BURST_ACTIVE) {
                tc = etw_burst_run_active(&c->sm, c->e, d->ring_mask, tc, lim,
                                          c->floor * d->off_factor, c->floor * d->peak_factor);
            } else {
                int64_t gap_end = c->sm.last_above + d->burst.merge_gap + 1;
                tc = scan_above(c->e, d->ring_mask, tc, gap_end < lim ? gap_end : lim, on);
            }
            marks |= tc > start && twitch_like_at(d, c, start) ? ETW_MARK_BURST : 0;
        }
        if (tc == to) {
            break;
        }
        marks |= step(d, ci, tc);
    }
    return marks;
}

void etw_channel_finish(etw_twitch *d, size_t ci)
{
    etw_channel *c = &d->ch[ci];
    int64_t end = d->t;
    etw_burst b;
    if (etw_burst_finish(&c->sm, end, &b)) {
        on_burst(d, ci, &b, end, 1);
    }
    if (c->invalid_open) {
        close_invalid(d, ci, end);
    }
    decide_due(d, ci, end, 1);
}

int etw_channel_long_activity(const etw_twitch *d, size_t ci, int64_t lo, int64_t hi,
                              int64_t horizon)
{
    const etw_channel *c = &d->ch[ci];
    int64_t long_len = d->max_dur + d->win;
    /* an open burst, or a logged long one, that began before hi and was long by horizon */
    if (etw_burst_busy(&c->sm) && c->sm.cur.onset < hi && c->sm.cur.onset + long_len < horizon) {
        return 1;
    }
    for (size_t k = c->log_n; k > 0; k--) {
        const etw_log_entry *e = entry_at(d, c, k - 1);
        if (e->ev.offset <= lo) {
            break;
        }
        if (e->kind == ETW_ENTRY_LONG && e->ev.onset < hi && e->ev.onset + long_len < horizon) {
            return 1;
        }
    }
    return 0;
}
