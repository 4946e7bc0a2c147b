/* A fixed-seed subset of the accuracy targets, on etw_synth recordings scored with etw_eval.
 * The detector was tuned on seeds 1000.. (and on nothing of bench/accuracy, seeds 1000000..);
 * these use seeds 5000.. . */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emgtwitch/emgtwitch.h"
#include "etw_test.h"
#include "twitch_tests.h"

#define FS 2048.0
#define MAXEV 2048

static const char *const sets[] = {"clean", "powerline", "ecg", "contractions", "motion", "all"};
#define NSETS (sizeof sets / sizeof sets[0])

/* Generates one 60 s recording of nch channels, detects with the defaults and adds the score
 * to tally. */
static void score_at(double fs, const char *preset, size_t nch, int twitches, double snr_db,
                     const double dur_ms[2], uint64_t seed, etw_eval_tally *tally)
{
    etw_synth_config sc = etw_synth_config_default(fs, nch, 60.0, seed);
    assert_int_equal(etw_synth_config_preset(preset, &sc), ETW_OK);
    sc.twitch.enabled = twitches;
    sc.twitch.snr_min_db = sc.twitch.snr_max_db = snr_db;
    sc.twitch.min_duration_ms = dur_ms[0];
    sc.twitch.max_duration_ms = dur_ms[1];
    etw_synth *sy = NULL;
    assert_int_equal(etw_synth_create(&sc, &sy), ETW_OK);
    etw_synth_stats st;
    assert_int_equal(etw_synth_get_stats(sy, &st), ETW_OK);
    size_t n = (size_t)st.nframes;
    float *x[8];
    for (size_t c = 0; c < nch; c++) {
        x[c] = malloc(n * sizeof *x[c]);
    }
    assert_int_equal(etw_synth_generate_all(sy, x, n), ETW_OK);
    etw_twitch_config cfg;
    assert_int_equal(etw_twitch_config_default(fs, nch, &cfg), ETW_OK);
    static etw_twitch_event ev[MAXEV];
    static etw_eval_interval det[MAXEV], truth[MAXEV];
    size_t nev = 0, ndet = 0, ntruth = 0, nsyn = 0;
    assert_int_equal(etw_twitch_detect(&cfg, (const float *const *)x, n, ev, MAXEV, &nev),
                     ETW_OK);
    for (size_t i = 0; i < nev; i++) {
        if (ev[i].flags & ETW_TWITCH_FLAG_TWITCH) {
            det[ndet++] = (etw_eval_interval){ev[i].onset, ev[i].offset};
        }
    }
    const etw_synth_event *se = etw_synth_events(sy, &nsyn);
    assert_int_equal(etw_eval_intervals_from_synth(se, nsyn, ETW_SYNTH_TWITCH, -1, truth, MAXEV,
                                                   &ntruth),
                     ETW_OK);
    assert_int_equal(etw_eval_match(NULL, truth, ntruth, det, ndet, fs, (int64_t)n, tally, NULL,
                                    NULL),
                     ETW_OK);
    for (size_t c = 0; c < nch; c++) {
        free(x[c]);
    }
    etw_synth_destroy(sy);
}

static void score_dur(const char *preset, size_t nch, int twitches, double snr_db,
                      const double dur_ms[2], uint64_t seed, etw_eval_tally *tally)
{
    score_at(FS, preset, nch, twitches, snr_db, dur_ms, seed, tally);
}

/* the whole duration range of the synthetic twitches */
static const double all_durations[2] = {10.0, 250.0};

static void score_nch(const char *preset, size_t nch, int twitches, double snr_db,
                      uint64_t seed, etw_eval_tally *tally)
{
    score_dur(preset, nch, twitches, snr_db, all_durations, seed, tally);
}

static void score(const char *preset, int twitches, double snr_db, uint64_t seed,
                  etw_eval_tally *tally)
{
    score_nch(preset, 1, twitches, snr_db, seed, tally);
}

static etw_eval_summary summary(const etw_eval_tally *t)
{
    etw_eval_summary s;
    assert_int_equal(etw_eval_summarise(t, &s), ETW_OK);
    return s;
}

void accuracy_f1_and_onset_at_10db(void **state)
{
    (void)state;
    etw_eval_tally all;
    memset(&all, 0, sizeof all);
    for (size_t k = 0; k < NSETS; k++) {
        etw_eval_tally one;
        memset(&one, 0, sizeof one);
        for (uint64_t seed = 5000; seed < 5002; seed++) {
            score(sets[k], 1, 10.0, seed, &one);
        }
        etw_eval_summary s = summary(&one);
        print_message("10 dB %-12s F1 %.3f sens %.3f prec %.3f onset %.2f +- %.2f ms\n", sets[k],
                      s.f1, s.sensitivity, s.precision, s.onset_bias_ms, s.onset_sd_ms);
        assert_true(s.f1 >= 0.95);
        assert_int_equal(etw_eval_tally_add(&all, &one), ETW_OK);
    }
    etw_eval_summary s = summary(&all);
    print_message("10 dB all sets: F1 %.3f onset bias %.2f ms SD %.2f ms\n", s.f1,
                  s.onset_bias_ms, s.onset_sd_ms);
    assert_true(s.f1 >= 0.95);
    assert_true(fabs(s.onset_bias_ms) <= 3.0);
    assert_true(s.onset_sd_ms <= 5.0);
}

void accuracy_f1_at_6db(void **state)
{
    (void)state;
    etw_eval_tally t;
    memset(&t, 0, sizeof t);
    for (uint64_t seed = 5000; seed < 5003; seed++) {
        score("clean", 1, 6.0, seed, &t);
    }
    etw_eval_summary s = summary(&t);
    print_message("6 dB clean 10-250 ms: F1 %.3f sens %.3f prec %.3f\n", s.f1, s.sensitivity,
                  s.precision);
    assert_true(s.f1 >= 0.95);
}

void accuracy_short_bursts_at_6db_and_3db(void **state)
{
    (void)state;
    static const double shortest[2] = {10.0, 30.0};
    const double snrs[2] = {6.0, 3.0}, bounds[2] = {0.95, 0.93};
    for (int i = 0; i < 2; i++) {
        etw_eval_tally t;
        memset(&t, 0, sizeof t);
        for (size_t k = 0; k < NSETS; k++) {
            score_dur(sets[k], 1, 1, snrs[i], shortest, 5000 + k, &t);
        }
        etw_eval_summary s = summary(&t);
        print_message("%.0f dB 10-30 ms, six sets: F1 %.3f sens %.3f prec %.3f\n", snrs[i], s.f1,
                      s.sensitivity, s.precision);
        assert_true(s.f1 >= bounds[i]);
    }
}

void accuracy_false_alarms_on_distractors(void **state)
{
    (void)state;
    const char *only[] = {"rest", "powerline", "ecg", "contractions", "motion", "all"};
    etw_eval_tally t;
    memset(&t, 0, sizeof t);
    for (size_t k = 0; k < sizeof only / sizeof only[0]; k++) {
        for (uint64_t seed = 5000; seed < 5002; seed++) {
            score(only[k], 0, 10.0, seed, &t);
        }
    }
    etw_eval_summary s = summary(&t);
    print_message("distractor-only (12 min): %zu false alarms, %.2f per minute\n", s.fp,
                  s.fa_per_min);
    assert_true(s.fa_per_min <= 0.5);
}

void accuracy_eight_channels(void **state)
{
    (void)state;
    etw_eval_tally t;
    memset(&t, 0, sizeof t);
    score_nch("clean", 8, 1, 10.0, 5000, &t);
    score_nch("all", 8, 1, 10.0, 5001, &t);
    etw_eval_summary s = summary(&t);
    print_message("8 channels, 10 dB (clean + all): F1 %.3f sens %.3f prec %.3f FA/min %.2f\n",
                  s.f1, s.sensitivity, s.precision, s.fa_per_min);
    assert_true(s.f1 >= 0.97);
}

void accuracy_other_sample_rates(void **state)
{
    (void)state;
    const double rates[2] = {1000.0, 4000.0};
    for (int r = 0; r < 2; r++) {
        etw_eval_tally t;
        memset(&t, 0, sizeof t);
        for (size_t k = 0; k < NSETS; k++) {
            score_at(rates[r], sets[k], 1, 1, 6.0, all_durations, 5100 + k, &t);
        }
        etw_eval_summary s = summary(&t);
        print_message("%.0f Hz, 6 dB 10-250 ms, six sets: F1 %.3f sens %.3f prec %.3f\n",
                      rates[r], s.f1, s.sensitivity, s.precision);
        assert_true(s.f1 >= 0.95);
    }
}
