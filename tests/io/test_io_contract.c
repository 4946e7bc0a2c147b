/* API contract: NULL arguments, bad ranges and calls in the wrong state are refused with the
 * documented status and never crash; EDF readers open and close from several threads. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "io_test.h"

static void test_null_arguments(void **state)
{
    (void)state;
    etw_reader *r = NULL;
    char detail[64];
    assert_int_equal(etw_reader_open(NULL, NULL, &r, detail, sizeof detail), ETW_ERR_NULL);
    assert_int_equal(etw_reader_open("x", NULL, NULL, detail, sizeof detail), ETW_ERR_NULL);
    assert_int_equal(etw_reader_info(NULL, NULL), ETW_ERR_NULL);
    assert_int_equal(etw_reader_channel(NULL, 0, NULL), ETW_ERR_NULL);
    assert_int_equal(etw_reader_annotation(NULL, 0, NULL), ETW_ERR_NULL);
    assert_int_equal(etw_reader_select(NULL, NULL, 0), ETW_ERR_NULL);
    assert_int_equal(etw_reader_select_spec(NULL, "x"), ETW_ERR_NULL);
    assert_null(etw_reader_selection(NULL, NULL, NULL, NULL));
    size_t got = 7;
    assert_int_equal(etw_reader_read(NULL, NULL, 1, &got), ETW_ERR_NULL);
    assert_int_equal(got, 0);
    assert_int_equal(etw_reader_seek(NULL, 0), ETW_ERR_NULL);
    assert_int_equal(etw_reader_tell(NULL), -1);
    assert_string_equal(etw_reader_error(NULL), "");
    etw_reader_close(NULL);
    etw_recording *rec = NULL;
    assert_int_equal(etw_recording_load(NULL, NULL, NULL, 0, &rec, NULL, 0), ETW_ERR_NULL);
    assert_int_equal(etw_recording_load("x", NULL, NULL, 0, NULL, NULL, 0), ETW_ERR_NULL);
    etw_recording_free(NULL);
    etw_open_options_default(NULL);
    etw_signal_spec_default(NULL);
    assert_true(etw_unit_to_volts(NULL) == 0.0);

    etw_table_writer *tw = NULL;
    const char *cols[] = {"onset"};
    assert_int_equal(etw_table_writer_create(NULL, ETW_TABLE_TSV, cols, 1, 0, &tw, NULL, 0),
                     ETW_ERR_NULL);
    assert_int_equal(etw_table_writer_create("x.tsv", ETW_TABLE_TSV, cols, 0, 0, &tw, NULL, 0),
                     ETW_ERR_RANGE);
    assert_int_equal(etw_table_writer_create("x.tsv", (etw_table_format)9, cols, 1, 0, &tw,
                                             NULL, 0),
                     ETW_ERR_RANGE);
    assert_null(tw);
    assert_int_equal(etw_table_writer_row(NULL, NULL), ETW_ERR_NULL);
    assert_int_equal(etw_table_writer_param(NULL, "a", etw_cell_none()), ETW_ERR_NULL);
    assert_int_equal(etw_table_writer_commit(NULL), ETW_ERR_NULL);
    etw_table_writer_destroy(NULL);
    assert_string_equal(etw_table_writer_error(NULL), "");

    etw_signal_writer *sw = NULL;
    etw_signal_spec s;
    etw_signal_spec_default(&s);
    assert_int_equal(etw_signal_writer_create("x.edf", &s, &sw, NULL, 0), ETW_ERR_RANGE);
    s.nch = 1;
    s.fs_hz = NAN;
    assert_int_equal(etw_signal_writer_create("x.edf", &s, &sw, NULL, 0), ETW_ERR_RANGE);
    s.fs_hz = 1000;
    s.phys_min = 1;
    assert_int_equal(etw_signal_writer_create("x.edf", &s, &sw, NULL, 0), ETW_ERR_RANGE);
    assert_null(sw);
    assert_int_equal(etw_signal_writer_create(NULL, &s, &sw, NULL, 0), ETW_ERR_NULL);
    assert_int_equal(etw_signal_writer_write(NULL, NULL, 1), ETW_ERR_NULL);
    assert_int_equal(etw_signal_writer_annotate(NULL, 0, 0, "x"), ETW_ERR_NULL);
    assert_int_equal(etw_signal_writer_commit(NULL), ETW_ERR_NULL);
    etw_signal_writer_destroy(NULL);
    assert_string_equal(etw_signal_writer_error(NULL), "");
}

/* An EDF rate that no record length up to 100 s makes whole is refused before any file is
 * made; the writer refuses NaN annotation times. */
static void test_writer_ranges(void **state)
{
    (void)state;
    char p[512];
    io_test_path("odd_rate.edf", p, sizeof p);
    etw_signal_spec s;
    etw_signal_spec_default(&s);
    s.nch = 1;
    s.fs_hz = 1000.0 / 3.0;
    etw_signal_writer *w = NULL;
    char detail[256];
    assert_int_equal(etw_signal_writer_create(p, &s, &w, detail, sizeof detail),
                     ETW_ERR_UNSUPPORTED);
    assert_non_null(strstr(detail, "odd_rate.edf"));
    s.fs_hz = 250;
    assert_int_equal(etw_signal_writer_create(p, &s, &w, detail, sizeof detail), ETW_OK);
    assert_int_equal(etw_signal_writer_annotate(w, NAN, 0, "x"), ETW_ERR_RANGE);
    assert_int_equal(etw_signal_writer_annotate(w, -1, 0, "x"), ETW_ERR_RANGE);
    etw_signal_writer_destroy(w); /* never committed: nothing left */
    assert_null(fopen(p, "rb"));
}

static const char *thread_path;

static void *open_many(void *arg)
{
    (void)arg;
    for (int i = 0; i < 20; i++) {
        etw_recording *rec = NULL;
        if (etw_recording_load(thread_path, NULL, NULL, 0, &rec, NULL, 0) != ETW_OK ||
            rec->nframes != 3000) {
            etw_recording_free(rec);
            return (void *)1;
        }
        etw_recording_free(rec);
    }
    return NULL;
}

/* EDFlib's open/close share a process-wide table: they go through one lock. */
static void test_edf_threads(void **state)
{
    (void)state;
    static char p[512];
    io_test_path("threads.edf", p, sizeof p);
    etw_signal_spec s;
    etw_signal_spec_default(&s);
    s.nch = 2;
    s.fs_hz = 1000;
    s.overwrite = 1;
    etw_signal_writer *w = NULL;
    assert_int_equal(etw_signal_writer_create(p, &s, &w, NULL, 0), ETW_OK);
    static float a[3000];
    const float *in[2] = {a, a};
    assert_int_equal(etw_signal_writer_write(w, in, 3000), ETW_OK);
    assert_int_equal(etw_signal_writer_commit(w), ETW_OK);
    etw_signal_writer_destroy(w);
    thread_path = p;
    pthread_t t[4];
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_create(&t[i], NULL, open_many, NULL), 0);
    }
    int failed = 0;
    for (int i = 0; i < 4; i++) {
        void *res;
        assert_int_equal(pthread_join(t[i], &res), 0);
        failed += res != NULL;
    }
    assert_int_equal(failed, 0);
}

const struct CMUnitTest io_contract_tests[] = {
    cmocka_unit_test(test_null_arguments),
    cmocka_unit_test(test_writer_ranges),
    cmocka_unit_test(test_edf_threads),
};
const size_t io_contract_count = sizeof io_contract_tests / sizeof io_contract_tests[0];
