/* WFDB header text (header(5)): loading, line iteration, the record line; shared by the
 * single-segment reader (wfdb.c) and multi-segment records (wfdb_multi.c). */
#ifndef ETW_IO_WFDB_HEADER_H
#define ETW_IO_WFDB_HEADER_H

#include "io/reader_internal.h"

#define ETW_WFDB_MAX_SEGMENTS 100000

typedef struct etw_hea_cursor {
    char *text;
    size_t len, at;
    long line;       /* 1-based number of the line last returned */
} etw_hea_cursor;

/* Reads the header r->path (at most 1 MiB, no NUL bytes) into c->text (malloc'ed, freed by
 * the caller also on error). */
etw_status etw_hea_load(etw_reader *r, etw_hea_cursor *c);

/* Next line that is neither blank nor a comment; NUL-terminated in place, CR stripped. */
char *etw_hea_next_line(etw_hea_cursor *c, size_t *len);

/* The record line "name[/nseg] nsig [fs[/counter][(base)] [nsamp [time date]]]": allocates
 * nsig channels at fs, sets the start time; *nsamp (0 = not given), *nseg (0 = single-segment
 * record). */
etw_status etw_wfdb_record_line(etw_reader *r, const char *line, size_t len, long ln,
                                int64_t *nsamp, int64_t *nseg);

/* Multi-segment record (wfdb_multi.c) after its record line: nseg segment lines follow. */
etw_status etw_wfdb_multi_open(etw_reader *r, etw_hea_cursor *c, size_t nseg, int64_t nsamp);

#endif
