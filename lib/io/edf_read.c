/* EDF, EDF+, BDF, BDF+. EDFlib validates the file at open and supplies the
 * signal parameters and the annotations; its handle is closed again right away, under
 * etw_edflib_lock() (EDFlib's table of open files is process-wide and small). Samples
 * are then read as whole data records straight from the file (edf_layout.h), which is several
 * times faster than EDFlib's one-signal-at-a-time reads, and converted with EDFlib's formula
 * physical = bitvalue * (offset + digital), bitvalue = (pmax - pmin) / (dmax - dmin),
 * offset = pmax / bitvalue - dmax. EDFlib refuses discontinuous EDF+D/BDF+D files: those are
 * described by edf_plusd.c instead; their samples are read here the same way (the records
 * one after another). */
#include <edflib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/edf_layout.h"
#include "io/edflib_lock.h"
#include "io/reader_internal.h"

#define EDF_BUFFER_BYTES (1 << 20)

typedef struct edf_state {
    FILE *f;
    edf_layout layout;
    edf_channel *chan;         /* per channel */
    unsigned char *buf;        /* buf_records whole records */
    long long buf_records;
} edf_state;

static void edf_close(etw_reader *r)
{
    edf_state *s = r->state;
    if (s == NULL) {
        return;
    }
    if (s->f != NULL) {
        fclose(s->f);
    }
    free(s->chan);
    free(s->buf);
    free(s);
    r->state = NULL;
}

static void decode(const edf_channel *c, int bytes, const unsigned char *p, size_t m, float *o)
{
    if (bytes == 2) {
        for (size_t i = 0; i < m; i++, p += 2) {
            int v = (int16_t)(uint16_t)(p[0] | (p[1] << 8));
            o[i] = (float)(c->bitvalue * (c->offset + v));
        }
    } else {
        for (size_t i = 0; i < m; i++, p += 3) {
            int v = p[0] | (p[1] << 8) | (p[2] << 16);
            v = v >= 8388608 ? v - 16777216 : v;
            o[i] = (float)(c->bitvalue * (c->offset + v));
        }
    }
}

static etw_status edf_read(etw_reader *r, float *const *out, size_t n)
{
    edf_state *s = r->state;
    const edf_layout *l = &s->layout;
    long long spr = l->spr[s->chan[r->sel[0]].signal];
    long long rec = r->pos / spr, k = r->pos % spr;
    size_t done = 0;
    while (done < n) {
        long long want = (k + (long long)(n - done) + spr - 1) / spr;
        long long nrec = want < s->buf_records ? want : s->buf_records;
        long long at = l->header_bytes + rec * l->record_bytes;
        size_t bytes = (size_t)(nrec * l->record_bytes);
        if (fseeko(s->f, (off_t)at, SEEK_SET) != 0 || fread(s->buf, 1, bytes, s->f) != bytes) {
            return etw_reader_fail(r, ferror(s->f) ? ETW_ERR_IO : ETW_ERR_TRUNCATED,
                                   "data record %lld (byte %lld): file ends or is unreadable",
                                   rec, at);
        }
        for (long long q = 0; q < nrec && done < n; q++) {
            size_t m = (size_t)(spr - k) < n - done ? (size_t)(spr - k) : n - done;
            const unsigned char *record = s->buf + q * l->record_bytes;
            for (size_t j = 0; j < r->nsel; j++) {
                const edf_channel *c = &s->chan[r->sel[j]];
                decode(c, l->bytes, record + l->offset[c->signal] + k * l->bytes, m,
                       out[j] + done);
            }
            done += m;
            k = 0;
        }
        rec += nrec;
    }
    return ETW_OK;
}

static const etw_backend edf_backend = {edf_read, edf_close};

static etw_status open_error(etw_reader *r, int code)
{
    switch (code) {
    case EDFLIB_MALLOC_ERROR:
        return etw_reader_fail(r, ETW_ERR_NOMEM, "EDFlib: out of memory");
    case EDFLIB_NO_SUCH_FILE_OR_DIRECTORY:
        return etw_reader_fail(r, ETW_ERR_OPEN, "cannot open: no such file or not readable");
    case EDFLIB_FILE_CONTAINS_FORMAT_ERRORS:
        return etw_reader_fail(r, ETW_ERR_FORMAT, "EDFlib: the EDF/BDF header or annotations "
                               "do not follow the specification");
    case EDFLIB_MAXFILES_REACHED:
        return etw_reader_fail(r, ETW_ERR_OVERFLOW, "EDFlib: too many files open at once");
    case EDFLIB_FILE_READ_ERROR:
        return etw_reader_fail(r, ETW_ERR_IO, "EDFlib: read error");
    case EDFLIB_FILE_ALREADY_OPENED:
        return etw_reader_fail(r, ETW_ERR_OPEN, "EDFlib: the file is already open");
    case EDFLIB_FILE_IS_DISCONTINUOUS:
        return etw_reader_fail(r, ETW_ERR_UNSUPPORTED, "discontinuous EDF+D/BDF+D file");
    default:
        return etw_reader_fail(r, ETW_ERR_FORMAT, "EDFlib error %d", code);
    }
}

/* Channel c is EDFlib signal c: the c-th file signal that is not an annotation signal. */
static etw_status map_channels(etw_reader *r, edf_state *s, const struct edf_hdr_struct *h)
{
    const edf_layout *l = &s->layout;
    int plus = h->filetype == EDFLIB_FILETYPE_EDFPLUS || h->filetype == EDFLIB_FILETYPE_BDFPLUS;
    int c = 0;
    for (int i = 0; i < l->ns; i++) {
        if (plus && (strcmp(l->label[i], "EDF Annotations") == 0 ||
                     strcmp(l->label[i], "BDF Annotations") == 0)) {
            continue;
        }
        if (c == h->edfsignals || l->spr[i] != h->signalparam[c].smp_in_datarecord) {
            break;
        }
        const struct edf_param_struct *p = &h->signalparam[c];
        s->chan[c].signal = i;
        s->chan[c].bitvalue = (p->phys_max - p->phys_min) / (double)(p->dig_max - p->dig_min);
        s->chan[c].offset = p->phys_max / s->chan[c].bitvalue - p->dig_max;
        c++;
    }
    if (c != h->edfsignals || l->nrec != h->datarecords_in_file) {
        return etw_reader_fail(r, ETW_ERR_FORMAT, "the header's signal layout is inconsistent");
    }
    return ETW_OK;
}

static etw_status fill_info(etw_reader *r, const struct edf_hdr_struct *h, int handle)
{
    static const char *const names[] = {"EDF", "EDF+", "BDF", "BDF+"};
    snprintf(r->info.format_name, sizeof r->info.format_name, "%s",
             h->filetype >= 0 && h->filetype <= 3 ? names[h->filetype] : "EDF");
    if (h->edfsignals <= 0) {
        return etw_reader_fail(r, ETW_ERR_FORMAT, "no signals (only annotations)");
    }
    if (h->datarecord_duration <= 0) {
        return etw_reader_fail(r, ETW_ERR_FORMAT, "data record duration is not positive");
    }
    etw_status st = etw_reader_alloc_channels(r, (size_t)h->edfsignals);
    if (st != ETW_OK) {
        return st;
    }
    double longest = 0.0;
    for (int i = 0; i < h->edfsignals; i++) {
        const struct edf_param_struct *p = &h->signalparam[i];
        etw_channel_info *c = &r->ch[i];
        etw_copy_trimmed(c->label, sizeof c->label, p->label, strlen(p->label));
        etw_copy_trimmed(c->unit, sizeof c->unit, p->physdimension, strlen(p->physdimension));
        c->to_volts = etw_unit_to_volts(c->unit);
        c->fs_hz = (double)p->smp_in_datarecord * (double)EDFLIB_TIME_DIMENSION /
                   (double)h->datarecord_duration;
        c->phys_min = p->phys_min;
        c->phys_max = p->phys_max;
        c->dig_min = p->dig_min;
        c->dig_max = p->dig_max;
        c->nframes = p->smp_in_file;
        double d = (double)c->nframes / c->fs_hz;
        longest = d > longest ? d : longest;
    }
    r->info.duration_s = longest;
    if (h->startdate_year > 0) {
        r->info.has_start = 1;
        r->info.start = (etw_datetime){h->startdate_year, h->startdate_month, h->startdate_day,
                                       h->starttime_hour, h->starttime_minute,
                                       h->starttime_second +
                                           (double)h->starttime_subsecond / EDFLIB_TIME_DIMENSION};
        r->info.has_start = !etw_edf_start_unknown(&r->info.start);
    }
    for (long long i = 0; i < h->annotations_in_file; i++) {
        struct edf_annotation_struct a;
        if (edf_get_annotation(handle, (int)i, &a) != 0) {
            return etw_reader_fail(r, ETW_ERR_FORMAT, "annotation %lld unreadable", i);
        }
        double dur = a.duration_l < 0 ? -1.0 : (double)a.duration_l / EDFLIB_TIME_DIMENSION;
        if ((st = etw_reader_add_annotation(r, (double)a.onset / EDFLIB_TIME_DIMENSION, dur,
                                            a.annotation, strlen(a.annotation))) != ETW_OK) {
            return st;
        }
    }
    edf_state *s = r->state;
    s->chan = calloc((size_t)h->edfsignals, sizeof *s->chan);
    if (s->chan == NULL) {
        return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory");
    }
    return map_channels(r, s, h);
}

/* EDFlib opens, validates and describes the file; its handle is closed before returning.
 * The lock is held throughout: EDFlib refuses a second open of a file that is open, so two
 * readers of one file must not overlap here (afterwards they are independent). */
static etw_status describe(etw_reader *r)
{
    struct edf_hdr_struct *h = malloc(sizeof *h); /* about 1 MB: never on the stack */
    if (h == NULL) {
        return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory");
    }
    etw_edflib_lock();
    int rc = edfopen_file_readonly(r->path, h, EDFLIB_READ_ALL_ANNOTATIONS);
    etw_status st = rc < 0 ? open_error(r, h->filetype) : fill_info(r, h, h->handle);
    if (rc >= 0) {
        edfclose_file(h->handle);
    }
    etw_edflib_unlock();
    free(h);
    return st;
}

etw_status etw_edf_open(etw_reader *r)
{
    edf_state *s = calloc(1, sizeof *s);
    if (s == NULL) {
        return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory");
    }
    r->state = s;
    r->be = &edf_backend;
    etw_status st = etw_edf_layout(r, &s->layout);
    if (st == ETW_OK) {
        st = s->layout.discontinuous ? etw_edfd_describe(r, &s->layout, &s->chan) : describe(r);
    }
    if (st != ETW_OK) {
        return st;
    }
    long long rb = s->layout.record_bytes;
    s->buf_records = EDF_BUFFER_BYTES / rb > 0 ? EDF_BUFFER_BYTES / rb : 1;
    s->buf = malloc((size_t)(s->buf_records * rb));
    s->f = fopen(r->path, "rb");
    if (s->buf == NULL) {
        return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory for %lld-byte records", rb);
    }
    return s->f == NULL ? etw_reader_fail(r, ETW_ERR_OPEN, "cannot reopen the file") : ETW_OK;
}
