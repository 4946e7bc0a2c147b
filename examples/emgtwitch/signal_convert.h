/* The signal-to-signal conversion behind `filter` and `envelope`: condition the selected
 * channels (causal and streaming in constant memory, or zero-phase in memory), optionally
 * take their envelope, and write them with the input's metadata and annotations. */
#ifndef ETW_CLI_SIGNAL_CONVERT_H
#define ETW_CLI_SIGNAL_CONVERT_H

#include "cli_args.h"
#include "cli_condition.h"
#include "cli_output.h"
#include "emgtwitch/emgtwitch.h"
#include "emgtwitch/envelope.h"
#include "emgtwitch/io.h"

/* Converts the reader's selection into `out_path` ("-" = stdout) in format `fmt`. `env_cfg`
 * (NULL = none) gives the envelope kind and window; its fs and nch are taken from the input.
 * Prints a one-line summary on stderr unless `quiet`. Returns CLI_OK or CLI_FAILED. */
int signal_convert(const char *cmd, const char *in_path, etw_reader *r,
                   const struct cli_condition *cond, const etw_envelope_config *env_cfg,
                   const char *out_path, enum cli_format fmt, int force, int quiet);

/* The whole of `emgtwitch filter` (envelope 0) and `emgtwitch envelope` (envelope 1: also
 * -k/--kind and -w/--window-ms): options, IN OUT, the conversion. Returns the exit status. */
int signal_convert_main(const char *cmd, int argc, char **argv, const struct cli_help *help,
                        int envelope);

#endif
