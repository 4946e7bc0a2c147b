/* Onset detectors: mask post-processing, parameters by name, windows and epochs, accuracy
 * bounds on synthetic bursts (the documented ones, same seeds as bench_segmentation), real
 * recordings, API contract. */
#include "etw_test.h"
#include "etw_test_io.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emgtwitch/emgtwitch.h"
#include "onset_eval.h"
#include "segment/activity.h"
#include "test_segment.h"

void mask_postprocessing(void **state)
{
    (void)state;
    /*                 0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 */
    uint8_t m[15] = {0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0};
    etw_mask_fill_gaps(m, 15, 2);
    const uint8_t filled[15] = {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0};
    assert_memory_equal(m, filled, 15);
    etw_mask_keep_lengths(m, 15, 2, 0);
    const uint8_t kept[15] = {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0};
    assert_memory_equal(m, kept, 15);
    etw_mask_keep_lengths(m, 15, 1, 8);
    assert_memory_equal(m, (uint8_t[15]){0}, 15);
    /* leading and trailing gaps are not filled */
    uint8_t e[5] = {0, 1, 0, 1, 0};
    etw_mask_fill_gaps(e, 5, 10);
    assert_memory_equal(e, ((uint8_t[5]){0, 1, 1, 1, 0}), 5);
    const float y[5] = {0, 2, -3, 1, 0};
    etw_segment s[1];
    size_t count = 0;
    assert_int_equal(etw_mask_to_segments(e, y, 5, 1000.0, 1.0, -100.0, s, 1, &count), ETW_OK);
    assert_int_equal(count, 1);
    assert_int_equal(s[0].onset, 1);
    assert_int_equal(s[0].offset, 4);
    assert_close(s[0].offset_s, 0.004, 1e-12, 0);
    assert_close(s[0].peak, 3.0, 0, 0);
    assert_close(s[0].snr_db, 10 * log10(14.0 / 3.0), 1e-12, 0);
    assert_int_equal(etw_mask_to_segments(e, y, 5, 1000.0, 1.0, 7.0, s, 1, &count), ETW_OK);
    assert_int_equal(count, 0);
    assert_int_equal(etw_mask_to_segments(e, y, 5, 1000.0, 1.0, 0.0, s, 0, &count),
                     ETW_ERR_CAPACITY);
    assert_int_equal(count, 1);
}

void onset_parameters_by_name(void **state)
{
    (void)state;
    for (int m = 0; m < ETW_ONSET_NMETHODS; m++) {
        etw_onset_method back;
        assert_int_equal(etw_onset_method_from_name(etw_onset_method_name((etw_onset_method)m),
                                                    &back),
                         ETW_OK);
        assert_int_equal(back, m);
    }
    etw_onset_method back;
    assert_int_equal(etw_onset_method_from_name("aglr", &back), ETW_ERR_NOT_FOUND);
    assert_string_equal(etw_onset_method_name((etw_onset_method)99), "unknown");
    etw_onset_config c = etw_onset_config_default(ETW_ONSET_BONATO, 1000.0);
    const char *const *names = etw_onset_config_names();
    size_t k = 0;
    for (; names[k] != NULL; k++) {
        double v = -1;
        assert_int_equal(etw_onset_config_get(&c, names[k], &v), ETW_OK);
        assert_int_equal(etw_onset_config_set(&c, names[k], v + 2.0), ETW_OK);
        double w = 0;
        assert_int_equal(etw_onset_config_get(&c, names[k], &w), ETW_OK);
        assert_close(w, v + 2.0, 0, 0);
    }
    assert_int_equal(k, 19);
    assert_int_equal(c.bonato_m, 7);
    assert_close(c.k_sd, 5.0, 0, 0);
    assert_int_equal(etw_onset_config_set(&c, "bonato_r0", 2.6), ETW_OK);
    assert_int_equal(c.bonato_r0, 3);
    assert_int_equal(etw_onset_config_set(&c, "method", 1), ETW_ERR_NOT_FOUND);
    assert_int_equal(etw_onset_config_set(&c, "k_sd", NAN), ETW_ERR_NONFINITE);
    assert_int_equal(etw_onset_config_set(NULL, "k_sd", 1), ETW_ERR_NULL);
    double v;
    assert_int_equal(etw_onset_config_get(&c, "nope", &v), ETW_ERR_NOT_FOUND);
}

void windows_and_epochs(void **state)
{
    (void)state;
    etw_span w[8];
    size_t count = 0;
    /* 1 s at 1 kHz, 300 ms windows every 250 ms: starts 0, 250, 500 (750 + 300 > 1000) */
    assert_int_equal(etw_windows_fixed(1000, 1000.0, 300.0, 250.0, w, 8, &count), ETW_OK);
    assert_int_equal(count, 3);
    assert_int_equal(w[2].start, 500);
    assert_int_equal(w[2].stop, 800);
    assert_int_equal(etw_windows_fixed(1000, 1000.0, 300.0, 250.0, w, 2, &count), ETW_ERR_SIZE);
    assert_int_equal(count, 3);
    assert_int_equal(etw_windows_fixed(1000, 1000.0, 300.0, 250.0, NULL, 0, &count),
                     ETW_ERR_SIZE);
    assert_int_equal(etw_windows_fixed(100, 1000.0, 300.0, 250.0, NULL, 0, &count), ETW_OK);
    assert_int_equal(count, 0);
    assert_int_equal(etw_windows_fixed(1000, 1000.0, 0.0, 250.0, w, 8, &count), ETW_ERR_RANGE);
    assert_int_equal(etw_windows_fixed(1000, NAN, 10.0, 250.0, w, 8, &count),
                     ETW_ERR_NONFINITE);
    const int64_t markers[3] = {100, 5000, 9990};
    assert_int_equal(etw_epochs(markers, 3, 2000.0, 50.0, 200.0, w), ETW_OK);
    assert_int_equal(w[0].start, 0);
    assert_int_equal(w[0].stop, 500);
    assert_int_equal(w[2].start, 9890);
    assert_int_equal(w[2].stop, 10390);
    assert_int_equal(etw_epochs(markers, 3, 2000.0, -10.0, 30.0, w), ETW_OK);
    assert_int_equal(w[1].start, 5020);
    assert_int_equal(w[1].stop, 5060);
    assert_int_equal(etw_epochs(markers, 3, 2000.0, -30.0, 30.0, w), ETW_ERR_RANGE);
    assert_int_equal(etw_epochs(NULL, 3, 2000.0, 30.0, 30.0, w), ETW_ERR_NULL);
    assert_int_equal(etw_epochs(NULL, 0, 2000.0, 30.0, 30.0, NULL), ETW_OK);
}

/* The bounds documented in docs/segmentation.md for SNR >= 10 dB, with the seeds and record
 * count of bench_segmentation (so the measured numbers are exactly the table's). */
void detectors_meet_documented_bounds(void **state)
{
    (void)state;
    for (int m = 0; m < ETW_ONSET_NMETHODS; m++) {
        etw_onset_config c = etw_onset_config_default((etw_onset_method)m, ONSET_EVAL_FS);
        for (int snr = 10; snr <= 20; snr += 10) {
            onset_quality q;
            assert_int_equal(onset_evaluate(&c, snr, 1000, 25, &q), ETW_OK);
            printf("# %-8s %2d dB: detected %.2f, %.1f false/min, bias %+.1f ms, SD %.1f ms\n",
                   etw_onset_method_name(c.method), snr, q.detection_rate, q.false_per_min,
                   q.bias_ms, q.sd_ms);
            assert_int_equal(q.nbursts, 100);
            assert_true(q.detection_rate >= 0.98);
            assert_true(q.false_per_min <= 3.0);
            assert_true(fabs(q.bias_ms) <= 15.0);
            assert_true(q.sd_ms <= 15.0);
        }
    }
}

/* Settings for voluntary contractions (docs/segmentation.md): merge pieces closer than
 * 200 ms, keep periods of at least 300 ms that are at least 10 dB above rest. */
static etw_onset_config contraction_config(etw_onset_method m)
{
    etw_onset_config c = etw_onset_config_default(m, 1000.0);
    c.merge_gap_ms = 200.0;
    c.min_duration_ms = 300.0;
    c.min_snr_db = 10.0;
    c.cusum_ratio_db = 15.0;
    return c;
}

void detectors_on_real_recordings(void **state)
{
    (void)state;
    etw_test_recording r;
    if (!etw_test_load_shared("bsnb_biceps_bursts/emg_bursts_adc.csv", 1000.0, 0, &r)) {
        skip();
    }
    assert_int_equal(r.nch, 1);
    assert_int_equal(r.n, 28519);
    const float *x = r.x[0];
    size_t n = r.n;
    /* burst centres from the dataset's notes (SOURCE.txt), in s */
    const double centre[9] = {2.0, 5.0, 8.5, 12.0, 15.0, 17.75, 20.75, 23.75, 27.0};
    etw_segment s[32];
    size_t count = 0;
    for (int m = 0; m < ETW_ONSET_NMETHODS; m++) {
        etw_onset_config c = contraction_config((etw_onset_method)m);
        assert_int_equal(etw_onset_detect(&c, x, n, s, 32, &count), ETW_OK);
        printf("# %s: %zu periods on bsnb_biceps_bursts\n", etw_onset_method_name(c.method),
               count);
        assert_int_equal(count, 9);
        for (size_t k = 0; k < 9; k++) {
            assert_true(s[k].onset_s < centre[k] && s[k].offset_s > centre[k]);
        }
    }
    etw_test_recording_free(&r);
    assert_true(etw_test_load_shared("biosppy_bitalino/emg.txt", 0.0, 0, &r));
    assert_int_equal(r.nch, 1);
    assert_int_equal(r.n, 100000);
    x = r.x[0];
    n = r.n;
    for (int m = 0; m < ETW_ONSET_NMETHODS; m++) {
        etw_onset_config c = contraction_config((etw_onset_method)m);
        assert_int_equal(etw_onset_detect(&c, x, n, s, 32, &count), ETW_OK);
        assert_int_equal(count, 0);
    }
    etw_test_recording_free(&r);
}

static int detect_attempt(void *ctx)
{
    const float *x = ctx;
    size_t count = 0;
    etw_onset_config c = etw_onset_config_default(ETW_ONSET_TKEO, 1000.0);
    etw_status st = etw_onset_detect(&c, x, 2000, NULL, 0, &count);
    if (st != ETW_OK && st != ETW_ERR_CAPACITY) {
        assert_int_equal(st, ETW_ERR_NOMEM);
        return 0;
    }
    return 1;
}

void onset_api_contract(void **state)
{
    (void)state;
    static float x[3000];
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 41);
    for (size_t i = 0; i < 3000; i++) {
        x[i] = (float)etw_test_rng_normal(&rng);
    }
    etw_onset_config c = etw_onset_config_default(ETW_ONSET_HODGES, 1000.0);
    etw_segment s[4];
    size_t count = 99;
    assert_int_equal(etw_onset_detect(NULL, x, 3000, s, 4, &count), ETW_ERR_NULL);
    assert_int_equal(etw_onset_detect(&c, x, 3000, NULL, 4, &count), ETW_ERR_NULL);
    assert_int_equal(etw_onset_detect(&c, x, 999, s, 4, &count), ETW_ERR_RANGE);
    etw_onset_config b = c;
    b.bandpass_lo_hz = 600.0;
    assert_int_equal(etw_onset_detect(&b, x, 3000, s, 4, &count), ETW_ERR_NYQUIST);
    b = c;
    b.bandpass_lo_hz = 460.0; /* above the 0.45 fs cap of the upper edge */
    assert_int_equal(etw_onset_detect(&b, x, 3000, s, 4, &count), ETW_ERR_RANGE);
    b = c;
    b.bonato_r0 = 6;
    assert_int_equal(etw_onset_detect(&b, x, 3000, s, 4, &count), ETW_ERR_RANGE);
    b = c;
    b.method = (etw_onset_method)7;
    assert_int_equal(etw_onset_detect(&b, x, 3000, s, 4, &count), ETW_ERR_RANGE);
    b = c;
    b.k_sd = INFINITY;
    assert_int_equal(etw_onset_detect(&b, x, 3000, s, 4, &count), ETW_ERR_NONFINITE);
    b = c;
    b.rest_start_s = 2.5;
    b.rest_len_s = 1.0; /* ends after the signal */
    assert_int_equal(etw_onset_detect(&b, x, 3000, s, 4, &count), ETW_ERR_RANGE);
    b.rest_start_s = 0.0;
    b.bandpass_lo_hz = 0.0;
    assert_int_equal(etw_onset_detect(&b, x, 3000, s, 4, &count), ETW_OK);
    assert_int_equal(count, 0);
    static float flat[3000];
    assert_int_equal(etw_onset_detect(&b, flat, 3000, s, 4, &count), ETW_ERR_STATE);
    x[5] = NAN;
    assert_int_equal(etw_onset_detect(&c, x, 3000, s, 4, &count), ETW_ERR_NONFINITE);
    x[5] = 0.0f;
    /* a loud burst with no room for it is reported and counted */
    for (size_t i = 1500; i < 1800; i++) {
        x[i] *= 30.0f;
    }
    for (int m = 0; m < ETW_ONSET_NMETHODS; m++) {
        c = etw_onset_config_default((etw_onset_method)m, 1000.0);
        assert_int_equal(etw_onset_detect(&c, x, 3000, NULL, 0, &count), ETW_ERR_CAPACITY);
        assert_true(count >= 1);
        assert_int_equal(etw_onset_detect(&c, x, 3000, s, 4, &count), ETW_OK);
        assert_int_equal(count, 1);
        assert_close((double)s[0].onset, 1500.0, 0, 30.0);
        assert_close((double)s[0].offset, 1800.0, 0, 30.0);
        assert_true(s[0].snr_db > 25.0);
    }
    etw_failalloc_sweep(detect_attempt, x);
}
