/* Option parsing and diagnostics shared by the emgtwitch subcommands.
 *
 * Every subcommand parses with getopt_long, prints its help (synopsis, options, examples) on
 * --help to stdout, and reports errors on stderr as "emgtwitch CMD: FILE: reason". The helpers
 * here return the exit status to use so a command can `return cli_usage_error(...)`. */
#ifndef ETW_CLI_ARGS_H
#define ETW_CLI_ARGS_H

#include <stdio.h>

/* The text of a subcommand's --help. `synopsis` lines follow "usage: "; `options` and
 * `examples` are printed under their headings verbatim. */
struct cli_help {
    const char *synopsis;
    const char *description;
    const char *options;
    const char *examples;
    void (*extra)(FILE *out); /* optional: prints more sections before the examples */
};

/* Prints a subcommand's help to `out`, followed by the common exit-status line. */
void cli_print_help(FILE *out, const struct cli_help *help);

/* Prints "emgtwitch CMD: <message>" and a hint to --help on stderr; returns CLI_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints "emgtwitch CMD: FILE: <message>" (FILE omitted when NULL) on stderr; returns
 * CLI_FAILED. */
int cli_fail(const char *cmd, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Resets getopt so a subcommand can parse its own argv (argv[0] = the subcommand). */
void cli_getopt_reset(void);

/* Handles getopt_long's '?' and ':' results: prints the usage error and returns CLI_USAGE. */
int cli_bad_option(const char *cmd, int opt, const char *const *argv);

/* Parses `text` as a finite number in [lo, hi] for option `opt`. Returns 0 on success, or
 * prints a usage error and returns -1. */
int cli_parse_double(const char *cmd, const char *opt, const char *text, double lo, double hi,
                     double *out);

/* As cli_parse_double for an integer in [lo, hi]. */
int cli_parse_long(const char *cmd, const char *opt, const char *text, long lo, long hi,
                   long *out);

/* Parses "LOW:HIGH" (either side may be empty, meaning unset = NaN) as two numbers in
 * [lo, hi], e.g. `--band 20:450`. Returns 0 or -1 after a usage error. */
int cli_parse_pair(const char *cmd, const char *opt, const char *text, double lo, double hi,
                   double *first, double *second);

/* Matches `text` against a NULL-terminated list of names; returns its index, or prints a
 * usage error listing the choices and returns -1. */
int cli_parse_choice(const char *cmd, const char *opt, const char *text,
                     const char *const *choices);

#endif
