/* PhysioNet WFDB records: the .hea header (record line + one line per signal) and the
 * signal files in formats 16, 61, 80, 160, 212, 310, 311, 24 and 32.
 * Reference: WFDB header(5) and signal(5) manual pages, https://physionet.org/physiotools/wag/
 * Every size is checked before it is used; memory is a fixed chunk buffer per reader. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "io/fields.h"
#include "io/reader_internal.h"
#include "io/wfdb_annot.h"
#include "io/wfdb_header.h"

#define CHUNK_SAMPLES 32768      /* samples decoded per file read */
#define MAX_FRAME_SAMPLES 16384  /* samples per frame of one signal file (spf summed) */

typedef struct wfdb_group {      /* signals stored interleaved in one file */
    FILE *f;                     /* NULL for a null signal (file "~": no samples, all NaN) */
    int fmt;
    int per_block;               /* samples per block of bytes (212: 2 in 3 bytes) */
    int block_bytes;
    int64_t offset;              /* bytes to skip at the start of the file */
    size_t first, nsig;          /* signals first .. first+nsig-1 */
    size_t frame_samples;        /* samples per frame: the sum of its signals' spf */
} wfdb_group;

typedef struct wfdb_signal {
    size_t group, k;             /* its group and the offset of its samples in a frame */
    size_t spf;                  /* samples per frame (its rate = spf * frame rate) */
    double gain, baseline;
    int32_t invalid;             /* the format's "invalid sample" code */
    int64_t initval, checksum;
    int has_initval, has_checksum;
} wfdb_signal;

typedef struct wfdb_state {
    wfdb_group *groups;
    size_t ngroups;
    wfdb_signal *sig;
    unsigned char bytes[CHUNK_SAMPLES * 4 + 16];
    int32_t samples[CHUNK_SAMPLES + 16];
} wfdb_state;

static void wfdb_close(etw_reader *r)
{
    wfdb_state *s = r->state;
    if (s == NULL) {
        return;
    }
    for (size_t g = 0; g < s->ngroups; g++) {
        if (s->groups[g].f != NULL) {
            fclose(s->groups[g].f);
        }
    }
    free(s->groups);
    free(s->sig);
    free(s);
    r->state = NULL;
}

static int format_layout(int fmt, int *per_block, int *block_bytes, int32_t *invalid,
                         int *bits)
{
    switch (fmt) {
    case 16: case 61: case 160:
        *per_block = 1, *block_bytes = 2, *invalid = -32768, *bits = 16;
        return 1;
    case 80:
        *per_block = 1, *block_bytes = 1, *invalid = -128, *bits = 8;
        return 1;
    case 212:
        *per_block = 2, *block_bytes = 3, *invalid = -2048, *bits = 12;
        return 1;
    case 310: case 311:
        *per_block = 3, *block_bytes = 4, *invalid = -512, *bits = 10;
        return 1;
    case 24:
        *per_block = 1, *block_bytes = 3, *invalid = -8388608, *bits = 24;
        return 1;
    case 32:
        *per_block = 1, *block_bytes = 4, *invalid = INT32_MIN, *bits = 32;
        return 1;
    default:
        return 0;
    }
}

static int32_t sign10(uint32_t v)
{
    v &= 0x3ff;
    return v >= 512 ? (int32_t)v - 1024 : (int32_t)v;
}

/* Decodes nblocks blocks of bytes b into samples out. Formats 310 and 311 (signal(5)): three
 * 10-bit samples in 4 bytes; 310 as two little-endian 16-bit words w0, w1: bits 1-10 of w0,
 * bits 1-10 of w1, then the top 5 bits of w0 (low half) and of w1 (high half); 311 as one
 * little-endian 32-bit word: bits 0-9, 10-19, 20-29. */
static void decode(int fmt, const unsigned char *b, size_t nblocks, int32_t *out)
{
    size_t i;
    switch (fmt) {
    case 16:
        for (i = 0; i < nblocks; i++) {
            out[i] = (int16_t)(uint16_t)(b[2 * i] | (b[2 * i + 1] << 8));
        }
        break;
    case 61:
        for (i = 0; i < nblocks; i++) {
            out[i] = (int16_t)(uint16_t)(b[2 * i + 1] | (b[2 * i] << 8));
        }
        break;
    case 160:
        for (i = 0; i < nblocks; i++) {
            out[i] = (int32_t)(b[2 * i] | (b[2 * i + 1] << 8)) - 32768;
        }
        break;
    case 80:
        for (i = 0; i < nblocks; i++) {
            out[i] = (int32_t)b[i] - 128;
        }
        break;
    case 212:
        for (i = 0; i < nblocks; i++) {
            const unsigned char *p = b + 3 * i;
            int32_t a = p[0] | ((p[1] & 0x0f) << 8);
            int32_t c = p[2] | ((p[1] & 0xf0) << 4);
            out[2 * i] = a >= 2048 ? a - 4096 : a;
            out[2 * i + 1] = c >= 2048 ? c - 4096 : c;
        }
        break;
    case 310:
        for (i = 0; i < nblocks; i++) {
            const unsigned char *p = b + 4 * i;
            uint32_t w0 = p[0] | ((uint32_t)p[1] << 8), w1 = p[2] | ((uint32_t)p[3] << 8);
            out[3 * i] = sign10(w0 >> 1);
            out[3 * i + 1] = sign10(w1 >> 1);
            out[3 * i + 2] = sign10((w0 >> 11) | ((w1 >> 11) << 5));
        }
        break;
    case 311:
        for (i = 0; i < nblocks; i++) {
            const unsigned char *p = b + 4 * i;
            uint32_t w = (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
                         ((uint32_t)p[3] << 24);
            out[3 * i] = sign10(w);
            out[3 * i + 1] = sign10(w >> 10);
            out[3 * i + 2] = sign10(w >> 20);
        }
        break;
    case 24:
        for (i = 0; i < nblocks; i++) {
            const unsigned char *p = b + 3 * i;
            int32_t v = p[0] | (p[1] << 8) | (p[2] << 16);
            out[i] = v >= 8388608 ? v - 16777216 : v;
        }
        break;
    default: /* 32 */
        for (i = 0; i < nblocks; i++) {
            const unsigned char *p = b + 4 * i;
            out[i] = (int32_t)((uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
                               ((uint32_t)p[3] << 24));
        }
        break;
    }
}

/* Decodes group samples [s0, s1) (s1 - s0 <= CHUNK_SAMPLES); *v points to sample s0. */
static etw_status read_samples(etw_reader *r, size_t gi, int64_t s0, int64_t s1,
                               const int32_t **v)
{
    wfdb_state *s = r->state;
    wfdb_group *g = &s->groups[gi];
    int64_t b0 = s0 / g->per_block, b1 = (s1 + g->per_block - 1) / g->per_block;
    size_t nbytes = (size_t)(b1 - b0) * (size_t)g->block_bytes;
    int64_t at = g->offset + b0 * g->block_bytes;
    if (fseeko(g->f, (off_t)at, SEEK_SET) != 0) {
        return etw_reader_fail(r, ETW_ERR_IO, "signal file of '%s': cannot seek to byte %lld",
                               r->ch[g->first].label, (long long)at);
    }
    size_t got = fread(s->bytes, 1, nbytes, g->f);
    if (got != nbytes) {
        return etw_reader_fail(r, ferror(g->f) ? ETW_ERR_IO : ETW_ERR_TRUNCATED,
                               "signal file of '%s' ends at byte %lld, before the %zu bytes "
                               "at %lld",
                               r->ch[g->first].label, (long long)(at + (int64_t)got), nbytes,
                               (long long)at);
    }
    decode(g->fmt, s->bytes, (size_t)(b1 - b0), s->samples);
    *v = s->samples + (s0 - b0 * g->per_block);
    return ETW_OK;
}

static size_t chunk_frames(const wfdb_group *g)
{
    return (CHUNK_SAMPLES - 4) / g->frame_samples; /* >= 1: frame_samples is bounded */
}

/* Channel samples [pos, pos + n) of the selection (all of one rate, so one spf): frames
 * pos / spf .. are decoded a chunk at a time per signal file. */
static etw_status wfdb_read(etw_reader *r, float *const *out, size_t n)
{
    wfdb_state *s = r->state;
    size_t spf = s->sig[r->sel[0]].spf;
    for (size_t gi = 0; gi < s->ngroups; gi++) {
        const wfdb_group *g = &s->groups[gi];
        int used = 0;
        for (size_t j = 0; j < r->nsel; j++) {
            used |= s->sig[r->sel[j]].group == gi;
        }
        if (!used) {
            continue;
        }
        if (g->fmt == 0) { /* null signal */
            for (size_t j = 0; j < r->nsel; j++) {
                for (size_t t = 0; s->sig[r->sel[j]].group == gi && t < n; t++) {
                    out[j][t] = NAN;
                }
            }
            continue;
        }
        size_t cf = chunk_frames(g), fsz = g->frame_samples;
        for (size_t done = 0; done < n;) {
            int64_t p = r->pos + (int64_t)done, f0 = p / (int64_t)spf;
            size_t j0 = (size_t)(p % (int64_t)spf);
            size_t frames = (j0 + (n - done) + spf - 1) / spf;
            frames = frames < cf ? frames : cf;
            size_t m = frames * spf - j0 < n - done ? frames * spf - j0 : n - done;
            const int32_t *v = NULL;
            etw_status st = read_samples(r, gi, f0 * (int64_t)fsz,
                                         (f0 + (int64_t)frames) * (int64_t)fsz, &v);
            if (st != ETW_OK) {
                return st;
            }
            for (size_t j = 0; j < r->nsel; j++) {
                const wfdb_signal *sg = &s->sig[r->sel[j]];
                if (sg->group != gi) {
                    continue;
                }
                float *o = out[j] + done;
                for (size_t t = 0; t < m; t++) {
                    size_t q = j0 + t;
                    int32_t x = v[(q / spf) * fsz + sg->k + q % spf];
                    o[t] = x == sg->invalid ? NAN : (float)(((double)x - sg->baseline) / sg->gain);
                }
            }
            done += m;
        }
    }
    return ETW_OK;
}

static const etw_backend wfdb_backend = {wfdb_read, wfdb_close};

/* ---- header ---------------------------------------------------------------------------- */

static etw_status bad_field(etw_reader *r, long line, const char *field, const etw_token *t)
{
    return etw_reader_fail(r, ETW_ERR_FORMAT, "line %ld, field '%s': invalid value '%.*s'", line,
                           field, (int)(t->len > 40 ? 40 : t->len), t->s);
}

/* Leading number of a token such as "4000/1000(0)" or "10000(0)/mV": parses up to the first
 * of the stop characters. */
static int leading_double(const etw_token *t, const char *stops, double *v, size_t *used)
{
    size_t n = 0;
    while (n < t->len && strchr(stops, t->s[n]) == NULL) {
        n++;
    }
    *used = n;
    return etw_parse_double(t->s, n, v);
}

etw_status etw_wfdb_record_line(etw_reader *r, const char *line, size_t len, long ln,
                                int64_t *nsamp, int64_t *nseg)
{
    etw_token t[6];
    size_t nt = etw_split_blanks(line, len, t, 6);
    if (nt < 2) {
        return etw_reader_fail(r, ETW_ERR_FORMAT,
                               "line %ld: record line needs a name and a signal count", ln);
    }
    const char *slash = memchr(t[0].s, '/', t[0].len);
    *nseg = 0;
    if (slash != NULL) {
        size_t at = (size_t)(slash - t[0].s) + 1;
        if (!etw_parse_i64(slash + 1, t[0].len - at, nseg) || *nseg < 1) {
            return bad_field(r, ln, "number of segments", &t[0]);
        }
        if (*nseg > ETW_WFDB_MAX_SEGMENTS) {
            return etw_reader_fail(r, ETW_ERR_OVERFLOW, "line %ld: %lld segments (at most %d)",
                                   ln, (long long)*nseg, ETW_WFDB_MAX_SEGMENTS);
        }
    }
    int64_t nsig;
    if (!etw_parse_i64(t[1].s, t[1].len, &nsig) || nsig < 0) {
        return bad_field(r, ln, "number of signals", &t[1]);
    }
    if (nsig == 0) {
        return etw_reader_fail(r, ETW_ERR_FORMAT, "line %ld: the record has no signals", ln);
    }
    if (nsig > ETW_MAX_CHANNELS) {
        return etw_reader_fail(r, ETW_ERR_OVERFLOW, "line %ld: %lld signals (at most %d)", ln,
                               (long long)nsig, ETW_MAX_CHANNELS);
    }
    double fs = 250.0;
    if (nt > 2) {
        size_t used;
        int ok = leading_double(&t[2], "/(", &fs, &used);
        if (ok < 0) {
            return etw_reader_fail(r, ETW_ERR_NONFINITE, "line %ld: sampling frequency is not "
                                   "finite", ln);
        }
        if (ok == 0 || fs <= 0.0) {
            return bad_field(r, ln, "sampling frequency", &t[2]);
        }
        if (fs > 1e9) {
            return etw_reader_fail(r, ETW_ERR_OVERFLOW, "line %ld: sampling frequency %g Hz is "
                                   "absurd", ln, fs);
        }
    }
    *nsamp = 0;
    if (nt > 3 && (!etw_parse_i64(t[3].s, t[3].len, nsamp) || *nsamp < 0)) {
        return bad_field(r, ln, "number of samples", &t[3]);
    }
    etw_status st = etw_reader_alloc_channels(r, (size_t)nsig);
    if (st != ETW_OK) {
        return st;
    }
    for (size_t i = 0; i < (size_t)nsig; i++) {
        r->ch[i].fs_hz = fs;
    }
    int hh, mm, dd, mo, yy;
    double ss;
    char tbuf[32], dbuf[32], extra;
    if (nt > 5 && t[4].len < sizeof tbuf && t[5].len < sizeof dbuf) {
        memcpy(tbuf, t[4].s, t[4].len);
        tbuf[t[4].len] = '\0';
        memcpy(dbuf, t[5].s, t[5].len);
        dbuf[t[5].len] = '\0';
        if (sscanf(tbuf, "%d:%d:%lf%c", &hh, &mm, &ss, &extra) == 3 &&
            sscanf(dbuf, "%d/%d/%d%c", &dd, &mo, &yy, &extra) == 3 && hh >= 0 && hh < 24 &&
            mm >= 0 && mm < 60 && ss >= 0 && ss < 61 && mo >= 1 && mo <= 12 && dd >= 1 &&
            dd <= 31) {
            r->info.has_start = 1;
            r->info.start = (etw_datetime){yy, mo, dd, hh, mm, ss};
        }
    }
    return ETW_OK;
}

/* "212", "16x1", "16:0", "16+512", "16x1:0+24": format, then options. */
static etw_status parse_format(etw_reader *r, const etw_token *t, long ln, int *fmt,
                               int64_t *offset, size_t *spf)
{
    size_t n = 0;
    while (n < t->len && t->s[n] >= '0' && t->s[n] <= '9') {
        n++;
    }
    int64_t v;
    if (!etw_parse_i64(t->s, n, &v) || v > 1000) {
        return bad_field(r, ln, "format", t);
    }
    *fmt = (int)v;
    *offset = 0;
    *spf = 1;
    size_t i = n;
    while (i < t->len) {
        char kind = t->s[i++];
        size_t start = i;
        while (i < t->len && t->s[i] >= '0' && t->s[i] <= '9') {
            i++;
        }
        if (!etw_parse_i64(t->s + start, i - start, &v)) {
            return bad_field(r, ln, "format", t);
        }
        if (kind == 'x') {
            if (v > MAX_FRAME_SAMPLES) {
                return etw_reader_fail(r, ETW_ERR_OVERFLOW, "line %ld: %lld samples per frame "
                                       "(at most %d)", ln, (long long)v, MAX_FRAME_SAMPLES);
            }
            *spf = v > 0 ? (size_t)v : 1; /* WFDB: 0 means 1 */
        } else if (kind == ':') {
            if (v != 0) {
                return etw_reader_fail(r, ETW_ERR_UNSUPPORTED, "line %ld: skew is not "
                                       "supported", ln);
            }
        } else if (kind == '+') {
            *offset = v;
        } else {
            return bad_field(r, ln, "format", t);
        }
    }
    return ETW_OK;
}

/* "200", "200/mV", "200(-12)/mV": gain, baseline (if given) and units. */
static etw_status parse_gain(etw_reader *r, const etw_token *t, long ln, size_t c, double *gain,
                             int *has_baseline, double *baseline)
{
    size_t used;
    int ok = leading_double(t, "(/", gain, &used);
    if (ok <= 0 || *gain < 0) {
        return bad_field(r, ln, "ADC gain", t);
    }
    if (*gain == 0.0) {
        *gain = 200.0; /* WFDB: gain 0 means uncalibrated, with the default gain */
    }
    const char *p = t->s + used, *end = t->s + t->len;
    *has_baseline = 0;
    if (p < end && *p == '(') {
        const char *close = memchr(p, ')', (size_t)(end - p));
        int64_t b;
        if (close == NULL || !etw_parse_i64(p + 1, (size_t)(close - p - 1), &b) ||
            b < INT32_MIN || b > INT32_MAX) {
            return bad_field(r, ln, "baseline", t);
        }
        *baseline = (double)b;
        *has_baseline = 1;
        p = close + 1;
    }
    const char *unit = "mV";
    size_t ulen = 2;
    if (p < end && *p == '/') {
        unit = p + 1;
        ulen = (size_t)(end - unit);
    } else if (p != end) {
        return bad_field(r, ln, "ADC gain", t);
    }
    etw_copy_trimmed(r->ch[c].unit, sizeof r->ch[c].unit, unit, ulen);
    r->ch[c].to_volts = etw_unit_to_volts(r->ch[c].unit);
    if (r->ch[c].to_volts == 1e-3) {
        strcpy(r->ch[c].unit, "mV"); /* "mv" appears in PhysioNet headers */
    } else if (r->ch[c].to_volts == 1e-6) {
        strcpy(r->ch[c].unit, "uV");
    }
    return ETW_OK;
}

static etw_status optional_int(etw_reader *r, const etw_token *t, size_t nt, size_t i, long ln,
                               const char *field, int64_t *v, int *present)
{
    *present = nt > i;
    if (*present && (!etw_parse_i64(t[i].s, t[i].len, v) || *v < INT32_MIN || *v > INT32_MAX)) {
        return bad_field(r, ln, field, &t[i]);
    }
    return ETW_OK;
}

/* Finds or starts the group of a signal file; signals of one file must be adjacent. */
static etw_status add_to_group(etw_reader *r, wfdb_state *s, const etw_token *file, size_t c,
                               int fmt, int64_t offset, size_t spf, long ln, char **names)
{
    s->sig[c].spf = spf;
    int null = file->len == 1 && file->s[0] == '~';
    if (null != (fmt == 0)) {
        return etw_reader_fail(r, ETW_ERR_FORMAT, "line %ld: a null signal has file '~' and "
                               "format 0", ln);
    }
    if (!null && c > 0 && strlen(names[s->ngroups - 1]) == file->len &&
        memcmp(names[s->ngroups - 1], file->s, file->len) == 0) {
        wfdb_group *g = &s->groups[s->ngroups - 1];
        if (g->fmt != fmt || g->offset != offset) {
            return etw_reader_fail(r, ETW_ERR_FORMAT, "line %ld: signals of one file must "
                                   "share format and byte offset", ln);
        }
        if (g->frame_samples + spf > MAX_FRAME_SAMPLES) {
            return etw_reader_fail(r, ETW_ERR_OVERFLOW, "line %ld: more than %d samples per "
                                   "frame in file '%s'", ln, MAX_FRAME_SAMPLES,
                                   names[s->ngroups - 1]);
        }
        s->sig[c].group = s->ngroups - 1;
        s->sig[c].k = g->frame_samples;
        g->frame_samples += spf;
        g->nsig++;
        return ETW_OK;
    }
    for (size_t g = 0; !null && g < s->ngroups; g++) {
        if (strlen(names[g]) == file->len && memcmp(names[g], file->s, file->len) == 0) {
            return etw_reader_fail(r, ETW_ERR_UNSUPPORTED, "line %ld: signals of file '%s' are "
                                   "not adjacent", ln, names[g]);
        }
    }
    if (file->len == 1 && file->s[0] == '-') {
        return etw_reader_fail(r, ETW_ERR_UNSUPPORTED, "line %ld: signals on standard input",
                               ln);
    }
    if (file->s[0] == '/' || file->len > 1024) {
        return etw_reader_fail(r, ETW_ERR_FORMAT, "line %ld: signal file name must be "
                               "relative to the header's folder", ln);
    }
    wfdb_group *g = &s->groups[s->ngroups];
    names[s->ngroups] = malloc(file->len + 1);
    if (names[s->ngroups] == NULL) {
        return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory");
    }
    memcpy(names[s->ngroups], file->s, file->len);
    names[s->ngroups][file->len] = '\0';
    int32_t invalid;
    int bits;
    if (null) {
        g->per_block = g->block_bytes = 1;
    } else if (!format_layout(fmt, &g->per_block, &g->block_bytes, &invalid, &bits)) {
        free(names[s->ngroups]);
        names[s->ngroups] = NULL;
        return etw_reader_fail(r, ETW_ERR_UNSUPPORTED, "line %ld: signal format %d is not "
                               "supported (16, 61, 80, 160, 212, 310, 311, 24, 32 are)", ln, fmt);
    }
    g->fmt = fmt;
    g->offset = offset;
    g->first = c;
    g->nsig = 1;
    g->frame_samples = spf;
    s->sig[c].group = s->ngroups++;
    s->sig[c].k = 0;
    return ETW_OK;
}

static etw_status parse_signal_line(etw_reader *r, wfdb_state *s, char *line, size_t len,
                                    long ln, size_t c, char **names)
{
    etw_token t[9];
    size_t nt = etw_split_blanks(line, len, t, 9);
    if (nt < 2) {
        return etw_reader_fail(r, ETW_ERR_FORMAT, "line %ld: signal line needs a file name "
                               "and a format", ln);
    }
    int fmt = 0;
    int64_t offset = 0;
    size_t spf = 1;
    etw_status st = parse_format(r, &t[1], ln, &fmt, &offset, &spf);
    if (st == ETW_OK) {
        st = add_to_group(r, s, &t[0], c, fmt, offset, spf, ln, names);
    }
    if (st != ETW_OK) {
        return st;
    }
    wfdb_signal *sg = &s->sig[c];
    int32_t invalid = 0;
    int per_block = 1, block_bytes = 1, bits = 32;
    format_layout(fmt, &per_block, &block_bytes, &invalid, &bits);
    sg->invalid = invalid;
    double gain = 200.0, baseline = 0.0;
    int has_baseline = 0, present;
    strcpy(r->ch[c].unit, "mV");
    r->ch[c].to_volts = 1e-3;
    if (nt > 2 && (st = parse_gain(r, &t[2], ln, c, &gain, &has_baseline, &baseline)) != ETW_OK) {
        return st;
    }
    int64_t adcres = 0, adczero = 0, v;
    if ((st = optional_int(r, t, nt, 3, ln, "ADC resolution", &adcres, &present)) != ETW_OK ||
        (st = optional_int(r, t, nt, 4, ln, "ADC zero", &adczero, &present)) != ETW_OK) {
        return st;
    }
    if ((st = optional_int(r, t, nt, 5, ln, "initial value", &sg->initval,
                           &sg->has_initval)) != ETW_OK) {
        return st;
    }
    if ((st = optional_int(r, t, nt, 6, ln, "checksum", &sg->checksum, &sg->has_checksum)) !=
            ETW_OK ||
        (st = optional_int(r, t, nt, 7, ln, "block size", &v, &present)) != ETW_OK) {
        return st;
    }
    if (nt > 8) { /* the description is the rest of the line, blanks included */
        etw_copy_trimmed(r->ch[c].label, sizeof r->ch[c].label, t[8].s,
                         (size_t)(line + len - t[8].s));
    }
    sg->gain = gain;
    sg->baseline = has_baseline ? baseline : (double)adczero;
    if (adcres <= 0 || adcres > bits) {
        adcres = bits;
    }
    double lo = (double)adczero - ldexp(1.0, (int)adcres - 1);
    double hi = (double)adczero + ldexp(1.0, (int)adcres - 1) - 1.0;
    r->ch[c].dig_min = lo < invalid ? invalid : lo;
    r->ch[c].dig_max = hi;
    r->ch[c].phys_min = (r->ch[c].dig_min - sg->baseline) / gain;
    r->ch[c].phys_max = (r->ch[c].dig_max - sg->baseline) / gain;
    return ETW_OK;
}

/* Opens the group files, checks their sizes against the header's sample count (or derives
 * the count from the first file). */
static etw_status open_files(etw_reader *r, wfdb_state *s, char **names, int64_t *nsamp)
{
    const char *slash = strrchr(r->path, '/');
    size_t dirlen = slash != NULL ? (size_t)(slash - r->path + 1) : 0;
    int derived = *nsamp == 0;
    for (size_t gi = 0; gi < s->ngroups; gi++) {
        wfdb_group *g = &s->groups[gi];
        if (g->fmt == 0) {
            continue; /* null signal: no file */
        }
        size_t n = strlen(names[gi]);
        char *p = malloc(dirlen + n + 1);
        if (p == NULL) {
            return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory");
        }
        memcpy(p, r->path, dirlen);
        memcpy(p + dirlen, names[gi], n + 1);
        g->f = fopen(p, "rb");
        struct stat stt;
        int ok = g->f != NULL && fstat(fileno(g->f), &stt) == 0;
        free(p);
        if (!ok) {
            return etw_reader_fail(r, ETW_ERR_OPEN, "cannot open signal file '%s': %s",
                                   names[gi], strerror(errno));
        }
        int64_t size = (int64_t)stt.st_size;
        if (size < g->offset) {
            return etw_reader_fail(r, ETW_ERR_TRUNCATED, "signal file '%s' has %lld bytes, "
                                   "less than its byte offset %lld", names[gi],
                                   (long long)size, (long long)g->offset);
        }
        int64_t blocks = (size - g->offset) / g->block_bytes;
        int64_t avail = blocks * g->per_block / (int64_t)g->frame_samples;
        if (derived) {
            if (avail == 0) {
                return etw_reader_fail(r, ETW_ERR_FORMAT, "signal file '%s' holds no samples",
                                       names[gi]);
            }
            *nsamp = avail;
            derived = 0;
        }
        if (*nsamp > INT64_MAX / 8 / (int64_t)g->frame_samples) {
            return etw_reader_fail(r, ETW_ERR_OVERFLOW, "%lld samples per signal is absurd",
                                   (long long)*nsamp);
        }
        int64_t need_blocks =
            (*nsamp * (int64_t)g->frame_samples + g->per_block - 1) / g->per_block;
        int64_t need = g->offset + need_blocks * g->block_bytes;
        if (size < need) {
            return etw_reader_fail(r, ETW_ERR_TRUNCATED, "signal file '%s' has %lld bytes but "
                                   "the header's %lld samples need %lld", names[gi],
                                   (long long)size, (long long)*nsamp, (long long)need);
        }
        if (size > need) {
            return etw_reader_fail(r, ETW_ERR_MISMATCH, "signal file '%s' has %lld bytes but "
                                   "the header's %lld samples need %lld", names[gi],
                                   (long long)size, (long long)*nsamp, (long long)need);
        }
    }
    return ETW_OK;
}

/* Full pass: the first sample equals the initial value and the 16-bit sum the checksum,
 * for the signals whose header line gives them. */
static etw_status verify(etw_reader *r, int64_t nsamp)
{
    wfdb_state *s = r->state;
    for (size_t gi = 0; gi < s->ngroups; gi++) {
        const wfdb_group *g = &s->groups[gi];
        if (g->fmt == 0) {
            continue;
        }
        size_t cf = chunk_frames(g);
        uint16_t *sums = calloc(g->nsig, sizeof *sums);
        if (sums == NULL) {
            return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory");
        }
        etw_status st = ETW_OK;
        for (int64_t f0 = 0; f0 < nsamp && st == ETW_OK; f0 += (int64_t)cf) {
            int64_t m = nsamp - f0 < (int64_t)cf ? nsamp - f0 : (int64_t)cf;
            const int32_t *v = NULL;
            int64_t fsz = (int64_t)g->frame_samples;
            st = read_samples(r, gi, f0 * fsz, (f0 + m) * fsz, &v);
            const int32_t *p = v;
            for (int64_t f = 0; st == ETW_OK && f < m; f++) {
                for (size_t k = 0; k < g->nsig; k++) {
                    for (size_t t = 0; t < s->sig[g->first + k].spf; t++) {
                        sums[k] = (uint16_t)(sums[k] + (uint32_t)*p++);
                    }
                }
            }
            for (size_t k = 0; st == ETW_OK && f0 == 0 && k < g->nsig; k++) {
                const wfdb_signal *sg = &s->sig[g->first + k];
                if (sg->has_initval && v[sg->k] != sg->initval) {
                    st = etw_reader_fail(r, ETW_ERR_CHECKSUM, "signal %zu ('%s'): first sample "
                                         "%d differs from the header's initial value %lld",
                                         g->first + k, r->ch[g->first + k].label,
                                         (int)v[sg->k], (long long)sg->initval);
                }
            }
        }
        for (size_t k = 0; st == ETW_OK && k < g->nsig; k++) {
            const wfdb_signal *sg = &s->sig[g->first + k];
            if (sg->has_checksum && sums[k] != (uint16_t)sg->checksum) {
                st = etw_reader_fail(r, ETW_ERR_CHECKSUM, "signal %zu ('%s'): checksum %d "
                                     "differs from the header's %d", g->first + k,
                                     r->ch[g->first + k].label, (int)(int16_t)sums[k],
                                     (int)(int16_t)sg->checksum);
            }
        }
        free(sums);
        if (st != ETW_OK) {
            return st;
        }
    }
    return ETW_OK;
}

static etw_status parse_and_open(etw_reader *r, wfdb_state *s, etw_hea_cursor *c,
                                 int64_t nsamp, char ***names_out)
{
    size_t len;
    char *line;
    etw_status st;
    size_t nsig = r->info.nch;
    s->groups = calloc(nsig, sizeof *s->groups);
    s->sig = calloc(nsig, sizeof *s->sig);
    char **names = *names_out = calloc(nsig, sizeof *names);
    if (s->groups == NULL || s->sig == NULL || names == NULL) {
        return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < nsig; i++) {
        if ((line = etw_hea_next_line(c, &len)) == NULL) {
            return etw_reader_fail(r, ETW_ERR_FORMAT, "the record line announces %zu signals "
                                   "but the header has %zu signal lines", nsig, i);
        }
        if ((st = parse_signal_line(r, s, line, len, c->line, i, names)) != ETW_OK) {
            return st;
        }
    }
    if ((st = open_files(r, s, names, &nsamp)) != ETW_OK) {
        return st;
    }
    double frame_fs = r->ch[0].fs_hz; /* the record line's rate, before spf */
    for (size_t i = 0; i < nsig; i++) {
        r->ch[i].nframes = nsamp * (int64_t)s->sig[i].spf;
        r->ch[i].fs_hz = frame_fs * (double)s->sig[i].spf;
        if (r->ch[i].fs_hz > 1e9) {
            return etw_reader_fail(r, ETW_ERR_OVERFLOW, "signal %zu: %g Hz (frame rate times "
                                   "samples per frame) is absurd", i, r->ch[i].fs_hz);
        }
    }
    r->info.duration_s = (double)nsamp / frame_fs;
    const wfdb_group *g0 = &s->groups[0];
    snprintf(r->info.format_name, sizeof r->info.format_name, "WFDB (format %d%s)", g0->fmt,
             s->ngroups > 1 ? ", several files" : "");
    st = etw_wfdb_read_annotations(r, frame_fs); /* annotation times count frames */
    return st == ETW_OK && r->opt.verify ? verify(r, nsamp) : st;
}

/* A single-segment record after its record line. */
static etw_status open_single(etw_reader *r, etw_hea_cursor *c, int64_t nsamp)
{
    wfdb_state *s = calloc(1, sizeof *s);
    if (s == NULL) {
        return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory");
    }
    r->state = s;
    r->be = &wfdb_backend;
    char **names = NULL;
    etw_status st = parse_and_open(r, s, c, nsamp, &names);
    for (size_t i = 0; names != NULL && i < r->info.nch; i++) {
        free(names[i]);
    }
    free(names);
    return st;
}

etw_status etw_wfdb_open(etw_reader *r)
{
    etw_hea_cursor c = {0};
    etw_status st = etw_hea_load(r, &c);
    size_t len;
    char *line = st == ETW_OK ? etw_hea_next_line(&c, &len) : NULL;
    if (st == ETW_OK && line == NULL) {
        st = etw_reader_fail(r, ETW_ERR_FORMAT, "no record line");
    }
    int64_t nsamp = 0, nseg = 0;
    if (st == ETW_OK) {
        st = etw_wfdb_record_line(r, line, len, c.line, &nsamp, &nseg);
    }
    if (st == ETW_OK && nseg > 0 && r->segment) {
        st = etw_reader_fail(r, ETW_ERR_FORMAT, "line %ld: a segment of a multi-segment record "
                             "is itself multi-segment", c.line);
    }
    if (st == ETW_OK) {
        st = nseg > 0 ? etw_wfdb_multi_open(r, &c, (size_t)nseg, nsamp)
                      : open_single(r, &c, nsamp);
    }
    free(c.text);
    return st;
}
