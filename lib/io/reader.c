/* The format-independent reader: open (detection + backend), queries, read, seek, close. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/reader_internal.h"

void etw_open_options_default(etw_open_options *options)
{
    if (options == NULL) {
        return;
    }
    memset(options, 0, sizeof *options);
    options->format = ETW_FORMAT_AUTO;
    options->fs_hz = 0.0;
    options->scale = 1.0;
    options->unit = NULL;
    options->event_column = 0;
    options->verify = 1;
}

etw_status etw_reader_fail(etw_reader *r, etw_status status, const char *fmt, ...)
{
    int n = snprintf(r->err, sizeof r->err, "%s: ", r->path != NULL ? r->path : "(null)");
    if (n < 0 || (size_t)n >= sizeof r->err) {
        return status;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err + n, sizeof r->err - (size_t)n, fmt, ap);
    va_end(ap);
    return status;
}

etw_status etw_reader_alloc_channels(etw_reader *r, size_t nch)
{
    if (nch == 0) {
        return etw_reader_fail(r, ETW_ERR_FORMAT, "no channels");
    }
    if (nch > ETW_MAX_CHANNELS) {
        return etw_reader_fail(r, ETW_ERR_OVERFLOW, "%zu channels (at most %d)", nch,
                               ETW_MAX_CHANNELS);
    }
    r->ch = calloc(nch, sizeof *r->ch);
    r->sel = calloc(nch, sizeof *r->sel);
    if (r->ch == NULL || r->sel == NULL) {
        return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory for %zu channels", nch);
    }
    r->info.nch = nch;
    for (size_t c = 0; c < nch; c++) {
        snprintf(r->ch[c].label, sizeof r->ch[c].label, "ch%zu", c + 1);
        r->ch[c].phys_min = r->ch[c].phys_max = NAN;
        r->ch[c].dig_min = r->ch[c].dig_max = NAN;
    }
    return ETW_OK;
}

etw_status etw_reader_add_annotation(etw_reader *r, double onset_s, double duration_s,
                                     const char *text, size_t text_len)
{
    if (r->info.nannotations == r->ann_cap) {
        size_t cap = r->ann_cap ? 2 * r->ann_cap : 16;
        if (cap > ((size_t)1 << 24)) {
            return etw_reader_fail(r, ETW_ERR_OVERFLOW, "more than %zu annotations",
                                   r->ann_cap);
        }
        etw_annotation *a = realloc(r->ann, cap * sizeof *a);
        if (a == NULL) {
            return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory for annotations");
        }
        r->ann = a;
        r->ann_cap = cap;
    }
    char *t = malloc(text_len + 1);
    if (t == NULL) {
        return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory for annotations");
    }
    memcpy(t, text, text_len);
    t[text_len] = '\0';
    r->ann[r->info.nannotations++] = (etw_annotation){onset_s, duration_s, t};
    return ETW_OK;
}

static void set_detail(char *detail, size_t size, const char *text)
{
    if (detail != NULL && size > 0) {
        snprintf(detail, size, "%s", text);
    }
}

static etw_status open_backend(etw_reader *r)
{
    etw_format format = r->opt.format;
    char *resolved = NULL;
    if (format == ETW_FORMAT_AUTO || format == ETW_FORMAT_WFDB) {
        etw_status st = etw_detect_format(r, format == ETW_FORMAT_AUTO ? &format : NULL,
                                          &resolved);
        if (st != ETW_OK) {
            return st;
        }
        if (resolved != NULL) {
            free(r->path);
            r->path = resolved;
        }
    }
    r->info.format = format;
    switch (format) {
    case ETW_FORMAT_WFDB:
        return etw_wfdb_open(r);
    case ETW_FORMAT_TEXT:
        return etw_text_open(r);
    case ETW_FORMAT_EDF:
        return etw_edf_open(r);
    case ETW_FORMAT_SOUND:
        return etw_sound_open(r);
    default:
        return etw_reader_fail(r, ETW_ERR_RANGE, "invalid format option %d", (int)format);
    }
}

static etw_status check_options(etw_reader *r)
{
    const etw_open_options *o = &r->opt;
    if ((int)o->format < ETW_FORMAT_AUTO || (int)o->format > ETW_FORMAT_SOUND) {
        return etw_reader_fail(r, ETW_ERR_RANGE, "invalid format option %d", (int)o->format);
    }
    if (!isfinite(o->fs_hz) || o->fs_hz < 0.0 || o->fs_hz > 1e9) {
        return etw_reader_fail(r, ETW_ERR_RANGE, "sample rate option %g outside 0..1e9 Hz",
                               o->fs_hz);
    }
    if (!isfinite(o->scale) || o->scale == 0.0) {
        return etw_reader_fail(r, ETW_ERR_RANGE, "scale option must be finite and nonzero");
    }
    if (o->event_column < -1) {
        return etw_reader_fail(r, ETW_ERR_RANGE, "event column option %d", o->event_column);
    }
    if (o->decimal != 0 && o->decimal != '.' && o->decimal != ',') {
        return etw_reader_fail(r, ETW_ERR_RANGE, "decimal separator option must be '.', ',' "
                               "or 0 (detect)");
    }
    return ETW_OK;
}

static etw_status open_reader(const char *path, const etw_open_options *options,
                              etw_reader **reader, char *detail, size_t detail_size, int segment)
{
    set_detail(detail, detail_size, "");
    if (reader == NULL) {
        set_detail(detail, detail_size, "no reader out-parameter");
        return ETW_ERR_NULL;
    }
    *reader = NULL;
    if (path == NULL) {
        set_detail(detail, detail_size, "no file name");
        return ETW_ERR_NULL;
    }
    etw_reader *r = calloc(1, sizeof *r);
    if (r == NULL) {
        set_detail(detail, detail_size, "out of memory");
        return ETW_ERR_NOMEM;
    }
    size_t len = strlen(path);
    r->path = malloc(len + 1);
    if (r->path == NULL) {
        free(r);
        set_detail(detail, detail_size, "out of memory");
        return ETW_ERR_NOMEM;
    }
    memcpy(r->path, path, len + 1);
    r->segment = segment;
    if (options != NULL) {
        r->opt = *options;
    } else {
        etw_open_options_default(&r->opt);
    }
    r->opt.unit = NULL; /* not retained: the sound backend copies it at open */
    etw_status st = check_options(r);
    if (st == ETW_OK) {
        if (options != NULL) {
            r->opt.unit = options->unit;
        }
        st = open_backend(r);
        r->opt.unit = NULL;
    }
    if (st == ETW_OK && r->span == NULL) {
        r->info.nsegments = 1;
    }
    if (st == ETW_OK) { /* the channels that share the first channel's rate */
        size_t n = 0;
        for (size_t c = 0; c < r->info.nch; c++) {
            if (r->ch[c].fs_hz == r->ch[0].fs_hz) {
                r->sel[n++] = c;
            }
        }
        st = etw_reader_select(r, r->sel, n);
    }
    if (st != ETW_OK) {
        set_detail(detail, detail_size, r->err[0] ? r->err : etw_strerror(st));
        etw_reader_close(r);
        return st;
    }
    r->err[0] = '\0';
    *reader = r;
    return ETW_OK;
}

etw_status etw_reader_open(const char *path, const etw_open_options *options,
                           etw_reader **reader, char *detail, size_t detail_size)
{
    return open_reader(path, options, reader, detail, detail_size, 0);
}

etw_status etw_reader_open_segment(const char *path, const etw_open_options *options,
                                   etw_reader **reader, char *detail, size_t detail_size)
{
    return open_reader(path, options, reader, detail, detail_size, 1);
}

void etw_reader_close(etw_reader *r)
{
    if (r == NULL) {
        return;
    }
    if (r->be != NULL) {
        r->be->close(r);
    }
    for (size_t i = 0; i < r->info.nannotations; i++) {
        free((char *)r->ann[i].text);
    }
    free(r->ann);
    free(r->span);
    free(r->ch);
    free(r->sel);
    free(r->path);
    free(r);
}

const char *etw_reader_error(const etw_reader *r)
{
    return r != NULL ? r->err : "";
}

etw_status etw_reader_info(const etw_reader *r, etw_recording_info *info)
{
    if (r == NULL || info == NULL) {
        return ETW_ERR_NULL;
    }
    *info = r->info;
    return ETW_OK;
}

etw_status etw_reader_channel(const etw_reader *r, size_t index, etw_channel_info *channel)
{
    if (r == NULL || channel == NULL) {
        return ETW_ERR_NULL;
    }
    if (index >= r->info.nch) {
        return ETW_ERR_NOT_FOUND;
    }
    *channel = r->ch[index];
    return ETW_OK;
}

etw_status etw_reader_annotation(const etw_reader *r, size_t index, etw_annotation *annotation)
{
    if (r == NULL || annotation == NULL) {
        return ETW_ERR_NULL;
    }
    if (index >= r->info.nannotations) {
        return ETW_ERR_NOT_FOUND;
    }
    *annotation = r->ann[index];
    return ETW_OK;
}

etw_status etw_reader_segment(const etw_reader *r, size_t index, etw_recording_segment *seg)
{
    if (r == NULL || seg == NULL) {
        return ETW_ERR_NULL;
    }
    if (index >= r->info.nsegments) {
        return ETW_ERR_NOT_FOUND;
    }
    if (r->span == NULL) {
        *seg = (etw_recording_segment){0.0, (double)r->sel_nframes / r->sel_fs, 0,
                                       r->sel_nframes};
        return ETW_OK;
    }
    const etw_span *s = &r->span[index];
    int64_t per_record = llround(r->sel_fs * r->record_s);
    seg->onset_s = s->onset_s;
    seg->first_frame = s->first_record * per_record;
    seg->nframes = s->nrecords * per_record;
    seg->duration_s = (double)seg->nframes / r->sel_fs;
    return ETW_OK;
}

const size_t *etw_reader_selection(const etw_reader *r, size_t *nsel, double *fs_hz,
                                   int64_t *nframes)
{
    if (r == NULL) {
        return NULL;
    }
    if (nsel != NULL) {
        *nsel = r->nsel;
    }
    if (fs_hz != NULL) {
        *fs_hz = r->sel_fs;
    }
    if (nframes != NULL) {
        *nframes = r->sel_nframes;
    }
    return r->sel;
}

etw_status etw_reader_read(etw_reader *r, float *const *out, size_t nframes, size_t *nread)
{
    if (nread != NULL) {
        *nread = 0;
    }
    if (r == NULL || nread == NULL || (out == NULL && nframes > 0)) {
        return ETW_ERR_NULL;
    }
    int64_t left = r->sel_nframes - r->pos;
    if (left <= 0 || nframes == 0) {
        return ETW_OK;
    }
    size_t n = (uint64_t)nframes < (uint64_t)left ? nframes : (size_t)left;
    for (size_t j = 0; j < r->nsel; j++) {
        if (out[j] == NULL) {
            return ETW_ERR_NULL;
        }
    }
    r->err[0] = '\0';
    etw_status st = r->be->read(r, out, n);
    if (st != ETW_OK) {
        return st;
    }
    r->pos += (int64_t)n;
    *nread = n;
    return ETW_OK;
}

etw_status etw_reader_seek(etw_reader *r, int64_t frame)
{
    if (r == NULL) {
        return ETW_ERR_NULL;
    }
    if (frame < 0 || frame > r->sel_nframes) {
        return etw_reader_fail(r, ETW_ERR_RANGE, "seek to frame %lld outside 0..%lld",
                               (long long)frame, (long long)r->sel_nframes);
    }
    r->pos = frame;
    return ETW_OK;
}

int64_t etw_reader_tell(const etw_reader *r)
{
    return r != NULL ? r->pos : -1;
}
