/* A small writer of EDF+D/BDF+D test files (EDFlib writes only continuous files). */
#ifndef ETW_EDFD_FILE_H
#define ETW_EDFD_FILE_H

#include <stddef.h>

#define EDFD_MAX_SIGNALS 4

typedef struct edfd_spec {
    int bdf;                     /* 0: EDF+D (16-bit), 1: BDF+D (24-bit) */
    int ns;                      /* ordinary signals, 1..EDFD_MAX_SIGNALS */
    int spr[EDFD_MAX_SIGNALS];   /* samples per record of each */
    const char *record_s;        /* record duration field, e.g. "0.1" */
    int nrec;                    /* data records */
    const char *const *onset;    /* nrec time stamps, e.g. "+0.1" (written as given) */
    const char *const *tals;     /* NULL or nrec strings of further TALs (may be ""), each
                                    "+onset[\x15 duration]\x14text\x14" + '\0' implied */
    int annot_spr;               /* "samples" of the annotation signal per record */
    int with_annotations;        /* 0: omit the annotation signal (a broken file) */
} edfd_spec;

/* Digital (= physical: ranges are equal) value of signal i, record rec, sample k; the same
 * for every file this writer makes so tests can predict what they read. */
int edfd_value(int bdf, int i, int rec, int k);

/* Writes the file (start 24.11.26 10.20.30, unit "uV") and fails the test on an I/O error. */
void edfd_write(const char *path, const edfd_spec *spec);

#endif
