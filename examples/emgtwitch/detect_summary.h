/* The stderr summary of `emgtwitch detect` and its EDF+/BDF+ output (the input signal with the
 * twitches as annotations). */
#ifndef ETW_CLI_DETECT_SUMMARY_H
#define ETW_CLI_DETECT_SUMMARY_H

#include <stdio.h>

#include "cli_output.h"
#include "detect_run.h"

/* Per file: twitches, rate per minute, noise floor per channel (median over the recording of
 * the detector's floor, see detect_floor.h; n/a when the recording was too short to learn
 * one), stimuli answered. */
void detect_summary(FILE *out, const struct detect_result *res, size_t nres);

/* Writes the input recording of `res` (the selected channels) to `path` as EDF+/BDF+ with its
 * annotations plus one "twitch N" annotation per event. Returns 0 or -1 after printing. */
int detect_write_annotated(const char *cmd, const char *path, enum cli_format fmt, int force,
                           const struct detect_opts *o, const struct detect_result *res);

#endif
