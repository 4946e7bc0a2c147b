/* The streaming cascade object: memory layout, life cycle, state control and the planar
 * process call that hands groups of ETW_LANES channels to the kernel chosen at init. */
#include "filter/cascade.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/finite.h"
#include "filter/check.h"

#define ALIGN 64
#define MAX_CHANNELS 4096

static size_t round_up(size_t n)
{
    return (n + ALIGN - 1) / ALIGN * ALIGN;
}

typedef struct layout {
    size_t coef, coef_f, unit, dc, state, state_f, total;
} layout;

static size_t groups(size_t nch, size_t lanes)
{
    return (nch + lanes - 1) / lanes;
}

static layout layout_of(size_t nsections, size_t nch)
{
    layout l;
    l.coef = round_up(sizeof(etw_cascade));
    l.coef_f = l.coef + round_up(nsections * ETW_COEFS * ETW_LANES * sizeof(double));
    l.unit = l.coef_f + round_up(nsections * ETW_COEFS * ETW_LANES_F * sizeof(float));
    l.dc = l.unit + round_up(nsections * 2 * sizeof(double));
    l.state = l.dc + round_up((nsections + 1) * sizeof(double));
    l.state_f = l.state + round_up(groups(nch, ETW_LANES) * nsections * 2 * ETW_LANES *
                                   sizeof(double));
    l.total = l.state_f + round_up(groups(nch, ETW_LANES_F) * (nsections + 1) * 2 *
                                   ETW_LANES_F * sizeof(float));
    return l;
}

size_t etw_cascade_get_size(size_t nsections, size_t nch)
{
    if (nsections == 0 || nsections > ETW_MAX_SECTIONS || nch == 0 || nch > MAX_CHANNELS) {
        return 0;
    }
    return layout_of(nsections, nch).total;
}

static unsigned char kind_of(const double *b)
{
    if (b[0] != 1.0) {
        return ETW_SECTION_GENERIC;
    }
    if (b[1] == 0.0 && b[2] == -1.0) {
        return ETW_SECTION_1_0_M1;
    }
    if (b[2] == 1.0 && b[1] == 2.0) {
        return ETW_SECTION_1_2_1;
    }
    if (b[2] == 1.0 && b[1] == -2.0) {
        return ETW_SECTION_1_M2_1;
    }
    return ETW_SECTION_GENERIC;
}

static void set_coefficients(etw_cascade *c, const etw_sos *sos)
{
    for (size_t s = 0; s < c->nsec; s++) {
        c->kinds[s] = kind_of(sos[s]);
        const double v[ETW_COEFS] = {sos[s][0], sos[s][1], sos[s][2], -sos[s][4], -sos[s][5]};
        for (size_t k = 0; k < ETW_COEFS; k++) {
            for (size_t lane = 0; lane < ETW_LANES; lane++) {
                c->coef[(s * ETW_COEFS + k) * ETW_LANES + lane] = v[k];
            }
            for (size_t lane = 0; lane < ETW_LANES_F; lane++) {
                c->coef_f[(s * ETW_COEFS + k) * ETW_LANES_F + lane] = (float)v[k];
            }
        }
    }
    etw_sos_zi(sos, c->nsec, (double(*)[2])c->unit);
    c->dc[0] = 1.0;
    for (size_t s = 0; s < c->nsec; s++) {
        c->dc[s + 1] = c->dc[s] * (((sos[s][0] + sos[s][1]) + sos[s][2]) /
                                   ((sos[s][3] + sos[s][4]) + sos[s][5]));
    }
}

static void pick_kernels(etw_cascade *c)
{
    c->kernel = c->portable ? NULL : etw_kernel_avx2();
    if (c->kernel == NULL) {
        c->kernel = etw_kernel_portable;
    }
    c->one = NULL;
    if (etw_cascade_is_one(c)) {
        c->one = c->portable ? NULL : etw_kernel_one_avx2(c->nsec);
        if (c->one == NULL) {
            c->one = etw_kernel_one_portable;
        }
    }
    c->kernel_f = c->portable ? NULL : etw_kernel_avx2_f();
    if (c->kernel_f == NULL) {
        c->kernel_f = etw_kernel_portable_f;
    }
    c->scan = c->portable ? NULL : etw_scan_avx2();
    if (c->scan == NULL) {
        c->scan = etw_any_nonfinite;
    }
}

/* Float history value j (0: n-1, 1: n-2) of the signal before section k, channel ch. */
static float *hist_f(const etw_cascade *c, size_t ch, size_t k, size_t j)
{
    return c->state_f + ((ch / ETW_LANES_F) * (c->nsec + 1) + k) * 2 * ETW_LANES_F +
           j * ETW_LANES_F + ch % ETW_LANES_F;
}

/* Transposed-form state z_j of section s, channel ch (double precision). */
static double *tdf2(const etw_cascade *c, size_t ch, size_t s, size_t j)
{
    return c->state + ((ch / ETW_LANES) * c->nsec + s) * 2 * ETW_LANES + j * ETW_LANES +
           ch % ETW_LANES;
}

etw_status etw_cascade_init(void *mem, size_t size, const etw_sos *sos, size_t nsections,
                            size_t nch, etw_cascade **out)
{
    if (out == NULL) {
        return ETW_ERR_NULL;
    }
    *out = NULL;
    if (mem == NULL) {
        return ETW_ERR_NULL;
    }
    etw_status st = etw_sos_check(sos, nsections);
    if (st != ETW_OK) {
        return st;
    }
    size_t need = etw_cascade_get_size(nsections, nch);
    if (need == 0 || (uintptr_t)mem % ALIGN != 0) {
        return ETW_ERR_RANGE;
    }
    if (size < need) {
        return ETW_ERR_SIZE;
    }
    layout l = layout_of(nsections, nch);
    unsigned char *base = mem;
    etw_cascade *c = mem;
    c->nch = nch;
    c->nsec = nsections;
    c->ngroups = (nch + ETW_LANES - 1) / ETW_LANES;
    c->owned = 0;
    c->portable = 0;
    c->requested = ETW_PRECISION_DOUBLE;
    c->precision = ETW_PRECISION_DOUBLE;
    c->coef = (double *)(void *)(base + l.coef);
    c->coef_f = (float *)(void *)(base + l.coef_f);
    c->unit = (double *)(void *)(base + l.unit);
    c->dc = (double *)(void *)(base + l.dc);
    c->state = (double *)(void *)(base + l.state);
    c->state_f = (float *)(void *)(base + l.state_f);
    pick_kernels(c);
    set_coefficients(c, sos);
    etw_cascade_reset(c);
    *out = c;
    return ETW_OK;
}

etw_status etw_cascade_create(const etw_sos *sos, size_t nsections, size_t nch,
                              etw_cascade **out)
{
    if (out == NULL) {
        return ETW_ERR_NULL;
    }
    *out = NULL;
    etw_status st = etw_sos_check(sos, nsections);
    if (st != ETW_OK) {
        return st;
    }
    size_t size = etw_cascade_get_size(nsections, nch);
    if (size == 0) {
        return ETW_ERR_RANGE;
    }
    void *mem = aligned_alloc(ALIGN, size);
    if (mem == NULL) {
        return ETW_ERR_NOMEM;
    }
    st = etw_cascade_init(mem, size, sos, nsections, nch, out);
    if (st != ETW_OK) {
        free(mem);
        return st;
    }
    (*out)->owned = 1;
    return ETW_OK;
}

void etw_cascade_destroy(etw_cascade *cascade)
{
    if (cascade != NULL && cascade->owned) {
        free(cascade);
    }
}

void etw_cascade_reset(etw_cascade *cascade)
{
    if (cascade != NULL) {
        memset(cascade->state, 0,
               groups(cascade->nch, ETW_LANES) * cascade->nsec * 2 * ETW_LANES * sizeof(double));
        memset(cascade->state_f, 0,
               groups(cascade->nch, ETW_LANES_F) * (cascade->nsec + 1) * 2 * ETW_LANES_F *
                   sizeof(float));
    }
}

etw_status etw_cascade_set_steady_state(etw_cascade *cascade, const float *x0)
{
    if (cascade == NULL || x0 == NULL) {
        return ETW_ERR_NULL;
    }
    for (size_t ch = 0; ch < cascade->nch; ch++) {
        if (!isfinite(x0[ch])) {
            return ETW_ERR_NONFINITE;
        }
    }
    for (size_t s = 0; s < 2 * cascade->nsec; s++) {
        if (!isfinite(cascade->unit[s]) || !isfinite(cascade->dc[s / 2 + 1])) {
            return ETW_ERR_RANGE;
        }
    }
    /* float precision: every signal between sections is constant, dc[k] x */
    for (size_t ch = 0; ch < groups(cascade->nch, ETW_LANES_F) * ETW_LANES_F; ch++) {
        double x = x0[ch < cascade->nch ? ch : cascade->nch - 1];
        for (size_t k = 0; k <= cascade->nsec; k++) {
            *hist_f(cascade, ch, k, 0) = (float)(cascade->dc[k] * x);
            *hist_f(cascade, ch, k, 1) = (float)(cascade->dc[k] * x);
        }
    }
    if (etw_cascade_is_one(cascade)) { /* direct form I history (filter/dfi1.h) */
        for (size_t k = 0; k <= cascade->nsec; k++) {
            cascade->state[2 * k] = cascade->dc[k] * (double)x0[0];
            cascade->state[2 * k + 1] = cascade->dc[k] * (double)x0[0];
        }
        return ETW_OK;
    }
    for (size_t g = 0; g < cascade->ngroups; g++) {
        for (size_t lane = 0; lane < ETW_LANES; lane++) {
            size_t ch = g * ETW_LANES + lane;
            /* padding lanes mirror the last channel, whose input they read */
            double x = x0[ch < cascade->nch ? ch : cascade->nch - 1];
            for (size_t s = 0; s < cascade->nsec; s++) {
                double *z = cascade->state + ((g * cascade->nsec + s) * 2) * ETW_LANES + lane;
                z[0] = cascade->unit[2 * s] * x;
                z[ETW_LANES] = cascade->unit[2 * s + 1] * x;
            }
        }
    }
    return ETW_OK;
}

/* Float (direct form I history) to double precision: the same history for the single-channel
 * kernels (etw_cascade_is_one()), else
 * transposed direct form II state with the current coefficients:
 * z0 = b1 x1 + b2 x2 - a1 y1 - a2 y2, z1 = b2 x1 - a2 y1. */
static void to_double(etw_cascade *c)
{
    c->precision = ETW_PRECISION_DOUBLE;
    if (etw_cascade_is_one(c)) { /* the same history in double */
        for (size_t k = 0; k <= c->nsec; k++) {
            c->state[2 * k] = *hist_f(c, 0, k, 0);
            c->state[2 * k + 1] = *hist_f(c, 0, k, 1);
        }
        return;
    }
    for (size_t ch = 0; ch < groups(c->nch, ETW_LANES) * ETW_LANES; ch++) {
        size_t src = ch < c->nch ? ch : c->nch - 1;
        for (size_t s = 0; s < c->nsec; s++) {
            const double *q = c->coef + s * ETW_COEFS * ETW_LANES; /* b0 b1 b2 -a1 -a2 */
            double x1 = *hist_f(c, src, s, 0), x2 = *hist_f(c, src, s, 1);
            double y1 = *hist_f(c, src, s + 1, 0), y2 = *hist_f(c, src, s + 1, 1);
            *tdf2(c, ch, s, 0) = q[ETW_LANES] * x1 + q[2 * ETW_LANES] * x2 +
                                 q[3 * ETW_LANES] * y1 + q[4 * ETW_LANES] * y2;
            *tdf2(c, ch, s, 1) = q[2 * ETW_LANES] * x1 + q[4 * ETW_LANES] * y1;
        }
    }
}

etw_status etw_cascade_retune(etw_cascade *cascade, const etw_sos *sos, size_t nsections)
{
    if (cascade == NULL || sos == NULL) {
        return ETW_ERR_NULL;
    }
    if (nsections != cascade->nsec) {
        return ETW_ERR_MISMATCH;
    }
    etw_status st = etw_sos_check(sos, nsections);
    if (st != ETW_OK) {
        return st;
    }
    set_coefficients(cascade, sos);
    if (cascade->requested == ETW_PRECISION_AUTO && cascade->precision == ETW_PRECISION_FLOAT &&
        !(etw_cascade_probe_float_error(cascade) < ETW_FLOAT_AUTO_LIMIT)) {
        to_double(cascade);
    }
    return ETW_OK;
}

etw_status etw_cascade_set_precision(etw_cascade *cascade, etw_precision precision)
{
    if (cascade == NULL) {
        return ETW_ERR_NULL;
    }
    if (precision != ETW_PRECISION_DOUBLE && precision != ETW_PRECISION_FLOAT &&
        precision != ETW_PRECISION_AUTO) {
        return ETW_ERR_RANGE;
    }
    cascade->requested = precision;
    if (precision == ETW_PRECISION_AUTO) {
        precision = etw_cascade_probe_float_error(cascade) < ETW_FLOAT_AUTO_LIMIT
                        ? ETW_PRECISION_FLOAT
                        : ETW_PRECISION_DOUBLE;
    }
    cascade->precision = precision;
    etw_cascade_reset(cascade);
    return ETW_OK;
}

etw_precision etw_cascade_get_precision(const etw_cascade *cascade)
{
    return cascade != NULL ? cascade->precision : ETW_PRECISION_DOUBLE;
}

int etw_any_nonfinite(const float *const *in, size_t nch, size_t nframes)
{
    for (size_t ch = 0; ch < nch; ch++) {
        if (!etw_all_finite(in[ch], nframes)) {
            return 1;
        }
    }
    return 0;
}

/* Filters a block (planar or interleaved, see etw_block) with the kernels of the cascade's
 * precision; masked tells whether the block may hold a non-finite sample, or is -1: then
 * (planar data) each group of channels is scanned just before it is filtered, while its
 * samples are in cache. */
static void run_block(etw_cascade *c, const etw_block *b, size_t nframes, int masked)
{
    if (c->precision == ETW_PRECISION_FLOAT) {
        c->kernel_f(c, b, nframes, masked);
        return;
    }
    for (size_t g = 0; g < c->ngroups; g++) {
        size_t first = g * ETW_LANES;
        size_t nvalid = c->nch - first < ETW_LANES ? c->nch - first : ETW_LANES;
        const float *lane_in[ETW_LANES];
        float *lane_out[ETW_LANES];
        for (size_t lane = 0; lane < ETW_LANES; lane++) {
            size_t ch = first + (lane < nvalid ? lane : nvalid - 1);
            lane_in[lane] = b->in != NULL ? b->in[ch] : b->in_base + ch;
            lane_out[lane] = b->in != NULL ? b->out[ch] : b->out_base + ch;
        }
        int bad = masked >= 0 ? masked : c->scan(lane_in, nvalid, nframes);
        c->kernel(c->coef, c->kinds, c->nsec, c->state + g * c->nsec * 2 * ETW_LANES, lane_in,
                  lane_out, nvalid, nframes, b->stride, bad);
    }
}

/* Nonzero when a block of c goes straight to the single-channel kernel (run_one). */
static int runs_one(const etw_cascade *c)
{
    return c->one != NULL && c->precision != ETW_PRECISION_FLOAT;
}

/* A block of one channel (stride 1) straight to the single-channel kernel, which scans it
 * itself: no group of lanes to gather (a short block spends a large part of its time outside
 * the arithmetic). */
static void run_one(etw_cascade *c, const float *in, float *out, size_t nframes)
{
    c->one(c->coef, c->nsec, c->state, in, out, nframes);
}

etw_status etw_cascade_process(etw_cascade *cascade, const float *const *in,
                               float *const *out, size_t nframes)
{
    if (cascade == NULL || in == NULL || out == NULL) {
        return ETW_ERR_NULL;
    }
    if (runs_one(cascade)) { /* one channel: no loop over the channels' pointers */
        if (in[0] == NULL || out[0] == NULL) {
            return ETW_ERR_NULL;
        }
        if (nframes > 0) {
            run_one(cascade, in[0], out[0], nframes);
        }
        return ETW_OK;
    }
    for (size_t ch = 0; ch < cascade->nch; ch++) {
        if (in[ch] == NULL || out[ch] == NULL) {
            return ETW_ERR_NULL;
        }
    }
    if (nframes > 0) {
        etw_block b = {in, out, NULL, NULL, 1};
        run_block(cascade, &b, nframes, -1);
    }
    return ETW_OK;
}

etw_status etw_cascade_process_interleaved(etw_cascade *cascade, const float *in, float *out,
                                           size_t nframes)
{
    if (cascade == NULL || in == NULL || out == NULL) {
        return ETW_ERR_NULL;
    }
    if (nframes > 0 && runs_one(cascade)) {
        run_one(cascade, in, out, nframes);
    } else if (nframes > 0) {
        etw_block b = {NULL, NULL, in, out, cascade->nch};
        run_block(cascade, &b, nframes, cascade->scan(&in, 1, nframes * cascade->nch));
    }
    return ETW_OK;
}

void etw_cascade_get_shape(const etw_cascade *cascade, size_t *nch, size_t *nsections)
{
    if (nch != NULL) {
        *nch = cascade != NULL ? cascade->nch : 0;
    }
    if (nsections != NULL) {
        *nsections = cascade != NULL ? cascade->nsec : 0;
    }
}

etw_status etw_cascade_get_group_delay(const etw_cascade *cascade, double fs_hz, double f_hz,
                                       double *delay_s)
{
    if (cascade == NULL || delay_s == NULL) {
        return ETW_ERR_NULL;
    }
    etw_sos sos[ETW_MAX_SECTIONS];
    for (size_t s = 0; s < cascade->nsec; s++) {
        const double *c = cascade->coef + s * ETW_COEFS * ETW_LANES;
        sos[s][0] = c[0];
        sos[s][1] = c[ETW_LANES];
        sos[s][2] = c[2 * ETW_LANES];
        sos[s][3] = 1.0;
        sos[s][4] = -c[3 * ETW_LANES];
        sos[s][5] = -c[4 * ETW_LANES];
    }
    return etw_sos_response((const etw_sos *)sos, cascade->nsec, fs_hz, &f_hz, 1, NULL, NULL,
                            delay_s);
}

void etw_cascade_force_portable(etw_cascade *cascade)
{
    cascade->portable = 1;
    pick_kernels(cascade);
}
