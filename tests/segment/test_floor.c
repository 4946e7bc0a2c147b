/* Noise floor: order statistics, rest/auto estimates and the adaptive tracker. */
#include "etw_test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "emgtwitch/emgtwitch.h"
#include "segment/stats.h"
#include "test_segment.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;
    return (x > y) - (x < y);
}

void quantiles_match_sorting(void **state)
{
    (void)state;
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 21);
    static double v[513];
    static double s[513];
    for (int trial = 0; trial < 200; trial++) {
        size_t n = 1 + etw_test_rng_below(&rng, 512);
        for (size_t i = 0; i < n; i++) {
            /* many ties in half of the trials */
            double r = etw_test_rng_normal(&rng);
            v[i] = trial % 2 ? floor(r * 3) : r;
        }
        memcpy(s, v, n * sizeof *v);
        qsort(s, n, sizeof *s, cmp_double);
        double q = etw_test_rng_uniform(&rng);
        double pos = q * (double)(n - 1);
        size_t k = (size_t)floor(pos);
        double expect = k + 1 < n ? s[k] + (pos - (double)k) * (s[k + 1] - s[k]) : s[k];
        assert_close(etw_quantile_inplace(v, n, q), expect, 1e-12, 1e-12);
        memcpy(v, s, n * sizeof *v);
        assert_close(etw_quantile_inplace(v, n, 1.0), s[n - 1], 0, 0);
        assert_close(etw_quantile_inplace(v, n, 0.0), s[0], 0, 0);
    }
}

void floor_from_rest_gives_robust_statistics(void **state)
{
    (void)state;
    const float x[] = {5, 1, NAN, 4, 2, 3, INFINITY};
    etw_floor_estimate f;
    assert_int_equal(etw_floor_from_rest(x, 7, &f), ETW_OK);
    assert_close(f.level, 3, 0, 1e-12);
    assert_close(f.mean, 3, 0, 1e-12);
    assert_close(f.sd, sqrt(2.0), 1e-12, 0);
    assert_close(f.mad_sd, ETW_MAD_TO_SD, 1e-12, 0);
    assert_int_equal(f.nsamples, 5);
    assert_int_equal(f.rest_len, 7);
    const float bad[] = {NAN, NAN};
    assert_int_equal(etw_floor_from_rest(bad, 2, &f), ETW_ERR_NONFINITE);
    assert_int_equal(etw_floor_from_rest(x, 0, &f), ETW_ERR_RANGE);
    assert_int_equal(etw_floor_from_rest(NULL, 3, &f), ETW_ERR_NULL);
}

/* |N(0, sd)| envelope-like signal with bursts. */
static void make_envelope(float *x, size_t n, double fs, double floor, double burst_gain,
                          double period_s, double burst_s, etw_test_rng *rng)
{
    for (size_t i = 0; i < n; i++) {
        double t = fmod((double)i / fs, period_s);
        double g = t >= period_s - burst_s ? burst_gain : 1.0;
        x[i] = (float)(floor * g * (1.0 + 0.2 * etw_test_rng_normal(rng)));
    }
}

void floor_auto_finds_the_quiet_windows(void **state)
{
    (void)state;
    enum { N = 20000 };
    static float x[N];
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 22);
    /* 1 kHz, floor 1e-5, bursts of 10x for 0.6 s of every 2 s (30 % active) */
    make_envelope(x, N, 1000.0, 1e-5, 10.0, 2.0, 0.6, &rng);
    etw_floor_estimate f;
    assert_int_equal(etw_floor_auto(x, N, 1000.0, 250.0, 10.0, &f), ETW_OK);
    assert_close(f.level, 1e-5, 0.03, 0);
    assert_close(f.mad_sd, 0.2e-5, 0.15, 0);
    assert_int_equal(f.rest_len, 250);
    assert_true(fmod((double)f.rest_start / 1000.0, 2.0) < 1.4 - 0.25);
    /* taking 90 % of the windows lets bursts in: their mean rises */
    assert_int_equal(etw_floor_auto(x, N, 1000.0, 250.0, 90.0, &f), ETW_OK);
    assert_true(f.mean > 2e-5);
    assert_int_equal(etw_floor_auto(x, 100, 1000.0, 250.0, 10.0, &f), ETW_ERR_RANGE);
    assert_int_equal(etw_floor_auto(x, N, 1000.0, 250.0, 101.0, &f), ETW_ERR_RANGE);
    assert_int_equal(etw_floor_auto(x, N, NAN, 250.0, 10.0, &f), ETW_ERR_NONFINITE);
}

/* Feeds x (1 channel) to the tracker in blocks of `block` and stores the level after each. */
static void track(etw_floor_tracker *t, const float *x, size_t n, size_t block, double *levels)
{
    for (size_t pos = 0; pos < n; pos += block) {
        size_t m = n - pos < block ? n - pos : block;
        const float *in[1] = {x + pos};
        assert_int_equal(etw_floor_tracker_process(t, in, m), ETW_OK);
        double level = NAN;
        (void)etw_floor_tracker_get(t, 0, &level, NULL);
        levels[pos / block] = level;
    }
}

void tracker_ignores_bursts_and_follows_slow_changes(void **state)
{
    (void)state;
    enum { FS = 1000, N = 120 * FS };
    static float x[N];
    static double levels[N / 100 + 1];
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 23);
    /* floor ramps from 1 to 2 over 120 s; 300 ms bursts of 20x every 1.5 s */
    make_envelope(x, N, FS, 1.0, 20.0, 1.5, 0.3, &rng);
    for (size_t i = 0; i < N; i++) {
        x[i] *= (float)(1.0 + (double)i / N);
    }
    etw_floor_tracker_config cfg = etw_floor_tracker_config_default(FS, 1);
    etw_floor_tracker *t = NULL;
    assert_int_equal(etw_floor_tracker_create(&cfg, &t), ETW_OK);
    double level = 0;
    assert_int_equal(etw_floor_tracker_get(t, 0, &level, NULL), ETW_ERR_STATE);
    assert_true(isnan(level));
    track(t, x, N, 100, levels);
    for (size_t k = 50; k < N / 100; k++) {
        double truth = 1.0 + (double)(k * 100) / N;
        /* lags the ramp by about half the horizon (2.5 s of a 120 s ramp: 2 %) */
        assert_close(levels[k], truth, 0.06, 0);
    }
    double spread = 0;
    assert_int_equal(etw_floor_tracker_get(t, 0, &level, &spread), ETW_OK);
    assert_close(spread, 0.2 * 2.0, 0.15, 0);
    etw_floor_tracker_destroy(t);
}

void tracker_relearns_after_a_step_and_honours_freeze(void **state)
{
    (void)state;
    enum { FS = 1000, N = 40 * FS };
    static float x[N];
    static double levels[N / 100];
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 24);
    make_envelope(x, N, FS, 1.0, 1.0, 1.0, 0.0, &rng);
    for (size_t i = 10 * FS; i < N; i++) {
        x[i] *= 4.0f; /* the floor itself steps up at 10 s */
    }
    etw_floor_tracker_config cfg = etw_floor_tracker_config_default(FS, 1);
    etw_floor_tracker *t = NULL;
    assert_int_equal(etw_floor_tracker_create(&cfg, &t), ETW_OK);
    track(t, x, N, 100, levels);
    assert_close(levels[95], 1.0, 0.05, 0);
    assert_close(levels[150], 1.0, 0.05, 0);  /* still gated: 5 s into the step */
    assert_close(levels[399], 4.0, 0.05, 0);  /* re-learnt after 10 s + half the horizon */
    /* freeze: nothing is learnt however the input changes */
    etw_floor_tracker_reset(t);
    assert_int_equal(etw_floor_tracker_seed(t, 0, 2.0, 0.5), ETW_OK);
    assert_int_equal(etw_floor_tracker_set_freeze(t, 0, 1), ETW_OK);
    track(t, x, N, 100, levels);
    double level = 0;
    double spread = 0;
    assert_int_equal(etw_floor_tracker_get(t, 0, &level, &spread), ETW_OK);
    assert_close(level, 2.0, 0, 0);
    assert_close(spread, 0.5, 0, 0);
    assert_int_equal(etw_floor_tracker_set_freeze(t, 0, 0), ETW_OK);
    track(t, x, 10 * FS, 100, levels);
    assert_close(levels[99], 1.0, 0.05, 0);
    etw_floor_tracker_destroy(t);
}

/* The count of learnt windows: one per window end while learning, none while frozen, capped
 * at the horizon, the whole horizon after a seed, zero after a reset. */
void tracker_counts_learnt_windows(void **state)
{
    (void)state;
    enum { FS = 1000, N = 8 * FS };
    static float x[N];
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 25);
    make_envelope(x, N, FS, 1.0, 1.0, 1.0, 0.0, &rng);
    etw_floor_tracker_config cfg = etw_floor_tracker_config_default(FS, 2);
    etw_floor_tracker *t = NULL;
    assert_int_equal(etw_floor_tracker_create(&cfg, &t), ETW_OK);
    size_t horizon = (size_t)(cfg.horizon_s * 1000.0 / cfg.window_ms + 0.5);
    size_t n = 0;
    assert_int_equal(etw_floor_tracker_learnt(t, 0, &n), ETW_OK);
    assert_int_equal(n, 0);
    assert_int_equal(etw_floor_tracker_set_freeze(t, 1, 1), ETW_OK);
    const float *in[2] = {x, x};
    assert_int_equal(etw_floor_tracker_process(t, in, 1050), ETW_OK); /* 10 windows end */
    assert_int_equal(etw_floor_tracker_learnt(t, 0, &n), ETW_OK);
    assert_int_equal(n, 10);
    assert_int_equal(etw_floor_tracker_learnt(t, 1, &n), ETW_OK);
    assert_int_equal(n, 0); /* frozen */
    in[0] = in[1] = x + 1050;
    assert_int_equal(etw_floor_tracker_process(t, in, N - 1050), ETW_OK);
    assert_int_equal(etw_floor_tracker_learnt(t, 0, &n), ETW_OK);
    assert_int_equal(n, horizon); /* 80 windows ended, the horizon holds 50 */
    assert_int_equal(etw_floor_tracker_seed(t, 1, 2.0, 0.5), ETW_OK);
    assert_int_equal(etw_floor_tracker_learnt(t, 1, &n), ETW_OK);
    assert_int_equal(n, horizon);
    etw_floor_tracker_reset(t);
    assert_int_equal(etw_floor_tracker_learnt(t, 0, &n), ETW_OK);
    assert_int_equal(n, 0);
    assert_int_equal(etw_floor_tracker_learnt(t, 2, &n), ETW_ERR_RANGE);
    assert_int_equal(etw_floor_tracker_learnt(t, 0, NULL), ETW_ERR_NULL);
    assert_int_equal(etw_floor_tracker_learnt(NULL, 0, &n), ETW_ERR_NULL);
    etw_floor_tracker_destroy(t);
}

void tracker_is_block_invariant_and_ignores_nonfinite(void **state)
{
    (void)state;
    enum { FS = 2000, N = 12 * FS, NCH = 2, CHUNK = 150 };
    static float x[NCH][N];
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 25);
    for (size_t c = 0; c < NCH; c++) {
        make_envelope(x[c], N, FS, 1.0 + (double)c, 8.0, 0.9, 0.2, &rng);
    }
    for (size_t i = 3000; i < 3100; i++) {
        x[1][i] = NAN; /* a short gap in channel 1 */
    }
    for (size_t i = 6000; i < 6200; i++) {
        x[0][i] = INFINITY; /* a whole window in channel 0 */
    }
    etw_floor_tracker_config cfg = etw_floor_tracker_config_default(FS, NCH);
    cfg.window_ms = 53.0;
    etw_floor_tracker *ref = NULL;
    etw_floor_tracker *t = NULL;
    assert_int_equal(etw_floor_tracker_create(&cfg, &ref), ETW_OK);
    assert_int_equal(etw_floor_tracker_create(&cfg, &t), ETW_OK);
    for (size_t pos = 0; pos < N; pos += CHUNK) {
        const float *in[NCH] = {x[0] + pos, x[1] + pos};
        assert_int_equal(etw_floor_tracker_process(ref, in, CHUNK), ETW_OK);
        size_t done = 0;
        while (done < CHUNK) {
            size_t r = etw_test_rng_below(&rng, 3);
            size_t m = r == 0 ? 0 : r == 1 ? 1 : etw_test_rng_below(&rng, CHUNK);
            m = m > CHUNK - done ? CHUNK - done : m;
            const float *part[NCH] = {x[0] + pos + done, x[1] + pos + done};
            assert_int_equal(etw_floor_tracker_process(t, part, m), ETW_OK);
            done += m;
        }
        for (size_t c = 0; c < NCH; c++) {
            double a[2];
            double b[2];
            etw_status sa = etw_floor_tracker_get(ref, c, &a[0], &a[1]);
            etw_status sb = etw_floor_tracker_get(t, c, &b[0], &b[1]);
            assert_int_equal(sa, sb);
            assert_memory_equal(a, b, sizeof a);
            if (pos > FS) {
                assert_true(isfinite(a[0]) && isfinite(a[1]));
                assert_close(a[0], 1.0 + (double)c, 0.1, 0);
            }
        }
    }
    etw_floor_tracker_destroy(ref);
    etw_floor_tracker_destroy(t);
}

static int tracker_attempt(void *ctx)
{
    (void)ctx;
    etw_floor_tracker_config cfg = etw_floor_tracker_config_default(1000.0, 4);
    etw_floor_tracker *t = NULL;
    etw_status st = etw_floor_tracker_create(&cfg, &t);
    if (st != ETW_OK) {
        assert_int_equal(st, ETW_ERR_NOMEM);
        assert_null(t);
        return 0;
    }
    etw_floor_tracker_destroy(t);
    return 1;
}

static int floor_auto_attempt(void *ctx)
{
    (void)ctx;
    static const float x[40] = {1, 2, 3};
    etw_floor_estimate f;
    etw_status st = etw_floor_auto(x, 40, 1000.0, 10.0, 50.0, &f);
    if (st == ETW_OK) {
        st = etw_floor_from_rest(x, 40, &f);
    }
    if (st != ETW_OK) {
        assert_int_equal(st, ETW_ERR_NOMEM);
        return 0;
    }
    return 1;
}

void floor_api_contract(void **state)
{
    (void)state;
    etw_floor_tracker_config cfg = etw_floor_tracker_config_default(1000.0, 2);
    etw_floor_tracker *t = (etw_floor_tracker *)&t;
    assert_int_equal(etw_floor_tracker_create(NULL, &t), ETW_ERR_NULL);
    assert_null(t);
    assert_int_equal(etw_floor_tracker_create(&cfg, NULL), ETW_ERR_NULL);
    etw_floor_tracker_config c = cfg;
    c.horizon_s = 0.05;
    assert_int_equal(etw_floor_tracker_create(&c, &t), ETW_ERR_RANGE);
    c = cfg;
    c.percentile = -1;
    assert_int_equal(etw_floor_tracker_create(&c, &t), ETW_ERR_RANGE);
    c = cfg;
    c.nch = 0;
    assert_int_equal(etw_floor_tracker_create(&c, &t), ETW_ERR_RANGE);
    c = cfg;
    c.gate_ratio = NAN;
    assert_int_equal(etw_floor_tracker_create(&c, &t), ETW_ERR_NONFINITE);
    c = cfg;
    c.window_ms = 1e-3;
    c.horizon_s = 1e4;
    assert_int_equal(etw_floor_tracker_create(&c, &t), ETW_ERR_OVERFLOW);
    assert_int_equal(etw_floor_tracker_create(&cfg, &t), ETW_OK);
    float z[3] = {0};
    const float *in[2] = {z, NULL};
    assert_int_equal(etw_floor_tracker_process(t, in, 3), ETW_ERR_NULL);
    assert_int_equal(etw_floor_tracker_process(t, in, 0), ETW_OK);
    assert_int_equal(etw_floor_tracker_process(NULL, in, 3), ETW_ERR_NULL);
    assert_int_equal(etw_floor_tracker_set_freeze(t, 2, 1), ETW_ERR_RANGE);
    assert_int_equal(etw_floor_tracker_set_freeze(NULL, 0, 1), ETW_ERR_NULL);
    assert_int_equal(etw_floor_tracker_seed(t, 0, -1.0, 0.0), ETW_ERR_RANGE);
    assert_int_equal(etw_floor_tracker_seed(t, 0, NAN, 0.0), ETW_ERR_NONFINITE);
    assert_int_equal(etw_floor_tracker_seed(t, 5, 1.0, 0.0), ETW_ERR_RANGE);
    assert_int_equal(etw_floor_tracker_seed(NULL, 0, 1.0, 0.0), ETW_ERR_NULL);
    assert_int_equal(etw_floor_tracker_get(t, 2, NULL, NULL), ETW_ERR_RANGE);
    assert_int_equal(etw_floor_tracker_get(NULL, 0, NULL, NULL), ETW_ERR_NULL);
    etw_floor_tracker_destroy(t);
    etw_floor_tracker_destroy(NULL);
    etw_floor_tracker_reset(NULL);
    etw_failalloc_sweep(tracker_attempt, NULL);
    etw_failalloc_sweep(floor_auto_attempt, NULL);
}
