/* Reading events tables (see events_read.h). */
#define _POSIX_C_SOURCE 200809L
#include "events_read.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_FIELDS = 256 };

/* Splits `line` in place at `sep` (strips the line end); returns the field count. */
static size_t split(char *line, char sep, char **fields)
{
    line[strcspn(line, "\r\n")] = '\0';
    size_t n = 0;
    for (char *p = line; n < MAX_FIELDS;) {
        fields[n++] = p;
        char *q = strchr(p, sep);
        if (!q) {
            break;
        }
        *q = '\0';
        p = q + 1;
    }
    return n;
}

static long column(char **fields, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(fields[i], name) == 0) {
            return (long)i;
        }
    }
    return -1;
}

int events_read(const char *path, const char *type, struct event_span **out, size_t *n,
                char *err, size_t errlen)
{
    *out = NULL;
    *n = 0;
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    char *line = NULL, *fields[MAX_FIELDS];
    size_t cap = 0, have = 0;
    long lineno = 0, c_on = -1, c_dur = -1, c_type = -1;
    char sep = '\t';
    int rc = 0;
    while (rc == 0 && getline(&line, &cap, f) >= 0) {
        lineno++;
        if (lineno == 1) {
            sep = strchr(line, '\t') ? '\t' : ',';
            size_t nf = split(line, sep, fields);
            c_on = column(fields, nf, "onset");
            c_dur = column(fields, nf, "duration");
            c_type = column(fields, nf, "trial_type");
            if (c_on < 0 || c_dur < 0) {
                snprintf(err, errlen, "%s:1: the header names no 'onset' and 'duration' columns",
                         path);
                rc = -1;
            }
            continue;
        }
        size_t nf = split(line, sep, fields);
        if (nf == 1 && fields[0][0] == '\0') {
            continue;
        }
        if ((size_t)c_on >= nf || (size_t)c_dur >= nf || (c_type >= 0 && (size_t)c_type >= nf)) {
            snprintf(err, errlen, "%s:%ld: %zu fields, fewer than the header's", path, lineno, nf);
            rc = -1;
            break;
        }
        if (c_type >= 0 && strcmp(fields[c_type], type) != 0) {
            continue;
        }
        char *e1 = NULL, *e2 = NULL;
        double on = strtod(fields[c_on], &e1), dur = strtod(fields[c_dur], &e2);
        if (*e1 || *e2 || e1 == fields[c_on] || e2 == fields[c_dur] || !isfinite(on) ||
            !isfinite(dur) || dur < 0) {
            snprintf(err, errlen, "%s:%ld: onset '%s' or duration '%s' is not a time in seconds",
                     path, lineno, fields[c_on], fields[c_dur]);
            rc = -1;
            break;
        }
        if (*n == have) {
            have = have ? 2 * have : 64;
            struct event_span *p = realloc(*out, have * sizeof *p);
            if (!p) {
                snprintf(err, errlen, "%s: out of memory", path);
                rc = -1;
                break;
            }
            *out = p;
        }
        (*out)[(*n)++] = (struct event_span){on, dur};
    }
    if (rc == 0 && lineno == 0) {
        snprintf(err, errlen, "%s: empty file", path);
        rc = -1;
    }
    free(line);
    fclose(f);
    if (rc != 0) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}
