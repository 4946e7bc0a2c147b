/* Real recordings from ../shared/data (skipped when absent), read with minimal parsers:
 * no twitch on a rest recording, sustained contractions are not twitches, needle records
 * analysed without crash. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emgtwitch/twitch.h"
#include "etw_test.h"
#include "twitch_tests.h"

#define MAXEV 4096

typedef struct recording {
    float *x[8];
    size_t nch;
    size_t n;
    double fs;
} recording;

static void rec_free(recording *r)
{
    for (size_t c = 0; c < r->nch; c++) {
        free(r->x[c]);
    }
}

/* One value per line after '#' header lines (OpenSignals simple text). */
static int read_column(const char *path, recording *r)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        return 0;
    }
    size_t cap = 1 << 16;
    r->nch = 1;
    r->n = 0;
    r->x[0] = malloc(cap * sizeof(float));
    char line[256];
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == 's') { /* header or "sample,adc" */
            continue;
        }
        const char *v = strchr(line, ',') ? strchr(line, ',') + 1 : line;
        if (r->n == cap) {
            cap *= 2;
            r->x[0] = realloc(r->x[0], cap * sizeof(float));
        }
        r->x[0][r->n++] = strtof(v, NULL);
    }
    fclose(f);
    return r->n > 0;
}

/* Myo text: 8 integers and a cue label per line. */
static int read_myo(const char *path, recording *r)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        return 0;
    }
    size_t cap = 1 << 15;
    r->nch = 8;
    r->n = 0;
    for (size_t c = 0; c < 8; c++) {
        r->x[c] = malloc(cap * sizeof(float));
    }
    int v[9];
    while (fscanf(f, "%d,%d,%d,%d,%d,%d,%d,%d,%d", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
                  &v[6], &v[7], &v[8]) == 9) {
        if (r->n == cap) {
            cap *= 2;
            for (size_t c = 0; c < 8; c++) {
                r->x[c] = realloc(r->x[c], cap * sizeof(float));
            }
        }
        for (size_t c = 0; c < 8; c++) {
            r->x[c][r->n] = (float)v[c];
        }
        r->n++;
    }
    fclose(f);
    return r->n > 0;
}

/* WFDB format 16 (little-endian int16) with the gain from the header, in mV. */
static int read_wfdb(const char *hea, const char *dat, recording *r)
{
    FILE *h = fopen(hea, "r");
    if (!h) {
        return 0;
    }
    char name[64], file[64];
    int nsig = 0, fmt = 0;
    double fs = 0, gain = 0;
    long len = 0;
    int ok = fscanf(h, "%63s %d %lf %ld", name, &nsig, &fs, &len) == 4 &&
             fscanf(h, "%63s %d %lf", file, &fmt, &gain) == 3;
    fclose(h);
    FILE *f = fopen(dat, "rb");
    if (!ok || nsig != 1 || fmt != 16 || gain <= 0 || !f) {
        if (f) {
            fclose(f);
        }
        return 0;
    }
    r->nch = 1;
    r->fs = fs;
    r->x[0] = malloc((size_t)len * sizeof(float));
    r->n = 0;
    unsigned char b[2];
    while (r->n < (size_t)len && fread(b, 1, 2, f) == 2) {
        int16_t s = (int16_t)(b[0] | (b[1] << 8));
        r->x[0][r->n++] = (float)(s / gain);
    }
    fclose(f);
    return r->n > 0;
}

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
    const char *path = etw_test_shared_data("biosppy_bitalino/emg.txt");
    if (!path) {
        skip();
    }
    static recording r;
    memset(&r, 0, sizeof r);
    assert_true(read_column(path, &r));
    r.fs = 1000.0;
    static etw_twitch_event ev[MAXEV];
    size_t tw, tw_default;
    run(&r, 0, ev, &tw_default);
    run(&r, 1, ev, &tw);
    print_message("biosppy rest (%.0f s): %zu twitches (LTR preset), %zu (defaults)\n",
                  (double)r.n / r.fs, tw, tw_default);
    assert_int_equal(tw, 0);
    assert_true(tw_default <= 20); /* small motor-unit blips: see docs/twitch.md */
    rec_free(&r);
}

void real_contractions_are_not_twitches(void **state)
{
    (void)state;
    const char *path = etw_test_shared_data("bsnb_biceps_bursts/emg_bursts_adc.csv");
    if (!path) {
        skip();
    }
    static recording r;
    memset(&r, 0, sizeof r);
    assert_true(read_column(path, &r));
    r.fs = 1000.0;
    for (size_t i = 0; i < r.n; i++) { /* ADC to mV */
        r.x[0][i] = (float)((r.x[0][i] / 65536.0 - 0.5) * 3.0);
    }
    static etw_twitch_event ev[MAXEV];
    size_t tw;
    size_t tw_ltr;
    run(&r, 1, ev, &tw_ltr);
    size_t activity = run(&r, 0, ev, &tw);
    print_message("bsnb biceps (9 contractions, %.1f s): %zu activity stretches >= 1 s, "
                  "%zu twitches between them (defaults), %zu (LTR preset)\n",
                  (double)r.n / r.fs, activity, tw, tw_ltr);
    assert_true(activity >= 5);
    /* the defaults find the small isolated motor-unit bursts between the contractions
     * (12-17 dB over the floor, see docs/twitch.md); the LTR preset leaves them out */
    assert_true(tw <= 16);
    assert_true(tw_ltr <= 4);
    rec_free(&r);
    /* Myo armband: 6 cued 5-s contractions per file, ~200 Hz */
    size_t total = 0, total_ltr = 0, minutes = 0;
    activity = 0;
    for (int g = 1; g <= 7; g++) {
        char rel[64];
        snprintf(rel, sizeof rel, "myo_armband_cued/12345-1/%d.txt", g);
        path = etw_test_shared_data(rel);
        if (!path) {
            skip();
        }
        memset(&r, 0, sizeof r);
        assert_true(read_myo(path, &r));
        r.fs = 200.0;
        size_t act = run(&r, 0, ev, &tw);
        activity += act;
        total += tw;
        run(&r, 1, ev, &tw);
        total_ltr += tw;
        minutes++;
        rec_free(&r);
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
        char hea[256], dat[256], rel[64];
        snprintf(rel, sizeof rel, "physionet_emgdb/emg_%s.hea", names[i]);
        const char *p = etw_test_shared_data(rel);
        if (!p) {
            skip();
        }
        snprintf(hea, sizeof hea, "%s", p);
        snprintf(rel, sizeof rel, "physionet_emgdb/emg_%s.dat", names[i]);
        snprintf(dat, sizeof dat, "%s", etw_test_shared_data(rel));
        static recording r;
        memset(&r, 0, sizeof r);
        assert_true(read_wfdb(hea, dat, &r));
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
        rec_free(&r);
    }
}
