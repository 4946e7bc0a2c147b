/* Results written through the io library's writers, for every subcommand: an events table
 * (TSV/CSV/JSON) or a signal file (EDF+/BDF+/WAV/FLAC/CSV) at a path or on stdout ("-"),
 * with one way of reporting failures ("emgtwitch CMD: PATH: reason") and of cleaning up. */
#ifndef ETW_CLI_WRITE_H
#define ETW_CLI_WRITE_H

#include <stddef.h>

#include "cli_output.h"
#include "emgtwitch/io.h"

/* A table or signal file being written. */
struct cli_writer {
    const char *path;       /* what the user asked for ("-" = stdout) */
    char tmp[4096];         /* what the library writes (path itself unless stdout) */
    etw_table_writer *table;
    etw_signal_writer *signal;
};

/* Starts a table at `path` in format fmt (CLI_FMT_TSV, CSV or JSON). Returns 0, or -1 after
 * printing the reason. */
int cli_table_open(const char *cmd, const char *path, enum cli_format fmt,
                   const char *const *columns, size_t ncol, int force, struct cli_writer *w);

/* Starts a signal file at `path` described by `spec` (its format is set from fmt). Returns 0,
 * or -1 after printing the reason. */
int cli_signal_open(const char *cmd, const char *path, enum cli_format fmt,
                    etw_signal_spec *spec, struct cli_writer *w);

/* Ends a write: commits when `st` is ETW_OK (the status of the caller's writing), reports a
 * failure with the writer's detail, frees the writer and delivers stdout. Returns CLI_OK or
 * CLI_FAILED. */
int cli_writer_close(const char *cmd, struct cli_writer *w, etw_status st);

/* Drops a write after a failure the caller has already reported: nothing is left behind. */
void cli_writer_abandon(const char *cmd, struct cli_writer *w);

#endif
