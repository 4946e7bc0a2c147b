/* EDF, EDF+ (continuous), BDF, BDF+ through EDFlib. EDFlib's open/close use a process-wide
 * table and are serialised by etw_edflib_lock(); reads on distinct handles are independent. */
#include <edflib.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "io/edflib_lock.h"
#include "io/reader_internal.h"

#define EDF_CHUNK 4096

typedef struct edf_state {
    int handle;
    int *signal;               /* per channel: EDFlib signal number */
    double buf[EDF_CHUNK];
} edf_state;

static void edf_close(etw_reader *r)
{
    edf_state *s = r->state;
    if (s == NULL) {
        return;
    }
    if (s->handle >= 0) {
        etw_edflib_lock();
        edfclose_file(s->handle);
        etw_edflib_unlock();
    }
    free(s->signal);
    free(s);
    r->state = NULL;
}

static etw_status edf_read(etw_reader *r, float *const *out, size_t n)
{
    edf_state *s = r->state;
    for (size_t j = 0; j < r->nsel; j++) {
        int sig = s->signal[r->sel[j]];
        if (edfseek(s->handle, sig, (long long)r->pos, EDFSEEK_SET) != (long long)r->pos) {
            return etw_reader_fail(r, ETW_ERR_IO, "signal '%s': cannot seek to sample %lld",
                                   r->ch[r->sel[j]].label, (long long)r->pos);
        }
        for (size_t done = 0; done < n;) {
            int m = (int)(n - done < EDF_CHUNK ? n - done : EDF_CHUNK);
            int got = edfread_physical_samples(s->handle, sig, m, s->buf);
            if (got != m) {
                return etw_reader_fail(r, got < 0 ? ETW_ERR_IO : ETW_ERR_TRUNCATED,
                                       "signal '%s': read of %d samples at %lld failed",
                                       r->ch[r->sel[j]].label, m,
                                       (long long)(r->pos + (int64_t)done));
            }
            for (int i = 0; i < m; i++) {
                out[j][done + (size_t)i] = (float)s->buf[i];
            }
            done += (size_t)m;
        }
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
                               "do not follow the specification (or the file is truncated)");
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

/* Integer in a blank-padded ASCII header field; -1 when it is not one. */
static long long header_int(const unsigned char *b, size_t len)
{
    long long v = 0;
    size_t i = 0, digits = 0;
    while (i < len && b[i] == ' ') {
        i++;
    }
    for (; i < len && b[i] >= '0' && b[i] <= '9' && digits < 15; i++, digits++) {
        v = 10 * v + (b[i] - '0');
    }
    while (i < len && b[i] == ' ') {
        i++;
    }
    return digits > 0 && i == len ? v : -1;
}

/* Our own checks of the fixed header before EDFlib sees the file, so that wrong magic,
 * absurd counts and truncation get a precise status and detail (EDFlib reports them all as
 * "format errors"). */
static etw_status check_header(etw_reader *r)
{
    FILE *f = fopen(r->path, "rb");
    if (f == NULL) {
        return etw_reader_fail(r, ETW_ERR_OPEN, "cannot open: %s", strerror(errno));
    }
    unsigned char b[256];
    size_t n = fread(b, 1, sizeof b, f);
    struct stat st;
    int have_size = fstat(fileno(f), &st) == 0;
    etw_status status = ETW_OK;
    if (n == 0) {
        status = etw_reader_fail(r, ETW_ERR_FORMAT, "empty file");
    } else if (n < 8 || (memcmp(b, "0       ", 8) != 0 && memcmp(b, "\xff" "BIOSEMI", 8) != 0)) {
        status = etw_reader_fail(r, ETW_ERR_FORMAT, "byte 0: wrong magic (EDF starts with "
                                 "\"0\" and 7 blanks, BDF with 0xFF \"BIOSEMI\")");
    } else if (n < 256) {
        status = etw_reader_fail(r, ETW_ERR_TRUNCATED, "%zu bytes, shorter than the 256-byte "
                                 "EDF header", n);
    }
    long long hdr = header_int(b + 184, 8), nrec = header_int(b + 236, 8);
    long long ns = header_int(b + 252, 4);
    if (status == ETW_OK && ns < 0) {
        status = etw_reader_fail(r, ETW_ERR_FORMAT, "byte 252: number of signals is not a "
                                 "number");
    } else if (status == ETW_OK && (ns == 0 || ns > EDFLIB_MAXSIGNALS)) {
        status = etw_reader_fail(r, ns == 0 ? ETW_ERR_FORMAT : ETW_ERR_OVERFLOW,
                                 "byte 252: %lld signals (1..%d)", ns, EDFLIB_MAXSIGNALS);
    } else if (status == ETW_OK && hdr != 256 * (ns + 1)) {
        status = etw_reader_fail(r, ETW_ERR_FORMAT, "byte 184: header size %lld, but %lld "
                                 "signals need %lld", hdr, ns, 256 * (ns + 1));
    } else if (status == ETW_OK && nrec < 0) {
        status = etw_reader_fail(r, ETW_ERR_FORMAT, "byte 236: number of data records is not "
                                 "a number");
    }
    long long rec = 0; /* samples per data record, all signals */
    unsigned char field[8];
    int bytes = b[0] == 0xff ? 3 : 2;
    for (long long i = 0; status == ETW_OK && i < ns; i++) {
        long long at = 256 + ns * 216 + i * 8;
        long long v = -1;
        if (fseeko(f, (off_t)at, SEEK_SET) == 0 && fread(field, 1, 8, f) == 8) {
            v = header_int(field, 8);
        }
        if (v < 0 || v > 100000000) {
            status = etw_reader_fail(r, v < 0 ? ETW_ERR_FORMAT : ETW_ERR_OVERFLOW,
                                     "byte %lld: samples per record of signal %lld", at, i);
        }
        rec += v;
    }
    if (status == ETW_OK && have_size) {
        long long size = (long long)st.st_size;
        if (nrec > 0 && rec > 0 && nrec > (LLONG_MAX - hdr) / (rec * bytes)) {
            status = etw_reader_fail(r, ETW_ERR_OVERFLOW, "byte 236: %lld records is absurd",
                                     nrec);
        } else if (hdr + nrec * rec * bytes > size) {
            status = etw_reader_fail(r, ETW_ERR_TRUNCATED, "%lld bytes, but the header's %lld "
                                     "records need %lld", size, nrec, hdr + nrec * rec * bytes);
        } else if (hdr + nrec * rec * bytes < size) {
            status = etw_reader_fail(r, ETW_ERR_MISMATCH, "%lld bytes, more than the header's "
                                     "%lld records need (%lld)", size, nrec,
                                     hdr + nrec * rec * bytes);
        }
    }
    fclose(f);
    return status;
}

static etw_status fill_info(etw_reader *r, const struct edf_hdr_struct *h)
{
    static const char *const names[] = {"EDF", "EDF+", "BDF", "BDF+"};
    snprintf(r->info.format_name, sizeof r->info.format_name, "%s",
             h->filetype >= 0 && h->filetype <= 3 ? names[h->filetype] : "EDF");
    etw_status st = etw_reader_alloc_channels(r, (size_t)h->edfsignals);
    if (st != ETW_OK) {
        return st;
    }
    edf_state *s = r->state;
    s->signal = calloc((size_t)h->edfsignals, sizeof *s->signal);
    if (s->signal == NULL) {
        return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory");
    }
    if (h->datarecord_duration <= 0) {
        return etw_reader_fail(r, ETW_ERR_FORMAT, "data record duration is not positive");
    }
    double longest = 0.0;
    for (int i = 0; i < h->edfsignals; i++) {
        const struct edf_param_struct *p = &h->signalparam[i];
        etw_channel_info *c = &r->ch[i];
        s->signal[i] = i;
        etw_copy_trimmed(c->label, sizeof c->label, p->label, strlen(p->label));
        etw_copy_trimmed(c->unit, sizeof c->unit, p->physdimension, strlen(p->physdimension));
        c->to_volts = etw_unit_to_volts(c->unit);
        c->fs_hz = (double)p->smp_in_datarecord * (double)EDFLIB_TIME_DIMENSION /
                   (double)h->datarecord_duration;
        if (!(c->fs_hz > 0)) {
            return etw_reader_fail(r, ETW_ERR_FORMAT, "signal %d ('%s'): no samples per record",
                                   i, c->label);
        }
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
    }
    for (long long i = 0; i < h->annotations_in_file; i++) {
        struct edf_annotation_struct a;
        if (edf_get_annotation(s->handle, (int)i, &a) != 0) {
            return etw_reader_fail(r, ETW_ERR_FORMAT, "annotation %lld unreadable", i);
        }
        double dur = a.duration_l < 0 ? -1.0 : (double)a.duration_l / EDFLIB_TIME_DIMENSION;
        if ((st = etw_reader_add_annotation(r, (double)a.onset / EDFLIB_TIME_DIMENSION, dur,
                                            a.annotation, strlen(a.annotation))) != ETW_OK) {
            return st;
        }
    }
    return ETW_OK;
}

etw_status etw_edf_open(etw_reader *r)
{
    etw_status st = check_header(r);
    if (st != ETW_OK) {
        return st;
    }
    edf_state *s = calloc(1, sizeof *s);
    struct edf_hdr_struct *h = malloc(sizeof *h); /* about 1 MB: never on the stack */
    if (s == NULL || h == NULL) {
        free(s);
        free(h);
        return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory");
    }
    s->handle = -1;
    r->state = s;
    r->be = &edf_backend;
    etw_edflib_lock();
    int rc = edfopen_file_readonly(r->path, h, EDFLIB_READ_ALL_ANNOTATIONS);
    etw_edflib_unlock();
    if (rc < 0) {
        st = open_error(r, h->filetype);
    } else {
        s->handle = h->handle;
        st = h->edfsignals <= 0 ? etw_reader_fail(r, ETW_ERR_FORMAT, "no signals (only "
                                                  "annotations)")
                                : fill_info(r, h);
    }
    free(h);
    return st;
}
