/* Stimulus markers from annotations, TSV files and trigger channels (see detect_markers.h). */
#define _GNU_SOURCE /* FNM_CASEFOLD */
#include "detect_markers.h"

#include "events_read.h"

#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int marker_push(struct marker_list *m, int64_t t)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 64;
        int64_t *t2 = realloc(m->t, cap * sizeof *t2);
        if (!t2) {
            return -1;
        }
        m->t = t2;
        m->cap = cap;
    }
    m->t[m->n++] = t;
    return 0;
}

int markers_from_annotations(const etw_reader *r, const char *glob, double fs_hz,
                             struct marker_list *m)
{
    etw_recording_info info;
    if (etw_reader_info(r, &info) != ETW_OK) {
        return 0;
    }
    for (size_t i = 0; i < info.nannotations; i++) {
        etw_annotation a;
        if (etw_reader_annotation(r, i, &a) != ETW_OK || !(a.onset_s >= 0)) {
            continue;
        }
        if (glob && fnmatch(glob, a.text ? a.text : "", FNM_CASEFOLD) != 0) {
            continue;
        }
        if (marker_push(m, (int64_t)llround(a.onset_s * fs_hz)) != 0) {
            return -1;
        }
    }
    return 0;
}

int markers_from_tsv(const char *path, double fs_hz, struct marker_list *m, char *err,
                     size_t errlen)
{
    struct event_span *ev = NULL;
    size_t n = 0;
    if (events_read(path, "stimulus", &ev, &n, err, errlen) != 0) {
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (marker_push(m, (int64_t)llround(ev[i].onset_s * fs_hz)) != 0) {
            snprintf(err, errlen, "%s: out of memory", path);
            rc = -1;
        }
    }
    free(ev);
    return rc;
}

int markers_from_trigger(struct trigger_state *s, const float *x, size_t n, int64_t first,
                         struct marker_list *m)
{
    for (size_t i = 0; i < n; i++) {
        int high = x[i] >= s->level;
        if (high && !s->high && marker_push(m, first + (int64_t)i) != 0) {
            return -1;
        }
        s->high = high;
    }
    return 0;
}
