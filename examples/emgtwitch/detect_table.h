/* The events table of `emgtwitch detect`: one row per twitch (and per stimulus marker when
 * markers are given), BIDS events.tsv style (onset and duration in seconds first, then
 * trial_type), written as TSV, CSV or JSON through the io library's table writer. */
#ifndef ETW_CLI_DETECT_TABLE_H
#define ETW_CLI_DETECT_TABLE_H

#include <stddef.h>

#include "cli_output.h"
#include "detect_run.h"

/* Writes the results of `nres` files (failed ones skipped) into `path` ("-" = stdout).
 * `with_file` adds a file column. Returns 0 or -1 after printing the reason. */
int detect_table_write(const char *cmd, const char *path, enum cli_format fmt, int force,
                       const struct detect_result *res, size_t nres, int with_file);

/* Writes the flag names of `flags` joined by '|' into buf ("" when none). */
void detect_flag_names(unsigned flags, char *buf, size_t cap);

#endif
