/* Adaptive noise-floor tracker: a percentile of the recent rest windows' means. */
#include "emgtwitch/segment.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "segment/floor4.h"
#include "segment/sorted.h"
#include "segment/stats.h"

#define TRACKER_MAX_NCH 4096
#define TRACKER_MAX_WINDOWS ((size_t)1 << 20)

typedef struct tracker_channel {
    double shift;  /* first finite sample of the window (for a stable variance) */
    double sum;    /* sum of (x - shift) */
    double sumsq;  /* sum of (x - shift)^2 */
    size_t nfinite;
    int frozen;
    int spoiled;   /* frozen at some time during the current window */
    size_t gated;  /* consecutive gated windows */
    size_t count;  /* learnt windows in the ring, <= nwin */
    size_t head;   /* next ring slot */
    double level;
} tracker_channel;

struct etw_floor_tracker {
    etw_floor_tracker_config cfg;
    size_t win;       /* samples per window */
    size_t nwin;      /* windows in the horizon */
    size_t max_gated; /* windows of continuous gating before re-learning */
    size_t qk;        /* percentile position q (nwin - 1) = qk + qfrac of a full horizon */
    double qfrac;
    size_t fill;      /* samples of the current window seen so far (all channels) */
    tracker_channel *ch;
    etw_floor4_fn sums4; /* four-channel window sums, or NULL (per-channel loop only) */
    etw_sorted_replace_fn replace; /* one-pass sorted replacement, or NULL (searches only) */
    float *means;     /* nch * nwin, ring in arrival order (window means rounded to float:
                         7 significant digits, and half the memory and vector work of the
                         sorted copy) */
    double *sds;      /* nch * nwin */
    float *smeans;    /* nch * nwin: the ring's first `count` values, sorted (kept sorted
                         by insertion, so the percentile costs no selection per window) */
    double *scratch;  /* nwin: a copy of one channel's SDs while its spread is selected
                         (asked for rarely: the detector never does, so the SDs are not
                         kept sorted) */
};

etw_floor_tracker_config etw_floor_tracker_config_default(double fs_hz, size_t nch)
{
    etw_floor_tracker_config c;
    c.fs_hz = fs_hz;
    c.nch = nch;
    c.window_ms = 100.0;
    c.horizon_s = 5.0;
    c.percentile = 50.0;
    c.gate_ratio = 2.0;
    c.max_gate_s = 10.0;
    c.spread = 1;
    return c;
}

static etw_status validate(const etw_floor_tracker_config *c)
{
    if (!isfinite(c->fs_hz) || !isfinite(c->window_ms) || !isfinite(c->horizon_s) ||
        !isfinite(c->percentile) || !isfinite(c->gate_ratio) || !isfinite(c->max_gate_s)) {
        return ETW_ERR_NONFINITE;
    }
    if (c->fs_hz <= 0.0 || c->nch < 1 || c->nch > TRACKER_MAX_NCH || c->window_ms <= 0.0 ||
        c->horizon_s * 1000.0 < c->window_ms || c->percentile < 0.0 || c->percentile > 100.0 ||
        c->gate_ratio < 0.0 || c->max_gate_s < 0.0) {
        return ETW_ERR_RANGE;
    }
    if (c->horizon_s * 1000.0 / c->window_ms > (double)TRACKER_MAX_WINDOWS ||
        c->window_ms * c->fs_hz / 1000.0 > 1e12 || c->max_gate_s * 1000.0 / c->window_ms > 1e12) {
        return ETW_ERR_OVERFLOW;
    }
    return ETW_OK;
}

etw_status etw_floor_tracker_create(const etw_floor_tracker_config *config,
                                    etw_floor_tracker **out)
{
    if (out == NULL) {
        return ETW_ERR_NULL;
    }
    *out = NULL;
    if (config == NULL) {
        return ETW_ERR_NULL;
    }
    etw_status st = validate(config);
    if (st != ETW_OK) {
        return st;
    }
    etw_floor_tracker *t = calloc(1, sizeof *t);
    if (t == NULL) {
        return ETW_ERR_NOMEM;
    }
    t->cfg = *config;
    double w = round(config->window_ms * config->fs_hz / 1000.0);
    t->win = w < 1.0 ? 1 : (size_t)w;
    t->nwin = (size_t)ceil(config->horizon_s * 1000.0 / config->window_ms - 1e-9);
    t->max_gated = (size_t)ceil(config->max_gate_s * 1000.0 / config->window_ms - 1e-9);
    double qpos = config->percentile / 100.0 * (double)(t->nwin - 1);
    t->qk = (size_t)floor(qpos);
    t->qfrac = qpos - (double)t->qk;
    t->sums4 = etw_floor4_avx2();
    t->replace = etw_sorted_replace_avx2();
    size_t nch = config->nch;
    t->ch = malloc(nch * sizeof *t->ch);
    t->means = malloc(nch * t->nwin * sizeof *t->means);
    t->sds = malloc(nch * t->nwin * sizeof *t->sds);
    t->smeans = malloc(nch * t->nwin * sizeof *t->smeans);
    t->scratch = malloc(t->nwin * sizeof *t->scratch);
    if (t->ch == NULL || t->means == NULL || t->sds == NULL || t->smeans == NULL ||
        t->scratch == NULL) {
        etw_floor_tracker_destroy(t);
        return ETW_ERR_NOMEM;
    }
    etw_floor_tracker_reset(t);
    *out = t;
    return ETW_OK;
}

void etw_floor_tracker_destroy(etw_floor_tracker *tracker)
{
    if (tracker == NULL) {
        return;
    }
    free(tracker->ch);
    free(tracker->means);
    free(tracker->sds);
    free(tracker->smeans);
    free(tracker->scratch);
    free(tracker);
}

static void clear_window(tracker_channel *c)
{
    c->shift = NAN;
    c->sum = 0.0;
    c->sumsq = 0.0;
    c->nfinite = 0;
    c->spoiled = c->frozen;
}

void etw_floor_tracker_reset(etw_floor_tracker *tracker)
{
    if (tracker == NULL) {
        return;
    }
    tracker->fill = 0;
    for (size_t i = 0; i < tracker->cfg.nch; i++) {
        tracker_channel *c = &tracker->ch[i];
        memset(c, 0, sizeof *c);
        c->level = NAN;
        clear_window(c);
    }
}

/* Channels whose window ends learn together (their binary searches side by side). */
#define TRACKER_BATCH 4

/* First indices k[j] of s[j][0 .. n[j]) not below v[j], j < m (the searches of the window
 * ends of several channels side by side: each is a chain of dependent loads, which run
 * overlapped instead of one after the other; halving without branches: the probes are
 * unpredictable, a conditional move costs less than their mispredictions). */
static void lower_bounds(const float *const *s, const size_t *n, const float *v, size_t *k,
                         int m)
{
    const float *b[2 * TRACKER_BATCH];
    size_t len[2 * TRACKER_BATCH];
    int more = 0;
    for (int j = 0; j < m; j++) {
        b[j] = s[j];
        len[j] = n[j];
        more |= len[j] > 1;
    }
    while (more) {
        more = 0;
        for (int j = 0; j < m; j++) {
            if (len[j] > 1) {
                size_t half = len[j] / 2;
                b[j] += half & (0 - (size_t)(b[j][half - 1] < v[j]));
                len[j] -= half;
                more |= len[j] > 1;
            }
        }
    }
    for (int j = 0; j < m; j++) {
        k[j] = n[j] == 0 ? 0 : (size_t)(b[j] - s[j]) + (*b[j] < v[j]);
    }
}

/* Replaces the value at ko (a value equal to the one leaving; when n is full: has_out) by
 * `in`, whose lower bound is ki, in the sorted s[0..n), moving only the values between the
 * two positions. */
static void sorted_replace(float *s, size_t n, int has_out, size_t ko, size_t ki, float in)
{
    if (!has_out || n == 0) {
        memmove(s + ki + 1, s + ki, (n - ki) * sizeof *s);
        s[ki] = in;
        return;
    }
    ko = ko < n ? ko : n - 1; /* present, so ko < n; the bound keeps it so */
    if (ki > ko) {
        memmove(s + ko, s + ko + 1, (ki - ko - 1) * sizeof *s);
        s[ki - 1] = in;
    } else {
        memmove(s + ki + 1, s + ki, (ko - ki) * sizeof *s);
        s[ki] = in;
    }
}

/* The percentile of a sorted s[0 .. n), as etw_quantile_sorted() computes it (in double),
 * with the position precomputed for a full horizon. */
static double percentile_of(const etw_floor_tracker *t, const float *s, size_t n)
{
    size_t k = t->qk;
    double frac = t->qfrac;
    if (n != t->nwin) {
        double pos = t->cfg.percentile / 100.0 * (double)(n - 1);
        k = (size_t)floor(pos);
        frac = pos - (double)k;
    }
    if (k >= n - 1) {
        return s[n - 1];
    }
    return (double)s[k] + frac * ((double)s[k + 1] - (double)s[k]);
}

/* Stores channel i's learnt window in the ring (its sorted copy already holds it) and reads
 * the new percentile. */
static void commit(etw_floor_tracker *t, size_t i, float mean, double sd)
{
    tracker_channel *c = &t->ch[i];
    size_t at = i * t->nwin + c->head;
    t->means[at] = mean;
    t->sds[at] = sd;
    c->head = c->head + 1 == t->nwin ? 0 : c->head + 1;
    if (c->count < t->nwin) {
        c->count++;
    }
    c->level = percentile_of(t, t->smeans + i * t->nwin, c->count);
}

/* Learns window means mean[j] (and SDs sd[j]) of channels idx[j], j < m <= TRACKER_BATCH. */
static void learn(etw_floor_tracker *t, const size_t *idx, const float *mean, const double *sd,
                  int m)
{
    const float *arrays[2 * TRACKER_BATCH];
    float v[2 * TRACKER_BATCH];
    size_t n[2 * TRACKER_BATCH], k[2 * TRACKER_BATCH];
    for (int j = 0; j < m; j++) {
        const tracker_channel *c = &t->ch[idx[j]];
        size_t at = idx[j] * t->nwin + c->head;
        /* the leaving value only counts when the ring is full (else slot `at` is not in the
         * sorted array, and a search for 0 goes unused) */
        arrays[2 * j] = arrays[2 * j + 1] = t->smeans + idx[j] * t->nwin;
        n[2 * j] = n[2 * j + 1] = c->count;
        v[2 * j] = c->count == t->nwin ? t->means[at] : 0.0f;
        v[2 * j + 1] = mean[j];
    }
    lower_bounds(arrays, n, v, k, 2 * m);
    for (int j = 0; j < m; j++) {
        const tracker_channel *c = &t->ch[idx[j]];
        sorted_replace(t->smeans + idx[j] * t->nwin, c->count, c->count == t->nwin, k[2 * j],
                       k[2 * j + 1], mean[j]);
        commit(t, idx[j], mean[j], sd[j]);
    }
}

/* Learns channel i's window mean (and SD) by the one-pass replacement (sorted.h) when the
 * horizon is full and the mean leaving differs from the one entering; returns 0, having done
 * nothing, otherwise. */
static int learn_replacing(etw_floor_tracker *t, size_t i, float mean, double sd)
{
    const tracker_channel *c = &t->ch[i];
    float out = t->means[i * t->nwin + c->head];
    if (t->replace == NULL || c->count != t->nwin || out == mean) {
        return 0;
    }
    t->replace(t->smeans + i * t->nwin, t->nwin, out, mean);
    commit(t, i, mean, sd);
    return 1;
}

/* Closes the window of channel i; returns 1 if it is to be learnt, with its mean and SD. */
static int end_window(etw_floor_tracker *t, size_t i, float *mean_out, double *sd_out)
{
    tracker_channel *c = &t->ch[i];
    int learnt = 0;
    if (!c->spoiled && 2 * c->nfinite >= t->win) {
        double n = (double)c->nfinite;
        double dm = c->sum / n;
        double mean = c->shift + dm;
        double sd = NAN;
        if (t->cfg.spread) {
            double var = c->sumsq / n - dm * dm;
            sd = var > 0.0 ? sqrt(var) : 0.0;
        }
        int gated = t->cfg.gate_ratio > 0.0 && c->count > 0 && mean > t->cfg.gate_ratio * c->level;
        if (gated && c->gated < t->max_gated) {
            c->gated++;
        } else {
            c->gated = gated ? c->gated : 0;
            *mean_out = (float)mean;
            *sd_out = sd;
            learnt = 1;
        }
    }
    clear_window(c);
    return learnt;
}

/* Every channel's window ends: those to be learnt in batches. */
static void end_windows(etw_floor_tracker *t)
{
    size_t idx[TRACKER_BATCH];
    float mean[TRACKER_BATCH];
    double sd[TRACKER_BATCH];
    int m = 0;
    for (size_t i = 0; i < t->cfg.nch; i++) {
        if (end_window(t, i, &mean[m], &sd[m]) && !learn_replacing(t, i, mean[m], sd[m])) {
            idx[m++] = i;
        }
        if (m == TRACKER_BATCH || (m > 0 && i + 1 == t->cfg.nch)) {
            learn(t, idx, mean, sd, m);
            m = 0;
        }
    }
}

/* Adds one value to the window if it is finite. */
static void accumulate_one(tracker_channel *c, double v)
{
    if (!isfinite(v)) {
        return;
    }
    if (c->nfinite == 0) {
        c->shift = v;
    }
    double d = v - c->shift;
    c->sum += d;
    c->sumsq += d * d;
    c->nfinite++;
}

static void accumulate(tracker_channel *c, const float *x, size_t n)
{
    size_t k = 0;
    while (k < n) {
        if (c->nfinite > 0) {
            /* the same sums without the per-sample branches while the values are finite */
            double shift = c->shift, sum = c->sum, sumsq = c->sumsq;
            size_t k0 = k;
            for (; k < n; k++) {
                double v = (double)x[k];
                if (!(fabs(v) <= DBL_MAX)) {
                    break;
                }
                double d = v - shift;
                sum += d;
                sumsq += d * d;
            }
            c->sum = sum;
            c->sumsq = sumsq;
            c->nfinite += k - k0;
        }
        if (k < n) {
            accumulate_one(c, (double)x[k]);
            k++;
        }
    }
}

/* Channels c .. c + 3 over n >= 1 frames: the four-channel sums when the block is finite
 * (the kernel tells, on the way), else channel by channel. */
static void accumulate_group(const etw_floor_tracker *t, tracker_channel *c,
                             const float *const *x, size_t n)
{
    double shift[4], sum[4], sumsq[4];
    for (int k = 0; k < 4; k++) {
        /* a window's first value is its shift (it adds zeros, as accumulate_one() does) */
        shift[k] = c[k].nfinite > 0 ? c[k].shift : (double)x[k][0];
        sum[k] = c[k].sum;
        sumsq[k] = c[k].sumsq;
    }
    if (!t->sums4(x, n, shift, sum, sumsq, t->cfg.spread != 0)) {
        for (int k = 0; k < 4; k++) {
            accumulate(&c[k], x[k], n);
        }
        return;
    }
    for (int k = 0; k < 4; k++) {
        c[k].shift = shift[k];
        c[k].sum = sum[k];
        c[k].sumsq = sumsq[k];
        c[k].nfinite += n;
    }
}

etw_status etw_floor_tracker_process(etw_floor_tracker *tracker, const float *const *env,
                                     size_t nframes)
{
    if (tracker == NULL || env == NULL) {
        return ETW_ERR_NULL;
    }
    if (nframes == 0) {
        return ETW_OK;
    }
    size_t nch = tracker->cfg.nch;
    for (size_t i = 0; i < nch; i++) {
        if (env[i] == NULL) {
            return ETW_ERR_NULL;
        }
    }
    size_t pos = 0;
    while (pos < nframes) {
        size_t n = tracker->win - tracker->fill;
        n = n < nframes - pos ? n : nframes - pos;
        const float *x[4];
        size_t c = 0;
        for (; tracker->sums4 != NULL && c + 4 <= nch; c += 4) {
            for (int k = 0; k < 4; k++) {
                x[k] = env[c + (size_t)k] + pos;
            }
            accumulate_group(tracker, &tracker->ch[c], x, n);
        }
        for (; c < nch; c++) {
            accumulate(&tracker->ch[c], env[c] + pos, n);
        }
        pos += n;
        tracker->fill += n;
        if (tracker->fill == tracker->win) {
            tracker->fill = 0;
            end_windows(tracker);
        }
    }
    return ETW_OK;
}

etw_status etw_floor_tracker_set_freeze(etw_floor_tracker *tracker, size_t ch, int frozen)
{
    if (tracker == NULL) {
        return ETW_ERR_NULL;
    }
    if (ch >= tracker->cfg.nch) {
        return ETW_ERR_RANGE;
    }
    tracker->ch[ch].frozen = frozen != 0;
    tracker->ch[ch].spoiled |= frozen != 0;
    return ETW_OK;
}

etw_status etw_floor_tracker_seed(etw_floor_tracker *tracker, size_t ch, double level,
                                  double spread)
{
    if (tracker == NULL) {
        return ETW_ERR_NULL;
    }
    if (!isfinite(level) || !isfinite(spread)) {
        return ETW_ERR_NONFINITE;
    }
    if (ch >= tracker->cfg.nch || level < 0.0 || spread < 0.0) {
        return ETW_ERR_RANGE;
    }
    tracker_channel *c = &tracker->ch[ch];
    for (size_t k = 0; k < tracker->nwin; k++) {
        tracker->means[ch * tracker->nwin + k] = (float)level;
        tracker->sds[ch * tracker->nwin + k] = spread;
        tracker->smeans[ch * tracker->nwin + k] = (float)level;
    }
    c->count = tracker->nwin;
    c->head = 0;
    c->gated = 0;
    c->level = level;
    return ETW_OK;
}

etw_status etw_floor_tracker_get(const etw_floor_tracker *tracker, size_t ch, double *level,
                                 double *spread)
{
    if (tracker == NULL) {
        return ETW_ERR_NULL;
    }
    if (ch >= tracker->cfg.nch) {
        return ETW_ERR_RANGE;
    }
    const tracker_channel *c = &tracker->ch[ch];
    if (level != NULL) {
        *level = c->level;
    }
    if (spread != NULL && !tracker->cfg.spread) {
        *spread = NAN;
    } else if (spread != NULL) {
        /* the learnt SDs fill slots 0 .. count - 1 of the ring (it wraps only when full) */
        memcpy(tracker->scratch, tracker->sds + ch * tracker->nwin, c->count * sizeof(double));
        *spread = c->count == 0 ? NAN : etw_quantile_inplace(tracker->scratch, c->count, 0.5);
    }
    return c->count == 0 ? ETW_ERR_STATE : ETW_OK;
}

etw_status etw_floor_tracker_learnt(const etw_floor_tracker *tracker, size_t ch,
                                    size_t *windows)
{
    if (tracker == NULL || windows == NULL) {
        return ETW_ERR_NULL;
    }
    if (ch >= tracker->cfg.nch) {
        return ETW_ERR_RANGE;
    }
    *windows = tracker->ch[ch].count;
    return ETW_OK;
}
