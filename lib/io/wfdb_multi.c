/* Multi-segment WFDB records (header(5), "multi-segment records"): the record line
 * "name/nseg nsig fs [nsamp ...]" is followed by nseg segment lines "segname nsamp". Each
 * segment is an ordinary record (segname.hea beside the master header) at the same frame
 * rate; "~" is a null segment, a stretch of nsamp frames without data (read as NaN).
 * Fixed layout: every segment holds the record's signals in order. Variable layout: the first
 * segment has 0 samples and is the layout header, whose (null) signals give the record's
 * signals; the other segments hold some of them, matched by description (label), and a
 * signal absent from a segment reads as NaN there.
 *
 * Every segment is opened (and verified) once at open to check its signals and length; while
 * reading, only the segment under the read position is open (without re-verifying). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/fields.h"
#include "io/wfdb_annot.h"
#include "io/wfdb_header.h"

typedef struct mseg {
    char *name;          /* NULL: null segment "~" */
    int64_t first, n;    /* frames (record rate) */
    size_t *map;         /* per record channel: its index in the segment, or SIZE_MAX */
} mseg;

typedef struct mstate {
    mseg *seg;
    size_t nseg;
    double fs;           /* frame rate */
    etw_reader *cur;     /* the open segment, or NULL */
    size_t cur_seg;
    const size_t *cur_sel; /* the record selection the segment's selection was made for */
    size_t *idx;         /* ETW_MAX_CHANNELS scratch indices */
    float **ptr;         /* ETW_MAX_CHANNELS scratch output pointers */
} mstate;

static void multi_close(etw_reader *r)
{
    mstate *m = r->state;
    if (m == NULL) {
        return;
    }
    etw_reader_close(m->cur);
    for (size_t k = 0; m->seg != NULL && k < m->nseg; k++) {
        free(m->seg[k].name);
        free(m->seg[k].map);
    }
    free(m->seg);
    free(m->idx);
    free(m->ptr);
    free(m);
    r->state = NULL;
}

/* Opens segment k's record (beside the master header); the detail of a failure goes to r. */
static etw_status open_segment(etw_reader *r, const mseg *g, size_t k, int verify,
                               etw_reader **out)
{
    const char *slash = strrchr(r->path, '/');
    size_t dirlen = slash != NULL ? (size_t)(slash - r->path + 1) : 0, n = strlen(g->name);
    char *path = malloc(dirlen + n + 5);
    if (path == NULL) {
        return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory");
    }
    memcpy(path, r->path, dirlen);
    memcpy(path + dirlen, g->name, n);
    memcpy(path + dirlen + n, ".hea", 5);
    etw_open_options o = r->opt;
    o.format = ETW_FORMAT_WFDB;
    o.verify = verify;
    o.unit = NULL;
    char detail[ETW_DETAIL_MAX];
    etw_status st = etw_reader_open_segment(path, &o, out, detail, sizeof detail);
    free(path);
    return st == ETW_OK ? ETW_OK
                        : etw_reader_fail(r, st, "segment %zu ('%s'): %s", k, g->name, detail);
}

static etw_status segment_lines(etw_reader *r, mstate *m, etw_hea_cursor *c)
{
    int64_t first = 0;
    for (size_t k = 0; k < m->nseg; k++) {
        size_t len;
        char *line = etw_hea_next_line(c, &len);
        if (line == NULL) {
            return etw_reader_fail(r, ETW_ERR_FORMAT, "the record line announces %zu segments "
                                   "but the header has %zu segment lines", m->nseg, k);
        }
        etw_token t[3];
        int64_t n;
        if (etw_split_blanks(line, len, t, 3) != 2 || !etw_parse_i64(t[1].s, t[1].len, &n) ||
            n < 0 || n > INT64_MAX / 4 - first) {
            return etw_reader_fail(r, ETW_ERR_FORMAT, "line %ld: a segment line is \"name "
                                   "samples\"", c->line);
        }
        if (memchr(t[0].s, '/', t[0].len) != NULL || t[0].len > 1024) {
            return etw_reader_fail(r, ETW_ERR_FORMAT, "line %ld: segment names are records "
                                   "beside the header, without a folder", c->line);
        }
        mseg *g = &m->seg[k];
        g->first = first;
        g->n = n;
        first += n;
        if (t[0].len == 1 && t[0].s[0] == '~') {
            continue;
        }
        g->name = malloc(t[0].len + 1);
        if (g->name == NULL) {
            return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory");
        }
        memcpy(g->name, t[0].s, t[0].len);
        g->name[t[0].len] = '\0';
    }
    return ETW_OK;
}

/* The record's channels from the layout segment (variable layout: *variable = 1) or the first
 * segment with data (fixed layout). */
static etw_status describe_channels(etw_reader *r, mstate *m, int *variable)
{
    size_t k = 0;
    while (k < m->nseg && m->seg[k].name == NULL) {
        k++;
    }
    if (k == m->nseg) {
        return etw_reader_fail(r, ETW_ERR_FORMAT, "every segment is a null segment");
    }
    *variable = k == 0 && m->seg[0].n == 0;
    etw_reader *s = NULL;
    etw_status st = open_segment(r, &m->seg[k], k, 0, &s);
    if (st != ETW_OK) {
        return st;
    }
    etw_recording_info info;
    (void)etw_reader_info(s, &info);
    if (info.nch != r->info.nch) {
        st = etw_reader_fail(r, ETW_ERR_FORMAT, "segment %zu ('%s') has %zu signals, the "
                             "record %zu", k, m->seg[k].name, info.nch, r->info.nch);
    }
    for (size_t c = 0; st == ETW_OK && c < info.nch; c++) {
        (void)etw_reader_channel(s, c, &r->ch[c]); /* label, unit, ranges, rate */
        double spf = s->ch[c].fs_hz / m->fs;
        if (spf < 1.0 || fabs(spf - floor(spf + 0.5)) > 1e-9) {
            st = etw_reader_fail(r, ETW_ERR_MISMATCH, "segment %zu ('%s'): signal '%s' at %g "
                                 "Hz is not a multiple of the record's %g Hz", k,
                                 m->seg[k].name, s->ch[c].label, s->ch[c].fs_hz, m->fs);
        }
    }
    etw_reader_close(s);
    return st;
}

/* Opens (and verifies) segment k, checks its length and maps the record's channels to its. */
static etw_status map_segment(etw_reader *r, mstate *m, size_t k, int variable)
{
    mseg *g = &m->seg[k];
    etw_reader *s = NULL;
    etw_status st = open_segment(r, g, k, r->opt.verify, &s);
    if (st != ETW_OK) {
        return st;
    }
    g->map = malloc(r->info.nch * sizeof *g->map);
    if (g->map == NULL) {
        etw_reader_close(s);
        return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory");
    }
    etw_recording_info info;
    (void)etw_reader_info(s, &info);
    for (size_t c = 0; st == ETW_OK && c < r->info.nch; c++) {
        g->map[c] = SIZE_MAX;
        for (size_t j = 0; j < info.nch && g->map[c] == SIZE_MAX; j++) {
            if (variable ? strcmp(s->ch[j].label, r->ch[c].label) == 0 : j == c) {
                g->map[c] = j;
            }
        }
        size_t j = g->map[c];
        if (!variable && info.nch != r->info.nch) {
            st = etw_reader_fail(r, ETW_ERR_FORMAT, "segment %zu ('%s') has %zu signals, the "
                                 "record %zu", k, g->name, info.nch, r->info.nch);
        } else if (j != SIZE_MAX && s->ch[j].fs_hz != r->ch[c].fs_hz) {
            st = etw_reader_fail(r, ETW_ERR_MISMATCH, "segment %zu ('%s'): signal '%s' at %g "
                                 "Hz, the record has it at %g Hz", k, g->name, s->ch[j].label,
                                 s->ch[j].fs_hz, r->ch[c].fs_hz);
        } else if (j != SIZE_MAX &&
                   s->ch[j].nframes != g->n * llround(r->ch[c].fs_hz / m->fs)) {
            st = etw_reader_fail(r, ETW_ERR_MISMATCH, "segment %zu ('%s') has %lld frames, the "
                                 "record's segment line says %lld", k, g->name,
                                 (long long)(s->ch[j].nframes / llround(r->ch[c].fs_hz / m->fs)),
                                 (long long)g->n);
        }
    }
    etw_reader_close(s);
    return st;
}

/* Index of the segment holding record frame f (segments are sorted by first). */
static size_t find_segment(const mstate *m, int64_t f)
{
    size_t lo = 0, hi = m->nseg;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->seg[mid].first <= f) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/* Reads selection frames [p, p + n) inside segment k into out[j] + at. */
static etw_status read_in_segment(etw_reader *r, mstate *m, size_t k, int64_t p, size_t n,
                                  float *const *out, size_t at, int64_t spf)
{
    const mseg *g = &m->seg[k];
    size_t present = 0;
    for (size_t j = 0; j < r->nsel; j++) {
        size_t i = g->map != NULL ? g->map[r->sel[j]] : SIZE_MAX;
        if (i == SIZE_MAX) {
            for (size_t t = 0; t < n; t++) {
                out[j][at + t] = NAN;
            }
        } else {
            m->idx[present] = i;
            m->ptr[present++] = out[j] + at;
        }
    }
    if (present == 0) {
        return ETW_OK;
    }
    etw_status st = ETW_OK;
    if (m->cur == NULL || m->cur_seg != k) {
        etw_reader_close(m->cur);
        m->cur = NULL;
        if ((st = open_segment(r, g, k, 0, &m->cur)) != ETW_OK) {
            return st; /* the file changed since open */
        }
        m->cur_seg = k;
        m->cur_sel = NULL;
    }
    if (st == ETW_OK && m->cur_sel != r->sel) { /* a new record selection */
        st = etw_reader_select(m->cur, m->idx, present);
        m->cur_sel = st == ETW_OK ? r->sel : NULL;
    }
    size_t got = 0;
    if (st == ETW_OK && (st = etw_reader_seek(m->cur, p - g->first * spf)) == ETW_OK) {
        st = etw_reader_read(m->cur, m->ptr, n, &got);
    }
    if (st == ETW_OK && got != n) {
        st = ETW_ERR_TRUNCATED;
    }
    return st == ETW_OK ? ETW_OK
                        : etw_reader_fail(r, st, "segment %zu ('%s'): %s", k, g->name,
                                          etw_reader_error(m->cur));
}

static etw_status multi_read(etw_reader *r, float *const *out, size_t n)
{
    mstate *m = r->state;
    int64_t spf = llround(r->sel_fs / m->fs);
    for (size_t done = 0; done < n;) {
        int64_t p = r->pos + (int64_t)done;
        size_t k = find_segment(m, p / spf);
        int64_t end = (m->seg[k].first + m->seg[k].n) * spf;
        size_t len = (uint64_t)(end - p) < n - done ? (size_t)(end - p) : n - done;
        etw_status st = read_in_segment(r, m, k, p, len, out, done, spf);
        if (st != ETW_OK) {
            return st;
        }
        done += len;
    }
    return ETW_OK;
}

static const etw_backend multi_backend = {multi_read, multi_close};

etw_status etw_wfdb_multi_open(etw_reader *r, etw_hea_cursor *c, size_t nseg, int64_t nsamp)
{
    mstate *m = calloc(1, sizeof *m);
    if (m == NULL) {
        return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory");
    }
    r->state = m;
    r->be = &multi_backend;
    m->nseg = nseg;
    m->fs = r->ch[0].fs_hz;
    m->seg = calloc(nseg, sizeof *m->seg);
    m->idx = malloc(ETW_MAX_CHANNELS * sizeof *m->idx);
    m->ptr = malloc(ETW_MAX_CHANNELS * sizeof *m->ptr);
    if (m->seg == NULL || m->idx == NULL || m->ptr == NULL) {
        return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory");
    }
    int variable = 0;
    etw_status st = segment_lines(r, m, c);
    if (st == ETW_OK) {
        st = describe_channels(r, m, &variable);
    }
    for (size_t k = variable ? 1 : 0; st == ETW_OK && k < nseg; k++) {
        if (m->seg[k].name != NULL) {
            st = map_segment(r, m, k, variable);
        }
    }
    int64_t total = m->seg[nseg - 1].first + m->seg[nseg - 1].n;
    if (st == ETW_OK && nsamp > 0 && nsamp != total) {
        st = etw_reader_fail(r, ETW_ERR_MISMATCH, "the record line says %lld samples, its "
                             "segments hold %lld", (long long)nsamp, (long long)total);
    }
    if (st != ETW_OK) {
        return st;
    }
    for (size_t i = 0; i < r->info.nch; i++) {
        r->ch[i].nframes = total * llround(r->ch[i].fs_hz / m->fs);
    }
    r->info.duration_s = (double)total / m->fs;
    snprintf(r->info.format_name, sizeof r->info.format_name, "WFDB (%zu segments)", nseg);
    return etw_wfdb_read_annotations(r, m->fs);
}
