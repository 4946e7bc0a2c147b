/* emgtwitch_io tests: runner, scratch folder, and the format-independent reader behaviour. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io_test.h"

const char *io_test_dir(void)
{
    static char dir[256];
    if (dir[0] == '\0') {
        snprintf(dir, sizeof dir, "/tmp/etw_io_test_XXXXXX");
        assert_non_null(mkdtemp(dir));
    }
    return dir;
}

const char *io_test_path(const char *name, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s/%s", io_test_dir(), name);
    return buf;
}

void io_test_write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static void test_glob_selection(void **state)
{
    (void)state;
    char p[512];
    const char *text = "time,EMG left,EMG right,ECG\n0,1,2,3\n0.001,4,5,6\n0.002,7,8,9\n";
    io_test_write_file(io_test_path("sel.csv", p, sizeof p), text, strlen(text));
    etw_reader *r = NULL;
    char detail[256];
    assert_int_equal(etw_reader_open(p, NULL, &r, detail, sizeof detail), ETW_OK);
    size_t nsel;
    double fs;
    int64_t n;
    const size_t *sel = etw_reader_selection(r, &nsel, &fs, &n);
    assert_int_equal(nsel, 3);
    assert_close(fs, 1000.0, 1e-9, 0);
    assert_int_equal(n, 3);
    assert_int_equal(etw_reader_select_spec(r, "emg*"), ETW_OK);
    sel = etw_reader_selection(r, &nsel, NULL, NULL);
    assert_int_equal(nsel, 2);
    assert_int_equal(sel[0], 0);
    assert_int_equal(sel[1], 1);
    assert_int_equal(etw_reader_select_spec(r, "ecg, 0"), ETW_OK);
    sel = etw_reader_selection(r, &nsel, NULL, NULL);
    assert_int_equal(nsel, 2);
    assert_int_equal(sel[0], 2);
    assert_int_equal(sel[1], 0);
    float a[3], b[3];
    float *out[2] = {a, b};
    size_t got;
    assert_int_equal(etw_reader_seek(r, 1), ETW_OK);
    assert_int_equal(etw_reader_read(r, out, 10, &got), ETW_OK);
    assert_int_equal(got, 2);
    assert_true(a[0] == 6.0f && a[1] == 9.0f && b[0] == 4.0f && b[1] == 7.0f);
    assert_int_equal(etw_reader_read(r, out, 10, &got), ETW_OK);
    assert_int_equal(got, 0);
    assert_int_equal(etw_reader_select_spec(r, "EEG*"), ETW_ERR_NOT_FOUND);
    assert_non_null(strstr(etw_reader_error(r), "EEG*"));
    assert_int_equal(etw_reader_seek(r, 4), ETW_ERR_RANGE);
    etw_reader_close(r);
}

/* Reading in blocks of random sizes (0 and 1 included) after random seeks gives the same
 * samples as one read of everything. */
static void test_block_partition(void **state)
{
    (void)state;
    char p[512];
    FILE *f = fopen(io_test_path("blocks.tsv", p, sizeof p), "wb");
    assert_non_null(f);
    fprintf(f, "# comment\nA\tB\n");
    for (int i = 0; i < 10000; i++) {
        fprintf(f, "%d\t%d.5\n", i, -i);
        if (i % 777 == 0) {
            fprintf(f, "# interleaved comment\n\n");
        }
    }
    fclose(f);
    etw_open_options o;
    etw_open_options_default(&o);
    o.fs_hz = 500;
    etw_recording *rec = NULL;
    assert_int_equal(etw_recording_load(p, &o, NULL, 0, &rec, NULL, 0), ETW_OK);
    assert_int_equal(rec->nframes, 10000);
    assert_true(rec->data[1][9999] == -9999.5f);
    etw_reader *r = NULL;
    assert_int_equal(etw_reader_open(p, &o, &r, NULL, 0), ETW_OK);
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 42);
    float a[300], b[300];
    float *out[2] = {a, b};
    for (int trial = 0; trial < 200; trial++) {
        int64_t at = (int64_t)etw_test_rng_below(&rng, 10001);
        assert_int_equal(etw_reader_seek(r, at), ETW_OK);
        for (int k = 0; k < 5; k++) {
            size_t want = etw_test_rng_below(&rng, 4) == 0 ? etw_test_rng_below(&rng, 2)
                                                           : etw_test_rng_below(&rng, 300);
            size_t got;
            assert_int_equal(etw_reader_read(r, out, want, &got), ETW_OK);
            for (size_t i = 0; i < got; i++) {
                assert_true(a[i] == rec->data[0][at + (int64_t)i]);
                assert_true(b[i] == rec->data[1][at + (int64_t)i]);
            }
            at += (int64_t)got;
            assert_int_equal(etw_reader_tell(r), at);
        }
    }
    etw_reader_close(r);
    etw_recording_free(rec);
}

/* Loads `text` written to `name` with the decimal option; returns the status and the detail. */
static etw_status load_text(const char *name, const char *text, char decimal, double fs,
                            etw_recording **rec, char *detail, size_t cap)
{
    char p[512];
    io_test_write_file(io_test_path(name, p, sizeof p), text, strlen(text));
    etw_open_options o;
    etw_open_options_default(&o);
    o.decimal = decimal;
    o.fs_hz = fs;
    return etw_recording_load(p, &o, NULL, 0, rec, detail, cap);
}

static void expect_values(const etw_recording *rec, const char *format, size_t nch,
                          const float *x, size_t n)
{
    assert_string_equal(rec->info.format_name, format);
    assert_int_equal(rec->nch, nch);
    assert_int_equal(rec->nframes, n / nch);
    for (size_t i = 0; i < n; i++) {
        assert_true(rec->data[i % nch][i / nch] == x[i]);
    }
}

static void test_decimal_comma(void **state)
{
    (void)state;
    etw_recording *rec = NULL;
    char d[512];
    /* detected: ';' separated, commas in numbers; time column in decimal comma */
    assert_int_equal(load_text("dc.csv", "time;EMG1;EMG2\n0,000;1,25;-3,5\n0,001;2,5;4\n"
                               "0,002;1e-3;0,5\n", 0, 0, &rec, d, sizeof d), ETW_OK);
    expect_values(rec, "semicolon text, decimal comma", 2,
                  (const float[]){1.25f, -3.5f, 2.5f, 4, 1e-3f, 0.5f}, 6);
    assert_close(rec->fs_hz, 1000.0, 1e-9, 0);
    etw_recording_free(rec);
    /* tabs, no header, integers first: decided at the first row with a comma */
    assert_int_equal(load_text("dc.tsv", "1\t2\n3\t4,5\n-6\t,5\n", 0, 100, &rec, d, sizeof d),
                     ETW_OK);
    expect_values(rec, "TSV, decimal comma", 2, (const float[]){1, 2, 3, 4.5f, -6, 0.5f}, 6);
    etw_recording_free(rec);
    /* blank-separated only when asked */
    assert_int_equal(load_text("dc.txt", "1,5 2,5\n3 4\n", ',', 100, &rec, d, sizeof d), ETW_OK);
    expect_values(rec, "blank text, decimal comma", 2, (const float[]){1.5f, 2.5f, 3, 4}, 4);
    etw_recording_free(rec);
    /* a point decides '.'; ',' stays the field separator of CSV */
    assert_int_equal(load_text("dp.csv", "a;b\n1.5;2\n", 0, 100, &rec, d, sizeof d), ETW_OK);
    expect_values(rec, "semicolon-separated text", 2, (const float[]){1.5f, 2}, 2);
    etw_recording_free(rec);
    assert_int_equal(load_text("c.csv", "a,b\n1,2\n3.5,4\n", 0, 100, &rec, d, sizeof d), ETW_OK);
    expect_values(rec, "CSV", 2, (const float[]){1, 2, 3.5f, 4}, 4);
    etw_recording_free(rec);
    /* broken: a comma after the point was decided, forced '.', a bad option */
    assert_int_equal(load_text("bad1.csv", "a;b\n1.5;2\n1,5;3\n", 0, 100, &rec, d, sizeof d),
                     ETW_ERR_FORMAT);
    assert_non_null(strstr(d, "bad1.csv: line 3, column 1 (a): not a number '1,5' (decimal "
                              "comma? set the decimal separator option to ',')"));
    assert_int_equal(load_text("bad2.csv", "a;b\n1,5;2\n", '.', 100, &rec, d, sizeof d),
                     ETW_ERR_FORMAT);
    assert_non_null(strstr(d, "bad2.csv: line 2, column 1 (a): not a number '1,5'"));
    assert_int_equal(load_text("bad3.csv", "1;2\n", 'x', 100, &rec, d, sizeof d), ETW_ERR_RANGE);
    assert_non_null(strstr(d, "decimal separator option"));
    assert_null(rec);
}

/* A jittery time column: refused, unless a rate is given, which then replaces it. */
static void test_irregular_time_with_rate(void **state)
{
    (void)state;
    const char *text = "t,EMG\n0,1\n0.001,2\n0.0035,3\n0.004,4\n";
    etw_recording *rec = NULL;
    char d[512];
    assert_int_equal(load_text("jitter.csv", text, 0, 0, &rec, d, sizeof d), ETW_ERR_FORMAT);
    assert_non_null(strstr(d, "line 4: time column is irregular"));
    assert_int_equal(load_text("jitter.csv", text, 0, 1000, &rec, d, sizeof d), ETW_OK);
    expect_values(rec, "CSV", 1, (const float[]){1, 2, 3, 4}, 4);
    assert_close(rec->fs_hz, 1000.0, 0, 0);
    etw_recording_free(rec);
    /* a regular time column still wins over the option */
    assert_int_equal(load_text("reg.csv", "t,EMG\n0,1\n0.002,2\n0.004,3\n", 0, 1000, &rec, d,
                               sizeof d), ETW_OK);
    assert_close(rec->fs_hz, 500.0, 1e-9, 0);
    etw_recording_free(rec);
}

static void test_format_names(void **state)
{
    (void)state;
    etw_format f;
    assert_int_equal(etw_format_from_name("WFDB", &f), ETW_OK);
    assert_int_equal(f, ETW_FORMAT_WFDB);
    assert_int_equal(etw_format_from_name("flac", &f), ETW_OK);
    assert_int_equal(f, ETW_FORMAT_SOUND);
    assert_int_equal(etw_format_from_name("mp3x", &f), ETW_ERR_NOT_FOUND);
    assert_true(etw_unit_to_volts("uV") == 1e-6);
    assert_true(etw_unit_to_volts("mv") == 1e-3);
    assert_true(etw_unit_to_volts("bpm") == 0.0);
    assert_int_equal(etw_reader_open(NULL, NULL, NULL, NULL, 0), ETW_ERR_NULL);
}

int main(void)
{
    const struct CMUnitTest local[] = {
        cmocka_unit_test(test_glob_selection),
        cmocka_unit_test(test_block_partition),
        cmocka_unit_test(test_format_names),
        cmocka_unit_test(test_decimal_comma),
        cmocka_unit_test(test_irregular_time_with_rate),
    };
    int failed = _cmocka_run_group_tests("io", local, sizeof local / sizeof local[0], NULL, NULL);
    failed += _cmocka_run_group_tests("io_real", io_real_tests, io_real_count, NULL, NULL);
    failed += _cmocka_run_group_tests("io_write", io_write_tests, io_write_count, NULL, NULL);
    failed += _cmocka_run_group_tests("io_corpus", io_corpus_tests, io_corpus_count, NULL, NULL);
    failed += _cmocka_run_group_tests("io_edfd", io_edfd_tests, io_edfd_count, NULL, NULL);
    failed += _cmocka_run_group_tests("io_multiseg", io_multiseg_tests, io_multiseg_count, NULL,
                                      NULL);
    failed += _cmocka_run_group_tests("io_contract", io_contract_tests, io_contract_count, NULL,
                                      NULL);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", io_test_dir());
    if (system(cmd) != 0) {
        failed++;
    }
    return failed;
}
