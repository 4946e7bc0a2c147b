/* EDF+D and BDF+D (discontinuous) files, described by our own code because EDFlib refuses
 * them (EDFLIB_FILE_IS_DISCONTINUOUS); their samples are then read by edf_read.c like any
 * EDF file. Facts from the EDF+ specification (Kemp & Olivan, Clin. Neurophysiol. 114:1755,
 * 2003; edfplus.info/specs/edfplus.html):
 * - per-signal header fields, each stored for all ns signals in turn after the 256-byte fixed
 *   part: label 16, transducer 80, physical dimension 8, physical min 8, max 8, digital min 8,
 *   max 8, prefiltering 80, samples per record 8, reserved 32 bytes; fixed part: start date
 *   "dd.mm.yy" at byte 168 (yy 85..99 = 19yy, else 20yy), start time "hh.mm.ss" at 176, record
 *   duration in seconds at 244;
 * - annotation signals are labelled "EDF Annotations" ("BDF Annotations" is accepted too) and
 *   hold Time-stamped Annotation Lists: "+onset[\x15duration]\x14text\x14...text\x14\x00", onset
 *   and duration in decimal seconds relative to the header's start time, zero bytes after the
 *   last TAL;
 * - the first TAL of the first annotation signal of each data record is "+onset\x14\x14" (an
 *   empty annotation): the onset of that record. In EDF+D, records may be separated by gaps
 *   but never overlap. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/edf_layout.h"
#include "io/fields.h"

#define UNITS 10000000LL /* time unit of 100 ns, as EDFlib */
#define MAX_SEGMENTS (1 << 20)

typedef struct plusd {
    etw_reader *r;
    const edf_layout *l;
    const unsigned char *hdr; /* the whole header, l->header_bytes */
    long long rec;            /* data record being parsed */
    long long record_units;   /* record duration in UNITS */
    long long next_units;     /* where the last span ends, in UNITS */
} plusd;

static const unsigned char *sig_field(const plusd *p, size_t width_before, size_t width, int i)
{
    return p->hdr + 256 + width_before * (size_t)p->l->ns + width * (size_t)i;
}

/* Blank-trimmed field as a finite number; 1 on success. */
static int field_number(const unsigned char *b, size_t len, double *v)
{
    const char *s = (const char *)b;
    while (len > 0 && s[len - 1] == ' ') {
        len--;
    }
    while (len > 0 && *s == ' ') {
        s++;
        len--;
    }
    return etw_parse_double(s, len, v) == 1;
}

/* "aa.bb.cc" into three numbers; 1 on success. */
static int clock_field(const unsigned char *b, int v[3])
{
    for (int k = 0; k < 3; k++) {
        const unsigned char *d = b + 3 * k;
        if (d[0] < '0' || d[0] > '9' || d[1] < '0' || d[1] > '9' || (k < 2 && d[2] != '.')) {
            return 0;
        }
        v[k] = 10 * (d[0] - '0') + (d[1] - '0');
    }
    return 1;
}

/* "[+|-]digits[.digits]" (the sign required when `signed_time`) into UNITS; 1 on success.
 * At most 11 integer digits; fraction digits beyond 100 ns are dropped. */
static int tal_time(const unsigned char *s, size_t len, int signed_time, long long *units)
{
    size_t i = 0;
    int neg = 0;
    if (signed_time) {
        if (len == 0 || (s[0] != '+' && s[0] != '-')) {
            return 0;
        }
        neg = s[0] == '-';
        i = 1;
    }
    long long whole = 0, frac = 0, scale = UNITS;
    size_t digits = 0;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
        if (++digits > 11) {
            return 0;
        }
        whole = 10 * whole + (s[i] - '0');
    }
    if (digits == 0) {
        return 0;
    }
    if (i < len && s[i] == '.') {
        size_t start = ++i;
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
            scale /= 10;
            frac += (s[i] - '0') * scale;
        }
        if (i == start) {
            return 0;
        }
    }
    *units = (neg ? -1 : 1) * (whole * UNITS + frac);
    return i == len;
}

static etw_status bad_tal(plusd *p, size_t at, const char *what)
{
    return etw_reader_fail(p->r, ETW_ERR_FORMAT, "data record %lld, byte %zu of its annotation "
                           "signal: %s", p->rec, at, what);
}

/* Adds data record p->rec starting at `onset` (UNITS) to the spans. */
static etw_status add_record(plusd *p, long long onset)
{
    etw_reader *r = p->r;
    size_t n = r->info.nsegments;
    if (n > 0 && onset < p->next_units - 1) {
        return etw_reader_fail(r, ETW_ERR_FORMAT, "data record %lld starts at %.7f s, before "
                               "the previous one ends (%.7f s)", p->rec, (double)onset / UNITS,
                               (double)p->next_units / UNITS);
    }
    if (n > 0 && onset <= p->next_units + 1) {
        r->span[n - 1].nrecords++;
    } else {
        if (n >= MAX_SEGMENTS) {
            return etw_reader_fail(r, ETW_ERR_OVERFLOW, "data record %lld: more than %d "
                                   "segments", p->rec, MAX_SEGMENTS);
        }
        if ((n & (n - 1)) == 0) { /* capacity doubles at powers of two */
            etw_span *s = realloc(r->span, (n > 0 ? 2 * n : 1) * sizeof *s);
            if (s == NULL) {
                return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory for segments");
            }
            r->span = s;
        }
        r->span[n] = (etw_span){(double)onset / UNITS, p->rec, 1};
        r->info.nsegments = n + 1;
    }
    p->next_units = onset + p->record_units;
    return ETW_OK;
}

/* The TALs of one annotation signal of record p->rec; `timekeeping` for the first annotation
 * signal, whose first TAL is the record's onset. */
static etw_status parse_tals(plusd *p, const unsigned char *b, size_t len, int timekeeping)
{
    size_t i = 0;
    while (i < len && b[i] != 0) {
        const unsigned char *zero = memchr(b + i, 0, len - i);
        const unsigned char *sep = memchr(b + i, 0x14, len - i);
        if (zero == NULL || sep == NULL || sep > zero) {
            return bad_tal(p, i, zero == NULL ? "annotation list without its closing zero byte"
                                              : "TAL without the byte 20 after its onset");
        }
        size_t end = (size_t)(zero - b), head = (size_t)(sep - b);
        const unsigned char *dur = memchr(b + i, 0x15, head - i);
        size_t onset_end = dur != NULL ? (size_t)(dur - b) : head;
        long long onset = 0, duration = -1;
        if (!tal_time(b + i, onset_end - i, 1, &onset) ||
            (dur != NULL && !tal_time(dur + 1, head - onset_end - 1, 0, &duration))) {
            return bad_tal(p, i, "malformed onset or duration");
        }
        size_t t = head + 1;
        if (t == end || b[end - 1] != 0x14) {
            return bad_tal(p, t, "annotation text not closed by byte 20");
        }
        if (timekeeping) {
            if (b[t] != 0x14) {
                return bad_tal(p, t, "the first TAL is not the record's time stamp");
            }
            etw_status st = add_record(p, onset);
            if (st != ETW_OK) {
                return st;
            }
            timekeeping = 0;
            t++;
        }
        while (t < end) {
            size_t e = (size_t)((const unsigned char *)memchr(b + t, 0x14, end - t) - b);
            etw_status st = e == t ? ETW_OK
                                   : etw_reader_add_annotation(
                                         p->r, (double)onset / UNITS,
                                         duration < 0 ? -1.0 : (double)duration / UNITS,
                                         (const char *)b + t, e - t);
            if (st != ETW_OK) {
                return st;
            }
            t = e + 1;
        }
        i = end + 1;
    }
    return timekeeping ? bad_tal(p, 0, "no time stamp (the record's first TAL)") : ETW_OK;
}

static int is_annotation(const char *label)
{
    return strcmp(label, "EDF Annotations") == 0 || strcmp(label, "BDF Annotations") == 0;
}

/* One ordinary signal's header fields into channel c. */
static etw_status describe_signal(plusd *p, int i, etw_channel_info *c, edf_channel *e,
                                  double record_s)
{
    const edf_layout *l = p->l;
    double v[4];
    for (int k = 0; k < 4; k++) {
        if (!field_number(sig_field(p, 104 + 8 * (size_t)k, 8, i), 8, &v[k])) {
            return etw_reader_fail(p->r, ETW_ERR_FORMAT, "byte %zu: %s of signal %d is not a "
                                   "number", (size_t)(sig_field(p, 104 + 8 * (size_t)k, 8, i) -
                                                      p->hdr),
                                   (const char *[]){"physical minimum", "physical maximum",
                                                    "digital minimum", "digital maximum"}[k],
                                   i);
        }
    }
    double lim = l->bytes == 2 ? 32768.0 : 8388608.0;
    if (v[0] == v[1] || v[2] >= v[3] || v[2] < -lim || v[3] > lim - 1 ||
        v[2] != (double)(long long)v[2] || v[3] != (double)(long long)v[3]) {
        return etw_reader_fail(p->r, ETW_ERR_FORMAT, "signal %d: physical range %g..%g or "
                               "digital range %g..%g is invalid", i, v[0], v[1], v[2], v[3]);
    }
    etw_copy_trimmed(c->label, sizeof c->label, l->label[i], strlen(l->label[i]));
    etw_copy_trimmed(c->unit, sizeof c->unit, (const char *)sig_field(p, 96, 8, i), 8);
    c->to_volts = etw_unit_to_volts(c->unit);
    c->fs_hz = l->spr[i] / record_s;
    c->phys_min = v[0];
    c->phys_max = v[1];
    c->dig_min = v[2];
    c->dig_max = v[3];
    c->nframes = l->nrec * l->spr[i];
    e->signal = i;
    e->bitvalue = (v[1] - v[0]) / (v[3] - v[2]);
    e->offset = v[1] / e->bitvalue - v[3];
    return ETW_OK;
}

static etw_status fixed_fields(plusd *p, double *record_s)
{
    etw_reader *r = p->r;
    int d[3], t[3];
    if (!clock_field(p->hdr + 168, d) || !clock_field(p->hdr + 176, t) || d[0] < 1 ||
        d[0] > 31 || d[1] < 1 || d[1] > 12 || t[0] > 23 || t[1] > 59 || t[2] > 59) {
        return etw_reader_fail(r, ETW_ERR_FORMAT, "byte 168: start date/time is not "
                               "\"dd.mm.yy\" \"hh.mm.ss\"");
    }
    r->info.has_start = 1;
    r->info.start = (etw_datetime){d[2] >= 85 ? 1900 + d[2] : 2000 + d[2], d[1], d[0], t[0],
                                   t[1], t[2]};
    r->info.has_start = !etw_edf_start_unknown(&r->info.start);
    long long units = 0;
    const unsigned char *f = p->hdr + 244;
    size_t len = 8;
    while (len > 0 && f[len - 1] == ' ') {
        len--;
    }
    if (!tal_time(f, len, 0, &units) || units <= 0 || units > 1000000 * UNITS) {
        return etw_reader_fail(r, ETW_ERR_FORMAT, "byte 244: data record duration is not a "
                               "positive number of seconds (at most 1e6)");
    }
    p->record_units = units;
    *record_s = (double)units / UNITS;
    r->record_s = *record_s;
    return ETW_OK;
}

static etw_status describe_signals(plusd *p, double record_s, edf_channel **chan, int *first_annot)
{
    const edf_layout *l = p->l;
    int nch = 0;
    *first_annot = -1;
    for (int i = 0; i < l->ns; i++) {
        if (is_annotation(l->label[i])) {
            *first_annot = *first_annot < 0 ? i : *first_annot;
        } else {
            nch++;
        }
    }
    if (*first_annot < 0) {
        return etw_reader_fail(p->r, ETW_ERR_FORMAT, "EDF+D without an \"EDF Annotations\" "
                               "signal");
    }
    etw_status st = etw_reader_alloc_channels(p->r, (size_t)nch);
    *chan = st == ETW_OK ? calloc((size_t)nch, sizeof **chan) : NULL;
    if (st == ETW_OK && *chan == NULL) {
        st = etw_reader_fail(p->r, ETW_ERR_NOMEM, "out of memory");
    }
    double longest = 0.0;
    for (int i = 0, c = 0; st == ETW_OK && i < l->ns; i++) {
        if (!is_annotation(l->label[i])) {
            st = describe_signal(p, i, &p->r->ch[c], &(*chan)[c], record_s);
            double dur = (double)p->r->ch[c].nframes / p->r->ch[c].fs_hz;
            longest = dur > longest ? dur : longest;
            c++;
        }
    }
    p->r->info.duration_s = longest;
    return st;
}

/* Reads every record's annotation signals. */
static etw_status scan_records(plusd *p, FILE *f, int first_annot)
{
    const edf_layout *l = p->l;
    size_t cap = 0;
    for (int i = 0; i < l->ns; i++) {
        size_t n = (size_t)l->spr[i] * (size_t)l->bytes;
        cap = is_annotation(l->label[i]) && n > cap ? n : cap;
    }
    unsigned char *buf = malloc(cap);
    if (buf == NULL) {
        return etw_reader_fail(p->r, ETW_ERR_NOMEM, "out of memory");
    }
    etw_status st = ETW_OK;
    for (p->rec = 0; st == ETW_OK && p->rec < l->nrec; p->rec++) {
        for (int i = first_annot; st == ETW_OK && i < l->ns; i++) {
            if (!is_annotation(l->label[i])) {
                continue;
            }
            size_t n = (size_t)l->spr[i] * (size_t)l->bytes;
            long long at = l->header_bytes + p->rec * l->record_bytes + l->offset[i];
            if (fseeko(f, (off_t)at, SEEK_SET) != 0 || fread(buf, 1, n, f) != n) {
                st = etw_reader_fail(p->r, ETW_ERR_TRUNCATED, "byte %lld: data record %lld "
                                     "unreadable", at, p->rec);
            } else {
                st = parse_tals(p, buf, n, i == first_annot);
            }
        }
    }
    free(buf);
    return st;
}

etw_status etw_edfd_describe(etw_reader *r, const edf_layout *l, edf_channel **chan)
{
    snprintf(r->info.format_name, sizeof r->info.format_name, "%s",
             l->bytes == 2 ? "EDF+D" : "BDF+D");
    FILE *f = fopen(r->path, "rb");
    unsigned char *hdr = malloc((size_t)l->header_bytes);
    etw_status st = ETW_OK;
    if (f == NULL || hdr == NULL) {
        st = f == NULL ? etw_reader_fail(r, ETW_ERR_OPEN, "cannot reopen the file")
                       : etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory");
    } else if (fread(hdr, 1, (size_t)l->header_bytes, f) != (size_t)l->header_bytes) {
        st = etw_reader_fail(r, ETW_ERR_TRUNCATED, "header shorter than %lld bytes",
                             l->header_bytes);
    }
    plusd p = {r, l, hdr, 0, 0, 0};
    double record_s = 0.0;
    int first_annot = -1;
    if (st == ETW_OK) {
        st = fixed_fields(&p, &record_s);
    }
    if (st == ETW_OK) {
        st = describe_signals(&p, record_s, chan, &first_annot);
    }
    if (st == ETW_OK) {
        st = scan_records(&p, f, first_annot);
    }
    if (st == ETW_OK && r->info.nsegments == 0) {
        st = etw_reader_fail(r, ETW_ERR_FORMAT, "no data records");
    }
    free(hdr);
    if (f != NULL) {
        fclose(f);
    }
    return st;
}
