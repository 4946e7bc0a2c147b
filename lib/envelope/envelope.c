/* Streaming envelopes: rectification, ARV, RMS, TKEO and the linear envelope. */
#include "emgtwitch/envelope.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "emgtwitch/filter.h"
#include "envelope/rms4.h"

#define ENV_MAX_NCH 4096
#define ENV_MAX_ORDER 8
#define ENV_CHUNK 256 /* frames the linear envelope rectifies at a time */

struct etw_envelope {
    etw_envelope_config cfg;
    size_t win;        /* ARV/RMS window in samples */
    etw_winsum *sums;  /* ARV/RMS: one per channel */
    double *rings;     /* ARV/RMS: nch * win (interleaved by fours where rms4 runs) */
    etw_rms4_fn rms4;  /* RMS: four-channel kernel, or NULL (per-channel loop only) */
    double *hist;      /* TKEO: x[n-2], x[n-1] per channel */
    etw_cascade *lp;   /* LINEAR: the low-pass */
    float *scratch;    /* LINEAR: nch * ENV_CHUNK rectified samples */
    const float **lp_in;
    float **lp_out;
    double latency;
};

etw_envelope_config etw_envelope_config_default(etw_envelope_kind kind, double fs_hz, size_t nch)
{
    etw_envelope_config c;
    c.kind = kind;
    c.fs_hz = fs_hz;
    c.nch = nch;
    c.window_ms = 50.0;
    c.lowpass_hz = 6.0;
    c.lowpass_order = 4;
    return c;
}

static etw_status validate(const etw_envelope_config *c)
{
    if (c == NULL) {
        return ETW_ERR_NULL;
    }
    if (!isfinite(c->fs_hz) || !isfinite(c->window_ms) || !isfinite(c->lowpass_hz)) {
        return ETW_ERR_NONFINITE;
    }
    if (c->fs_hz <= 0.0 || c->nch < 1 || c->nch > ENV_MAX_NCH) {
        return ETW_ERR_RANGE;
    }
    switch (c->kind) {
    case ETW_ENV_RECTIFY:
    case ETW_ENV_TKEO:
        return ETW_OK;
    case ETW_ENV_ARV:
    case ETW_ENV_RMS:
        if (c->window_ms <= 0.0) {
            return ETW_ERR_RANGE;
        }
        return c->window_ms * c->fs_hz / 1000.0 > (double)INT32_MAX ? ETW_ERR_OVERFLOW : ETW_OK;
    case ETW_ENV_LINEAR:
        if (c->lowpass_order < 1 || c->lowpass_order > ENV_MAX_ORDER || c->lowpass_hz <= 0.0) {
            return ETW_ERR_RANGE;
        }
        return c->lowpass_hz >= c->fs_hz / 2.0 ? ETW_ERR_NYQUIST : ETW_OK;
    }
    return ETW_ERR_RANGE;
}

size_t etw_envelope_window_samples(const etw_envelope_config *config)
{
    if (validate(config) != ETW_OK) {
        return 0;
    }
    double n = round(config->window_ms * config->fs_hz / 1000.0);
    return n < 1.0 ? 1 : (size_t)n;
}

static etw_status create_linear(etw_envelope *e)
{
    etw_sos sos[ENV_MAX_ORDER];
    size_t ns = 0;
    etw_status st = etw_butter(ETW_LOWPASS, e->cfg.lowpass_order, e->cfg.lowpass_hz, 0.0,
                               e->cfg.fs_hz, sos, ENV_MAX_ORDER, &ns);
    if (st != ETW_OK) {
        return st;
    }
    /* Group delay near 0 Hz (flat there) is the delay of the envelope. */
    double f = e->cfg.lowpass_hz * 1e-3;
    double gd = 0.0;
    st = etw_sos_response(sos, ns, e->cfg.fs_hz, &f, 1, NULL, NULL, &gd);
    if (st != ETW_OK) {
        return st;
    }
    e->latency = gd * e->cfg.fs_hz;
    st = etw_cascade_create(sos, ns, e->cfg.nch, &e->lp);
    if (st != ETW_OK) {
        return st;
    }
    size_t nch = e->cfg.nch;
    e->scratch = malloc(nch * ENV_CHUNK * sizeof *e->scratch);
    e->lp_in = malloc(nch * sizeof *e->lp_in);
    e->lp_out = malloc(nch * sizeof *e->lp_out);
    if (e->scratch == NULL || e->lp_in == NULL || e->lp_out == NULL) {
        return ETW_ERR_NOMEM;
    }
    for (size_t c = 0; c < nch; c++) {
        e->lp_out[c] = e->scratch + c * ENV_CHUNK;
        e->lp_in[c] = e->lp_out[c];
    }
    return ETW_OK;
}

etw_status etw_envelope_create(const etw_envelope_config *config, etw_envelope **out)
{
    if (out == NULL) {
        return ETW_ERR_NULL;
    }
    *out = NULL;
    etw_status st = validate(config);
    if (st != ETW_OK) {
        return st;
    }
    etw_envelope *e = calloc(1, sizeof *e);
    if (e == NULL) {
        return ETW_ERR_NOMEM;
    }
    e->cfg = *config;
    size_t nch = config->nch;
    switch (config->kind) {
    case ETW_ENV_ARV:
    case ETW_ENV_RMS:
        e->win = etw_envelope_window_samples(config);
        e->latency = 0.5 * (double)(e->win - 1);
        e->sums = malloc(nch * sizeof *e->sums);
        e->rings = malloc(nch * e->win * sizeof *e->rings);
        if (e->sums == NULL || e->rings == NULL) {
            st = ETW_ERR_NOMEM;
        }
        break;
    case ETW_ENV_TKEO:
        e->latency = 1.0;
        e->hist = malloc(2 * nch * sizeof *e->hist);
        st = e->hist == NULL ? ETW_ERR_NOMEM : ETW_OK;
        break;
    case ETW_ENV_LINEAR:
        st = create_linear(e);
        break;
    case ETW_ENV_RECTIFY:
        break;
    }
    if (st != ETW_OK) {
        etw_envelope_destroy(e);
        return st;
    }
    if (e->sums != NULL) {
        e->rms4 = config->kind == ETW_ENV_RMS ? etw_rms4_avx2() : NULL;
        size_t grouped = e->rms4 != NULL ? nch / 4 * 4 : 0;
        for (size_t c = 0; c < nch; c++) {
            if (c < grouped) {
                etw_winsum_init(&e->sums[c], e->rings + c / 4 * 4 * e->win + c % 4, e->win, 4);
            } else {
                etw_winsum_init(&e->sums[c], e->rings + c * e->win, e->win, 1);
            }
        }
    }
    etw_envelope_reset(e);
    *out = e;
    return ETW_OK;
}

void etw_envelope_destroy(etw_envelope *env)
{
    if (env == NULL) {
        return;
    }
    free(env->sums);
    free(env->rings);
    free(env->hist);
    etw_cascade_destroy(env->lp);
    free(env->scratch);
    free(env->lp_in);
    free(env->lp_out);
    free(env);
}

void etw_envelope_reset(etw_envelope *env)
{
    if (env == NULL) {
        return;
    }
    size_t nch = env->cfg.nch;
    if (env->sums != NULL) {
        for (size_t c = 0; c < nch; c++) {
            etw_winsum_reset(&env->sums[c]);
        }
    }
    if (env->hist != NULL) {
        for (size_t i = 0; i < 2 * nch; i++) {
            env->hist[i] = 0.0;
        }
    }
    etw_cascade_reset(env->lp);
}

static float finite_or_nan(double v)
{
    float f = (float)v;
    return isfinite(f) ? f : NAN;
}

static void process_rectify(const float *x, float *y, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        y[i] = finite_or_nan(fabs((double)x[i]));
    }
}

static void process_arv(etw_winsum *w, const float *x, float *y, size_t n)
{
    double inv = 1.0 / (double)w->len;
    for (size_t i = 0; i < n; i++) {
        double s = etw_winsum_push(w, fabs((double)x[i]));
        y[i] = isnan(s) ? NAN : (float)(s > 0.0 ? s * inv : 0.0);
    }
}

static void process_rms(etw_winsum *w, const float *x, float *y, size_t n)
{
    double inv = 1.0 / (double)w->len;
    size_t i = 0;
    w->part_ok = 0; /* the RMS kernel's partial sum is not kept here */
    /* while nothing non-finite is in the window or arrives: the same sums as
     * etw_winsum_push() without its per-sample tests */
    while (i < n && w->nbad == 0) {
        /* sum and position in locals: the ring stores could alias them */
        double sum = w->sum, *ring = w->ring;
        size_t pos = w->pos, len = w->len, stride = w->stride;
        for (; i < n; i++) {
            double v = (double)x[i];
            if (!(fabs(v) <= DBL_MAX)) {
                break;
            }
            double sq = v * v;
            sum -= ring[pos * stride];
            ring[pos * stride] = sq;
            sum += sq;
            if (++pos == len) {
                break; /* the recomputation below, then on */
            }
            y[i] = etw_rms_value(sum, inv);
        }
        w->sum = sum;
        w->pos = pos;
        if (i == n || !(fabs((double)x[i]) <= DBL_MAX)) {
            break;
        }
        /* wrapped at sample i: exact recomputation, then its output */
        w->pos = 0;
        etw_winsum_recompute(w);
        y[i] = w->nbad != 0 ? NAN : etw_rms_value(w->sum, inv);
        i++;
    }
    for (; i < n; i++) {
        double v = (double)x[i];
        double s = etw_winsum_push(w, v * v);
        y[i] = isnan(s) ? NAN : etw_rms_value(s, inv);
    }
}

/* RMS of channels c .. c + 4 * groups - 1 (groups of four with interleaved rings; 1 or 2
 * groups): the kernel while their windows and the frames are finite (it stops at the first
 * non-finite frame), then channel by channel. */
static void process_rms_group(const etw_envelope *e, etw_winsum *w, const float *const *x,
                              float *const *y, size_t n, int groups)
{
    int clean = 1;
    for (int k = 0; k < 4 * groups; k++) {
        clean &= w[k].nbad == 0 && w[k].pos == w[0].pos;
    }
    size_t done = clean ? e->rms4(w, x, y, n, 1.0 / (double)w[0].len, groups) : 0;
    for (int k = 0; k < 4 * groups && done < n; k++) {
        process_rms(&w[k], x[k] + done, y[k] + done, n - done);
    }
}

static void process_tkeo(double *h, const float *x, float *y, size_t n)
{
    double a = h[0];
    double b = h[1];
    for (size_t i = 0; i < n; i++) {
        double v = (double)x[i];
        y[i] = finite_or_nan(b * b - a * v);
        a = b;
        b = v;
    }
    h[0] = a;
    h[1] = b;
}

static etw_status process_linear(etw_envelope *e, const float *const *in, float *const *out,
                                 size_t nframes)
{
    size_t nch = e->cfg.nch;
    for (size_t off = 0; off < nframes; off += ENV_CHUNK) {
        size_t n = nframes - off < ENV_CHUNK ? nframes - off : ENV_CHUNK;
        for (size_t c = 0; c < nch; c++) {
            float *s = e->lp_out[c];
            const float *x = in[c] + off;
            for (size_t i = 0; i < n; i++) {
                s[i] = isfinite(x[i]) ? fabsf(x[i]) : 0.0f;
            }
        }
        etw_status st = etw_cascade_process(e->lp, e->lp_in, e->lp_out, n);
        if (st != ETW_OK) {
            return st;
        }
        for (size_t c = 0; c < nch; c++) {
            const float *s = e->lp_out[c];
            const float *x = in[c] + off;
            float *y = out[c] + off;
            for (size_t i = 0; i < n; i++) {
                y[i] = isfinite(x[i]) ? s[i] : NAN;
            }
        }
    }
    return ETW_OK;
}

etw_status etw_envelope_process(etw_envelope *env, const float *const *in, float *const *out,
                                size_t nframes)
{
    if (env == NULL || in == NULL || out == NULL) {
        return ETW_ERR_NULL;
    }
    size_t nch = env->cfg.nch;
    if (nframes == 0) {
        return ETW_OK;
    }
    for (size_t c = 0; c < nch; c++) {
        if (in[c] == NULL || out[c] == NULL) {
            return ETW_ERR_NULL;
        }
    }
    if (env->cfg.kind == ETW_ENV_LINEAR) {
        return process_linear(env, in, out, nframes);
    }
    size_t c = 0;
    if (env->rms4 != NULL) {
        for (; c + 4 <= nch; c += 4) {
            int groups = c + 8 <= nch ? 2 : 1;
            process_rms_group(env, env->sums + c, in + c, out + c, nframes, groups);
            c += 4 * (size_t)(groups - 1);
        }
    }
    for (; c < nch; c++) {
        switch (env->cfg.kind) {
        case ETW_ENV_RECTIFY:
            process_rectify(in[c], out[c], nframes);
            break;
        case ETW_ENV_ARV:
            process_arv(&env->sums[c], in[c], out[c], nframes);
            break;
        case ETW_ENV_RMS:
            process_rms(&env->sums[c], in[c], out[c], nframes);
            break;
        case ETW_ENV_TKEO:
            process_tkeo(env->hist + 2 * c, in[c], out[c], nframes);
            break;
        case ETW_ENV_LINEAR:
            break;
        }
    }
    return ETW_OK;
}

double etw_envelope_get_latency(const etw_envelope *env)
{
    return env == NULL ? 0.0 : env->latency;
}

etw_status etw_envelope_compute(const etw_envelope_config *config, const float *const *in,
                                float *const *out, size_t nframes)
{
    etw_envelope *e = NULL;
    etw_status st = etw_envelope_create(config, &e);
    if (st != ETW_OK) {
        return st;
    }
    st = etw_envelope_process(e, in, out, nframes);
    etw_envelope_destroy(e);
    return st;
}
