/* The real recordings of ../shared/data (skipped with a message when absent). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "io_test.h"

static void check_wfdb(const char *name, int64_t nframes, double first_mv, double min_mv,
                       double max_mv)
{
    char rel[128];
    snprintf(rel, sizeof rel, "physionet_emgdb/%s.hea", name);
    const char *path = etw_test_shared_data(rel);
    if (path == NULL) {
        skip();
    }
    etw_recording *rec = NULL;
    char detail[512];
    etw_status st = etw_recording_load(path, NULL, NULL, 0, &rec, detail, sizeof detail);
    if (st != ETW_OK) {
        print_error("%s\n", detail);
    }
    assert_int_equal(st, ETW_OK); /* includes the checksum and initial-value verification */
    assert_int_equal(rec->nch, 1);
    assert_int_equal(rec->nframes, nframes);
    assert_close(rec->fs_hz, 4000.0, 0, 0);
    assert_string_equal(rec->channels[0].unit, "mV");
    assert_close(rec->channels[0].to_volts, 1e-3, 0, 0);
    assert_string_equal(rec->channels[0].label, "EMG");
    assert_close(rec->data[0][0], first_mv, 1e-6, 0);
    float lo = INFINITY, hi = -INFINITY;
    for (int64_t i = 0; i < rec->nframes; i++) {
        lo = rec->data[0][i] < lo ? rec->data[0][i] : lo;
        hi = rec->data[0][i] > hi ? rec->data[0][i] : hi;
    }
    assert_close(lo, min_mv, 0, 1e-4);
    assert_close(hi, max_mv, 0, 1e-4);
    etw_recording_free(rec);
}

static void test_wfdb_healthy(void **state)
{
    (void)state;
    check_wfdb("emg_healthy", 50860, -0.0333, -0.5150, 1.1133);
}

static void test_wfdb_myopathy(void **state)
{
    (void)state;
    check_wfdb("emg_myopathy", 110337, -0.0050, -0.6700, 0.7750);
}

static void test_wfdb_neuropathy(void **state)
{
    (void)state;
    check_wfdb("emg_neuropathy", 147858, 0.0900, -3.2767, 3.2753);
}

/* The PLUX EDF holds (ADC - 32768) scaled to -1500..1499.954 uV: equal to the CSV's raw ADC
 * through the PLUX transfer function (ADC / 2^16 - 0.5) * 3000 uV. */
static void test_plux_edf_equals_csv(void **state)
{
    (void)state;
    const char *p = etw_test_shared_data("bsnb_biceps_bursts/emg_bursts_derived.edf");
    if (p == NULL) {
        skip();
    }
    char edf[512];
    snprintf(edf, sizeof edf, "%s", p);
    const char *csv = etw_test_shared_data("bsnb_biceps_bursts/emg_bursts_adc.csv");
    assert_non_null(csv);
    etw_recording *a = NULL, *b = NULL;
    assert_int_equal(etw_recording_load(edf, NULL, NULL, 0, &a, NULL, 0), ETW_OK);
    etw_open_options o;
    etw_open_options_default(&o);
    o.fs_hz = 1000.0; /* the CSV has a sample counter, no time */
    assert_int_equal(etw_recording_load(csv, &o, "adc", 0, &b, NULL, 0), ETW_OK);
    assert_int_equal(a->nframes, 28000);
    assert_int_equal(b->nframes, 28519);
    assert_string_equal(a->channels[0].unit, "uV");
    assert_string_equal(a->channels[0].label, "EMG biceps");
    assert_close(a->fs_hz, 1000.0, 0, 0);
    assert_int_equal(a->info.has_start, 1);
    assert_int_equal(a->info.start.year, 2017);
    for (int64_t i = 0; i < a->nframes; i++) {
        double uv = ((double)b->data[0][i] / 65536.0 - 0.5) * 3000.0;
        if (fabs(a->data[0][i] - uv) > 2e-3) {
            print_error("sample %lld: EDF %.6f uV, CSV %.6f uV\n", (long long)i,
                        a->data[0][i], uv);
            fail();
        }
    }
    etw_recording_free(a);
    etw_recording_free(b);
}

static void check_opensignals(const char *rel, int64_t nframes, float lo, float hi)
{
    const char *p = etw_test_shared_data(rel);
    if (p == NULL) {
        skip();
    }
    etw_recording *rec = NULL;
    assert_int_equal(etw_recording_load(p, NULL, NULL, 0, &rec, NULL, 0), ETW_OK);
    assert_int_equal(rec->nch, 1);
    assert_string_equal(rec->channels[0].label, "EMG");
    assert_close(rec->fs_hz, 1000.0, 0, 0);
    assert_int_equal(rec->nframes, nframes);
    assert_close(rec->channels[0].phys_min, lo, 0, 0);
    assert_close(rec->channels[0].phys_max, hi, 0, 0);
    etw_recording_free(rec);
}

static void test_opensignals_rest(void **state)
{
    (void)state;
    check_opensignals("biosppy_bitalino/emg.txt", 100000, 2037, 2071);
}

static void test_opensignals_bursts(void **state)
{
    (void)state;
    check_opensignals("biosppy_bitalino/emg_1.txt", 63880, 1412, 2443);
}

static void test_myo(void **state)
{
    (void)state;
    for (int g = 0; g < 8; g++) {
        char rel[128];
        snprintf(rel, sizeof rel, "myo_armband_cued/12345-1/%d.txt", g);
        const char *p = etw_test_shared_data(rel);
        if (p == NULL) {
            skip();
        }
        etw_open_options o;
        etw_open_options_default(&o);
        o.fs_hz = 200.0;       /* Myo nominal rate; the files state none */
        o.event_column = -1;   /* the last column is the cue label */
        etw_recording *rec = NULL;
        assert_int_equal(etw_recording_load(p, &o, NULL, 0, &rec, NULL, 0), ETW_OK);
        assert_int_equal(rec->nch, 8);
        assert_close(rec->fs_hz, 200.0, 0, 0);
        assert_string_equal(rec->channels[7].label, "ch8");
        assert_true(rec->nframes > 11900 && rec->nframes < 11950);
        if (g > 0) { /* six cued contractions labelled with the gesture id, ~5 s each */
            assert_int_equal(rec->info.nannotations, 6);
            for (size_t i = 0; i < 6; i++) {
                char id[4];
                snprintf(id, sizeof id, "%d", g);
                assert_string_equal(rec->annotations[i].text, id);
                assert_close(rec->annotations[i].duration_s, 5.0, 0, 0.5);
            }
        }
        if (g == 0) {
            assert_true(rec->data[0][0] == -2.0f && rec->data[7][0] == -1.0f);
        }
        etw_recording_free(rec);
    }
}

const struct CMUnitTest io_real_tests[] = {
    cmocka_unit_test(test_wfdb_healthy),     cmocka_unit_test(test_wfdb_myopathy),
    cmocka_unit_test(test_wfdb_neuropathy),  cmocka_unit_test(test_plux_edf_equals_csv),
    cmocka_unit_test(test_opensignals_rest), cmocka_unit_test(test_opensignals_bursts),
    cmocka_unit_test(test_myo),
};
const size_t io_real_count = sizeof io_real_tests / sizeof io_real_tests[0];
