/* The broken-file corpus (tests/io/corpus): each file is rejected with its status and a
 * detail that names the file and the place at fault. Plus generated cases too big to keep. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io_test.h"

typedef struct corpus_case {
    const char *file;
    etw_status want;
    const char *detail; /* substring the detail must contain */
} corpus_case;

static const corpus_case cases[] = {
    {"empty.csv", ETW_ERR_FORMAT, "empty file"},
    {"only_comments.txt", ETW_ERR_FORMAT, "no data rows"},
    {"ragged.csv", ETW_ERR_MISMATCH, "line 3 has 2 fields"},
    {"nonnumeric.csv", ETW_ERR_FORMAT, "line 3, column 3 (b): not a number 'x7'"},
    {"nan.csv", ETW_ERR_NONFINITE, "line 3, column 2 (a): not finite"},
    {"decimal_mixed.csv", ETW_ERR_FORMAT, "line 3, column 2 (EMG1): not a number '2.5' (the "
                                          "decimal separator is ',')"},
    {"irregular_time.csv", ETW_ERR_FORMAT, "line 5: time column is irregular"},
    {"time_not_increasing.csv", ETW_ERR_FORMAT, "line 3: time column is irregular"},
    {"no_rate.csv", ETW_ERR_FORMAT, "no sample rate"},
    {"header_only.csv", ETW_ERR_FORMAT, "no data rows"},
    {"garbage.bin", ETW_ERR_FORMAT, "unrecognised content"},
    {"wrong_magic.edf", ETW_ERR_FORMAT, "wrong magic"},
    {"truncated_header.edf", ETW_ERR_TRUNCATED, "256-byte"},
    {"truncated_data.edf", ETW_ERR_TRUNCATED, "2668 bytes, but the header's 2 records need 2768"},
    {"bad_signal_count.edf", ETW_ERR_OVERFLOW, "byte 252: 9999 signals"},
    {"bad_record_count.edf", ETW_ERR_FORMAT, "byte 236"},
    {"extra_bytes.edf", ETW_ERR_MISMATCH, "2778 bytes, more than the header's 2 records need"},
    {"riff_junk.wav", ETW_ERR_FORMAT, "libsndfile"},
    {"missing_dat.hea", ETW_ERR_OPEN, "nowhere.dat"},
    {"short_dat.hea", ETW_ERR_TRUNCATED, "has 6 bytes but the header's 4 samples need 8"},
    {"long_dat.hea", ETW_ERR_MISMATCH, "has 10 bytes but the header's 4 samples need 8"},
    {"signal_count.hea", ETW_ERR_FORMAT, "announces 3 signals but the header has 1"},
    {"bad_gain.hea", ETW_ERR_FORMAT, "line 2, field 'ADC gain': invalid value 'abc/mV'"},
    {"bad_fs.hea", ETW_ERR_NONFINITE, "line 1: sampling frequency"},
    {"huge_signal_count.hea", ETW_ERR_OVERFLOW, "100000 signals"},
    {"unsupported_format.hea", ETW_ERR_UNSUPPORTED, "format 8 "},
    {"bad_checksum.hea", ETW_ERR_CHECKSUM, "checksum 100 differs from the header's 101"},
    {"bad_initial_value.hea", ETW_ERR_CHECKSUM, "initial value 11"},
    {"absurd_samples.hea", ETW_ERR_OVERFLOW, "absurd"},
    {"multi_segment.hea", ETW_ERR_OPEN, "segment 0 ('seg_1'): "},
    {"empty.hea", ETW_ERR_FORMAT, "empty header"},
    {"absolute_path.hea", ETW_ERR_FORMAT, "relative"},
    {"does_not_exist.csv", ETW_ERR_OPEN, "cannot open"},
};

static void test_corpus(void **state)
{
    (void)state;
    int bad = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[512], detail[512];
        snprintf(path, sizeof path, "%s/corpus/%s", ETW_TEST_DATA_DIR, cases[i].file);
        etw_reader *r = NULL;
        etw_status st = etw_reader_open(path, NULL, &r, detail, sizeof detail);
        if (st != cases[i].want || strstr(detail, cases[i].detail) == NULL ||
            strstr(detail, cases[i].file) == NULL || r != NULL) {
            print_error("%s: got %s '%s', want %s '%s'\n", cases[i].file, etw_status_name(st),
                        detail, etw_status_name(cases[i].want), cases[i].detail);
            bad++;
        }
        etw_reader_close(r);
    }
    assert_int_equal(bad, 0);
}

static void test_corpus_valid_record(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/corpus/valid_one.hea", ETW_TEST_DATA_DIR);
    etw_recording *rec = NULL;
    assert_int_equal(etw_recording_load(path, NULL, NULL, 0, &rec, NULL, 0), ETW_OK);
    assert_int_equal(rec->nframes, 4);
    assert_close(rec->data[0][3], 40.0 / 200.0, 1e-7, 0);
    etw_recording_free(rec);
}

/* A line longer than the reader's limit is refused, not buffered without bound. */
static void test_long_line(void **state)
{
    (void)state;
    char p[512], detail[512];
    io_test_path("long_line.csv", p, sizeof p);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    fputs("a\n1\n", f);
    for (int i = 0; i < 300000; i++) {
        fputc('7', f);
    }
    fputs("\n", f);
    fclose(f);
    etw_open_options o;
    etw_open_options_default(&o);
    o.fs_hz = 100;
    etw_reader *r = NULL;
    assert_int_equal(etw_reader_open(p, &o, &r, detail, sizeof detail), ETW_ERR_OVERFLOW);
    assert_non_null(strstr(detail, "line 3 is longer"));
}

/* Too many columns, and channels of different rates selected together. */
static void test_absurd_and_mismatch(void **state)
{
    (void)state;
    char p[512], detail[512];
    io_test_path("wide.csv", p, sizeof p);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    for (int i = 0; i < ETW_MAX_CHANNELS + 20; i++) {
        fputs(i ? ",1" : "1", f);
    }
    fputc('\n', f);
    fclose(f);
    etw_reader *r = NULL;
    etw_open_options o;
    etw_open_options_default(&o);
    o.fs_hz = 100;
    assert_int_equal(etw_reader_open(p, &o, &r, detail, sizeof detail), ETW_ERR_OVERFLOW);
    o.fs_hz = -1;
    assert_int_equal(etw_reader_open(p, &o, &r, detail, sizeof detail), ETW_ERR_RANGE);

    /* EDF with two rates: "fast" 4 Hz and "slow" 2 Hz */
    io_test_path("two_rates.edf", p, sizeof p);
    f = fopen(p, "wb");
    assert_non_null(f);
    fprintf(f, "%-8s%-80s%-80s%-8s%-8s%-8d%-44s%-8d%-8d%-4d", "0", "X X X X", "Startdate X X X X",
            "01.01.20", "00.00.00", 768, "", 1, 1, 2);
    const char *field[][2] = {{"fast", "slow"}, {"", ""}, {"uV", "uV"}, {"-100", "-100"},
                              {"100", "100"}, {"-32768", "-32768"}, {"32767", "32767"},
                              {"", ""}, {"4", "2"}, {"", ""}};
    const int width[] = {16, 80, 8, 8, 8, 8, 8, 80, 8, 32};
    for (int k = 0; k < 10; k++) {
        fprintf(f, "%-*s%-*s", width[k], field[k][0], width[k], field[k][1]);
    }
    const short data[6] = {1, 2, 3, 4, 5, 6};
    assert_int_equal(fwrite(data, sizeof data[0], 6, f), 6);
    fclose(f);
    assert_int_equal(etw_reader_open(p, NULL, &r, detail, sizeof detail), ETW_OK);
    size_t nsel;
    double fs;
    const size_t *sel = etw_reader_selection(r, &nsel, &fs, NULL);
    assert_int_equal(nsel, 1); /* opening selects the channels of the first one's rate */
    assert_int_equal(sel[0], 0);
    assert_close(fs, 4.0, 0, 0);
    assert_int_equal(etw_reader_select_spec(r, "*"), ETW_ERR_MISMATCH);
    assert_non_null(strstr(etw_reader_error(r), "'fast' (4 Hz) and 'slow' (2 Hz)"));
    assert_int_equal(etw_reader_select_spec(r, "SLOW"), ETW_OK);
    float x[4];
    float *out[1] = {x};
    size_t got;
    assert_int_equal(etw_reader_read(r, out, 4, &got), ETW_OK);
    assert_int_equal(got, 2);
    etw_reader_close(r);
}

int io_test_load_attempt(void *ctx)
{
    etw_recording *rec = NULL;
    etw_open_options o;
    etw_open_options_default(&o);
    o.event_column = -1;
    o.fs_hz = 100;
    etw_status st = etw_recording_load(ctx, &o, NULL, 0, &rec, NULL, 0);
    etw_recording_free(rec);
    return st == ETW_OK;
}

static void test_allocation_failures(void **state)
{
    (void)state;
    char p[512];
    const char *text = "# Sampling Rate (Hz):= 100\n1,2,0\n3,4,7\n5,6,7\n7,8,0\n";
    io_test_write_file(io_test_path("alloc.csv", p, sizeof p), text, strlen(text));
    etw_failalloc_sweep(io_test_load_attempt, p);
    char hea[512];
    snprintf(hea, sizeof hea, "%s/corpus/valid_one.hea", ETW_TEST_DATA_DIR);
    etw_failalloc_sweep(io_test_load_attempt, hea);
}

const struct CMUnitTest io_corpus_tests[] = {
    cmocka_unit_test(test_corpus),
    cmocka_unit_test(test_corpus_valid_record),
    cmocka_unit_test(test_long_line),
    cmocka_unit_test(test_absurd_and_mismatch),
    cmocka_unit_test(test_allocation_failures),
};
const size_t io_corpus_count = sizeof io_corpus_tests / sizeof io_corpus_tests[0];
