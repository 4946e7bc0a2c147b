/* Detection of one recording for `emgtwitch detect`: streams the file through the twitch
 * detector in blocks (constant memory however long the file is), collects the events and the
 * stimulus markers, and matches markers to twitches. */
#ifndef ETW_CLI_DETECT_RUN_H
#define ETW_CLI_DETECT_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "cli_io.h"
#include "cli_progress.h"
#include "emgtwitch/emgtwitch.h"
#include "emgtwitch/twitch.h"

/* Where stimulus markers come from. */
enum detect_marker_source { MARKERS_NONE, MARKERS_ANNOTATIONS, MARKERS_TSV, MARKERS_TRIGGER };

struct detect_opts {
    cli_read_options in;
    int preset_ltr;
    const char **assignments; /* "name=value" detector parameters, in order */
    size_t nassignments;
    int report_all;
    enum detect_marker_source markers;
    const char *marker_arg;   /* TSV path, trigger channel label or annotation text glob */
    double trigger_level;     /* trigger threshold (NaN = half the channel's maximum) */
    double latency_min_ms, latency_max_ms;
};

/* Result of one file. */
struct detect_result {
    const char *path;
    int status;                   /* CLI_OK / CLI_FAILED (the message was printed) */
    double fs_hz;
    int64_t nframes;
    size_t nch;
    char (*labels)[ETW_LABEL_MAX];
    char unit[ETW_UNIT_MAX];
    etw_twitch_event *events;
    size_t nevents;
    int64_t *markers;             /* marker sample indices */
    size_t nmarkers;
    etw_twitch_response *responses; /* nmarkers results */
    double *floor;                /* nch: median noise floor over the recording (RMS of the
                                     detection signal, signal units; NaN: never learnt) */
    etw_twitch_config cfg;
};

/* Builds the detector configuration for fs/nch from the preset and the assignments. Returns 0,
 * or -1 after printing the reason (bad parameter name/value: usage error when `usage`). */
int detect_configure(const char *cmd, const char *file, const struct detect_opts *o,
                     double fs_hz, size_t nch, etw_twitch_config *cfg);

/* Runs the detector over `path`. Fills `res` (free it with detect_result_free); reports
 * progress as per-mille of this file into `bar`. Returns res->status. */
int detect_run(const char *cmd, const char *path, const struct detect_opts *o,
               struct cli_progress *bar, struct detect_result *res);

void detect_result_free(struct detect_result *res);

#endif
