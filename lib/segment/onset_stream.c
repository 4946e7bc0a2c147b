/* Streaming form of the onset detectors: causal conditioning, a per-sample classification
 * through a short delay line, then the same run post-processing as the offline detector. */
#include "emgtwitch/segment.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "emgtwitch/envelope.h"
#include "emgtwitch/filter.h"
#include "segment/onset_internal.h"
#include "segment/runs.h"

#define STREAM_CHUNK 256
#define STREAM_QUEUE 256

struct etw_onset_stream {
    etw_onset_config cfg;
    etw_cascade *bp;     /* band-pass, NULL when off */
    etw_envelope *env1;  /* HODGES: ARV; TKEO: TKEO */
    etw_envelope *env2;  /* TKEO: ARV of |TKEO| */
    float *y;            /* STREAM_CHUNK conditioned samples */
    float *d;            /* STREAM_CHUNK detection statistic (threshold methods) */
    size_t lat;          /* threshold methods: delay of d behind y */
    size_t delay;        /* classification delay D; the delay line holds D + 1 samples */
    uint8_t *bits;       /* delay line: activity of each sample */
    float *yline;        /* delay line: conditioned samples */
    uint8_t *exceed;     /* BONATO: the last m pair exceedances */
    int64_t pos;         /* absolute index of the next input sample */
    int64_t rest0;
    int64_t rest1;
    /* rest statistics */
    double d_n, d_mean, d_m2, p_sum;
    int64_t p_n;
    double thr;
    double var;
    int ready;
    etw_status rest_status;
    /* BONATO */
    size_t cnt;
    int64_t npairs;
    /* CUSUM */
    double ca, cb, s;
    int active;
    int64_t last_zero;
    etw_run_stage a;
    etw_run_stage b;
    etw_segment queue[STREAM_QUEUE];
    size_t qhead;
    size_t qcount;
    int overflow;
};

static size_t line_len(const etw_onset_stream *s)
{
    return s->delay + 1;
}

void etw_onset_stream_destroy(etw_onset_stream *stream)
{
    if (stream == NULL) {
        return;
    }
    etw_cascade_destroy(stream->bp);
    etw_envelope_destroy(stream->env1);
    etw_envelope_destroy(stream->env2);
    free(stream->y);
    free(stream->d);
    free(stream->bits);
    free(stream->yline);
    free(stream->exceed);
    free(stream);
}

static etw_status create_parts(etw_onset_stream *s)
{
    const etw_onset_config *c = &s->cfg;
    etw_status st = ETW_OK;
    if (c->bandpass_lo_hz > 0.0) {
        etw_sos sos[2 * ONSET_MAX_ORDER];
        size_t ns = 0;
        st = etw_butter(ETW_BANDPASS, c->bandpass_order, c->bandpass_lo_hz,
                        fmin(c->bandpass_hi_hz, 0.45 * c->fs_hz), c->fs_hz, sos,
                        2 * ONSET_MAX_ORDER, &ns);
        if (st == ETW_OK) {
            st = etw_cascade_create(sos, ns, 1, &s->bp);
        }
    }
    etw_envelope_config ec = etw_envelope_config_default(ETW_ENV_ARV, c->fs_hz, 1);
    ec.window_ms = c->window_ms;
    size_t arv_lat = etw_envelope_window_samples(&ec) / 2; /* round((N-1)/2), as offline */
    switch (c->method) {
    case ETW_ONSET_HODGES:
        s->lat = arv_lat;
        st = st == ETW_OK ? etw_envelope_create(&ec, &s->env1) : st;
        break;
    case ETW_ONSET_TKEO:
        s->lat = 1 + arv_lat;
        st = st == ETW_OK ? etw_envelope_create(&ec, &s->env2) : st;
        ec.kind = ETW_ENV_TKEO;
        st = st == ETW_OK ? etw_envelope_create(&ec, &s->env1) : st;
        break;
    case ETW_ONSET_LIDIERTH:
        s->lat = 0;
        break;
    case ETW_ONSET_BONATO:
        s->delay = 2 * (size_t)c->bonato_m - 1;
        s->exceed = calloc((size_t)c->bonato_m, 1);
        st = st == ETW_OK && s->exceed == NULL ? ETW_ERR_NOMEM : st;
        break;
    case ETW_ONSET_CUSUM:
        s->delay = (size_t)round(c->fs_hz);
        break;
    }
    if (c->method == ETW_ONSET_HODGES || c->method == ETW_ONSET_TKEO ||
        c->method == ETW_ONSET_LIDIERTH) {
        s->delay = s->lat;
    }
    s->y = malloc(STREAM_CHUNK * sizeof *s->y);
    s->d = malloc(STREAM_CHUNK * sizeof *s->d);
    s->bits = malloc(line_len(s));
    s->yline = malloc(line_len(s) * sizeof *s->yline);
    if (st == ETW_OK && (s->y == NULL || s->d == NULL || s->bits == NULL || s->yline == NULL)) {
        st = ETW_ERR_NOMEM;
    }
    return st;
}

etw_status etw_onset_stream_create(const etw_onset_config *config, etw_onset_stream **out)
{
    if (out == NULL) {
        return ETW_ERR_NULL;
    }
    *out = NULL;
    if (config == NULL) {
        return ETW_ERR_NULL;
    }
    etw_status st = etw_onset_config_check(config);
    if (st != ETW_OK) {
        return st;
    }
    if (config->rest_len_s * config->fs_hz < 2.0) {
        return ETW_ERR_RANGE;
    }
    etw_onset_stream *s = calloc(1, sizeof *s);
    if (s == NULL) {
        return ETW_ERR_NOMEM;
    }
    s->cfg = *config;
    st = create_parts(s);
    if (st != ETW_OK) {
        etw_onset_stream_destroy(s);
        return st;
    }
    s->rest0 = (int64_t)round(config->rest_start_s * config->fs_hz);
    s->rest1 = s->rest0 + (int64_t)round(config->rest_len_s * config->fs_hz);
    etw_onset_stream_reset(s);
    *out = s;
    return ETW_OK;
}

void etw_onset_stream_reset(etw_onset_stream *stream)
{
    if (stream == NULL) {
        return;
    }
    etw_onset_stream *s = stream;
    const etw_onset_config *c = &s->cfg;
    etw_cascade_reset(s->bp);
    etw_envelope_reset(s->env1);
    etw_envelope_reset(s->env2);
    memset(s->bits, 0, line_len(s));
    memset(s->yline, 0, line_len(s) * sizeof *s->yline);
    if (s->exceed != NULL) {
        memset(s->exceed, 0, (size_t)c->bonato_m);
    }
    s->pos = 0;
    s->d_n = s->d_mean = s->d_m2 = s->p_sum = 0.0;
    s->p_n = 0;
    s->thr = s->var = 0.0;
    s->ready = 0;
    s->rest_status = ETW_OK;
    s->cnt = 0;
    s->npairs = 0;
    s->s = 0.0;
    s->active = 0;
    s->last_zero = 0;
    int sustained = c->method != ETW_ONSET_CUSUM;
    etw_run_stage_init(&s->a, sustained ? (int64_t)etw_ms_to_samples(c->max_dropout_ms, c->fs_hz) : 0,
                       sustained ? (int64_t)etw_ms_to_samples(c->min_on_ms, c->fs_hz) : 0, 0);
    etw_run_stage_init(&s->b, (int64_t)etw_ms_to_samples(c->merge_gap_ms, c->fs_hz),
                       (int64_t)etw_ms_to_samples(c->min_duration_ms, c->fs_hz),
                       (int64_t)etw_ms_to_samples(c->max_duration_ms, c->fs_hz));
    s->qhead = 0;
    s->qcount = 0;
    s->overflow = 0;
}

static void enqueue(etw_onset_stream *s, const etw_run *r)
{
    int64_t len = r->stop - r->start;
    double snr_db = 10.0 * log10(r->power / (double)len / s->var);
    if (!(snr_db >= s->cfg.min_snr_db)) {
        return;
    }
    if (s->qcount == STREAM_QUEUE) {
        s->overflow = 1;
        return;
    }
    etw_segment *g = &s->queue[(s->qhead + s->qcount++) % STREAM_QUEUE];
    g->onset = r->start;
    g->offset = r->stop;
    g->onset_s = (double)r->start / s->cfg.fs_hz;
    g->offset_s = (double)r->stop / s->cfg.fs_hz;
    g->peak = r->peak;
    g->snr_db = snr_db;
}

/* Stage A's output goes through stage B into the queue. */
static void to_stage_b(etw_onset_stream *s, const etw_run *r)
{
    etw_run done;
    if (etw_run_stage_push(&s->b, r, &done)) {
        enqueue(s, &done);
    }
}

/* Sample k leaves the delay line with its classification. */
static void emit_sample(etw_onset_stream *s, int64_t k)
{
    size_t slot = (size_t)(k % (int64_t)line_len(s));
    double v = (double)s->yline[slot];
    double p = v * v;
    double pk = fabs(v);
    etw_run done;
    if (s->bits[slot]) {
        etw_run r = {k, k + 1, p, pk, 0.0, 0.0};
        if (etw_run_stage_push(&s->a, &r, &done)) {
            to_stage_b(s, &done);
        }
    } else {
        etw_run_stage_gap(&s->a, p, pk);
    }
    if (etw_run_stage_tick(&s->a, k + 1, &done)) {
        to_stage_b(s, &done);
    }
    int64_t next = s->a.have ? s->a.pending.start : k + 1;
    if (etw_run_stage_tick(&s->b, next, &done)) {
        enqueue(s, &done);
    }
}

static void finish_rest(etw_onset_stream *s)
{
    s->var = s->p_n > 0 ? s->p_sum / (double)s->p_n : 0.0;
    double sd = s->d_n > 1 ? sqrt(s->d_m2 / (s->d_n - 1.0)) : 0.0;
    s->thr = s->d_mean + s->cfg.k_sd * sd;
    int threshold = s->cfg.method == ETW_ONSET_HODGES || s->cfg.method == ETW_ONSET_TKEO ||
                    s->cfg.method == ETW_ONSET_LIDIERTH;
    s->ready = s->var > 0.0 && (!threshold || sd > 0.0);
    s->rest_status = s->ready ? ETW_OK : ETW_ERR_STATE;
    if (s->cfg.method == ETW_ONSET_CUSUM && s->ready) {
        etw_cusum_coefficients(&s->cfg, s->var, &s->ca, &s->cb);
    }
}

static void set_bits(etw_onset_stream *s, int64_t from, int64_t to, uint8_t v)
{
    for (int64_t k = from; k <= to; k++) {
        s->bits[(size_t)(k % (int64_t)line_len(s))] = v;
    }
}

static void classify_bonato(etw_onset_stream *s, int64_t i)
{
    const etw_onset_config *c = &s->cfg;
    int64_t rel = i - s->rest1;
    if (rel < 0 || rel % 2 == 0) {
        return;
    }
    double a = (double)s->yline[(size_t)((i - 1) % (int64_t)line_len(s))];
    double b = (double)s->yline[(size_t)(i % (int64_t)line_len(s))];
    size_t m = (size_t)c->bonato_m;
    uint8_t e = (a * a + b * b) / s->var > c->bonato_zeta;
    s->exceed[(size_t)(s->npairs % (int64_t)m)] = e;
    s->cnt += e;
    s->npairs++;
    if (s->npairs >= (int64_t)m) {
        /* pair j0 = npairs - m: its window of m pairs is complete */
        int64_t j0 = s->npairs - (int64_t)m;
        int64_t k0 = s->rest1 + 2 * j0;
        set_bits(s, k0, k0 + 1, s->cnt >= (size_t)c->bonato_r0);
        s->cnt -= s->exceed[(size_t)(j0 % (int64_t)m)];
    }
}

static void classify_cusum(etw_onset_stream *s, int64_t i, double y)
{
    double llr = s->ca + s->cb * y * y;
    s->s = s->active ? s->s - llr : s->s + llr;
    if (s->s <= 0.0) {
        s->s = 0.0;
        s->last_zero = i + 1;
    }
    if (s->s > s->cfg.cusum_h) {
        int64_t lo = s->last_zero;
        int64_t oldest = i - (int64_t)s->delay + 1;
        lo = lo < oldest ? oldest : lo;
        lo = lo < s->rest1 ? s->rest1 : lo;
        set_bits(s, lo, i, (uint8_t)!s->active);
        s->active = !s->active;
        s->s = 0.0;
        s->last_zero = i + 1;
    } else if (s->active) {
        set_bits(s, i, i, 1);
    }
}

/* One input sample i: conditioned value y, statistic d (threshold methods). */
static void step(etw_onset_stream *s, double y, double d)
{
    const int64_t i = s->pos++;
    const etw_onset_method m = s->cfg.method;
    size_t slot = (size_t)(i % (int64_t)line_len(s));
    s->yline[slot] = (float)y;
    s->bits[slot] = 0;
    if (i >= s->rest0 && i < s->rest1) {
        s->p_sum += y * y;
        s->p_n++;
        s->d_n += 1.0;
        double delta = d - s->d_mean;
        s->d_mean += delta / s->d_n;
        s->d_m2 += delta * (d - s->d_mean);
        if (i == s->rest1 - 1) {
            finish_rest(s);
        }
    }
    if (s->ready) {
        if (m == ETW_ONSET_BONATO) {
            classify_bonato(s, i);
        } else if (m == ETW_ONSET_CUSUM) {
            if (i >= s->rest1) {
                classify_cusum(s, i, y);
            }
        } else {
            int64_t k = i - (int64_t)s->lat;
            if (k >= s->rest1) {
                set_bits(s, k, k, d > s->thr);
            }
        }
    }
    int64_t k = i - (int64_t)s->delay;
    if (k >= 0) {
        emit_sample(s, k);
    }
}

static etw_status drain(etw_onset_stream *s, etw_segment *out, size_t capacity, size_t *count)
{
    size_t n = 0;
    while (s->qcount > 0 && n < capacity) {
        out[n++] = s->queue[s->qhead];
        s->qhead = (s->qhead + 1) % STREAM_QUEUE;
        s->qcount--;
    }
    *count = n;
    if (s->overflow) {
        s->overflow = 0;
        return ETW_ERR_OVERFLOW;
    }
    return s->qcount > 0 ? ETW_ERR_CAPACITY : s->rest_status;
}

etw_status etw_onset_stream_process(etw_onset_stream *stream, const float *x, size_t nframes,
                                    etw_segment *out, size_t capacity, size_t *count)
{
    if (stream == NULL || count == NULL || (x == NULL && nframes > 0) ||
        (out == NULL && capacity > 0)) {
        return ETW_ERR_NULL;
    }
    etw_onset_stream *s = stream;
    for (size_t off = 0; off < nframes; off += STREAM_CHUNK) {
        size_t n = nframes - off < STREAM_CHUNK ? nframes - off : STREAM_CHUNK;
        for (size_t i = 0; i < n; i++) {
            float v = x[off + i];
            s->y[i] = isfinite(v) ? v : 0.0f;
        }
        float *yp[1] = {s->y};
        float *dp[1] = {s->d};
        const float *cy[1] = {s->y};
        const float *cd[1] = {s->d};
        etw_status st = s->bp != NULL ? etw_cascade_process(s->bp, cy, yp, n) : ETW_OK;
        if (st == ETW_OK && s->env1 != NULL) {
            st = etw_envelope_process(s->env1, cy, dp, n);
        }
        if (st == ETW_OK && s->env2 != NULL) {
            for (size_t i = 0; i < n; i++) {
                s->d[i] = fabsf(s->d[i]);
            }
            st = etw_envelope_process(s->env2, cd, dp, n);
        }
        if (st != ETW_OK) {
            return st;
        }
        int rectified = s->cfg.method == ETW_ONSET_LIDIERTH;
        for (size_t i = 0; i < n; i++) {
            double d = rectified ? fabs((double)s->y[i]) : (double)s->d[i];
            step(s, (double)s->y[i], d);
        }
    }
    return drain(s, out, capacity, count);
}

etw_status etw_onset_stream_flush(etw_onset_stream *stream, etw_segment *out, size_t capacity,
                                  size_t *count)
{
    if (stream == NULL || count == NULL || (out == NULL && capacity > 0)) {
        return ETW_ERR_NULL;
    }
    etw_onset_stream *s = stream;
    int64_t first = s->pos - (int64_t)s->delay;
    for (int64_t k = first < 0 ? 0 : first; k < s->pos; k++) {
        emit_sample(s, k);
    }
    etw_run done;
    if (etw_run_stage_flush(&s->a, &done)) {
        to_stage_b(s, &done);
    }
    if (etw_run_stage_flush(&s->b, &done)) {
        enqueue(s, &done);
    }
    return drain(s, out, capacity, count);
}

size_t etw_onset_stream_get_latency(const etw_onset_stream *stream)
{
    return stream == NULL ? 0 : stream->delay;
}
