/* Reading BIDS-style events tables (TSV or CSV with a header row naming `onset`, `duration`
 * and optionally `trial_type`) for `emgtwitch eval`: the rows of one trial type as intervals
 * in seconds. */
#ifndef ETW_CLI_EVENTS_READ_H
#define ETW_CLI_EVENTS_READ_H

#include <stddef.h>

struct event_span {
    double onset_s, duration_s;
};

/* Reads the rows of `path` whose trial_type equals `type` (all rows when the table has no
 * trial_type column). Returns 0 with a malloc'ed array (free it), or -1 with the reason
 * (file and line) in err. */
int events_read(const char *path, const char *type, struct event_span **out, size_t *n,
                char *err, size_t errlen);

#endif
