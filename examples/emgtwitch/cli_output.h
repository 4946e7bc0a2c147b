/* Output files of the emgtwitch subcommands: the format chosen from -o's extension or
 * --format, and atomic writes (a temporary file in the target's folder renamed into place on
 * success, removed on failure) so a failed run never leaves a half file that looks complete.
 * "-" means standard output. */
#ifndef ETW_CLI_OUTPUT_H
#define ETW_CLI_OUTPUT_H

#include <stdio.h>

enum cli_format {
    CLI_FMT_NONE = 0,
    CLI_FMT_TSV,
    CLI_FMT_CSV,
    CLI_FMT_JSON,
    CLI_FMT_EDF,
    CLI_FMT_BDF,
    CLI_FMT_WAV,
    CLI_FMT_FLAC,
    CLI_FMT_PNG,
    CLI_FMT_SVG,
    CLI_FMT_PDF,
    CLI_FMT_COUNT
};

/* Bit of a format in an `allowed` mask. */
#define CLI_FMT_BIT(f) (1u << (f))

/* Name of a format ("tsv", "png", ...). */
const char *cli_format_name(enum cli_format fmt);

/* The format named by `name` ("tsv", "EDF", ...) or CLI_FMT_NONE. */
enum cli_format cli_format_from_name(const char *name);

/* The format given by the extension of `path`, or CLI_FMT_NONE. */
enum cli_format cli_format_from_path(const char *path);

/* Chooses the output format: --format when given, else -o's extension, else `fallback`.
 * The result must be in `allowed`; otherwise a usage error naming the allowed formats is
 * printed and -1 returned. */
int cli_choose_format(const char *cmd, const char *path, const char *format_opt,
                      unsigned allowed, enum cli_format fallback, enum cli_format *out);

/* An output being written: stdout, or a temporary file renamed into place on commit. */
struct cli_out {
    FILE *fp;
    char *path;     /* final path, NULL for stdout */
    char *tmp_path; /* temporary path, NULL for stdout */
};

/* Opens `path` ("-" = stdout) for writing through a temporary file. Refuses to replace an
 * existing file unless `force`. Returns 0, or prints "emgtwitch CMD: PATH: reason" and
 * returns -1. */
int cli_out_open(const char *cmd, const char *path, int force, struct cli_out *out);

/* Flushes, closes and renames the temporary file into place. Returns 0, or prints the reason
 * and returns -1 (the temporary file is removed). */
int cli_out_commit(const char *cmd, struct cli_out *out);

/* Closes and removes the temporary file (nothing to do for stdout). Safe after commit. */
void cli_out_abort(struct cli_out *out);

/* Fails with a message when `path` exists and `force` is not set. Returns 0 or -1. For outputs
 * written by a library writer that does its own temp + rename. */
int cli_check_clobber(const char *cmd, const char *path, int force);

/* For library writers that take a path: when `path` is "-", makes a temporary file name
 * ending in `ext` (".tsv", ".edf", ...) in a fresh temporary folder and writes it into `buf`;
 * otherwise copies `path`. Returns 0, or -1 after printing the reason. */
int cli_path_begin(const char *cmd, const char *path, const char *ext, char *buf, size_t cap);

/* Ends cli_path_begin: when `path` is "-", copies the written file `written` to stdout (if
 * `ok`) and removes it and its folder. Returns 0, or -1 after printing the reason. */
int cli_path_finish(const char *cmd, const char *path, const char *written, int ok);

#endif
