/* Multi-segment WFDB records: fixed layout with a null segment, variable layout with a layout
 * header and segments holding different signals, broken segment tables. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "io_test.h"

/* Writes record `name`: a header for signals `labels` (format 16, gain 10/mV, initial values
 * and checksums) and a .dat of n frames; sample t of signal c is v0[c] + t. */
static void write_segment(const char *name, size_t nsig, const char *const *labels, int n,
                          const int *v0)
{
    char p[512], hea[512], dat[64];
    unsigned char bytes[256];
    size_t nb = 0;
    for (int t = 0; t < n; t++) {
        for (size_t c = 0; c < nsig; c++) {
            int v = v0[c] + t;
            bytes[nb++] = (unsigned char)(v & 0xff);
            bytes[nb++] = (unsigned char)((v >> 8) & 0xff);
        }
    }
    snprintf(dat, sizeof dat, "%s.dat", name);
    io_test_write_file(io_test_path(dat, p, sizeof p), bytes, nb);
    int len = snprintf(hea, sizeof hea, "%s %zu 100 %d\n", name, nsig, n);
    for (size_t c = 0; c < nsig; c++) { /* checksum: the 16-bit sum of the samples */
        int sum = n * v0[c] + n * (n - 1) / 2;
        len += snprintf(hea + len, sizeof hea - (size_t)len, "%s 16 10/mV 16 0 %d %d 0 %s\n",
                        dat, v0[c], (int)(int16_t)sum, labels[c]);
    }
    snprintf(dat, sizeof dat, "%s.hea", name);
    io_test_write_file(io_test_path(dat, p, sizeof p), hea, (size_t)len);
}

static const char *write_header(const char *name, const char *text, char *p, size_t cap)
{
    io_test_write_file(io_test_path(name, p, cap), text, strlen(text));
    return p;
}

/* Reads channel `label` of the record in blocks of 3 from frame 1, then frame 0 alone. */
static void read_channel(const char *path, const char *label, float *x, size_t n)
{
    etw_reader *r = NULL;
    char detail[512];
    assert_int_equal(etw_reader_open(path, NULL, &r, detail, sizeof detail), ETW_OK);
    assert_int_equal(etw_reader_select_spec(r, label), ETW_OK);
    assert_int_equal(etw_reader_seek(r, 1), ETW_OK);
    for (size_t at = 1, got = 1; got > 0; at += got) {
        float *out[1] = {x + at};
        assert_int_equal(etw_reader_read(r, out, 3, &got), ETW_OK);
    }
    assert_int_equal(etw_reader_tell(r), (int64_t)n);
    assert_int_equal(etw_reader_seek(r, 0), ETW_OK);
    float *out[1] = {x};
    size_t got = 0;
    assert_int_equal(etw_reader_read(r, out, 1, &got), ETW_OK);
    etw_reader_close(r);
}

static void expect_series(const float *x, const double *want, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (isnan(want[i])) {
            assert_true(isnan(x[i]));
        } else {
            assert_close(x[i], want[i], 0, 1e-6);
        }
    }
}

static void test_multiseg_fixed(void **state)
{
    (void)state;
    const char *const ab[] = {"A", "B"};
    write_segment("m_1", 2, ab, 4, (const int[]){10, -10});
    write_segment("m_2", 2, ab, 3, (const int[]){100, -100});
    char p[512];
    write_header("m.hea", "m/3 2 100 10\nm_1 4\n~ 3\nm_2 3\n", p, sizeof p);
    etw_recording *rec = NULL;
    char detail[512];
    assert_int_equal(etw_recording_load(p, NULL, NULL, 0, &rec, detail, sizeof detail), ETW_OK);
    assert_string_equal(rec->info.format_name, "WFDB (3 segments)");
    assert_int_equal(rec->nch, 2);
    assert_int_equal(rec->nframes, 10);
    assert_string_equal(rec->channels[1].label, "B");
    const double nan = NAN;
    const double a[10] = {1.0, 1.1, 1.2, 1.3, nan, nan, nan, 10.0, 10.1, 10.2};
    expect_series(rec->data[0], a, 10);
    assert_close(rec->data[1][8], -9.9, 0, 1e-6);
    etw_recording_free(rec);
    float x[10];
    read_channel(p, "A", x, 10);
    expect_series(x, a, 10);
    etw_failalloc_sweep(io_test_load_attempt, p);
}

static void test_multiseg_variable(void **state)
{
    (void)state;
    const char *const b[] = {"B"}, *const ba[] = {"B", "A"};
    write_segment("v_1", 1, b, 4, (const int[]){-10});
    write_segment("v_2", 2, ba, 3, (const int[]){-100, 100});
    char p[512];
    write_header("v_layout.hea", "v_layout 2 100 0\n~ 0 10/mV 16 0 0 0 0 A\n"
                 "~ 0 10/mV 16 0 0 0 0 B\n", p, sizeof p);
    write_header("v.hea", "v/3 2 100\nv_layout 0\nv_1 4\nv_2 3\n", p, sizeof p);
    float x[7];
    const double nan = NAN;
    read_channel(p, "A", x, 7); /* absent from v_1 */
    expect_series(x, (const double[]){nan, nan, nan, nan, 10.0, 10.1, 10.2}, 7);
    read_channel(p, "B", x, 7);
    expect_series(x, (const double[]){-1.0, -0.9, -0.8, -0.7, -10.0, -9.9, -9.8}, 7);
    etw_failalloc_sweep(io_test_load_attempt, p);
}

static void test_multiseg_broken(void **state)
{
    (void)state;
    const char *const ab[] = {"A", "B"};
    write_segment("w_1", 2, ab, 4, (const int[]){0, 0});
    char p[512], detail[512];
    etw_reader *r = NULL;
    write_header("w1.hea", "w1/1 2 100\nw_1 5\n", p, sizeof p);
    assert_int_equal(etw_reader_open(p, NULL, &r, detail, sizeof detail), ETW_ERR_MISMATCH);
    assert_non_null(strstr(detail, "segment 0 ('w_1') has 4 frames, the record's segment line "
                                   "says 5"));
    write_header("w2.hea", "w2/2 2 100 9\nw_1 4\n~ 4\n", p, sizeof p);
    assert_int_equal(etw_reader_open(p, NULL, &r, detail, sizeof detail), ETW_ERR_MISMATCH);
    assert_non_null(strstr(detail, "the record line says 9 samples, its segments hold 8"));
    write_header("w3.hea", "w3/2 2 100\nw_1 4\n", p, sizeof p);
    assert_int_equal(etw_reader_open(p, NULL, &r, detail, sizeof detail), ETW_ERR_FORMAT);
    assert_non_null(strstr(detail, "announces 2 segments but the header has 1"));
    write_header("w5.hea", "w5/1 2 100\nw5 4\n", p, sizeof p); /* itself as its segment */
    assert_int_equal(etw_reader_open(p, NULL, &r, detail, sizeof detail), ETW_ERR_FORMAT);
    assert_non_null(strstr(detail, "is itself multi-segment"));
    write_header("w4.hea", "w4/1 3 100\nw_1 4\n", p, sizeof p);
    assert_int_equal(etw_reader_open(p, NULL, &r, detail, sizeof detail), ETW_ERR_FORMAT);
    assert_non_null(strstr(detail, "segment 0 ('w_1') has 2 signals, the record 3"));
    assert_null(r);
}

const struct CMUnitTest io_multiseg_tests[] = {
    cmocka_unit_test(test_multiseg_fixed),
    cmocka_unit_test(test_multiseg_variable),
    cmocka_unit_test(test_multiseg_broken),
};
const size_t io_multiseg_count = sizeof io_multiseg_tests / sizeof io_multiseg_tests[0];
