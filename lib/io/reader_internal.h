/* The reader object shared by the format backends (wfdb.c, text.c, edf_read.c, snd_read.c)
 * and the format-independent front end (reader.c). */
#ifndef ETW_IO_READER_INTERNAL_H
#define ETW_IO_READER_INTERNAL_H

#include <stdarg.h>

#include "emgtwitch/recording.h"

#define ETW_DETAIL_MAX 512

/* A format backend. read() fills out[0..nsel-1][0..n-1] with frames [pos, pos+n) of the
 * selected channels (the front end guarantees pos + n <= the selection's length);
 * close() frees the backend state. */
typedef struct etw_backend {
    etw_status (*read)(etw_reader *r, float *const *out, size_t n);
    void (*close)(etw_reader *r);
} etw_backend;

/* A run of data records without gaps (EDF+D/BDF+D, edf_plusd.c); etw_reader_segment()
 * converts it to frames of the selection. */
typedef struct etw_span {
    double onset_s;
    int64_t first_record, nrecords;
} etw_span;

struct etw_reader {
    const etw_backend *be;
    void *state;                /* backend state */
    char *path;
    etw_recording_info info;
    etw_channel_info *ch;       /* info.nch */
    etw_annotation *ann;        /* info.nannotations; texts malloc'ed */
    size_t ann_cap;
    size_t *sel;                /* selected channel indices */
    size_t nsel;
    double sel_fs;
    int64_t sel_nframes;
    int64_t pos;                /* frame position of the selection */
    etw_span *span;             /* info.nsegments spans of record_s-long records, or NULL:
                                   one segment, the whole selection */
    double record_s;
    etw_open_options opt;
    int segment;                /* opened as a segment of a multi-segment WFDB record */
    char err[ETW_DETAIL_MAX];
};

/* etw_reader_open() for a segment of a multi-segment WFDB record, which must not be a
 * multi-segment record itself (no recursion). */
etw_status etw_reader_open_segment(const char *path, const etw_open_options *options,
                                   etw_reader **reader, char *detail, size_t detail_size);

/* Records "path: <message>" as the reader's error detail and returns status. */
etw_status etw_reader_fail(etw_reader *r, etw_status status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Allocates r->ch for nch channels (labels "chN", NaN ranges, to_volts 0). */
etw_status etw_reader_alloc_channels(etw_reader *r, size_t nch);

/* Appends an annotation (text copied). */
etw_status etw_reader_add_annotation(etw_reader *r, double onset_s, double duration_s,
                                     const char *text, size_t text_len);

/* Copies a label/unit, trimming surrounding blanks, cutting to the capacity. */
void etw_copy_trimmed(char *dst, size_t cap, const char *src, size_t len);

/* Backends: each fills r->info (except format), r->ch, annotations, r->be, r->state. */
etw_status etw_wfdb_open(etw_reader *r);
etw_status etw_text_open(etw_reader *r);
etw_status etw_edf_open(etw_reader *r);
etw_status etw_sound_open(etw_reader *r);

/* Format detection from content and name; the path of a WFDB record may be rewritten to
 * its .hea (returned malloc'ed in *resolved, else NULL). */
etw_status etw_detect_format(etw_reader *r, etw_format *format, char **resolved);

#endif
