/* Twitch detector object: creation (all allocation), conditioning (band-pass, powerline
 * comb with automatic 50/60 Hz decision), chunked processing, flush and the offline helper. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "twitch/config_table.h"
#include "twitch/detector.h"

/* Fraction of the band energy a 50/60 Hz resonator must hold for hum to be declared. EMG
 * whose spectrum peaks near 60-120 Hz puts about 2 % there with the default notch Q, and
 * over the 500 ms probe that share has about 2 degrees of freedom, so it exceeds k times
 * its mean with probability ~exp(-k): 5 % (k = 2.5) switched the comb on for about one clean
 * recording in ten; 15 % for about one in 2000. Hum weaker than that (RMS below ~0.4 of the
 * background) is left in; the pre-emphasis attenuates the fundamental anyway. */
#define ETW_MAINS_FRACTION 0.15

/* Conditioned signal taken into the burst spectrum on each side of the burst, ms: a step or
 * motion transient is detected at its sharp edge (the pre-emphasis sees little else), its
 * slow part (the band-pass ringing, ~20 Hz) lies around it and brings the mean frequency
 * down; a twitch mixes with background EMG there, which lies above min_mean_freq_hz. */
#define ETW_SPECTRUM_MARGIN_MS 25.0

/* Detection segment = noise-floor window, ms: the floor is read and one window learnt at
 * each segment end. */
#define ETW_FLOOR_SEGMENT_MS 25.0

/* Floor warm-up, ms of learnt windows (at most floor_window_ms): until then every unblanked
 * window is learnt, bursts or not (docs/twitch.md, start-up). */
#define ETW_FLOOR_WARMUP_MS 500.0

static int64_t samples(double ms, double fs)
{
    return (int64_t)llround(ms * fs / 1000.0);
}

static int64_t max64(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

static void derive(etw_twitch *d)
{
    const etw_twitch_config *c = &d->cfg;
    double fs = c->fs_hz;
    /* at least 7 samples, so the envelope is not a noisy few-sample estimate at low fs */
    d->h = max64(3, samples(0.5 * c->envelope_ms, fs));
    d->win = 2 * d->h + 1;
    d->settle = samples(c->settle_ms, fs);
    d->probe_len = c->mains_hz == ETW_TWITCH_MAINS_AUTO ? max64(1, samples(c->mains_probe_ms, fs)) : 0;
    d->max_dur = samples(c->max_duration_ms, fs);
    d->pre_quiet = samples(c->pre_quiet_ms, fs);
    d->post_quiet = samples(c->post_quiet_ms, fs);
    d->coinc = samples(c->coincidence_ms, fs);
    d->burst.min_duration = max64(1, samples(c->min_duration_ms, fs) - d->win);
    d->burst.merge_gap = samples(c->merge_gap_ms, fs);
    d->burst.refractory = samples(c->refractory_ms, fs);
    d->ecg.rr_min = samples(c->ecg_rr_min_ms, fs);
    d->ecg.rr_max = samples(c->ecg_rr_max_ms, fs);
    d->ecg.tolerance = c->ecg_tolerance;
    d->ecg.amp_ratio = 3.0;
    d->ecg.freq_ratio = 2.0;
    d->on_factor = pow(10.0, c->on_db / 20.0);
    d->off_factor = pow(10.0, c->off_db / 20.0);
    /* multiple comparisons: every channel is tested on its own, so the peak criterion rises
     * by 1.5 dB per decade of channels (8 channels: +1.35 dB) */
    d->peak_factor = pow(10.0, (c->min_peak_db + 1.5 * log10((double)c->nch)) / 20.0);
    d->fmax_hz = fmin(1.2 * etw_twitch_upper_edge(c), 0.5 * fs);
    d->segment = max64(1, samples(ETW_FLOOR_SEGMENT_MS, fs));
    /* at most the horizon (the windows the tracker holds, as it counts them) */
    d->warm_windows = (size_t)ceil(
        fmin(ETW_FLOOR_WARMUP_MS, c->floor_window_ms) * fs / 1000.0 / (double)d->segment - 1e-9);
    d->spec_margin = max64(d->win, samples(ETW_SPECTRUM_MARGIN_MS, fs));
    /* saturation is looked for as far back as the settling time after bad input */
    d->lookback = max64(d->spec_margin, d->settle);
    d->decide_delay = max64(d->post_quiet, d->burst.merge_gap + 1);
    if (c->ecg_reject) {
        /* three beats after the burst, or after a beat inside its quiet margin */
        d->decide_delay = max64(d->decide_delay, 3 * d->ecg.rr_max + d->max_dur + d->win +
                                                     d->burst.merge_gap + d->post_quiet + 1);
    }
    /* a partner may start as late as the first burst's end (at most max_dur + win) */
    d->group_delay = max64(d->coinc, d->max_dur + d->win) + 2 * d->h + d->win + d->max_dur +
                     d->decide_delay;
    d->latency = d->group_delay + d->h + 1;
    d->startup_blank = d->probe_len + d->settle;
}

/* Capacities that no valid stream can exceed: bursts on one channel are at least
 * min_duration + merge_gap apart. */
static void capacities(etw_twitch *d, size_t *ring, size_t *log_cap, size_t *pend_cap)
{
    int64_t spacing = max64(1, d->burst.min_duration + d->burst.merge_gap + 1);
    /* input is stored a chunk ahead of the detection steps */
    int64_t span = d->max_dur + 2 * d->win + 4 * d->h + d->burst.merge_gap + d->lookback + 8 +
                   ETW_TWITCH_CHUNK;
    size_t r = 1;
    while ((int64_t)r < span) {
        r <<= 1;
    }
    *ring = r;
    int64_t invalid_spacing = max64(1, d->settle + d->win);
    int64_t s = spacing < invalid_spacing ? spacing : invalid_spacing;
    int64_t undecided = (d->decide_delay + d->max_dur + d->win + ETW_TWITCH_CHUNK) / s + 4;
    *log_cap = (size_t)(undecided + 8);
    *pend_cap = d->cfg.nch * (size_t)((d->group_delay + ETW_TWITCH_CHUNK) / spacing + 4);
}

/* Precision of the conditioning cascades: float (8 channels per vector, about twice the
 * speed from 8 channels on) unless there are fewer channels than that, where the double
 * kernel is faster (1 channel: the float comb ran at 0.7 times its speed). */
static etw_precision conditioning_precision(const etw_twitch *d)
{
    return d->cfg.nch >= 8 ? ETW_PRECISION_FLOAT : ETW_PRECISION_DOUBLE;
}

static etw_status make_comb(const etw_twitch *d, double mains_hz, etw_cascade **out)
{
    *out = NULL;
    double upper = etw_twitch_upper_edge(&d->cfg);
    int harmonics = (int)fmin((double)d->cfg.mains_harmonics, floor(upper / mains_hz));
    if (harmonics < 1 || mains_hz >= 0.49 * d->cfg.fs_hz) {
        return ETW_OK;
    }
    etw_sos sos[64];
    size_t ns = 0;
    etw_status st = etw_powerline_comb(mains_hz, d->cfg.notch_q, harmonics, d->cfg.fs_hz, sos,
                                       64, &ns);
    if (st == ETW_OK && ns > 0) {
        st = etw_cascade_create((const etw_sos *)sos, ns, d->cfg.nch, out);
    }
    if (st == ETW_OK && ns > 0) {
        /* float: on the band-passed signal its round-off is 2e-5 of the signal at 2048 Hz
         * with Q 30, 3e-2 (-30 dB, 0.004 dB on a floor) at the extreme 10 kHz with Q 200 */
        st = etw_cascade_set_precision(*out, conditioning_precision(d));
    }
    return st;
}

static etw_status make_trackers(etw_twitch *d)
{
    const etw_twitch_config *c = &d->cfg;
    etw_envelope_config ec = etw_envelope_config_default(ETW_ENV_RMS, c->fs_hz, c->nch);
    ec.window_ms = (double)d->win * 1000.0 / c->fs_hz;
    etw_status st = etw_envelope_create(&ec, &d->env);
    if (st != ETW_OK) {
        return st;
    }
    etw_floor_tracker_config fc = etw_floor_tracker_config_default(c->fs_hz, c->nch);
    /* tracker windows coincide with the detection segments, so freezing a segment freezes
     * exactly one window whatever the block sizes */
    fc.window_ms = (double)d->segment * 1000.0 / c->fs_hz;
    fc.horizon_s = c->floor_window_ms / 1000.0;
    fc.percentile = 50.0;
    fc.gate_ratio = d->on_factor;
    fc.spread = 0; /* never asked for */
    return etw_floor_tracker_create(&fc, &d->tracker);
}

/* Pre-emphasis (1 - a z^-1)^2 with a = exp(-2 pi fc / fs): a double zero near DC, so the
 * energy of the detection signal weighs each frequency by about (f^2 + fc^2)^2; scaled to
 * unit power gain for white noise (sum of squared coefficients 1). A 3-tap FIR, run here
 * (a vectorisable loop) rather than as a one-section cascade, whose per-call cost was that of
 * the 4-section band-pass for one channel. */
static void make_emphasis(etw_twitch *d)
{
    const etw_twitch_config *c = &d->cfg;
    d->emph_on = c->emphasis_hz > 0.0;
    if (!d->emph_on) {
        return;
    }
    const double pi = 3.14159265358979323846;
    double a = exp(-2.0 * pi * c->emphasis_hz / c->fs_hz);
    double g = sqrt(1.0 + 4.0 * a * a + a * a * a * a);
    d->emph[0] = (float)(1.0 / g);
    d->emph[1] = (float)(-2.0 * a / g);
    d->emph[2] = (float)(a * a / g);
}

/* w = the pre-emphasis of x over n samples of every channel (in float: the detection signal
 * is a float anyway, and the rounding of its taps, 1e-7, is far below any detection
 * decision); the last two inputs of each channel are kept for the next block. */
static void emphasise(etw_twitch *d, const float *const *x, float *const *w, size_t n)
{
    for (size_t ci = 0; ci < d->cfg.nch && n > 0; ci++) {
        d->emph_fn(x[ci], w[ci], n, d->emph, d->emph_hist + 2 * ci);
    }
}

static etw_status make_filters(etw_twitch *d)
{
    const etw_twitch_config *c = &d->cfg;
    etw_sos sos[2 * 8];
    size_t ns = 0;
    etw_status st = etw_butter(ETW_BANDPASS, c->filter_order, c->highpass_hz,
                               etw_twitch_upper_edge(c), c->fs_hz, sos, 16, &ns);
    if (st == ETW_OK) {
        st = etw_cascade_create((const etw_sos *)sos, ns, c->nch, &d->bandpass);
    }
    if (st == ETW_OK) {
        st = etw_cascade_set_precision(d->bandpass, conditioning_precision(d));
    }
    make_emphasis(d);
    d->emph_fn = etw_emphasis_kernel();
    d->input_fn = etw_input_kernel();
    if (st == ETW_OK && c->mains_hz > 0.0) {
        st = make_comb(d, c->mains_hz, &d->comb50);
    } else if (st == ETW_OK && c->mains_hz == ETW_TWITCH_MAINS_AUTO) {
        etw_sos r[1];
        st = make_comb(d, 50.0, &d->comb50);
        if (st == ETW_OK) {
            st = make_comb(d, 60.0, &d->comb60);
        }
        if (st == ETW_OK) {
            st = etw_iirpeak(50.0, c->notch_q, c->fs_hz, r[0]);
        }
        if (st == ETW_OK) {
            st = etw_cascade_create((const etw_sos *)r, 1, c->nch, &d->res50);
        }
        if (st == ETW_OK) {
            st = etw_iirpeak(60.0, c->notch_q, c->fs_hz, r[0]);
        }
        if (st == ETW_OK) {
            st = etw_cascade_create((const etw_sos *)r, 1, c->nch, &d->res60);
        }
    }
    return st;
}

void etw_twitch_destroy(etw_twitch *d)
{
    if (!d) {
        return;
    }
    etw_cascade_destroy(d->bandpass);
    etw_cascade_destroy(d->comb50);
    etw_cascade_destroy(d->comb60);
    etw_cascade_destroy(d->res50);
    etw_cascade_destroy(d->res60);
    etw_envelope_destroy(d->env);
    etw_floor_tracker_destroy(d->tracker);
    if (d->ch) {
        for (size_t i = 0; i < d->cfg.nch; i++) {
            etw_channel *c = &d->ch[i];
            free(c->x);
            free(c->e);
            free(c->raw);
            free(c->bad);
            free(c->log);
        }
    }
    float **bufs[4] = {d->buf, d->xbuf, d->wbuf, d->ebuf};
    for (int k = 0; k < 4; k++) {
        for (size_t i = 0; bufs[k] && i < d->cfg.nch; i++) {
            free(bufs[k][i]);
        }
        free(bufs[k]);
    }
    free(d->x0);
    free(d->zeros);
    free(d->zptr);
    free(d->probe_energy);
    free(d->emph_hist);
    free(d->ch);
    free(d->scratch);
    free(d->pend);
    free(d);
}

static etw_status alloc_channels(etw_twitch *d)
{
    size_t ring, pend_cap;
    capacities(d, &ring, &d->log_cap, &pend_cap);
    d->ring_mask = (int64_t)ring - 1;
    size_t nch = d->cfg.nch;
    d->ch = calloc(nch, sizeof *d->ch);
    d->buf = calloc(nch, sizeof *d->buf);
    d->xbuf = calloc(nch, sizeof *d->xbuf);
    d->wbuf = calloc(nch, sizeof *d->wbuf);
    d->ebuf = calloc(nch, sizeof *d->ebuf);
    d->x0 = calloc(nch, sizeof *d->x0);
    d->zeros = calloc(ETW_TWITCH_CHUNK, sizeof *d->zeros);
    d->zptr = calloc(nch, sizeof *d->zptr);
    d->probe_energy = calloc(3 * nch, sizeof *d->probe_energy);
    d->emph_hist = calloc(2 * nch, sizeof *d->emph_hist);
    d->pend_cap = pend_cap;
    d->pend = calloc(pend_cap, sizeof *d->pend);
    size_t scratch = (size_t)(d->max_dur + 2 * d->win + 4 * d->h + 2 * d->spec_margin + 16) +
                     2 * (size_t)(d->fmax_hz / 5.0) + 2;
    d->scratch = calloc(scratch, sizeof *d->scratch);
    if (!d->ch || !d->buf || !d->xbuf || !d->wbuf || !d->ebuf || !d->x0 || !d->zeros || !d->zptr ||
        !d->probe_energy || !d->emph_hist || !d->pend || !d->scratch) {
        return ETW_ERR_NOMEM;
    }
    for (size_t i = 0; i < nch; i++) {
        etw_channel *c = &d->ch[i];
        d->buf[i] = calloc(ETW_TWITCH_CHUNK, sizeof(float));
        d->xbuf[i] = calloc(ETW_TWITCH_CHUNK, sizeof(float));
        d->wbuf[i] = calloc(ETW_TWITCH_CHUNK, sizeof(float));
        d->ebuf[i] = calloc(ETW_TWITCH_CHUNK, sizeof(float));
        c->x = calloc(ring, sizeof *c->x);
        c->e = calloc(ring, sizeof *c->e);
        c->raw = calloc(ring, sizeof *c->raw);
        c->bad = calloc(ring, 1);
        c->log = calloc(d->log_cap, sizeof *c->log);
        d->zptr[i] = d->zeros;
        if (!d->buf[i] || !d->xbuf[i] || !d->wbuf[i] || !d->ebuf[i] || !c->x || !c->e || !c->raw || !c->bad || !c->log) {
            return ETW_ERR_NOMEM;
        }
    }
    return ETW_OK;
}

etw_status etw_twitch_create(const etw_twitch_config *cfg, etw_twitch **out)
{
    if (!out) {
        return ETW_ERR_NULL;
    }
    *out = NULL;
    etw_status st = etw_twitch_config_validate(cfg);
    if (st != ETW_OK) {
        return st;
    }
    etw_twitch *d = calloc(1, sizeof *d);
    if (!d) {
        return ETW_ERR_NOMEM;
    }
    d->cfg = *cfg;
    derive(d);
    st = make_filters(d);
    if (st == ETW_OK) {
        st = make_trackers(d);
    }
    if (st == ETW_OK) {
        st = alloc_channels(d);
    }
    if (st != ETW_OK) {
        etw_twitch_destroy(d);
        return st;
    }
    etw_twitch_reset(d);
    *out = d;
    return ETW_OK;
}

void etw_twitch_reset(etw_twitch *d)
{
    if (!d) {
        return;
    }
    etw_cascade_reset(d->bandpass);
    etw_cascade_reset(d->comb50);
    etw_cascade_reset(d->comb60);
    etw_cascade_reset(d->res50);
    etw_cascade_reset(d->res60);
    memset(d->emph_hist, 0, 2 * d->cfg.nch * sizeof *d->emph_hist);
    etw_envelope_reset(d->env);
    etw_floor_tracker_reset(d->tracker);
    d->comb = d->cfg.mains_hz > 0.0 ? d->comb50 : NULL;
    d->probing = d->probe_len > 0;
    memset(d->probe_energy, 0, 3 * d->cfg.nch * sizeof *d->probe_energy);
    for (size_t i = 0; i < d->cfg.nch; i++) {
        etw_channel_reset(d, &d->ch[i]);
    }
    d->pend_n = 0;
    d->t = 0;
    d->flushed = 0;
    d->w_end = INT64_MAX;
    d->overflow = 0;
}

int64_t etw_twitch_get_latency(const etw_twitch *d)
{
    return d ? d->latency : -1;
}

etw_status etw_twitch_get_floor(const etw_twitch *d, size_t ch, double *floor)
{
    if (d == NULL || floor == NULL) {
        return ETW_ERR_NULL;
    }
    if (ch >= d->cfg.nch) {
        *floor = NAN;
        return ETW_ERR_RANGE;
    }
    *floor = d->ch[ch].floor;
    return isnan(*floor) ? ETW_ERR_STATE : ETW_OK;
}

void etw_ring_store(float *ring, int64_t mask, int64_t t, const float *src, size_t n)
{
    size_t first = etw_ring_first(mask, t, n);
    memcpy(ring + (t & mask), src, first * sizeof *ring);
    memcpy(ring, src + first, (n - first) * sizeof *ring);
}

float *etw_ring_span(float *ring, int64_t mask, int64_t t, size_t n, float *scratch)
{
    size_t at = (size_t)(t & mask);
    return at + n <= (size_t)mask + 1 ? ring + at : scratch;
}

void etw_ring_keep(float *ring, int64_t mask, int64_t t, const float *p, size_t n)
{
    if (p != ring + (t & mask)) {
        etw_ring_store(ring, mask, t, p, n);
    }
}

/* Non-finite policy: hold the last finite value and mark the sample for blanking. buf gets
 * the input (repaired) minus the stream's first value x0: the band-pass has no gain at DC,
 * so this changes nothing but its float round-off, which grows with the offset it sees. */
static void take_input(etw_twitch *d, const float *const *in, size_t from, size_t n)
{
    int64_t ring = d->ring_mask + 1;
    for (size_t ci = 0; ci < d->cfg.nch && n > 0; ci++) {
        etw_channel *c = &d->ch[ci];
        const float *src = in[ci] + from;
        float *dst = d->buf[ci];
        if (d->t == 0) {
            /* the first value after the non-finite policy (last_finite starts at 0) */
            d->x0[ci] = isfinite(src[0]) ? src[0] : c->last_finite;
        }
        float x0 = d->x0[ci];
        if (d->input_fn(c->raw, d->ring_mask, d->t, src, n, x0, dst)) {
            /* the slots of times t .. t + n - 1 last held times t - ring ..: they hold a mark
             * only if a bad sample came at or after t - ring */
            if (c->last_bad >= d->t - ring) {
                size_t first = etw_ring_first(d->ring_mask, d->t, n);
                memset(c->bad + (d->t & d->ring_mask), 0, first);
                memset(c->bad, 0, n - first);
            }
            c->last_finite = src[n - 1];
            continue;
        }
        for (size_t i = 0; i < n; i++) {
            int64_t t = d->t + (int64_t)i;
            float v = src[i];
            int bad = !isfinite(v);
            if (!bad) {
                c->last_finite = v;
            } else {
                c->last_bad = t;
            }
            dst[i] = c->last_finite - x0;
            c->raw[t & d->ring_mask] = c->last_finite;
            c->bad[t & d->ring_mask] = (unsigned char)bad;
        }
    }
}

static void probe(etw_twitch *d, const float *const *src, size_t n)
{
    float *const *out = d->ebuf;
    size_t nch = d->cfg.nch;
    etw_cascade *res[2] = {d->res50, d->res60};
    /* per-channel sums in time order, so the decision does not depend on block sizes */
    for (int k = 0; k < 2; k++) {
        if (etw_cascade_process(res[k], src, out, n) != ETW_OK) {
            d->overflow = 1;
            return;
        }
        for (size_t ci = 0; ci < nch; ci++) {
            double *acc = &d->probe_energy[(size_t)k * nch + ci];
            for (size_t i = 0; i < n; i++) {
                *acc += (double)out[ci][i] * out[ci][i];
            }
        }
    }
    for (size_t ci = 0; ci < nch; ci++) {
        double *acc = &d->probe_energy[2 * nch + ci];
        for (size_t i = 0; i < n; i++) {
            *acc += (double)src[ci][i] * src[ci][i];
        }
    }
    if (d->t + (int64_t)n == d->probe_len) {
        d->probing = 0;
        double e[3] = {0.0, 0.0, 0.0};
        for (size_t k = 0; k < 3 * nch; k++) {
            e[k / nch] += d->probe_energy[k];
        }
        double f50 = e[0] / fmax(e[2], 1e-300);
        double f60 = e[1] / fmax(e[2], 1e-300);
        if (fmax(f50, f60) > ETW_MAINS_FRACTION) {
            d->comb = f50 >= f60 ? d->comb50 : d->comb60;
        }
    }
}

/* Asks for the cache lines of p[0 .. n): the caller's input is read once and usually comes
 * from memory, and 64 channels are too many separate streams for the hardware prefetcher,
 * so the copy of the next chunk would wait for each line (10-15 % of the detector's time);
 * spread over the detection of this chunk, the lines arrive meanwhile. */
static void prefetch(const float *p, size_t n)
{
    const char *c = (const char *)p;
    for (size_t k = 0; k < n * sizeof *p; k += 64) {
        __builtin_prefetch(c + k);
    }
}

/* Envelope of n detection-signal samples w (input times d->t ..; x is the conditioned
 * signal they come from) stored in the rings, then
 * detection steps over the detection times they complete, in segments between which the
 * floor is read and the floor tracker learns (frozen where a burst was open or detection
 * blanked). */
static void detect(etw_twitch *d, const float *const *x, const float *const *w, size_t n)
{
    size_t nch = d->cfg.nch;
    float *env[ETW_TWITCH_MAX_CHANNELS] = {NULL};
    for (size_t ci = 0; ci < nch; ci++) {
        env[ci] = etw_ring_span(d->ch[ci].e, d->ring_mask, d->t - d->h, n, d->ebuf[ci]);
    }
    d->overflow |= etw_envelope_process(d->env, w, env, n) != ETW_OK;
    for (size_t ci = 0; ci < nch; ci++) {
        etw_channel *c = &d->ch[ci];
        etw_ring_keep(c->x, d->ring_mask, d->t, x[ci], n);
        etw_ring_keep(c->e, d->ring_mask, d->t - d->h, env[ci], n);
    }
    int64_t base = d->t - d->h; /* detection time of env[.][0] */
    int64_t a = base > 0 ? base : 0, end = base + (int64_t)n;
    while (a < end) {
        int64_t b = (a / d->segment + 1) * d->segment;
        b = b < end ? b : end;
        const float *seg[ETW_TWITCH_MAX_CHANNELS];
        for (size_t ci = 0; ci < nch; ci++) {
            etw_channel *c = &d->ch[ci];
            /* the floor is read at fixed positions only, whatever the block sizes */
            if (a % d->segment == 0) {
                double floor;
                if (etw_floor_tracker_get(d->tracker, ci, &floor, NULL) != ETW_OK) {
                    floor = NAN;
                }
                etw_channel_set_floor(d, c, floor);
            }
            /* freeze with the marks of the whole segment so far: the tracker carries the
             * freeze state at a window end into the next window, and that state must not
             * depend on where a block ended */
            if (a % d->segment == 0) {
                c->seg_marks = 0;
            }
            c->seg_marks |= etw_channel_run(d, ci, a, b);
            if (d->ahead_n > 0) {
                prefetch(d->ahead[ci] + d->ahead_from, d->ahead_n);
            }
            /* bursts freeze the floor only once it rests on warm_windows windows: before,
             * bursts judged against a floor from a few windows (too low as often as not)
             * would let it learn only the quietest windows and keep it low for seconds
             * (docs/twitch.md, start-up); the tracker's gate and median keep real bursts
             * out meanwhile */
            if (!c->warm) {
                /* the learnt count only grows (until a reset) */
                size_t learnt = 0;
                d->overflow |= etw_floor_tracker_learnt(d->tracker, ci, &learnt) != ETW_OK;
                c->warm = learnt >= d->warm_windows;
            }
            int freeze = (c->seg_marks & (c->warm ? ETW_MARK_BURST | ETW_MARK_BLANK
                                                  : ETW_MARK_BLANK)) != 0;
            /* passing the freeze it already has changes nothing in the tracker */
            if (freeze != c->frozen) {
                d->overflow |= etw_floor_tracker_set_freeze(d->tracker, ci, freeze) != ETW_OK;
                c->frozen = freeze;
            }
            seg[ci] = env[ci] + (a - base);
        }
        d->overflow |= etw_floor_tracker_process(d->tracker, seg, (size_t)(b - a)) != ETW_OK;
        d->ahead_n = 0; /* once per chunk */
        a = b;
    }
    d->t += (int64_t)n;
}

/* One chunk through the conditioning into the rings (each stage writes into its ring
 * directly unless the span wraps), then detection. */
static void run_chunk(etw_twitch *d, const float *const *in, size_t from, size_t n)
{
    size_t nch = d->cfg.nch;
    float *x[ETW_TWITCH_MAX_CHANNELS], *w[ETW_TWITCH_MAX_CHANNELS];
    take_input(d, in, from, n);
    for (size_t ci = 0; ci < nch; ci++) {
        x[ci] = etw_ring_span(d->ch[ci].x, d->ring_mask, d->t, n, d->xbuf[ci]);
        w[ci] = d->emph_on ? d->wbuf[ci] : x[ci];
    }
    /* from the zero state: the steady state of the offset-free input's first value */
    d->overflow |= etw_cascade_process(d->bandpass, (const float *const *)d->buf, x, n) != ETW_OK;
    /* a comb the probe switches on runs from the probe's end on (not from the start of the
     * chunk that completes the probe: where that chunk starts depends on the block sizes) */
    etw_cascade *comb = d->comb;
    if (d->probing) {
        probe(d, (const float *const *)x, n);
    }
    if (comb) {
        d->overflow |= etw_cascade_process(comb, (const float *const *)x, x, n) != ETW_OK;
    }
    if (d->emph_on) {
        emphasise(d, (const float *const *)x, w, n);
    }
    detect(d, (const float *const *)x, (const float *const *)w, n);
}

etw_status etw_twitch_process(etw_twitch *d, const float *const *in, size_t nframes,
                              size_t *consumed, etw_twitch_event *events, size_t capacity,
                              size_t *nevents)
{
    if (!d || !consumed || !nevents || (nframes > 0 && !in) || (capacity > 0 && !events)) {
        return ETW_ERR_NULL;
    }
    *consumed = 0;
    *nevents = 0;
    if (d->flushed) {
        return ETW_ERR_STATE;
    }
    if (nframes > 0) {
        for (size_t ci = 0; ci < d->cfg.nch; ci++) {
            if (!in[ci]) {
                return ETW_ERR_NULL;
            }
        }
    }
    size_t done = 0;
    for (;;) {
        if (etw_output_deliver(d, 0, events, capacity, nevents)) {
            *consumed = done;
            return ETW_ERR_CAPACITY;
        }
        if (d->overflow) {
            *consumed = done;
            return ETW_ERR_INTERNAL;
        }
        if (done == nframes) {
            break;
        }
        size_t n = nframes - done < ETW_TWITCH_CHUNK ? nframes - done : ETW_TWITCH_CHUNK;
        if (d->probing && d->t + (int64_t)n > d->probe_len) {
            n = (size_t)(d->probe_len - d->t);
        }
        size_t left = nframes - done - n;
        d->ahead = in;
        d->ahead_from = done + n;
        d->ahead_n = left < ETW_TWITCH_CHUNK ? left : ETW_TWITCH_CHUNK;
        run_chunk(d, in, done, n);
        d->ahead_n = 0;
        done += n;
    }
    *consumed = nframes;
    return ETW_OK;
}

etw_status etw_twitch_flush(etw_twitch *d, etw_twitch_event *events, size_t capacity,
                            size_t *nevents)
{
    if (!d || !nevents || (capacity > 0 && !events)) {
        return ETW_ERR_NULL;
    }
    *nevents = 0;
    if (!d->flushed) {
        /* the last h envelope values: the window runs on over zeros past the end */
        int64_t end = d->t;
        d->w_end = end;
        for (size_t ci = 0; ci < d->cfg.nch; ci++) {
            etw_channel *c = &d->ch[ci];
            for (int64_t t = end; t < end + d->h; t++) {
                c->raw[t & d->ring_mask] = c->last_finite;
                c->bad[t & d->ring_mask] = 0;
            }
        }
        for (int64_t left = d->h; left > 0; left -= ETW_TWITCH_CHUNK) {
            detect(d, d->zptr, d->zptr, (size_t)(left < ETW_TWITCH_CHUNK ? left : ETW_TWITCH_CHUNK));
        }
        d->t = end;
        d->flushed = 1;
        for (size_t ci = 0; ci < d->cfg.nch; ci++) {
            etw_channel_finish(d, ci);
        }
    }
    if (d->overflow) {
        return ETW_ERR_INTERNAL;
    }
    return etw_output_deliver(d, 1, events, capacity, nevents) ? ETW_ERR_CAPACITY : ETW_OK;
}

etw_status etw_twitch_detect(const etw_twitch_config *cfg, const float *const *in,
                             size_t nframes, etw_twitch_event *events, size_t capacity,
                             size_t *nfound)
{
    if (!cfg || !nfound || (nframes > 0 && !in) || (capacity > 0 && !events)) {
        return ETW_ERR_NULL;
    }
    *nfound = 0;
    etw_twitch *d = NULL;
    etw_status st = etw_twitch_create(cfg, &d);
    if (st != ETW_OK) {
        return st;
    }
    /* events beyond capacity are counted through a small spill buffer, not kept */
    etw_twitch_event spill[16];
    const float *ptr[ETW_TWITCH_MAX_CHANNELS];
    size_t done = 0, used = 0, n = 0;
    do {
        int full = *nfound >= capacity;
        for (size_t ci = 0; ci < cfg->nch && nframes > 0; ci++) {
            ptr[ci] = in[ci] + done;
        }
        st = etw_twitch_process(d, nframes > 0 ? ptr : NULL, nframes - done, &used,
                                full ? spill : events + *nfound, full ? 16 : capacity - *nfound,
                                &n);
        done += used;
        *nfound += n;
    } while (st == ETW_ERR_CAPACITY);
    while (st == ETW_OK) {
        int full = *nfound >= capacity;
        st = etw_twitch_flush(d, full ? spill : events + *nfound,
                              full ? 16 : capacity - *nfound, &n);
        *nfound += n;
        if (st == ETW_ERR_CAPACITY) {
            st = ETW_OK;
        } else {
            break;
        }
    }
    etw_twitch_destroy(d);
    if (st == ETW_OK && *nfound > capacity) {
        st = ETW_ERR_CAPACITY;
    }
    return st;
}
