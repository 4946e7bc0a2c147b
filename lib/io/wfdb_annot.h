/* WFDB annotation files (MIT format) beside a record's header. */
#ifndef ETW_IO_WFDB_ANNOT_H
#define ETW_IO_WFDB_ANNOT_H

#include "io/reader_internal.h"

/* Reads "<record>.atr" next to r->path (a .hea) into r's annotations, with times converted by
 * the frame rate fs; no file is not an error. */
etw_status etw_wfdb_read_annotations(etw_reader *r, double fs);

#endif
