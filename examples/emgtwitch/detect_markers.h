/* Stimulus markers for `emgtwitch detect`: from the recording's annotations (EDF+ and text
 * event columns), from an events TSV/CSV (header with onset and duration; the rows with
 * trial_type 'stimulus' when it has that column, else every row), or
 * from rising edges of a trigger channel. All as sample indices at the detector's rate. */
#ifndef ETW_CLI_DETECT_MARKERS_H
#define ETW_CLI_DETECT_MARKERS_H

#include <stddef.h>
#include <stdint.h>

#include "emgtwitch/io.h"

/* A growable list of marker sample indices. */
struct marker_list {
    int64_t *t;
    size_t n, cap;
};

/* Appends one marker; returns 0 or -1 when out of memory. */
int marker_push(struct marker_list *m, int64_t t);

/* Markers from the annotations whose text matches `glob` (case-insensitive; NULL = all). */
int markers_from_annotations(const etw_reader *r, const char *glob, double fs_hz,
                             struct marker_list *m);

/* Markers from an events table (see above). Returns 0, or -1 with the reason (file and
 * line) in err. */
int markers_from_tsv(const char *path, double fs_hz, struct marker_list *m, char *err,
                     size_t errlen);

/* Rising-edge detector state for a trigger channel. */
struct trigger_state {
    double level;
    int high;
};

/* Adds a marker at each sample of x[0..n) (absolute index first + i) where the trigger
 * crosses `level` upwards. Returns 0 or -1 when out of memory. */
int markers_from_trigger(struct trigger_state *s, const float *x, size_t n, int64_t first,
                         struct marker_list *m);

#endif
