/* EDF+D/BDF+D (discontinuous): samples are the records one after another, segments give
 * the gaps, annotations keep their true onsets; broken time stamps are refused. */
#include <string.h>

#include "edfd_file.h"
#include "io_test.h"

/* Checks every sample of channel c (file signal i) read through a selection of it alone. */
static void check_samples(etw_reader *r, const edfd_spec *s, int i)
{
    size_t idx = (size_t)i;
    assert_int_equal(etw_reader_select(r, &idx, 1), ETW_OK);
    float x[64];
    float *out[1] = {x};
    size_t got = 0;
    assert_int_equal(etw_reader_read(r, out, 64, &got), ETW_OK);
    assert_int_equal(got, (size_t)(s->nrec * s->spr[i]));
    for (int rec = 0, n = 0; rec < s->nrec; rec++) {
        for (int k = 0; k < s->spr[i]; k++, n++) {
            assert_true(x[n] == (float)edfd_value(s->bdf, i, rec, k));
        }
    }
}

static void expect_segment(etw_reader *r, size_t index, double onset, int64_t first,
                           int64_t n)
{
    etw_recording_segment g;
    assert_int_equal(etw_reader_segment(r, index, &g), ETW_OK);
    assert_close(g.onset_s, onset, 0, 1e-9);
    assert_int_equal(g.first_frame, first);
    assert_int_equal(g.nframes, n);
}

/* Writes the file, opens it and checks its format name. */
static etw_reader *open_written(const char *name, const edfd_spec *s, const char *format,
                                etw_recording_info *info, char *path, size_t cap)
{
    char detail[256];
    edfd_write(io_test_path(name, path, cap), s);
    etw_reader *r = NULL;
    assert_int_equal(etw_reader_open(path, NULL, &r, detail, sizeof detail), ETW_OK);
    assert_int_equal(etw_reader_info(r, info), ETW_OK);
    assert_string_equal(info->format_name, format);
    return r;
}

static void test_edfd_segments(void **state)
{
    (void)state;
    /* records of 0.1 s at 0, 0.1, 0.2, then a 0.7 s gap, 1.0, 1.1 */
    const char *const onset[] = {"+0", "+0.1", "+0.2", "+1.0", "+1.1"};
    const char *const tals[] = {"+0.05\x14stim A\x14", "", "", "+1.05\x15" "0.2\x14stim B\x14X\x14",
                                ""};
    edfd_spec s = {0, 2, {10, 5}, "0.1", 5, onset, tals, 30, 1};
    char p[512], detail[256];
    etw_recording_info info;
    etw_reader *r = open_written("gap.edf", &s, "EDF+D", &info, p, sizeof p);
    assert_int_equal(info.nch, 2);
    assert_int_equal(info.nsegments, 2);
    assert_close(info.duration_s, 0.5, 0, 1e-12); /* samples, gaps not counted */
    assert_int_equal(info.has_start, 1);
    assert_int_equal(info.start.year, 2026);
    assert_int_equal(info.start.second, 30);
    etw_channel_info c;
    assert_int_equal(etw_reader_channel(r, 1, &c), ETW_OK);
    assert_close(c.fs_hz, 50.0, 1e-12, 0);
    assert_int_equal(c.nframes, 25);
    assert_string_equal(c.unit, "uV");
    /* initial selection: the 100 Hz channel; segments in its frames */
    expect_segment(r, 0, 0.0, 0, 30);
    expect_segment(r, 1, 1.0, 30, 20);
    etw_recording_segment g;
    assert_int_equal(etw_reader_segment(r, 2, &g), ETW_ERR_NOT_FOUND);
    check_samples(r, &s, 0);
    check_samples(r, &s, 1); /* now the 50 Hz channel: frames halve */
    expect_segment(r, 1, 1.0, 15, 10);
    assert_int_equal(info.nannotations, 3);
    const double at[] = {0.05, 1.05, 1.05}, dur[] = {-1, 0.2, 0.2};
    const char *const text[] = {"stim A", "stim B", "X"};
    for (size_t k = 0; k < 3; k++) {
        etw_annotation a;
        assert_int_equal(etw_reader_annotation(r, k, &a), ETW_OK);
        assert_close(a.onset_s, at[k], 0, 1e-12);
        assert_close(a.duration_s, dur[k], 0, 1e-12);
        assert_string_equal(a.text, text[k]);
    }
    etw_reader_close(r);
    etw_recording *rec = NULL;
    assert_int_equal(etw_recording_load(p, NULL, "EMG2", 0, &rec, detail, sizeof detail),
                     ETW_OK);
    assert_int_equal(rec->info.nsegments, 2);
    assert_int_equal(rec->segments[1].first_frame, 15);
    assert_close(rec->segments[1].duration_s, 0.2, 0, 1e-12);
    etw_recording_free(rec);
    etw_failalloc_sweep(io_test_load_attempt, p);
    /* random seeks and blocks (0- and 1-frame ones included) give the same samples */
    assert_int_equal(etw_reader_open(p, NULL, &r, detail, sizeof detail), ETW_OK);
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 5);
    float x[64];
    float *out[1] = {x};
    for (int trial = 0; trial < 300; trial++) {
        int64_t from = (int64_t)etw_test_rng_below(&rng, 51);
        size_t got = 0;
        assert_int_equal(etw_reader_seek(r, from), ETW_OK);
        assert_int_equal(etw_reader_read(r, out, etw_test_rng_below(&rng, 12), &got), ETW_OK);
        for (size_t i = 0; i < got; i++) {
            int64_t f = from + (int64_t)i;
            assert_true(x[i] == (float)edfd_value(0, 0, (int)(f / 10), (int)(f % 10)));
        }
    }
    etw_reader_close(r);
}

static void test_bdfd_late_start(void **state)
{
    (void)state;
    /* 24-bit samples; the first record starts 0.5 s after the header's start time; three
     * records of 1 s with a gap after the first; time stamps with more decimals than 100 ns */
    const char *const onset[] = {"+0.5", "+2.00000001", "+3"};
    edfd_spec s = {1, 1, {8}, "1", 3, onset, NULL, 20, 1};
    char p[512];
    etw_recording_info info;
    etw_reader *r = open_written("late.bdf", &s, "BDF+D", &info, p, sizeof p);
    assert_int_equal(info.nsegments, 2); /* 2.0 + 1 s = 3: the last two are contiguous */
    expect_segment(r, 0, 0.5, 0, 8);
    expect_segment(r, 1, 2.0, 8, 16);
    check_samples(r, &s, 0);
    etw_reader_close(r);
}

static void test_edfd_broken(void **state)
{
    (void)state;
    char p[512], detail[256];
    etw_reader *r = NULL;
    const char *const overlap[] = {"+0", "+0.05"};
    edfd_spec s = {0, 1, {4}, "0.1", 2, overlap, NULL, 10, 1};
    edfd_write(io_test_path("overlap.edf", p, sizeof p), &s);
    assert_int_equal(etw_reader_open(p, NULL, &r, detail, sizeof detail), ETW_ERR_FORMAT);
    assert_non_null(strstr(detail, "data record 1 starts at 0.05"));
    const char *const unsigned_stamp[] = {"+0", "0.1"};
    s.onset = unsigned_stamp;
    edfd_write(io_test_path("stamp.edf", p, sizeof p), &s);
    assert_int_equal(etw_reader_open(p, NULL, &r, detail, sizeof detail), ETW_ERR_FORMAT);
    assert_non_null(strstr(detail, "data record 1, byte 0"));
    const char *const fine[] = {"+0", "+0.1"};
    const char *const unclosed[] = {"", "+0.15\x14no end"};
    s.onset = fine;
    s.tals = unclosed;
    edfd_write(io_test_path("unclosed.edf", p, sizeof p), &s);
    assert_int_equal(etw_reader_open(p, NULL, &r, detail, sizeof detail), ETW_ERR_FORMAT);
    assert_non_null(strstr(detail, "not closed by byte 20"));
    s.tals = NULL;
    s.with_annotations = 0;
    edfd_write(io_test_path("noannot.edf", p, sizeof p), &s);
    assert_int_equal(etw_reader_open(p, NULL, &r, detail, sizeof detail), ETW_ERR_FORMAT);
    assert_non_null(strstr(detail, "without an \"EDF Annotations\" signal"));
    assert_null(r);
}

const struct CMUnitTest io_edfd_tests[] = {
    cmocka_unit_test(test_edfd_segments),
    cmocka_unit_test(test_bdfd_late_start),
    cmocka_unit_test(test_edfd_broken),
};
const size_t io_edfd_count = sizeof io_edfd_tests / sizeof io_edfd_tests[0];
