/* Writers and round trips: event tables, signal files in every writable format, WFDB
 * records of every supported format encoded here and decoded by the reader. */
#include <dirent.h>
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io_test.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

/* No temporary ".name.XXXXXX" files are left in the scratch folder. */
static void assert_no_temporaries(void)
{
    DIR *d = opendir(io_test_dir());
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' && strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            print_error("temporary file left behind: %s\n", e->d_name);
            fail();
        }
    }
    closedir(d);
}

static void write_events(const char *path, etw_table_format fmt, int overwrite, etw_status want)
{
    const char *cols[] = {"onset", "duration", "trial_type", "channel", "snr_db"};
    etw_table_writer *w = NULL;
    char detail[256];
    etw_status st = etw_table_writer_create(path, fmt, cols, 5, overwrite, &w, detail,
                                            sizeof detail);
    assert_int_equal(st, want);
    if (st != ETW_OK) {
        assert_null(w);
        assert_non_null(strstr(detail, path));
        return;
    }
    assert_int_equal(etw_table_writer_param(w, "threshold_db", etw_cell_number(6.0)), ETW_OK);
    assert_int_equal(etw_table_writer_param(w, "preset", etw_cell_text("ltr")), ETW_OK);
    etw_cell row1[] = {etw_cell_number(1.25), etw_cell_number(0.05), etw_cell_text("twitch"),
                       etw_cell_text("EMG 1"), etw_cell_number(12.5)};
    etw_cell row2[] = {etw_cell_number(3.5), etw_cell_number(0.1), etw_cell_text("a,\"b\"\tc"),
                       etw_cell_int(2), etw_cell_number(NAN)};
    assert_int_equal(etw_table_writer_row(w, row1), ETW_OK);
    assert_int_equal(etw_table_writer_row(w, row2), ETW_OK);
    assert_int_equal(etw_table_writer_param(w, "late", etw_cell_none()), ETW_ERR_STATE);
    assert_int_equal(etw_table_writer_commit(w), ETW_OK);
    assert_int_equal(etw_table_writer_row(w, row1), ETW_ERR_STATE);
    etw_table_writer_destroy(w);
}

static void test_event_tables(void **state)
{
    (void)state;
    char p[512];
    io_test_path("events.tsv", p, sizeof p);
    write_events(p, ETW_TABLE_TSV, 0, ETW_OK);
    assert_string_equal(slurp(p), "onset\tduration\ttrial_type\tchannel\tsnr_db\n"
                                  "1.25\t0.05\ttwitch\tEMG 1\t12.5\n"
                                  "3.5\t0.1\ta,\"b\" c\t2\tn/a\n");
    write_events(p, ETW_TABLE_TSV, 0, ETW_ERR_EXISTS);
    write_events(p, ETW_TABLE_TSV, 1, ETW_OK);
    io_test_path("events.csv", p, sizeof p);
    write_events(p, ETW_TABLE_CSV, 0, ETW_OK);
    assert_string_equal(slurp(p), "onset,duration,trial_type,channel,snr_db\n"
                                  "1.25,0.05,twitch,EMG 1,12.5\n"
                                  "3.5,0.1,\"a,\"\"b\"\"\tc\",2,\n");
    io_test_path("events.json", p, sizeof p);
    write_events(p, ETW_TABLE_JSON, 0, ETW_OK);
    const char *j = slurp(p);
    assert_non_null(strstr(j, "\"software\": \"emgtwitch\""));
    assert_non_null(strstr(j, etw_version_string()));
    assert_non_null(strstr(j, "\"threshold_db\": 6"));
    assert_non_null(strstr(j, "\"preset\": \"ltr\""));
    assert_non_null(strstr(j, "{\"onset\": 3.5, \"duration\": 0.1, \"trial_type\": "
                              "\"a,\\\"b\\\"\\u0009c\", \"channel\": 2, \"snr_db\": null}"));
    /* the CSV events table reads back through the text reader */
    io_test_path("events.csv", p, sizeof p);
    etw_table_format f;
    assert_int_equal(etw_table_format_from_path("x.TSV", &f), ETW_OK);
    assert_int_equal(f, ETW_TABLE_TSV);
    assert_int_equal(etw_table_format_from_path("x.txt", &f), ETW_ERR_UNSUPPORTED);
    /* abandoned: nothing left behind */
    etw_table_writer *w = NULL;
    const char *cols[] = {"onset"};
    io_test_path("abandoned.tsv", p, sizeof p);
    assert_int_equal(etw_table_writer_create(p, ETW_TABLE_TSV, cols, 1, 0, &w, NULL, 0), ETW_OK);
    etw_cell c = etw_cell_number(1);
    assert_int_equal(etw_table_writer_row(w, &c), ETW_OK);
    etw_table_writer_destroy(w);
    assert_null(fopen(p, "rb"));
    assert_no_temporaries();
    assert_int_equal(etw_table_writer_create("/nonexistent/dir/e.tsv", ETW_TABLE_TSV, cols, 1, 0,
                                             &w, NULL, 0),
                     ETW_ERR_OPEN);
}

/* Writes 2 channels of known signal, reads them back, compares within the format's step. */
static void round_trip(etw_signal_format fmt, const char *name, double tol, int64_t want_frames)
{
    enum { N = 2500 };
    static float a[N], b[N];
    for (int i = 0; i < N; i++) {
        a[i] = (float)(400.0 * sin(0.01 * i));
        b[i] = (float)(-300.0 + 0.2 * i);
    }
    char p[512];
    io_test_path(name, p, sizeof p);
    etw_signal_spec s;
    etw_signal_spec_default(&s);
    s.format = fmt;
    s.nch = 2;
    s.fs_hz = 1000;
    const char *labels[] = {"EMG trap", "EMG delt"};
    s.labels = labels;
    s.unit = "uV";
    s.phys_min = -1000;
    s.phys_max = 1000;
    s.full_scale = 1000;
    s.has_start = 1;
    s.start = (etw_datetime){2024, 5, 6, 7, 8, 9};
    etw_signal_writer *w = NULL;
    char detail[256];
    assert_int_equal(etw_signal_writer_create(p, &s, &w, detail, sizeof detail), ETW_OK);
    for (int at = 0; at < N;) { /* uneven blocks */
        int m = at % 3 == 0 ? 1 : 700;
        m = m > N - at ? N - at : m;
        const float *in[2] = {a + at, b + at};
        assert_int_equal(etw_signal_writer_write(w, in, (size_t)m), ETW_OK);
        at += m;
    }
    assert_int_equal(etw_signal_writer_annotate(w, 0.5, 0.025, "twitch"), ETW_OK);
    assert_int_equal(etw_signal_writer_annotate(w, 1.75, -1, "stimulus"), ETW_OK);
    assert_int_equal(etw_signal_writer_commit(w), ETW_OK);
    etw_signal_writer_destroy(w);
    assert_no_temporaries();

    etw_open_options o;
    etw_open_options_default(&o);
    o.scale = 1000;
    o.unit = "uV";
    etw_recording *rec = NULL;
    etw_status st = etw_recording_load(p, &o, NULL, 0, &rec, detail, sizeof detail);
    if (st != ETW_OK) {
        print_error("%s\n", detail);
    }
    assert_int_equal(st, ETW_OK);
    assert_int_equal(rec->nch, 2);
    assert_close(rec->fs_hz, 1000, 1e-9, 0);
    assert_int_equal(rec->nframes, want_frames);
    assert_int_equal(rec->info.nsegments, 1); /* continuous: one segment, all frames */
    assert_int_equal(rec->segments[0].first_frame, 0);
    assert_int_equal(rec->segments[0].nframes, want_frames);
    assert_true(rec->segments[0].onset_s == 0.0);
    for (int i = 0; i < N; i++) {
        assert_close(rec->data[0][i], a[i], 0, tol);
        assert_close(rec->data[1][i], b[i], 0, tol);
    }
    if (fmt == ETW_SIGNAL_EDF || fmt == ETW_SIGNAL_BDF || fmt == ETW_SIGNAL_CSV) {
        assert_string_equal(rec->channels[1].label, "EMG delt");
    }
    if (fmt == ETW_SIGNAL_EDF || fmt == ETW_SIGNAL_BDF) {
        assert_string_equal(rec->channels[0].unit, "uV");
        assert_int_equal(rec->info.start.year, 2024);
        assert_int_equal(rec->info.nannotations, 2);
        assert_close(rec->annotations[0].onset_s, 0.5, 0, 1e-9);
        assert_close(rec->annotations[0].duration_s, 0.025, 0, 1e-9);
        assert_string_equal(rec->annotations[0].text, "twitch");
        assert_string_equal(rec->annotations[1].text, "stimulus");
        assert_true(rec->data[0][N] == 0.0f || fabs(rec->data[0][N]) < tol); /* padding */
    }
    etw_recording_free(rec);
    /* no overwrite by default */
    assert_int_equal(etw_signal_writer_create(p, &s, &w, detail, sizeof detail), ETW_ERR_EXISTS);
    assert_null(w);
}

/* Writes 1 s of a ramp as EDF+ without a start time; returns the file's bytes (static). */
static const char *write_undated(const char *name, char *path, size_t cap, size_t *len)
{
    etw_signal_spec s;
    etw_signal_spec_default(&s);
    s.nch = 1;
    s.fs_hz = 100;
    etw_signal_writer *w = NULL;
    assert_int_equal(etw_signal_writer_create(io_test_path(name, path, cap), &s, &w, NULL, 0),
                     ETW_OK);
    float x[100];
    for (int i = 0; i < 100; i++) {
        x[i] = (float)i / 100.0f;
    }
    const float *in[1] = {x};
    assert_int_equal(etw_signal_writer_write(w, in, 100), ETW_OK);
    assert_int_equal(etw_signal_writer_commit(w), ETW_OK);
    etw_signal_writer_destroy(w);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[2][4096];
    static int which;
    which ^= 1;
    *len = fread(buf[which], 1, sizeof buf[which], f);
    fclose(f);
    return buf[which];
}

static void test_edf_unknown_start(void **state)
{
    (void)state;
    char p[512], q[512];
    size_t n1, n2;
    const char *a = write_undated("undated1.edf", p, sizeof p, &n1);
    const char *b = write_undated("undated2.edf", q, sizeof q, &n2);
    assert_memory_equal(a + 168, "01.01.8500.00.00", 16); /* the EDF "unknown" start */
    assert_int_equal(n1, n2);
    assert_memory_equal(a, b, n1); /* no time of writing: the same input, the same bytes */
    etw_reader *r = NULL;
    assert_int_equal(etw_reader_open(p, NULL, &r, NULL, 0), ETW_OK);
    etw_recording_info info;
    assert_int_equal(etw_reader_info(r, &info), ETW_OK);
    assert_int_equal(info.has_start, 0);
    etw_reader_close(r);
}

/* Opens path and checks that it holds `count` annotations. */
static etw_reader *open_annotated(const char *path, size_t count)
{
    etw_reader *r = NULL;
    char detail[256];
    assert_int_equal(etw_reader_open(path, NULL, &r, detail, sizeof detail), ETW_OK);
    etw_recording_info info;
    assert_int_equal(etw_reader_info(r, &info), ETW_OK);
    assert_int_equal(info.nannotations, count);
    return r;
}

/* Annotation i has this onset (s), no duration and this text. */
static void expect_point(const etw_reader *r, size_t i, double onset_s, const char *text)
{
    etw_annotation a;
    assert_int_equal(etw_reader_annotation(r, i, &a), ETW_OK);
    assert_close(a.onset_s, onset_s, 0, 1e-12);
    assert_true(a.duration_s < 0);
    assert_string_equal(a.text, text);
}

/* WAV cue points (written here through libsndfile) come back as annotations. */
static void test_wav_cues(void **state)
{
    (void)state;
    char p[512];
    SF_INFO info = {.samplerate = 1000, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT};
    SNDFILE *f = sf_open(io_test_path("cues.wav", p, sizeof p), SFM_WRITE, &info);
    assert_non_null(f);
    SF_CUES_VAR(2) cues;
    memset(&cues, 0, sizeof cues);
    cues.cue_count = 2;
    const uint32_t at[2] = {100, 2500};
    for (int k = 0; k < 2; k++) {
        cues.cue_points[k].indx = k + 7;
        cues.cue_points[k].position = at[k];
        cues.cue_points[k].fcc_chunk = 0x61746164; /* "data" */
        cues.cue_points[k].sample_offset = at[k];
    }
    assert_int_equal(sf_command(f, SFC_SET_CUE, &cues, sizeof cues), SF_TRUE);
    static float x[3000];
    assert_int_equal(sf_writef_float(f, x, 3000), 3000);
    assert_int_equal(sf_close(f), 0);
    etw_reader *r = open_annotated(p, 2);
    expect_point(r, 0, 0.1, "cue 7");
    expect_point(r, 1, 2.5, "cue 8");
    etw_reader_close(r);
}

/* EDF/BDF with a physical range per channel: each keeps its own resolution. */
static void test_edf_channel_ranges(void **state)
{
    (void)state;
    const double lo[2] = {-1.0, -1000.0}, hi[2] = {1.0, 3000.0};
    etw_signal_spec s;
    etw_signal_spec_default(&s);
    s.nch = 2;
    s.fs_hz = 100;
    s.phys_min_ch = lo;
    s.phys_max_ch = hi;
    char p[512], detail[256];
    etw_signal_writer *w = NULL;
    assert_int_equal(etw_signal_writer_create(io_test_path("ranges.edf", p, sizeof p), &s, &w,
                                              detail, sizeof detail), ETW_OK);
    float a[100], b[100];
    for (int i = 0; i < 100; i++) {
        a[i] = (float)(i - 50) / 60.0f;
        b[i] = (float)(i * 25);
    }
    const float *in[2] = {a, b};
    assert_int_equal(etw_signal_writer_write(w, in, 100), ETW_OK);
    assert_int_equal(etw_signal_writer_commit(w), ETW_OK);
    etw_signal_writer_destroy(w);
    etw_recording *rec = NULL;
    assert_int_equal(etw_recording_load(p, NULL, NULL, 0, &rec, detail, sizeof detail), ETW_OK);
    assert_close(rec->channels[0].phys_max, 1.0, 0, 0);
    assert_close(rec->channels[1].phys_min, -1000.0, 0, 0);
    assert_close(rec->channels[1].phys_max, 3000.0, 0, 0);
    for (int i = 0; i < 100; i++) {
        assert_close(rec->data[0][i], a[i], 0, 2.0 / 65535 + 1e-6);
        assert_close(rec->data[1][i], b[i], 0, 4000.0 / 65535 + 1e-3);
    }
    etw_recording_free(rec);
    double bad[2] = {1.0, -2000.0}; /* channel 0: min not below the common max */
    s.phys_max_ch = NULL;
    s.phys_min_ch = bad;
    assert_int_equal(etw_signal_writer_create(io_test_path("bad.edf", p, sizeof p), &s, &w,
                                              detail, sizeof detail), ETW_ERR_RANGE);
    assert_non_null(strstr(detail, "for every channel"));
}

static void test_signal_round_trips(void **state)
{
    (void)state;
    round_trip(ETW_SIGNAL_EDF, "rt.edf", 2000.0 / 65535 + 1e-3, 3000);
    round_trip(ETW_SIGNAL_BDF, "rt.bdf", 2000.0 / 16777215 + 1e-4, 3000);
    round_trip(ETW_SIGNAL_WAV, "rt.wav", 1e-4, 2500);
    round_trip(ETW_SIGNAL_FLAC, "rt.flac", 2000.0 / 16777215 + 1e-4, 2500);
    round_trip(ETW_SIGNAL_CSV, "rt.csv", 1e-3, 2500);
    etw_signal_format f;
    assert_int_equal(etw_signal_format_from_path("a.BDF", &f), ETW_OK);
    assert_int_equal(f, ETW_SIGNAL_BDF);
    assert_int_equal(etw_signal_format_from_path("a.mp3", &f), ETW_ERR_UNSUPPORTED);
}

/* ---- WFDB: encode every format here, decode with the reader ----------------------------- */

static size_t encode(int fmt, const int32_t *v, size_t n, unsigned char *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t u = (uint32_t)v[i];
        switch (fmt) {
        case 16: out[k++] = u & 0xff; out[k++] = (u >> 8) & 0xff; break;
        case 61: out[k++] = (u >> 8) & 0xff; out[k++] = u & 0xff; break;
        case 160: u = (uint32_t)(v[i] + 32768); out[k++] = u & 0xff; out[k++] = (u >> 8) & 0xff; break;
        case 80: out[k++] = (unsigned char)(v[i] + 128); break;
        case 24: out[k++] = u & 0xff; out[k++] = (u >> 8) & 0xff; out[k++] = (u >> 16) & 0xff; break;
        case 32: for (int b = 0; b < 4; b++) out[k++] = (u >> (8 * b)) & 0xff; break;
        case 212:
            if (i % 2 == 0) {
                uint32_t w = (uint32_t)v[i + 1 < n ? i + 1 : i] & 0xfff;
                u &= 0xfff;
                if (i + 1 >= n) w = 0;
                out[k++] = u & 0xff;
                out[k++] = (unsigned char)(((u >> 8) & 0x0f) | ((w >> 4) & 0xf0));
                out[k++] = w & 0xff;
            }
            break;
        case 310: case 311:
            if (i % 3 == 0) { /* three 10-bit samples in 4 bytes (signal(5)) */
                uint32_t a = u & 0x3ff, b = (uint32_t)v[i + 1] & 0x3ff, c = (uint32_t)v[i + 2] & 0x3ff;
                uint32_t w = fmt == 311 ? a | b << 10 | c << 20
                                        : (a << 1 | (c & 0x1f) << 11) | (b << 1 | (c >> 5) << 11) << 16;
                for (int q = 0; q < 4; q++) out[k++] = (w >> (8 * q)) & 0xff;
            }
            break;
        default: break;
        }
    }
    return k;
}

static void wfdb_round_trip(int fmt, int32_t lo, int32_t hi)
{
    enum { NSIG = 3, NS = 1001 };
    static int32_t v[NSIG * NS];
    static unsigned char bytes[NSIG * NS * 4 + 8];
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 7);
    int64_t sums[NSIG] = {0};
    for (size_t i = 0; i < NSIG * NS; i++) {
        v[i] = (int32_t)((int64_t)lo + 1 + (int64_t)etw_test_rng_below(&rng, (size_t)((int64_t)hi - lo)));
        sums[i % NSIG] += v[i];
    }
    char dat[64], p[512], hea[1024];
    snprintf(dat, sizeof dat, "rec%d.dat", fmt);
    size_t nb = encode(fmt, v, NSIG * NS, bytes);
    io_test_write_file(io_test_path(dat, p, sizeof p), bytes, nb);
    int len = snprintf(hea, sizeof hea, "rec%d %d 2000 %d 10:11:12 13/01/2020\r\n", fmt, NSIG, NS);
    for (int s = 0; s < NSIG; s++) {
        len += snprintf(hea + len, sizeof hea - (size_t)len,
                        "%s %d %d(%d)/uV 16 0 %d %d 0 sig %d\r\n", dat, fmt, 100 * (s + 1),
                        s * 3, v[s], (int)(int16_t)sums[s], s);
    }
    char name[64];
    snprintf(name, sizeof name, "rec%d.hea", fmt);
    io_test_write_file(io_test_path(name, p, sizeof p), hea, (size_t)len);
    etw_recording *rec = NULL;
    char detail[512];
    etw_status st = etw_recording_load(p, NULL, "sig 2, sig 0", 0, &rec, detail, sizeof detail);
    if (st != ETW_OK) {
        print_error("format %d: %s\n", fmt, detail);
    }
    assert_int_equal(st, ETW_OK);
    assert_int_equal(rec->nframes, NS);
    assert_close(rec->fs_hz, 2000, 0, 0);
    assert_string_equal(rec->channels[0].unit, "uV");
    assert_int_equal(rec->info.has_start, 1);
    assert_int_equal(rec->info.start.year, 2020);
    for (size_t i = 0; i < NS; i++) {
        assert_close(rec->data[0][i], (v[i * NSIG + 2] - 6) / 300.0, 1e-6, 0);
        assert_close(rec->data[1][i], v[i * NSIG] / 100.0, 1e-6, 0);
    }
    etw_recording_free(rec);
    /* a flipped byte in the data breaks the checksum */
    bytes[nb / 2 - (nb / 2) % 12] ^= 0x10; /* the low byte of a sample in every format */
    io_test_write_file(io_test_path(dat, p, sizeof p), bytes, nb);
    io_test_path(name, p, sizeof p);
    assert_int_equal(etw_recording_load(p, NULL, NULL, 0, &rec, detail, sizeof detail),
                     ETW_ERR_CHECKSUM);
    assert_non_null(strstr(detail, "checksum"));
    etw_open_options o;
    etw_open_options_default(&o);
    o.verify = 0;
    assert_int_equal(etw_recording_load(p, &o, NULL, 0, &rec, detail, sizeof detail), ETW_OK);
    etw_recording_free(rec);
}

/* Samples per frame: signal 0 at 4x the frame rate, signal 1 at 1x, interleaved in one file
 * (frame = 4 samples of signal 0, then 1 of signal 1; header(5) "16x4"). */
static void test_wfdb_samples_per_frame(void **state)
{
    (void)state;
    enum { NF = 777, SPF = 4 };
    static unsigned char bytes[NF * (SPF + 1) * 2];
    int32_t v[SPF + 1];
    int sums[2] = {0, 0};
    size_t nb = 0;
    for (int f = 0; f < NF; f++) {
        for (int k = 0; k <= SPF; k++) {
            v[k] = k < SPF ? 3 * (f * SPF + k) - 1000 : 500 - f;
            sums[k == SPF] += v[k];
        }
        nb += encode(16, v, SPF + 1, bytes + nb);
    }
    char p[512], hea[512], detail[512];
    io_test_write_file(io_test_path("spf.dat", p, sizeof p), bytes, nb);
    int len = snprintf(hea, sizeof hea,
                       "spf 2 250 %d\nspf.dat 16x4 10/mV 16 0 -1000 %d 0 fast\n"
                       "spf.dat 16 10/mV 16 0 500 %d 0 slow\n",
                       NF, (int)(int16_t)sums[0], (int)(int16_t)sums[1]);
    io_test_write_file(io_test_path("spf.hea", p, sizeof p), hea, (size_t)len);
    etw_reader *r = NULL;
    assert_int_equal(etw_reader_open(p, NULL, &r, detail, sizeof detail), ETW_OK);
    etw_channel_info c;
    assert_int_equal(etw_reader_channel(r, 0, &c), ETW_OK);
    assert_close(c.fs_hz, 1000.0, 0, 0);
    assert_int_equal(c.nframes, NF * SPF);
    assert_int_equal(etw_reader_channel(r, 1, &c), ETW_OK);
    assert_close(c.fs_hz, 250.0, 0, 0);
    assert_int_equal(c.nframes, NF);
    assert_int_equal(etw_reader_select_spec(r, "fast,slow"), ETW_ERR_MISMATCH);
    /* the fast signal read from odd positions in odd block sizes */
    static float x[NF * SPF];
    float *out[1] = {x};
    size_t got = 0;
    for (int64_t at = 5; at < NF * SPF; at += (int64_t)got) {
        assert_int_equal(etw_reader_seek(r, at), ETW_OK);
        assert_int_equal(etw_reader_read(r, out, (size_t)(at % 13) + 1, &got), ETW_OK);
        for (size_t i = 0; i < got; i++) {
            assert_close(x[i], (3.0 * (double)(at + (int64_t)i) - 1000.0) / 10.0, 1e-6, 0);
        }
    }
    assert_int_equal(etw_reader_select_spec(r, "slow"), ETW_OK);
    assert_int_equal(etw_reader_read(r, out, NF, &got), ETW_OK);
    assert_int_equal(got, NF);
    for (size_t i = 0; i < NF; i++) {
        assert_close(x[i], (500.0 - (double)i) / 10.0, 1e-6, 0);
    }
    etw_reader_close(r);
}

static void test_wfdb_formats(void **state)
{
    (void)state;
    wfdb_round_trip(16, -32768, 32767);
    wfdb_round_trip(61, -32768, 32767);
    wfdb_round_trip(160, -32768, 32767);
    wfdb_round_trip(80, -128, 127);
    wfdb_round_trip(212, -2048, 2047);
    wfdb_round_trip(310, -512, 511);
    wfdb_round_trip(311, -512, 511);
    wfdb_round_trip(24, -8388608, 8388607);
    wfdb_round_trip(32, -2000000000, 2000000000);
}

/* A WFDB annotation file (MIT format) beside the header becomes the reader's annotations. */
static void put_word(unsigned char *b, size_t *n, int a, int i)
{
    unsigned w = ((unsigned)a << 10) | ((unsigned)i & 0x3ff);
    b[(*n)++] = w & 0xff;
    b[(*n)++] = (w >> 8) & 0xff;
}

static void test_wfdb_annotations(void **state)
{
    (void)state;
    char p[512];
    const char *hea = "ann 1 1000 4\none_ann.dat 16 200/mV 16 0 10 100 0 EMG\n";
    const short dat[4] = {10, 20, 30, 40};
    io_test_write_file(io_test_path("one_ann.dat", p, sizeof p), dat, sizeof dat);
    unsigned char b[64];
    size_t n = 0;
    put_word(b, &n, 1, 100);             /* N at 100 */
    put_word(b, &n, 5, 250);             /* V at 350 */
    put_word(b, &n, 63, 3);              /* AUX "(VT" + pad */
    memcpy(b + n, "(VT\0", 4);
    n += 4;
    put_word(b, &n, 59, 0);              /* SKIP 70000 */
    b[n++] = 0x01; b[n++] = 0x00;        /* high word 0x0001 */
    b[n++] = 0x70; b[n++] = 0x11;        /* low word 0x1170 = 4464 */
    put_word(b, &n, 28, 0);              /* + at 350 + 65536 + 4464 */
    put_word(b, &n, 0, 0);               /* end */
    io_test_write_file(io_test_path("ann.atr", p, sizeof p), b, n);
    io_test_write_file(io_test_path("ann.hea", p, sizeof p), hea, strlen(hea));
    etw_reader *r = open_annotated(p, 3);
    expect_point(r, 0, 0.1, "N");
    expect_point(r, 1, 0.35, "V (VT");
    expect_point(r, 2, (350.0 + 70000.0) / 1000.0, "+");
    etw_reader_close(r);
    char detail[256];
    /* cut before the end marker: truncated, and the detail names the annotation file */
    io_test_write_file(io_test_path("ann.atr", p, sizeof p), b, 9);
    io_test_path("ann.hea", p, sizeof p);
    assert_int_equal(etw_reader_open(p, NULL, &r, detail, sizeof detail), ETW_ERR_TRUNCATED);
    assert_non_null(strstr(detail, "ann.atr"));
}

const struct CMUnitTest io_write_tests[] = {
    cmocka_unit_test(test_event_tables),
    cmocka_unit_test(test_signal_round_trips),
    cmocka_unit_test(test_edf_unknown_start),
    cmocka_unit_test(test_wav_cues),
    cmocka_unit_test(test_edf_channel_ranges),
    cmocka_unit_test(test_wfdb_formats),
    cmocka_unit_test(test_wfdb_samples_per_frame),
    cmocka_unit_test(test_wfdb_annotations),
};
const size_t io_write_count = sizeof io_write_tests / sizeof io_write_tests[0];
