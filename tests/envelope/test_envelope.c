/* Envelopes: values against direct formulas, block invariance, NaN policy, API contract,
 * allocation failures. The 24-hour drift test is in test_envelope_long.c. */
#include "etw_test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "emgtwitch/emgtwitch.h"

void envelope_rms_exact_over_24h(void **state);
void envelope_rms_channels_match_single_channel_runs(void **state);

#define PI 3.14159265358979323846
#define PI 3.14159265358979323846
#define NCH 3
#define LEN 3000
#define FS 2000.0

static float g_in[NCH][LEN];

static void fill_input(uint64_t seed)
{
    etw_test_rng rng;
    etw_test_rng_seed(&rng, seed);
    for (size_t c = 0; c < NCH; c++) {
        for (size_t i = 0; i < LEN; i++) {
            double burst = (i > 1000 && i < 1600) ? 20.0 : 1.0;
            g_in[c][i] = (float)(1e-4 * (double)(c + 1) * burst * etw_test_rng_normal(&rng));
        }
    }
}

/* Runs the object over [0, LEN) in blocks of the given sizes (cycled). */
static void run_blocks(etw_envelope *e, const size_t *sizes, size_t nsizes, float out[NCH][LEN])
{
    size_t pos = 0;
    size_t k = 0;
    while (pos < LEN) {
        size_t n = sizes[k++ % nsizes];
        if (n > LEN - pos) {
            n = LEN - pos;
        }
        const float *in[NCH];
        float *o[NCH];
        for (size_t c = 0; c < NCH; c++) {
            in[c] = g_in[c] + pos;
            o[c] = out[c] + pos;
        }
        assert_int_equal(etw_envelope_process(e, in, o, n), ETW_OK);
        pos += n;
    }
}

static float g_out[NCH][LEN];
static float g_ref[NCH][LEN];

static void compute_whole(const etw_envelope_config *cfg, float out[NCH][LEN])
{
    const float *in[NCH];
    float *o[NCH];
    for (size_t c = 0; c < NCH; c++) {
        in[c] = g_in[c];
        o[c] = out[c];
    }
    assert_int_equal(etw_envelope_compute(cfg, in, o, LEN), ETW_OK);
}

static double sample(size_t c, long i)
{
    return i < 0 ? 0.0 : (double)g_in[c][i];
}

static void values_match_direct_formulas(void **state)
{
    (void)state;
    fill_input(11);
    etw_envelope_config cfg = etw_envelope_config_default(ETW_ENV_RMS, FS, NCH);
    cfg.window_ms = 5.0; /* 10 samples */
    assert_int_equal(etw_envelope_window_samples(&cfg), 10);
    etw_envelope_kind kinds[] = {ETW_ENV_RECTIFY, ETW_ENV_ARV, ETW_ENV_RMS, ETW_ENV_TKEO};
    for (size_t k = 0; k < 4; k++) {
        cfg.kind = kinds[k];
        compute_whole(&cfg, g_out);
        for (size_t c = 0; c < NCH; c++) {
            for (long i = 0; i < LEN; i++) {
                double ref = 0.0;
                switch (cfg.kind) {
                case ETW_ENV_RECTIFY:
                    ref = fabs(sample(c, i));
                    break;
                case ETW_ENV_ARV:
                    for (long j = i - 9; j <= i; j++) {
                        ref += fabs(sample(c, j)) / 10.0;
                    }
                    break;
                case ETW_ENV_RMS:
                    for (long j = i - 9; j <= i; j++) {
                        ref += sample(c, j) * sample(c, j) / 10.0;
                    }
                    ref = sqrt(ref);
                    break;
                default: /* TKEO, one sample late */
                    ref = sample(c, i - 1) * sample(c, i - 1) - sample(c, i - 2) * sample(c, i);
                    break;
                }
                assert_close(g_out[c][i], ref, 1e-6, 1e-12 * 1e-8);
            }
        }
    }
}

static void latency_is_reported(void **state)
{
    (void)state;
    etw_envelope_config cfg = etw_envelope_config_default(ETW_ENV_RMS, 1000.0, 1);
    cfg.window_ms = 21.0;
    etw_envelope *e = NULL;
    assert_int_equal(etw_envelope_create(&cfg, &e), ETW_OK);
    assert_close(etw_envelope_get_latency(e), 10.0, 0, 1e-12);
    etw_envelope_destroy(e);
    cfg.kind = ETW_ENV_TKEO;
    assert_int_equal(etw_envelope_create(&cfg, &e), ETW_OK);
    assert_close(etw_envelope_get_latency(e), 1.0, 0, 1e-12);
    etw_envelope_destroy(e);
    cfg.kind = ETW_ENV_LINEAR;
    assert_int_equal(etw_envelope_create(&cfg, &e), ETW_OK);
    /* An N-th order Butterworth's DC group delay is sum_k sin((2k-1)pi/2N) / (2 pi fc):
     * 69.3 ms at 6 Hz for N = 4 (analog prototype; the bilinear transform changes it
     * negligibly at 6 Hz). */
    double analog = 2.0 * (sin(PI / 8) + sin(3 * PI / 8)) / (2 * PI * 6.0);
    assert_close(etw_envelope_get_latency(e), analog * 1000.0, 0.01, 0);
    etw_envelope_destroy(e);
    assert_close(etw_envelope_get_latency(NULL), 0.0, 0, 0);
}

static void linear_envelope_of_a_sine_settles_at_its_mean_rectified_value(void **state)
{
    (void)state;
    enum { N = 8000 };
    static float x[N];
    static float y[N];
    for (size_t i = 0; i < N; i++) {
        x[i] = (float)(0.002 * sin(2 * PI * 100.0 * (double)i / 2000.0));
    }
    etw_envelope_config cfg = etw_envelope_config_default(ETW_ENV_LINEAR, 2000.0, 1);
    const float *in[1] = {x};
    float *out[1] = {y};
    assert_int_equal(etw_envelope_compute(&cfg, in, out, N), ETW_OK);
    /* The mean of |A sin| sampled 20 times a period is A cot(pi/20) / 10 (2A/pi - 0.8 %);
     * the 200 Hz ripple is attenuated by > 100 dB at 6 Hz. */
    for (size_t i = N - 1000; i < N; i++) {
        assert_close(y[i], 0.002 * cos(PI / 20) / sin(PI / 20) / 10.0, 1e-4, 0);
    }
}

static void output_is_independent_of_block_partition(void **state)
{
    (void)state;
    fill_input(12);
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 13);
    etw_envelope_kind kinds[] = {ETW_ENV_RECTIFY, ETW_ENV_ARV, ETW_ENV_RMS, ETW_ENV_TKEO,
                                 ETW_ENV_LINEAR};
    for (size_t k = 0; k < 5; k++) {
        etw_envelope_config cfg = etw_envelope_config_default(kinds[k], FS, NCH);
        cfg.window_ms = 7.3;
        compute_whole(&cfg, g_ref);
        for (int trial = 0; trial < 4; trial++) {
            size_t sizes[64];
            for (size_t i = 0; i < 64; i++) {
                sizes[i] = etw_test_rng_block(&rng, 700);
            }
            etw_envelope *e = NULL;
            assert_int_equal(etw_envelope_create(&cfg, &e), ETW_OK);
            run_blocks(e, sizes, 64, g_out);
            assert_memory_equal(g_out, g_ref, sizeof g_out);
            /* reset gives the same again */
            etw_envelope_reset(e);
            size_t one = LEN;
            run_blocks(e, &one, 1, g_out);
            assert_memory_equal(g_out, g_ref, sizeof g_out);
            etw_envelope_destroy(e);
        }
    }
}

static void nonfinite_input_spoils_only_dependent_outputs(void **state)
{
    (void)state;
    fill_input(14);
    const size_t bad = 1234;
    etw_envelope_kind kinds[] = {ETW_ENV_RECTIFY, ETW_ENV_ARV, ETW_ENV_RMS, ETW_ENV_TKEO,
                                 ETW_ENV_LINEAR};
    const float poison[] = {NAN, INFINITY, -INFINITY};
    for (size_t k = 0; k < 5; k++) {
        for (size_t p = 0; p < 3; p++) {
            etw_envelope_config cfg = etw_envelope_config_default(kinds[k], FS, NCH);
            cfg.window_ms = 10.0; /* 20 samples */
            size_t first = bad;
            size_t last = bad; /* outputs [first, last] are NaN */
            if (kinds[k] == ETW_ENV_ARV || kinds[k] == ETW_ENV_RMS) {
                last = bad + 19;
            } else if (kinds[k] == ETW_ENV_TKEO) {
                last = bad + 2;
            }
            g_in[1][bad] = 0.0f;
            compute_whole(&cfg, g_ref);
            g_in[1][bad] = poison[p];
            compute_whole(&cfg, g_out);
            for (size_t c = 0; c < NCH; c++) {
                for (size_t i = 0; i < LEN; i++) {
                    if (c == 1 && i >= first && i <= last) {
                        assert_true(isnan(g_out[c][i]));
                    } else if (c == 1 && i > last && kinds[k] != ETW_ENV_LINEAR) {
                        /* exact recovery up to the running-sum rounding */
                        assert_close(g_out[c][i], g_ref[c][i], 1e-6, 1e-12);
                    } else {
                        assert_true(g_out[c][i] == g_ref[c][i]);
                    }
                }
            }
        }
    }
}

static void bad_arguments_are_rejected(void **state)
{
    (void)state;
    etw_envelope *e = (etw_envelope *)&e;
    etw_envelope_config cfg = etw_envelope_config_default(ETW_ENV_RMS, FS, 2);
    assert_int_equal(etw_envelope_create(NULL, &e), ETW_ERR_NULL);
    assert_null(e);
    assert_int_equal(etw_envelope_create(&cfg, NULL), ETW_ERR_NULL);
    etw_envelope_config c = cfg;
    c.fs_hz = 0;
    assert_int_equal(etw_envelope_create(&c, &e), ETW_ERR_RANGE);
    c = cfg;
    c.fs_hz = NAN;
    assert_int_equal(etw_envelope_create(&c, &e), ETW_ERR_NONFINITE);
    c = cfg;
    c.nch = 0;
    assert_int_equal(etw_envelope_create(&c, &e), ETW_ERR_RANGE);
    c = cfg;
    c.nch = 4097;
    assert_int_equal(etw_envelope_create(&c, &e), ETW_ERR_RANGE);
    c = cfg;
    c.window_ms = 0;
    assert_int_equal(etw_envelope_create(&c, &e), ETW_ERR_RANGE);
    assert_int_equal(etw_envelope_window_samples(&c), 0);
    c.window_ms = 1e12;
    assert_int_equal(etw_envelope_create(&c, &e), ETW_ERR_OVERFLOW);
    c = cfg;
    c.kind = (etw_envelope_kind)99;
    assert_int_equal(etw_envelope_create(&c, &e), ETW_ERR_RANGE);
    c = cfg;
    c.kind = ETW_ENV_LINEAR;
    c.lowpass_hz = FS / 2;
    assert_int_equal(etw_envelope_create(&c, &e), ETW_ERR_NYQUIST);
    c.lowpass_hz = 10;
    c.lowpass_order = 9;
    assert_int_equal(etw_envelope_create(&c, &e), ETW_ERR_RANGE);
    assert_null(e);
    /* a window shorter than one sample is one sample */
    c = cfg;
    c.window_ms = 0.1;
    assert_int_equal(etw_envelope_window_samples(&c), 1);
    assert_int_equal(etw_envelope_create(&cfg, &e), ETW_OK);
    float x[4] = {0};
    const float *in[2] = {x, NULL};
    float *out[2] = {x, x};
    assert_int_equal(etw_envelope_process(e, in, out, 4), ETW_ERR_NULL);
    assert_int_equal(etw_envelope_process(e, in, out, 0), ETW_OK);
    assert_int_equal(etw_envelope_process(NULL, in, out, 4), ETW_ERR_NULL);
    assert_int_equal(etw_envelope_process(e, NULL, out, 4), ETW_ERR_NULL);
    etw_envelope_destroy(e);
    etw_envelope_destroy(NULL);
    etw_envelope_reset(NULL);
}

static int create_attempt(void *ctx)
{
    const etw_envelope_config *cfg = ctx;
    etw_envelope *e = NULL;
    etw_status st = etw_envelope_create(cfg, &e);
    if (st != ETW_OK) {
        assert_int_equal(st, ETW_ERR_NOMEM);
        assert_null(e);
        return 0;
    }
    etw_envelope_destroy(e);
    return 1;
}

static void allocation_failures_are_reported(void **state)
{
    (void)state;
    etw_envelope_kind kinds[] = {ETW_ENV_ARV, ETW_ENV_TKEO, ETW_ENV_LINEAR, ETW_ENV_RECTIFY};
    for (size_t k = 0; k < 4; k++) {
        etw_envelope_config cfg = etw_envelope_config_default(kinds[k], FS, NCH);
        etw_failalloc_sweep(create_attempt, &cfg);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(values_match_direct_formulas),
        cmocka_unit_test(latency_is_reported),
        cmocka_unit_test(linear_envelope_of_a_sine_settles_at_its_mean_rectified_value),
        cmocka_unit_test(output_is_independent_of_block_partition),
        cmocka_unit_test(nonfinite_input_spoils_only_dependent_outputs),
        cmocka_unit_test(bad_arguments_are_rejected),
        cmocka_unit_test(allocation_failures_are_reported),
        cmocka_unit_test(envelope_rms_exact_over_24h),
        cmocka_unit_test(envelope_rms_channels_match_single_channel_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
