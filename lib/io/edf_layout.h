/* The fixed EDF/BDF header parsed by hand: enough to check a file before EDFlib sees it and to
 * read data records directly (EDFlib reads one signal at a time, which is slow). */
#ifndef ETW_IO_EDF_LAYOUT_H
#define ETW_IO_EDF_LAYOUT_H

#include <edflib.h>

#include "io/reader_internal.h"

typedef struct edf_layout {
    int bytes;                          /* per sample: 2 (EDF) or 3 (BDF) */
    int discontinuous;                  /* reserved field says EDF+D / BDF+D */
    int ns;                             /* signals in the file, annotation signals included */
    long long header_bytes, nrec, record_bytes;
    int spr[EDFLIB_MAXSIGNALS];         /* samples per record */
    long long offset[EDFLIB_MAXSIGNALS];/* byte offset of each signal inside a record */
    char label[EDFLIB_MAXSIGNALS][17];
} edf_layout;

/* 1985-01-01 00:00:00, the EDF clipping date that writers (ours, EDFlib's anonymisation)
 * use for an unknown start: a start the readers report as unknown. */
int etw_edf_start_unknown(const etw_datetime *t);

/* A channel read from the data records: physical = bitvalue * (offset + digital). */
typedef struct edf_channel {
    int signal;                /* index among the file's signals (annotations included) */
    double bitvalue, offset;
} edf_channel;

/* Reads and checks the fixed header: magic, size, counts, numeric fields, file size against
 * the records it announces. Records the error detail in r on failure. */
etw_status etw_edf_layout(etw_reader *r, edf_layout *layout);

/* EDF+D/BDF+D, which EDFlib refuses: parses the signal header fields, then the annotation
 * signals of every data record (the first TAL of each record gives its onset), and fills
 * r->info, r->ch, the annotations, r->span/r->record_s and *chan (one per channel, malloc'ed;
 * freed by the caller, also on error). */
etw_status etw_edfd_describe(etw_reader *r, const edf_layout *layout, edf_channel **chan);

#endif
