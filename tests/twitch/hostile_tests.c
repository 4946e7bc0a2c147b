/* Hostile input: silence, DC, non-finite runs, clipping, spikes, steps, sample rates from
 * 500 Hz to 10 kHz and a periodic QRS-like train. No crash, no flood of false events. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "emgtwitch/twitch.h"
#include "etw_test.h"
#include "signals.h"
#include "twitch_tests.h"

#define MAXEV 128

/* QRS-like complexes of hostile_periodic_qrs_like: noise low-passed twice at 60 Hz (mean
 * frequency 50-100 Hz after the band-pass), 100 noise RMS at their peak */
#define QRS_CORNER_HZ 60.0
#define QRS_AMP 1e-4

static size_t detect1(double fs, const float *x, size_t n, etw_twitch_event *ev)
{
    etw_twitch_config cfg;
    assert_int_equal(etw_twitch_config_default(fs, 1, &cfg), ETW_OK);
    size_t k = 0;
    const float *in[1] = {x};
    assert_int_equal(etw_twitch_detect(&cfg, in, n, ev, MAXEV, &k), ETW_OK);
    return k;
}

static size_t twitches_near(const etw_twitch_event *ev, size_t k, double t, double tol)
{
    size_t m = 0;
    for (size_t i = 0; i < k; i++) {
        m += (ev[i].flags & ETW_TWITCH_FLAG_TWITCH) && fabs(ev[i].onset_s - t) <= tol;
    }
    return m;
}

void hostile_silence_and_dc(void **state)
{
    (void)state;
    const double fs = 1000.0;
    size_t n = (size_t)(10 * fs);
    float *x = calloc(n, sizeof *x);
    etw_twitch_event ev[MAXEV];
    assert_int_equal(detect1(fs, x, n, ev), 0); /* digital silence */
    for (size_t i = 0; i < n; i++) {
        x[i] = 1.5f;
    }
    assert_int_equal(detect1(fs, x, n, ev), 0); /* constant offset */
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 21);
    sig_noise(&rng, x, n, 1e-6);
    for (size_t i = n / 2; i < n; i++) {
        x[i] += 2e-4f; /* DC step of 200 noise RMS */
    }
    for (size_t i = n / 4; i < n; i++) {
        x[i] += 1.0f; /* then a large offset step */
    }
    assert_int_equal(detect1(fs, x, n, ev), 0);
    free(x);
}

void hostile_nonfinite_runs(void **state)
{
    (void)state;
    const double fs = 2000.0;
    size_t n = (size_t)(16 * fs);
    float *x = calloc(n, sizeof *x);
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 22);
    sig_noise(&rng, x, n, 1e-6);
    sig_burst(&rng, x, n, fs, 3.0, 0.05, 1e-5);
    sig_burst(&rng, x, n, fs, 12.0, 0.05, 1e-5);
    /* NaN run, isolated Inf, -Inf run, a NaN inside a burst at 8 s */
    for (size_t i = (size_t)(5 * fs); i < (size_t)(5.5 * fs); i++) {
        x[i] = NAN;
    }
    x[(size_t)(6.5 * fs)] = INFINITY;
    for (size_t i = (size_t)(7 * fs); i < (size_t)(7.01 * fs); i++) {
        x[i] = -INFINITY;
    }
    sig_burst(&rng, x, n, fs, 8.0, 0.1, 1e-5);
    x[(size_t)(8.05 * fs)] = NAN;
    etw_twitch_event ev[MAXEV];
    size_t k = detect1(fs, x, n, ev);
    assert_int_equal(k, 2);
    assert_int_equal(twitches_near(ev, k, 3.0, 0.01), 1);
    assert_int_equal(twitches_near(ev, k, 12.0, 0.01), 1);
    /* with report_all the burst cut by the NaN is reported as such */
    etw_twitch_config cfg;
    assert_int_equal(etw_twitch_config_default(fs, 1, &cfg), ETW_OK);
    cfg.report_all = 1;
    const float *in[1] = {x};
    assert_int_equal(etw_twitch_detect(&cfg, in, n, ev, MAXEV, &k), ETW_OK);
    int nonfinite = 0;
    for (size_t i = 0; i < k; i++) {
        if (ev[i].onset_s > 7.9 && ev[i].onset_s < 8.2) {
            nonfinite |= (ev[i].flags & ETW_TWITCH_FLAG_NONFINITE) != 0;
            assert_false(ev[i].flags & ETW_TWITCH_FLAG_TWITCH);
        }
        assert_true(isfinite(ev[i].snr_db) && isfinite(ev[i].mean_freq_hz));
    }
    assert_true(nonfinite);
    /* all NaN */
    for (size_t i = 0; i < n; i++) {
        x[i] = NAN;
    }
    assert_int_equal(detect1(fs, x, n, ev), 0);
    free(x);
}

void hostile_clipping(void **state)
{
    (void)state;
    const double fs = 2000.0;
    size_t n = (size_t)(10 * fs);
    float *x = calloc(n, sizeof *x);
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 23);
    sig_noise(&rng, x, n, 1e-6);
    /* the first burst (36 dB) is clipped hard; the second (12 dB: the rail lies 5.3 sigma
     * above its peak) is detected at any seed and does not reach the rail (at 6 dB, 3 of
     * seeds 1-10 lost it: its clipping flag was then never checked) */
    sig_burst(&rng, x, n, fs, 3.0, 0.08, 6e-5);
    sig_burst(&rng, x, n, fs, 6.0, 0.08, 4e-6);
    const float rail = 3e-5f;
    for (size_t i = 0; i < n; i++) {
        x[i] = x[i] > rail ? rail : (x[i] < -rail ? -rail : x[i]);
    }
    etw_twitch_event ev[MAXEV];
    size_t k = detect1(fs, x, n, ev);
    assert_int_equal(k, 2);
    assert_true(ev[0].flags & ETW_TWITCH_FLAG_CLIPPED);
    assert_false(ev[1].flags & ETW_TWITCH_FLAG_CLIPPED);
    /* with a configured clip level the second burst is not clipped either */
    etw_twitch_config cfg;
    assert_int_equal(etw_twitch_config_default(fs, 1, &cfg), ETW_OK);
    cfg.clip_level = 2.8e-5;
    const float *in[1] = {x};
    assert_int_equal(etw_twitch_detect(&cfg, in, n, ev, MAXEV, &k), ETW_OK);
    assert_int_equal(k, 2);
    assert_true(ev[0].flags & ETW_TWITCH_FLAG_CLIPPED);
    assert_false(ev[1].flags & ETW_TWITCH_FLAG_CLIPPED);
    /* amplifier saturation: the signal pinned at the rail for 400 ms */
    for (size_t i = (size_t)(8 * fs); i < (size_t)(8.4 * fs); i++) {
        x[i] = rail;
    }
    k = detect1(fs, x, n, ev);
    assert_int_equal(twitches_near(ev, k, 8.2, 0.5), 0);
    free(x);
}

/* Single-sample spikes and baseline steps at 4000 Hz (rng seed: seed): at most one event. */
static void spikes_case(uint64_t seed)
{
    const double fs = 4000.0;
    size_t n = (size_t)(30 * fs);
    float *x = calloc(n, sizeof *x);
    etw_test_rng rng;
    etw_test_rng_seed(&rng, seed);
    sig_noise(&rng, x, n, 1e-6);
    for (int s = 0; s < 40; s++) { /* single-sample spikes of 50-500 noise RMS */
        size_t at = (size_t)(fs + etw_test_rng_below(&rng, n - 2 * (size_t)fs));
        x[at] += (float)((etw_test_rng_uniform(&rng) < 0.5 ? -1 : 1) * 1e-6 *
                         (50.0 + 450.0 * etw_test_rng_uniform(&rng)));
    }
    for (int s = 0; s < 6; s++) { /* baseline steps (motion) of 100 noise RMS */
        size_t at = (size_t)((3.0 + 4.5 * s) * fs);
        for (size_t i = at; i < n; i++) {
            x[i] += (float)((s % 2 ? -1 : 1) * 1e-4);
        }
    }
    etw_twitch_event ev[MAXEV];
    size_t k = detect1(fs, x, n, ev);
    assert_true(k <= 1); /* at most 2 per minute */
    free(x);
}

void hostile_spikes_and_steps(void **state)
{
    (void)state;
    spikes_case(24);
}

/* At this seed two pairs of spikes fall 1.7 and 5 ms apart (18.06 s: -424 and -422 noise
 * RMS; 24.82 s: -323 and -150). With the second spike in its surroundings, the steepest
 * one did not look alone, and both pairs were reported as twitches. */
void hostile_spike_pairs(void **state)
{
    (void)state;
    spikes_case(7);
}

void hostile_sample_rates(void **state)
{
    (void)state;
    const double rates[] = {500.0, 1000.0, 4000.0, 10000.0};
    for (size_t r = 0; r < sizeof rates / sizeof rates[0]; r++) {
        double fs = rates[r];
        size_t n = (size_t)(10 * fs);
        float *x = calloc(n, sizeof *x);
        etw_test_rng rng;
        etw_test_rng_seed(&rng, 25 + r);
        sig_noise(&rng, x, n, 1e-6);
        sig_burst(&rng, x, n, fs, 3.0, 0.04, 6e-6);
        sig_burst(&rng, x, n, fs, 6.0, 0.12, 6e-6);
        etw_twitch_event ev[MAXEV];
        size_t k = detect1(fs, x, n, ev);
        assert_int_equal(k, 2);
        /* the raised-sine envelope starts from zero: allow 25 ms at 500 Hz */
        assert_int_equal(twitches_near(ev, k, 3.0, 0.025), 1);
        assert_int_equal(twitches_near(ev, k, 6.0, 0.025), 1);
        free(x);
    }
}

/* A train of QRS-like complexes (rng seed: seed) with three twitches between beats: at least
 * two twitches found, at most one beat reported. */
static void qrs_train_case(uint64_t seed)
{
    const double fs = 1000.0;
    size_t n = (size_t)(40 * fs);
    float *x = calloc(n, sizeof *x);
    etw_test_rng rng;
    etw_test_rng_seed(&rng, seed);
    sig_noise(&rng, x, n, 1e-6);
    /* QRS-like complexes of 90 ms, sharp enough to pass the low-frequency criterion (as QRS
     * in recordings with a strong ECG can be), RR 0.85 s +- 3 % */
    double t = 0.7, tw[3];
    int placed = 0;
    while (t < 39.0) {
        sig_slow_burst(&rng, x, n, fs, t, 0.09, QRS_CORNER_HZ, QRS_AMP);
        double next = t + 0.85 * (1.0 + 0.03 * (2.0 * etw_test_rng_uniform(&rng) - 1.0));
        /* three twitches, each in the middle of the first RR gap after 10, 20 and 30 s (the
         * jitter accumulates: fixed times would fall on a beat for some seeds) */
        if (placed < 3 && t >= 10.0 * (placed + 1)) {
            tw[placed++] = 0.5 * (t + 0.09 + next) - 0.025;
        }
        t = next;
    }
    assert_int_equal(placed, 3);
    for (int i = 0; i < 3; i++) {
        sig_burst(&rng, x, n, fs, tw[i], 0.05, 8e-6);
    }
    etw_twitch_config cfg;
    assert_int_equal(etw_twitch_config_default(fs, 1, &cfg), ETW_OK);
    cfg.pre_quiet_ms = 100.0;
    cfg.post_quiet_ms = 100.0;
    etw_twitch_event ev[MAXEV];
    size_t k = 0;
    const float *in[1] = {x};
    assert_int_equal(etw_twitch_detect(&cfg, in, n, ev, MAXEV, &k), ETW_OK);
    size_t hits = 0;
    for (int i = 0; i < 3; i++) {
        hits += twitches_near(ev, k, tw[i], 0.02);
    }
    assert_true(hits >= 2);
    assert_true(k <= hits + 1); /* almost no beat reported */
    cfg.ecg_reject = 0;
    assert_int_equal(etw_twitch_detect(&cfg, in, n, ev, MAXEV, &k), ETW_OK);
    assert_true(k > 20); /* without ECG rejection the beats come through */
    free(x);
}

void hostile_periodic_qrs_like(void **state)
{
    (void)state;
    qrs_train_case(26);
}

/* This train's QRS measure 56-115 Hz; the beats at 22.1 s (115 Hz) and 25.5 s (105 Hz) lie
 * over the 100 Hz bound of a QRS-like neighbour. They leaked as twitches themselves, and
 * left the beats around them 2 RR apart, without a regular run of four: five beats in a row
 * were reported. A burst up to 130 Hz is tested against its QRS-like neighbours, and a run
 * may skip one missed beat. */
void hostile_qrs_train_with_sharp_beats(void **state)
{
    (void)state;
    qrs_train_case(7);
}

/* Background with a heavy tail: white noise plus small noise bursts of 10-30 ms at random
 * times (3 per second), RMS log-uniform over 0.3-1.5 noise RMS, a continuum of excursions like
 * spontaneous activity in real rest EMG. The fixed peak criterion lets the top of that tail
 * through; the false-alarm-controlled one (noise_alarms_per_min) keeps it out. */
void hostile_heavy_tailed_background(void **state)
{
    (void)state;
    const double fs = 1000.0, seconds = 300.0;
    size_t n = (size_t)(seconds * fs);
    float *x = malloc(n * sizeof *x);
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 31);
    sig_noise(&rng, x, n, 1e-6);
    for (int i = 0; i < (int)(3 * seconds); i++) {
        double t = etw_test_rng_uniform(&rng) * (seconds - 0.1);
        double dur = 0.01 + 0.02 * etw_test_rng_uniform(&rng);
        double rms = 1e-6 * 0.3 * pow(1.5 / 0.3, etw_test_rng_uniform(&rng));
        sig_burst(&rng, x, n, fs, t, dur, rms);
    }
    etw_twitch_config cfg;
    assert_int_equal(etw_twitch_config_default(fs, 1, &cfg), ETW_OK);
    static etw_twitch_event ev[MAXEV];
    const float *in[1] = {x};
    size_t k_fixed = 0, k = 0;
    cfg.noise_alarms_per_min = 0.0;
    assert_int_equal(etw_twitch_detect(&cfg, in, n, ev, MAXEV, &k_fixed), ETW_OK);
    assert_int_equal(etw_twitch_config_default(fs, 1, &cfg), ETW_OK);
    assert_int_equal(etw_twitch_detect(&cfg, in, n, ev, MAXEV, &k), ETW_OK);
    print_message("heavy-tailed background (300 s): %zu twitches with the fixed peak criterion, "
                  "%zu with the false-alarm-controlled one\n", k_fixed, k);
    /* default seed 27 and 2; seeds 1-11 (ETW_TEST_SEED): 17-32 and 0-5 */
    assert_true(k_fixed >= 10);
    assert_true(k <= 5); /* 1 per minute: twice noise_alarms_per_min */
    free(x);
}
