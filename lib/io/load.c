/* Whole-recording convenience on top of the streaming reader. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/reader_internal.h"

void etw_recording_free(etw_recording *rec)
{
    if (rec == NULL) {
        return;
    }
    for (size_t c = 0; rec->data != NULL && c < rec->nch; c++) {
        free(rec->data[c]);
    }
    for (size_t i = 0; rec->annotations != NULL && i < rec->info.nannotations; i++) {
        free((char *)rec->annotations[i].text);
    }
    free(rec->data);
    free(rec->channels);
    free(rec->annotations);
    free(rec->segments);
    free(rec);
}

static etw_status fill(etw_reader *r, etw_recording *rec, size_t max_bytes)
{
    const size_t *sel = etw_reader_selection(r, &rec->nch, &rec->fs_hz, &rec->nframes);
    rec->info = r->info;
    size_t nann = rec->info.nannotations;
    rec->info.nannotations = 0;
    uint64_t per_ch = (uint64_t)rec->nframes * sizeof(float);
    if (rec->nframes > 0 &&
        ((uint64_t)rec->nframes > SIZE_MAX / sizeof(float) / rec->nch ||
         (max_bytes > 0 && per_ch * rec->nch > max_bytes))) {
        return etw_reader_fail(r, ETW_ERR_OVERFLOW, "%zu channels x %lld frames exceed the "
                               "memory limit", rec->nch, (long long)rec->nframes);
    }
    rec->data = calloc(rec->nch, sizeof *rec->data);
    rec->channels = calloc(rec->nch, sizeof *rec->channels);
    rec->annotations = calloc(nann > 0 ? nann : 1, sizeof *rec->annotations);
    rec->segments = calloc(rec->info.nsegments, sizeof *rec->segments);
    if (rec->data == NULL || rec->channels == NULL || rec->annotations == NULL ||
        rec->segments == NULL) {
        return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < rec->info.nsegments; i++) {
        (void)etw_reader_segment(r, i, &rec->segments[i]); /* index in range: cannot fail */
    }
    for (size_t c = 0; c < rec->nch; c++) {
        rec->channels[c] = r->ch[sel[c]];
        rec->data[c] = malloc(per_ch > 0 ? (size_t)per_ch : 1);
        if (rec->data[c] == NULL) {
            return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory for %lld frames",
                                   (long long)rec->nframes);
        }
    }
    for (size_t i = 0; i < nann; i++) {
        size_t len = strlen(r->ann[i].text);
        char *t = malloc(len + 1);
        if (t == NULL) {
            return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory");
        }
        memcpy(t, r->ann[i].text, len + 1);
        rec->annotations[i] = r->ann[i];
        rec->annotations[i].text = t;
        rec->info.nannotations++;
    }
    size_t got = 0;
    etw_status st = etw_reader_read(r, rec->data, (size_t)rec->nframes, &got);
    if (st == ETW_OK && got != (size_t)rec->nframes) {
        st = etw_reader_fail(r, ETW_ERR_TRUNCATED, "read %zu of %lld frames", got,
                             (long long)rec->nframes);
    }
    return st;
}

etw_status etw_recording_load(const char *path, const etw_open_options *options,
                              const char *select, size_t max_bytes, etw_recording **recording,
                              char *detail, size_t detail_size)
{
    if (recording == NULL) {
        return ETW_ERR_NULL;
    }
    *recording = NULL;
    etw_reader *r = NULL;
    etw_status st = etw_reader_open(path, options, &r, detail, detail_size);
    if (st != ETW_OK) {
        return st;
    }
    etw_recording *rec = calloc(1, sizeof *rec);
    if (rec == NULL) {
        st = etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory");
    }
    if (st == ETW_OK && select != NULL) {
        st = etw_reader_select_spec(r, select);
    }
    if (st == ETW_OK) {
        st = fill(r, rec, max_bytes);
    }
    if (st != ETW_OK) {
        if (detail != NULL && detail_size > 0) {
            snprintf(detail, detail_size, "%s", etw_reader_error(r));
        }
        etw_recording_free(rec);
    } else {
        *recording = rec;
    }
    etw_reader_close(r);
    return st;
}
