/* Opening recordings for the subcommands: the common input options (--channels, --fs,
 * --input-format, --scale, --unit) and an open that reports failures as
 * "emgtwitch CMD: FILE: reason (detail)". */
#ifndef ETW_CLI_INPUT_H
#define ETW_CLI_INPUT_H

#include <getopt.h>

#include "emgtwitch/io.h"

/* Option codes of the input options (outside the char range used by short options). */
enum {
    CLI_OPT_CHANNELS = 'c',
    CLI_OPT_FS = 1000,
    CLI_OPT_INPUT_FORMAT,
    CLI_OPT_SCALE,
    CLI_OPT_UNIT
};

/* The input options as getopt_long entries; put CLI_INPUT_LONGOPTS in a command's table. */
#define CLI_INPUT_LONGOPTS                                                  \
    {"channels", required_argument, NULL, CLI_OPT_CHANNELS},                \
        {"fs", required_argument, NULL, CLI_OPT_FS},                        \
        {"input-format", required_argument, NULL, CLI_OPT_INPUT_FORMAT},    \
        {"scale", required_argument, NULL, CLI_OPT_SCALE},                  \
        {"unit", required_argument, NULL, CLI_OPT_UNIT}

/* Help lines describing the input options. */
#define CLI_INPUT_HELP                                                                      \
    "  -c, --channels SPEC    channels by label, glob or 0-based index, comma-separated\n"  \
    "                         (e.g. 'EMG*' or 'trapezius,2'); default all\n"                \
    "      --fs HZ            sample rate of text files that do not state one\n"           \
    "      --input-format F   force the input format: wfdb, text, edf, sound\n"            \
    "      --scale X, --unit U  WAV/FLAC: physical value = sample * X, in unit U\n"

struct cli_input_opts {
    const char *channels;
    etw_open_options open;
};

/* Defaults: all channels, automatic format. */
void cli_input_defaults(struct cli_input_opts *o);

/* Handles one of the input option codes; returns 1 if handled, 0 if `opt` is not an input
 * option, -1 after a usage error. */
int cli_input_option(const char *cmd, int opt, const char *arg, struct cli_input_opts *o);

/* Opens `path` and selects the channels. Returns the reader or NULL after printing
 * "emgtwitch CMD: PATH: reason". */
etw_reader *cli_input_open(const char *cmd, const char *path, const struct cli_input_opts *o);

/* Label and unit of the k-th selected channel (into caller buffers of ETW_LABEL_MAX and
 * ETW_UNIT_MAX bytes). */
void cli_input_channel(const etw_reader *r, size_t k, char *label, char *unit);

#endif
