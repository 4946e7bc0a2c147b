/* Reading recordings from the command line, shared by every subcommand that takes input
 * files: the reader options and opening a file with messages that name it.
 *
 * Use with getopt_long: append CLI_READ_LONGOPTS to the command's option table, pass every
 * option getopt returns to cli_read_option() first, and print CLI_READ_HELP in --help:
 *
 *     static const struct option longopts[] = {{"help", no_argument, NULL, 'h'},
 *                                              CLI_READ_LONGOPTS, {0, 0, 0, 0}};
 *     ...
 *     int used = cli_read_option("detect", opt, optarg, &ropts);
 *     if (used < 0) return CLI_USAGE;
 *     if (used > 0) continue;
 */
#ifndef ETW_CLI_IO_H
#define ETW_CLI_IO_H

#include "emgtwitch/io.h"

/* getopt values of the reader options (outside the printable range of short options). */
enum {
    CLI_OPT_FORMAT = 0x1000,
    CLI_OPT_FS,
    CLI_OPT_SCALE,
    CLI_OPT_UNIT,
    CLI_OPT_EVENT_COLUMN,
    CLI_OPT_CHANNELS,
    CLI_OPT_NO_VERIFY,
    CLI_OPT_DECIMAL
};

#define CLI_READ_LONGOPTS                                                                      \
    {"input-format", required_argument, NULL, CLI_OPT_FORMAT},                                       \
        {"fs", required_argument, NULL, CLI_OPT_FS},                                           \
        {"scale", required_argument, NULL, CLI_OPT_SCALE},                                     \
        {"unit", required_argument, NULL, CLI_OPT_UNIT},                                       \
        {"event-column", required_argument, NULL, CLI_OPT_EVENT_COLUMN},                       \
        {"channels", required_argument, NULL, CLI_OPT_CHANNELS},                               \
        {"no-verify", no_argument, NULL, CLI_OPT_NO_VERIFY},                                   \
        {"decimal", required_argument, NULL, CLI_OPT_DECIMAL}

#define CLI_READ_HELP                                                                          \
    "  --input-format F    force the input format: wfdb, text, edf, sound (default: detect)\n" \
    "  --fs HZ             sample rate of a text file that states none or whose time\n"     \
    "                      column is irregular (the column is then ignored)\n"               \
    "  --scale X           sound files: physical value = sample * X (default 1)\n"             \
    "  --unit U            sound files: unit of the scaled samples (V, mV, uV)\n"              \
    "  --event-column N    text files: 1-based column (or 'last') holding event labels\n"      \
    "  --channels SPEC     channels: labels, globs (EMG*) or 0-based indices, comma-separated\n" \
    "  --no-verify         WFDB: skip the checksum pass at open\n"                            \
    "  --decimal C         text files: decimal separator '.' or ',' (default: detect ',' in\n" \
    "                      ';'- or tab-separated files whose numbers have commas, no '.')\n"

typedef struct cli_read_options {
    etw_open_options open;
    const char *channels; /* selection spec, NULL = the reader's default selection */
} cli_read_options;

void cli_read_options_default(cli_read_options *o);

/* Handles one getopt_long result: returns 1 if it was a reader option (applied), 0 if not,
 * -1 after printing a usage error for a bad value. */
int cli_read_option(const char *cmd, int opt, const char *arg, cli_read_options *o);

/* Opens path and applies the channel selection; on failure prints
 * "emgtwitch CMD: <file: detail> (STATUS)" on stderr and returns CLI_FAILED, else CLI_OK. */
int cli_open_reader(const char *cmd, const char *path, const cli_read_options *o,
                    etw_reader **reader);

#endif
