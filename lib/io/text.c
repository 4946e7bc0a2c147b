/* Delimited text recordings: CSV/TSV/semicolon/blank-separated columns, an optional header
 * row, '#' comment lines, an optional time column (sample rate derived, irregular spacing is
 * an error), index columns (sample, index, nSeq) skipped, an event column turned into
 * annotations, the OpenSignals JSON header and the OpenSignals "Simple Text Format"
 * ("# Sampling Rate (Hz):= 1000.00"). The whole file is validated at open; afterwards only a
 * byte offset every TEXT_CKPT rows is kept, so memory stays small for any length. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/fields.h"
#include "io/linereader.h"
#include "io/reader_internal.h"

#define TEXT_CKPT 4096
#define MAX_COLS (ETW_MAX_CHANNELS + 8)

enum { ROLE_CHANNEL, ROLE_TIME, ROLE_INDEX, ROLE_EVENT };

typedef struct text_state {
    etw_linereader lr;
    char delim;             /* ',', '\t', ';' or ' ' (runs of blanks) */
    char decimal;           /* '.' or ','; 0 = not decided yet (only integers so far) */
    size_t ncols;
    unsigned char *role;    /* per column */
    size_t *chan_col;       /* per channel: its column */
    size_t *col_chan;       /* per column: its channel (channel columns only) */
    size_t maxcol;          /* highest column read by the current selection */
    int64_t nrows;
    int64_t *ckpt;          /* byte offset of row k * TEXT_CKPT */
    size_t nckpt, ckpt_cap;
    int64_t next_row;       /* row the line reader is positioned at, -1 unknown */
    etw_token *tok;         /* MAX_COLS + 1 */
} text_state;

static void text_close(etw_reader *r)
{
    text_state *s = r->state;
    if (s == NULL) {
        return;
    }
    etw_linereader_close(&s->lr);
    free(s->role);
    free(s->chan_col);
    free(s->col_chan);
    free(s->ckpt);
    free(s->tok);
    free(s);
    r->state = NULL;
}

/* Splits a data or header line; a trailing empty field (line ending in the delimiter) is
 * dropped, quotes around a field are removed. Returns the count (max+1 = too many). */
static size_t split(const text_state *s, const char *line, size_t len, etw_token *tok,
                    size_t max)
{
    size_t n;
    if (s->delim == ' ') {
        n = etw_split_blanks(line, len, tok, max + 1);
    } else {
        n = 0;
        size_t i = 0;
        for (;;) {
            size_t start = i;
            while (i < len && line[i] != s->delim) {
                i++;
            }
            if (n == max + 1) {
                break;
            }
            tok[n++] = (etw_token){line + start, i - start};
            if (i == len) {
                break;
            }
            i++;
        }
        if (n > 1 && tok[n - 1].len == 0 && len > 0 && line[len - 1] == s->delim) {
            n--;
        }
    }
    for (size_t k = 0; k < n && k <= max; k++) {
        etw_token *t = &tok[k];
        while (t->len > 0 && (t->s[0] == ' ' || t->s[0] == '\t')) {
            t->s++, t->len--;
        }
        while (t->len > 0 && (t->s[t->len - 1] == ' ' || t->s[t->len - 1] == '\t')) {
            t->len--;
        }
        if (t->len >= 2 && t->s[0] == '"' && t->s[t->len - 1] == '"') {
            t->s++, t->len -= 2;
        }
    }
    return n;
}

static int name_in(const etw_token *t, const char *const *names)
{
    for (; *names != NULL; names++) {
        if (strlen(*names) == t->len && strncasecmp(t->s, *names, t->len) == 0) {
            return 1;
        }
    }
    return 0;
}

static int is_time_name(const etw_token *t, double *unit_s)
{
    static const char *const exact[] = {"t", "time", "timestamp", "seconds", "sec", "s",
                                        "time_s", "time (s)", "time[s]", "t (s)", "t_s",
                                        NULL};
    static const char *const ms[] = {"time_ms", "time (ms)", "time[ms]", "timestamp_ms", "ms",
                                     "t_ms", "t (ms)", NULL};
    if (name_in(t, exact)) {
        *unit_s = 1.0;
        return 1;
    }
    if (name_in(t, ms)) {
        *unit_s = 1e-3;
        return 1;
    }
    return 0;
}

/* ---- header comments: OpenSignals JSON and Simple Text Format ------------------------ */

typedef struct header_hints {
    double fs;                 /* 0 = none */
    char *labels;              /* malloc'ed, NUL-separated names, nlabels of them */
    size_t nlabels;
} header_hints;

/* Value after "key": in a JSON text: pointer to its first character, or NULL. */
static const char *json_value(const char *json, size_t len, const char *key)
{
    size_t klen = strlen(key);
    for (const char *p = json; p + klen + 2 <= json + len; p++) {
        if (p[0] == '"' && strncasecmp(p + 1, key, klen) == 0 && p[klen + 1] == '"') {
            const char *v = p + klen + 2;
            while (v < json + len && (*v == ' ' || *v == ':')) {
                v++;
            }
            return v < json + len ? v : NULL;
        }
    }
    return NULL;
}

/* Appends the strings of a JSON array ["a", "b"] to hints->labels. */
static int json_strings(const char *v, const char *end, header_hints *h)
{
    if (v == NULL || *v != '[') {
        return 0;
    }
    const char *close = memchr(v, ']', (size_t)(end - v));
    if (close == NULL) {
        return 0;
    }
    size_t cap = (size_t)(close - v) + 1;
    free(h->labels);
    h->labels = malloc(cap);
    h->nlabels = 0;
    if (h->labels == NULL) {
        return -1;
    }
    size_t at = 0;
    for (const char *p = v; p < close; p++) {
        if (*p != '"') {
            continue;
        }
        const char *q = memchr(p + 1, '"', (size_t)(close - p - 1));
        if (q == NULL) {
            break;
        }
        memcpy(h->labels + at, p + 1, (size_t)(q - p - 1));
        at += (size_t)(q - p - 1);
        h->labels[at++] = '\0';
        h->nlabels++;
        p = q;
    }
    return 1;
}

static etw_status parse_comment(etw_reader *r, const char *line, size_t len, header_hints *h)
{
    const char *p = line + 1, *end = line + len;
    while (p < end && (*p == ' ' || *p == '\t')) {
        p++;
    }
    if (p < end && *p == '{') { /* OpenSignals JSON header */
        const char *v = json_value(p, (size_t)(end - p), "sampling rate");
        double fs;
        size_t n = 0;
        while (v != NULL && v + n < end && (isdigit((unsigned char)v[n]) || v[n] == '.')) {
            n++;
        }
        if (v != NULL && etw_parse_double(v, n, &fs) == 1 && fs > 0) {
            h->fs = fs;
        }
        if (json_strings(json_value(p, (size_t)(end - p), "column"), end, h) < 0) {
            return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory");
        }
        const char *date = json_value(p, (size_t)(end - p), "date");
        const char *time = json_value(p, (size_t)(end - p), "time");
        int y, mo, d, hh, mm;
        double ss;
        if (date != NULL && time != NULL && sscanf(date, "\"%d-%d-%d\"", &y, &mo, &d) == 3 &&
            sscanf(time, "\"%d:%d:%lf", &hh, &mm, &ss) == 3 && mo >= 1 && mo <= 12 &&
            d >= 1 && d <= 31 && hh >= 0 && hh < 24 && mm >= 0 && mm < 60 && ss >= 0 &&
            ss < 61) {
            r->info.has_start = 1;
            r->info.start = (etw_datetime){y, mo, d, hh, mm, ss};
        }
        snprintf(r->info.format_name, sizeof r->info.format_name, "OpenSignals text");
        return ETW_OK;
    }
    const char *sep = NULL;
    for (const char *q = p; q + 1 < end; q++) {
        if (q[0] == ':' && q[1] == '=') {
            sep = q;
            break;
        }
    }
    if (sep == NULL) {
        return ETW_OK;
    }
    const char *v = sep + 2;
    while (v < end && *v == ' ') {
        v++;
    }
    size_t klen = (size_t)(sep - p);
    if (klen >= 13 && strncasecmp(p, "Sampling Rate", 13) == 0) {
        double fs;
        if (etw_parse_double(v, (size_t)(end - v), &fs) == 1 && fs > 0) {
            h->fs = fs;
        }
        snprintf(r->info.format_name, sizeof r->info.format_name, "OpenSignals simple text");
    } else if (klen >= 6 && strncasecmp(p, "Labels", 6) == 0) {
        free(h->labels);
        h->labels = malloc((size_t)(end - v) + 1);
        h->nlabels = 0;
        if (h->labels == NULL) {
            return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory");
        }
        etw_token t[64];
        size_t n = etw_split_blanks(v, (size_t)(end - v), t, 64), at = 0;
        for (size_t k = 0; k < n; k++) {
            memcpy(h->labels + at, t[k].s, t[k].len);
            at += t[k].len;
            h->labels[at++] = '\0';
        }
        h->nlabels = n;
    }
    return ETW_OK;
}

/* ---- open: one validating pass ----------------------------------------------------------- */

typedef struct scan {
    long line;
    int irregular;             /* time column irregular, the fs_hz option used instead */
    double unit_s, t_first, t_prev, dt0;
    size_t time_col, event_col;
    char *event_text;          /* current run's value */
    size_t event_len;
    int64_t event_start;       /* row where the run began, -1 none */
} scan;

static etw_status line_error(etw_reader *r, int code, long line)
{
    if (code == ETW_LINE_TOO_LONG) {
        return etw_reader_fail(r, ETW_ERR_OVERFLOW, "line %ld is longer than %d bytes", line,
                               ETW_LINE_MAX);
    }
    return etw_reader_fail(r, ETW_ERR_IO, "read error after line %ld", line);
}

static int is_zero_event(const etw_token *t)
{
    double v;
    return t->len == 0 || (etw_parse_decimal(t->s, t->len, '.', &v) == 1 && v == 0.0) ||
           (etw_parse_decimal(t->s, t->len, ',', &v) == 1 && v == 0.0);
}

/* Decides the decimal separator at the first row with a '.' or ',' inside a number: '.' if
 * any, else ',' when the fields are separated by ';' or tabs (see etw_open_options). */
static void decide_decimal(text_state *s, size_t n)
{
    int comma = 0;
    for (size_t k = 0; k < n; k++) {
        if (s->role[k] == ROLE_EVENT) {
            continue;
        }
        if (memchr(s->tok[k].s, '.', s->tok[k].len) != NULL) {
            s->decimal = '.';
            return;
        }
        comma |= memchr(s->tok[k].s, ',', s->tok[k].len) != NULL;
    }
    if (comma) {
        s->decimal = s->delim == ';' || s->delim == '\t' ? ',' : '.';
    }
}

static etw_status end_event(etw_reader *r, scan *sc, int64_t row)
{
    if (sc->event_start < 0) {
        return ETW_OK;
    }
    /* onset/duration in rows for now; converted to seconds once fs is known */
    etw_status st = etw_reader_add_annotation(r, (double)sc->event_start,
                                              (double)(row - sc->event_start), sc->event_text,
                                              sc->event_len);
    sc->event_start = -1;
    return st;
}

static etw_status track_event(etw_reader *r, scan *sc, const etw_token *t, int64_t row)
{
    if (sc->event_start >= 0 && t->len == sc->event_len &&
        memcmp(t->s, sc->event_text, t->len) == 0) {
        return ETW_OK;
    }
    etw_status st = end_event(r, sc, row);
    if (st != ETW_OK || is_zero_event(t)) {
        return st;
    }
    char *copy = realloc(sc->event_text, t->len + 1);
    if (copy == NULL) {
        return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory");
    }
    memcpy(copy, t->s, t->len);
    sc->event_text = copy;
    sc->event_len = t->len;
    sc->event_start = row;
    return ETW_OK;
}

static etw_status check_row(etw_reader *r, text_state *s, scan *sc, size_t n)
{
    if (n != s->ncols) {
        return etw_reader_fail(r, ETW_ERR_MISMATCH, "line %ld has %s%zu fields, the first row "
                               "has %zu", sc->line, n > s->ncols ? "more than " : "",
                               n > s->ncols ? s->ncols : n, s->ncols);
    }
    int64_t row = s->nrows;
    if (s->decimal == 0) {
        decide_decimal(s, n);
    }
    for (size_t k = 0; k < n; k++) {
        const etw_token *t = &s->tok[k];
        if (s->role[k] == ROLE_EVENT) {
            etw_status st = track_event(r, sc, t, row);
            if (st != ETW_OK) {
                return st;
            }
            continue;
        }
        double v;
        int ok = etw_parse_decimal(t->s, t->len, s->decimal ? s->decimal : '.', &v);
        if (ok <= 0) {
            int comma = s->decimal != ',' && memchr(t->s, ',', t->len) != NULL;
            return etw_reader_fail(r, ok < 0 ? ETW_ERR_NONFINITE : ETW_ERR_FORMAT,
                                   "line %ld, column %zu (%s): %s '%.*s'%s", sc->line, k + 1,
                                   s->role[k] == ROLE_CHANNEL ? r->ch[s->col_chan[k]].label
                                                              : "time",
                                   ok < 0 ? "not finite" : "not a number",
                                   (int)(t->len > 40 ? 40 : t->len), t->s,
                                   comma ? " (decimal comma? set the decimal separator option "
                                           "to ',')"
                                         : s->decimal == ',' && memchr(t->s, '.', t->len)
                                               ? " (the decimal separator is ',')"
                                               : "");
        }
        if (s->role[k] == ROLE_TIME && !sc->irregular) {
            v *= sc->unit_s;
            if (row == 0) {
                sc->t_first = v;
            } else {
                double dt = v - sc->t_prev;
                if (row == 1) {
                    sc->dt0 = dt;
                }
                if ((!(dt > 0) || fabs(dt - sc->dt0) > 0.25 * sc->dt0) && r->opt.fs_hz > 0) {
                    sc->irregular = 1; /* the option's rate replaces the time column's */
                } else if (!(dt > 0) || fabs(dt - sc->dt0) > 0.25 * sc->dt0) {
                    return etw_reader_fail(r, ETW_ERR_FORMAT, "line %ld: time column is "
                                           "irregular (step %g s after steps of %g s); give "
                                           "the sample rate (option fs_hz) to read it anyway",
                                           sc->line, dt, sc->dt0);
                }
            }
            sc->t_prev = v;
        } else if (s->role[k] == ROLE_CHANNEL) {
            etw_channel_info *c = &r->ch[s->col_chan[k]];
            if (row == 0 || v < c->phys_min) {
                c->phys_min = v;
            }
            if (row == 0 || v > c->phys_max) {
                c->phys_max = v;
            }
        }
    }
    return ETW_OK;
}

/* Field separator from the first row: a tab; else ';' when present (its fields may hold
 * decimal commas) unless the decimal separator is '.' and the row also has a ','; else ','
 * (never with decimal ','); else blanks. */
static int detect_delim(const char *line, size_t len, char decimal)
{
    int comma = memchr(line, ',', len) != NULL, semicolon = memchr(line, ';', len) != NULL;
    if (memchr(line, '\t', len) != NULL) {
        return '\t';
    }
    if (semicolon && (decimal != '.' || !comma)) {
        return ';';
    }
    if (comma && decimal != ',') {
        return ',';
    }
    return ' ';
}

/* The first row's field is a number (with either separator while it is undecided). */
static int is_number_field(const text_state *s, const etw_token *t)
{
    double v;
    if (s->decimal != 0) {
        return etw_parse_decimal(t->s, t->len, s->decimal, &v) != 0;
    }
    return etw_parse_decimal(t->s, t->len, '.', &v) != 0 ||
           (s->delim != ',' && etw_parse_decimal(t->s, t->len, ',', &v) != 0);
}

/* Decides column roles and channel labels from the first row (header or data). */
static etw_status setup_columns(etw_reader *r, text_state *s, scan *sc, const header_hints *h,
                                int header_row)
{
    size_t n = s->ncols;
    s->role = calloc(n, 1);
    s->col_chan = calloc(n, sizeof *s->col_chan);
    if (s->role == NULL || s->col_chan == NULL) {
        return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory");
    }
    static const char *const index_names[] = {"sample", "samples", "index", "idx", "nseq",
                                              "n", "frame", "sample_index", NULL};
    static const char *const event_names[] = {"event", "events", "marker", "markers",
                                              "trigger", "cue", "annotation", "annotations",
                                              NULL};
    const char *names = h->labels;
    size_t nnames = h->nlabels;
    int names_cover_all = nnames == n; /* OpenSignals "column" lists every column */
    for (size_t k = 0; k < n; k++) {
        etw_token t = {"", 0};
        if (header_row) {
            t = s->tok[k];
        } else if (names_cover_all) {
            const char *p = names;
            for (size_t i = 0; i < k; i++) {
                p += strlen(p) + 1;
            }
            t = (etw_token){p, strlen(p)};
        }
        double unit_s;
        if (t.len > 0 && name_in(&t, index_names)) {
            s->role[k] = ROLE_INDEX;
        } else if (t.len > 0 && sc->time_col == (size_t)-1 && is_time_name(&t, &unit_s)) {
            s->role[k] = ROLE_TIME;
            sc->time_col = k;
            sc->unit_s = unit_s;
        } else if (t.len > 0 && sc->event_col == (size_t)-1 && name_in(&t, event_names)) {
            s->role[k] = ROLE_EVENT;
            sc->event_col = k;
        }
    }
    int ec = r->opt.event_column;
    if (ec != 0) {
        size_t k = ec < 0 ? n - 1 : (size_t)ec - 1;
        if (k >= n) {
            return etw_reader_fail(r, ETW_ERR_RANGE, "event column %d but rows have %zu "
                                   "columns", ec, n);
        }
        if (sc->event_col != (size_t)-1) {
            s->role[sc->event_col] = ROLE_CHANNEL;
        }
        s->role[k] = ROLE_EVENT;
        sc->event_col = k;
        if (sc->time_col == k) {
            sc->time_col = (size_t)-1;
        }
    }
    size_t nch = 0;
    for (size_t k = 0; k < n; k++) {
        nch += s->role[k] == ROLE_CHANNEL;
    }
    etw_status st = etw_reader_alloc_channels(r, nch);
    if (st != ETW_OK) {
        return st;
    }
    s->chan_col = calloc(nch, sizeof *s->chan_col);
    if (s->chan_col == NULL) {
        return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory");
    }
    const char *label = names;
    for (size_t k = 0, c = 0; k < n; k++) {
        const char *name = NULL;
        size_t len = 0;
        if (header_row) {
            name = s->tok[k].s, len = s->tok[k].len;
        } else if (names_cover_all) {
            name = label, len = strlen(label);
        }
        if (names_cover_all) {
            label += strlen(label) + 1;
        }
        if (s->role[k] != ROLE_CHANNEL) {
            continue;
        }
        if (!header_row && !names_cover_all && c < nnames && nnames == nch) {
            const char *p = names; /* Simple Text "Labels:=" names the channels */
            for (size_t i = 0; i < c; i++) {
                p += strlen(p) + 1;
            }
            name = p, len = strlen(p);
        }
        if (name != NULL && len > 0) {
            etw_copy_trimmed(r->ch[c].label, sizeof r->ch[c].label, name, len);
        }
        s->chan_col[c] = k;
        s->col_chan[k] = c++;
    }
    return ETW_OK;
}

static etw_status add_checkpoint(etw_reader *r, text_state *s, int64_t offset)
{
    if (s->nckpt == s->ckpt_cap) {
        size_t cap = s->ckpt_cap ? 2 * s->ckpt_cap : 64;
        int64_t *grown = realloc(s->ckpt, cap * sizeof *grown);
        if (grown == NULL) {
            return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory for the row index");
        }
        s->ckpt = grown;
        s->ckpt_cap = cap;
    }
    s->ckpt[s->nckpt++] = offset;
    return ETW_OK;
}

static int is_comment_or_blank(const char *line, size_t len)
{
    size_t i = 0;
    if (len >= 3 && (unsigned char)line[0] == 0xEF && (unsigned char)line[1] == 0xBB &&
        (unsigned char)line[2] == 0xBF) {
        i = 3; /* UTF-8 byte order mark */
    }
    while (i < len && (line[i] == ' ' || line[i] == '\t')) {
        i++;
    }
    return i == len || line[i] == '#';
}

static etw_status scan_file(etw_reader *r, text_state *s, scan *sc, header_hints *h)
{
    char *line;
    size_t len;
    int code, have_cols = 0;
    etw_status st = ETW_OK;
    while (st == ETW_OK && (code = etw_linereader_next(&s->lr, &line, &len)) == ETW_LINE_OK) {
        sc->line++;
        if (memchr(line, '\0', len) != NULL) {
            return etw_reader_fail(r, ETW_ERR_FORMAT, "line %ld contains a NUL byte (binary "
                                   "data, not text)", sc->line);
        }
        if (is_comment_or_blank(line, len)) {
            size_t i = 0;
            while (i < len && line[i] != '#') {
                i++;
            }
            if (!have_cols && i < len) {
                st = parse_comment(r, line + i, len - i, h);
            }
            continue;
        }
        if (!have_cols) {
            size_t skip = (len >= 3 && (unsigned char)line[0] == 0xEF) ? 3 : 0;
            line += skip, len -= skip;
            s->delim = (char)detect_delim(line, len, s->decimal);
            size_t n = split(s, line, len, s->tok, MAX_COLS);
            if (n > MAX_COLS) {
                return etw_reader_fail(r, ETW_ERR_OVERFLOW, "line %ld has more than %d "
                                       "columns", sc->line, MAX_COLS);
            }
            s->ncols = n;
            int header_row = 0;
            for (size_t k = 0; k < n; k++) {
                header_row |= !is_number_field(s, &s->tok[k]);
            }
            if ((st = setup_columns(r, s, sc, h, header_row)) != ETW_OK) {
                return st;
            }
            have_cols = 1;
            if (header_row) {
                continue;
            }
        }
        if (s->nrows % TEXT_CKPT == 0 && (st = add_checkpoint(r, s, s->lr.line_offset)) != ETW_OK) {
            return st;
        }
        size_t n = split(s, line, len, s->tok, s->ncols);
        if ((st = check_row(r, s, sc, n)) != ETW_OK) {
            return st;
        }
        s->nrows++;
    }
    if (st != ETW_OK) {
        return st;
    }
    if (code != ETW_LINE_EOF) {
        return line_error(r, code, sc->line + 1);
    }
    if (!have_cols) {
        return etw_reader_fail(r, ETW_ERR_FORMAT, "no data rows (only comments or blank "
                               "lines)");
    }
    if (s->nrows == 0) {
        return etw_reader_fail(r, ETW_ERR_FORMAT, "a header row but no data rows");
    }
    return end_event(r, sc, s->nrows);
}

static etw_status set_rate(etw_reader *r, text_state *s, const scan *sc, const header_hints *h)
{
    double fs = h->fs;
    if (fs <= 0 && sc->time_col != (size_t)-1 && !sc->irregular) {
        if (s->nrows < 2) {
            return etw_reader_fail(r, ETW_ERR_FORMAT, "one row: the time column gives no "
                                   "sample rate");
        }
        fs = (double)(s->nrows - 1) / (sc->t_prev - sc->t_first);
    }
    if (fs <= 0) {
        fs = r->opt.fs_hz;
    }
    if (!(fs > 0)) {
        return etw_reader_fail(r, ETW_ERR_FORMAT, "no sample rate: the file has no time column "
                               "and no rate in its header; give one (option fs_hz)");
    }
    if (!isfinite(fs) || fs > 1e9) {
        return etw_reader_fail(r, ETW_ERR_OVERFLOW, "sample rate %g Hz is absurd", fs);
    }
    for (size_t c = 0; c < r->info.nch; c++) {
        r->ch[c].fs_hz = fs;
        r->ch[c].nframes = s->nrows;
    }
    for (size_t i = 0; i < r->info.nannotations; i++) {
        r->ann[i].onset_s /= fs;
        r->ann[i].duration_s /= fs;
    }
    r->info.duration_s = (double)s->nrows / fs;
    if (r->info.format_name[0] == '\0' && s->decimal == ',') {
        snprintf(r->info.format_name, sizeof r->info.format_name, "%s, decimal comma",
                 s->delim == '\t' ? "TSV" : s->delim == ';' ? "semicolon text" : "blank text");
    } else if (r->info.format_name[0] == '\0') {
        snprintf(r->info.format_name, sizeof r->info.format_name, "%s",
                 s->delim == ',' ? "CSV" : s->delim == '\t' ? "TSV" :
                 s->delim == ';' ? "semicolon-separated text" : "blank-separated text");
    }
    s->decimal = s->decimal ? s->decimal : '.';
    return ETW_OK;
}

/* ---- reading ------------------------------------------------------------------------------ */

/* Next data line (comments and blank lines skipped) after open; the file must still hold
 * what it held at open. */
static etw_status next_data_line(etw_reader *r, text_state *s, char **line, size_t *len)
{
    for (;;) {
        int code = etw_linereader_next(&s->lr, line, len);
        if (code != ETW_LINE_OK) {
            s->next_row = -1;
            return code == ETW_LINE_EOF
                       ? etw_reader_fail(r, ETW_ERR_TRUNCATED, "file shorter than at open")
                       : etw_reader_fail(r, code == ETW_LINE_IO ? ETW_ERR_IO : ETW_ERR_FORMAT,
                                         "file changed since open");
        }
        if (!is_comment_or_blank(*line, *len)) {
            return ETW_OK;
        }
    }
}

static etw_status position(etw_reader *r, text_state *s)
{
    if (s->next_row == r->pos) {
        return ETW_OK;
    }
    size_t k = (size_t)(r->pos / TEXT_CKPT);
    int64_t row = (int64_t)k * TEXT_CKPT;
    if (etw_linereader_seek(&s->lr, s->ckpt[k]) != 0) {
        return etw_reader_fail(r, ETW_ERR_IO, "cannot seek to byte %lld", (long long)s->ckpt[k]);
    }
    char *line;
    size_t len;
    for (; row < r->pos; row++) {
        etw_status st = next_data_line(r, s, &line, &len);
        if (st != ETW_OK) {
            return st;
        }
    }
    s->next_row = row;
    return ETW_OK;
}

static etw_status text_read(etw_reader *r, float *const *out, size_t n)
{
    text_state *s = r->state;
    etw_status st = position(r, s);
    size_t maxcol = 0;
    for (size_t j = 0; j < r->nsel; j++) {
        size_t k = s->chan_col[r->sel[j]];
        maxcol = k > maxcol ? k : maxcol;
    }
    char *line;
    size_t len;
    for (size_t i = 0; st == ETW_OK && i < n;) {
        if ((st = next_data_line(r, s, &line, &len)) != ETW_OK) {
            return st;
        }
        size_t nt = split(s, line, len, s->tok, maxcol + 1);
        if (nt <= maxcol) {
            s->next_row = -1;
            return etw_reader_fail(r, ETW_ERR_FORMAT, "row %lld changed since open",
                                   (long long)(r->pos + (int64_t)i));
        }
        for (size_t j = 0; j < r->nsel; j++) {
            const etw_token *t = &s->tok[s->chan_col[r->sel[j]]];
            double v;
            if (etw_parse_decimal(t->s, t->len, s->decimal, &v) != 1) {
                s->next_row = -1;
                return etw_reader_fail(r, ETW_ERR_FORMAT, "row %lld changed since open",
                                       (long long)(r->pos + (int64_t)i));
            }
            out[j][i] = (float)v;
        }
        i++;
        s->next_row++;
    }
    return st;
}

static const etw_backend text_backend = {text_read, text_close};

etw_status etw_text_open(etw_reader *r)
{
    text_state *s = calloc(1, sizeof *s);
    if (s == NULL) {
        return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory");
    }
    r->state = s;
    r->be = &text_backend;
    s->decimal = r->opt.decimal;
    s->tok = malloc((MAX_COLS + 2) * sizeof *s->tok);
    if (s->tok == NULL) {
        return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory");
    }
    int rc = etw_linereader_open(&s->lr, r->path);
    if (rc != 0) {
        return rc == -1 ? etw_reader_fail(r, ETW_ERR_OPEN, "cannot open: %s", strerror(errno))
                        : etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory");
    }
    scan sc = {.time_col = (size_t)-1, .event_col = (size_t)-1, .unit_s = 1.0,
               .event_start = -1};
    header_hints h = {0};
    etw_status st = scan_file(r, s, &sc, &h);
    if (st == ETW_OK) {
        st = set_rate(r, s, &sc, &h);
    }
    free(h.labels);
    free(sc.event_text);
    s->next_row = -1;
    return st;
}
