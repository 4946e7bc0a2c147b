/* The fixed EDF/BDF header parsed by hand: enough to check a file before EDFlib sees it and to
 * read data records directly (EDFlib reads one signal at a time, which is slow). */
#ifndef ETW_IO_EDF_LAYOUT_H
#define ETW_IO_EDF_LAYOUT_H

#include <edflib.h>

#include "io/reader_internal.h"

typedef struct edf_layout {
    int bytes;                          /* per sample: 2 (EDF) or 3 (BDF) */
    int ns;                             /* signals in the file, annotation signals included */
    long long header_bytes, nrec, record_bytes;
    int spr[EDFLIB_MAXSIGNALS];         /* samples per record */
    long long offset[EDFLIB_MAXSIGNALS];/* byte offset of each signal inside a record */
    char label[EDFLIB_MAXSIGNALS][17];
} edf_layout;

/* Reads and checks the fixed header: magic, size, counts, numeric fields, file size against
 * the records it announces. Records the error detail in r on failure. */
etw_status etw_edf_layout(etw_reader *r, edf_layout *layout);

#endif
