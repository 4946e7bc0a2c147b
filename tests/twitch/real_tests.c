/* Real recordings from ../shared/data (skipped when absent), read through the io library:
 * no twitch on a rest recording, sustained contractions are not twitches, needle records
 * analysed without crash. */
#include <math.h>
#include <stdio.h>

#include "emgtwitch/twitch.h"
#include "etw_test.h"
#include "etw_test_io.h"
#include "twitch_tests.h"

#define MAXEV 4096

typedef etw_test_recording recording;

/* Runs the defaults (ltr = 0) or the LTR preset, all bursts reported; counts twitches and
 * activity stretches of at least 1 s, and checks that no twitch lies inside one. */
static size_t run(const recording *r, int ltr, etw_twitch_event *ev, size_t *twitches)
{
    etw_twitch_config cfg;
    assert_int_equal(ltr ? etw_twitch_config_ltr(r->fs, r->nch, &cfg)
                         : etw_twitch_config_default(r->fs, r->nch, &cfg),
                     ETW_OK);
    cfg.report_all = 1;
    size_t k = 0;
    assert_int_equal(etw_twitch_detect(&cfg, (const float *const *)r->x, r->n, ev, MAXEV, &k),
                     ETW_OK);
    size_t activity = 0;
    *twitches = 0;
    for (size_t i = 0; i < k; i++) {
        assert_true(isfinite(ev[i].snr_db) && ev[i].offset > ev[i].onset);
        if (ev[i].duration_s >= 1.0) {
            activity++;
            for (size_t j = 0; j < k; j++) {
                int inside = ev[j].onset >= ev[i].onset && ev[j].onset < ev[i].offset;
                assert_false(inside && (ev[j].flags & ETW_TWITCH_FLAG_TWITCH));
            }
        }
        *twitches += (ev[i].flags & ETW_TWITCH_FLAG_TWITCH) != 0;
    }
    return activity;
}

void real_rest_has_no_twitch(void **state)
{
    (void)state;
    static recording r;
    if (!etw_test_load_shared("biosppy_bitalino/emg.txt", 0.0, 0, &r)) {
        skip();
    }
    assert_true(r.n > 0 && r.fs == 1000.0);
    static etw_twitch_event ev[MAXEV];
    size_t tw, tw_default;
    run(&r, 0, ev, &tw_default);
    run(&r, 1, ev, &tw);
    print_message("biosppy rest (%.0f s): %zu twitches (LTR preset), %zu (defaults)\n",
                  (double)r.n / r.fs, tw, tw_default);
    assert_int_equal(tw, 0);
    /* the defaults too: the background's excursions are heavy-tailed here, which raises
     * the peak criterion (noise_alarms_per_min, see docs/twitch.md) */
    assert_int_equal(tw_default, 0);
    etw_test_recording_free(&r);
}

void real_contractions_are_not_twitches(void **state)
{
    (void)state;
    static recording r;
    if (!etw_test_load_shared("bsnb_biceps_bursts/emg_bursts_adc.csv", 1000.0, 0, &r)) {
        skip();
    }
    assert_true(r.n > 0 && r.nch == 1);
    for (size_t i = 0; i < r.n; i++) { /* ADC to mV */
        r.x[0][i] = (float)((r.x[0][i] / 65536.0 - 0.5) * 3.0);
    }
    static etw_twitch_event ev[MAXEV];
    size_t tw, tw_ltr;
    run(&r, 1, ev, &tw_ltr);
    size_t activity = run(&r, 0, ev, &tw);
    print_message("bsnb biceps (9 contractions, %.1f s): %zu activity stretches >= 1 s, "
                  "%zu twitches between them (defaults), %zu (LTR preset)\n",
                  (double)r.n / r.fs, activity, tw, tw_ltr);
    assert_true(activity >= 5);
    /* the defaults find the small isolated motor-unit bursts between the contractions
     * (12-17 dB over the floor, see docs/twitch.md); the LTR preset leaves them out */
    assert_true(tw <= 7);
    assert_true(tw_ltr <= 4);
    etw_test_recording_free(&r);
    /* Myo armband: 6 cued 5-s contractions per file, ~200 Hz */
    size_t total = 0, total_ltr = 0, minutes = 0;
    activity = 0;
    for (int g = 1; g <= 7; g++) {
        char rel[64];
        snprintf(rel, sizeof rel, "myo_armband_cued/12345-1/%d.txt", g);
        if (!etw_test_load_shared(rel, 200.0, -1, &r)) { /* last column: the cue */
            skip();
        }
        assert_true(r.n > 0 && r.nch == 8);
        size_t act = run(&r, 0, ev, &tw);
        activity += act;
        total += tw;
        run(&r, 1, ev, &tw);
        total_ltr += tw;
        minutes++;
        etw_test_recording_free(&r);
    }
    print_message("myo cued contractions (7 files x ~1 min, 8 ch, 200 Hz): %zu activity "
                  "stretches >= 1 s, %zu twitches (defaults), %zu (LTR preset)\n",
                  activity, total, total_ltr);
    assert_true(activity >= 7);
    assert_true(total <= 4 * minutes); /* 200 Hz is below the validated range */
    assert_true(total_ltr <= minutes);
}

void real_needle_records_run(void **state)
{
    (void)state;
    const char *names[] = {"healthy", "myopathy", "neuropathy"};
    for (int i = 0; i < 3; i++) {
        char rel[64];
        snprintf(rel, sizeof rel, "physionet_emgdb/emg_%s.hea", names[i]);
        static recording r;
        if (!etw_test_load_shared(rel, 0.0, 0, &r)) {
            skip();
        }
        assert_true(r.n > 0 && r.nch == 1); /* mV, WFDB format 16 */
        static etw_twitch_event ev[MAXEV];
        size_t tw;
        etw_twitch_config cfg;
        assert_int_equal(etw_twitch_config_default(r.fs, 1, &cfg), ETW_OK);
        cfg.report_all = 1;
        size_t k = 0;
        assert_int_equal(
            etw_twitch_detect(&cfg, (const float *const *)r.x, r.n, ev, MAXEV, &k), ETW_OK);
        tw = 0;
        for (size_t j = 0; j < k; j++) {
            tw += (ev[j].flags & ETW_TWITCH_FLAG_TWITCH) != 0;
        }
        print_message("physionet %s (%.1f s at %.0f Hz): %zu bursts, %zu twitch-like\n",
                      names[i], (double)r.n / r.fs, r.fs, k, tw);
        etw_test_recording_free(&r);
    }
}
