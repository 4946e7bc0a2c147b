/* Reading recordings from the command line, shared by the subcommands that take input files:
 * the reader options (--format, --fs, --scale, --unit, --event-column, --channels, --no-verify)
 * and opening a file with error messages that name it. */
#ifndef ETW_CLI_IO_H
#define ETW_CLI_IO_H

#include <stdio.h>

#include "emgtwitch/io.h"

typedef struct cli_read_options {
    etw_open_options open;
    const char *channels; /* selection spec, NULL = all */
} cli_read_options;

void cli_read_options_default(cli_read_options *o);

/* If argv[*i] is a reader option, consumes it (and its value, advancing *i) and returns 1;
 * returns 0 if it is not one; prints a message naming cmd and returns -1 on a bad value. */
int cli_read_option(const char *cmd, int argc, char **argv, int *i, cli_read_options *o);

/* Prints the reader options' help lines. */
void cli_read_usage(FILE *out);

/* Opens path and applies the channel selection; on failure prints
 * "emgtwitch CMD: <detail>" to stderr and returns nonzero (the reader is then NULL). */
int cli_open_reader(const char *cmd, const char *path, const cli_read_options *o,
                    etw_reader **reader);

#endif
