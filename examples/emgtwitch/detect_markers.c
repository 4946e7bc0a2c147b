/* Stimulus markers from annotations, TSV files and trigger channels (see detect_markers.h). */
#define _GNU_SOURCE /* FNM_CASEFOLD */
#include "detect_markers.h"

#include <errno.h>
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
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    char line[4096];
    long lineno = 0;
    int rc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *p = line + strspn(line, " \t");
        if (*p == '#' || *p == '\n' || *p == '\r' || *p == '\0') {
            continue;
        }
        char *end = NULL;
        double onset = strtod(p, &end);
        int ok = end != p && (*end == '\t' || *end == ',' || *end == ' ' || *end == '\n' ||
                              *end == '\r' || *end == '\0');
        if (!ok && lineno == 1) {
            continue; /* header row */
        }
        if (!ok || !isfinite(onset) || onset < 0) {
            snprintf(err, errlen, "%s:%ld: the first column is not an onset in seconds", path,
                     lineno);
            rc = -1;
            break;
        }
        if (marker_push(m, (int64_t)llround(onset * fs_hz)) != 0) {
            snprintf(err, errlen, "%s: out of memory", path);
            rc = -1;
            break;
        }
    }
    fclose(f);
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
