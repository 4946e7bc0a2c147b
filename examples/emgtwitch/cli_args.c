/* Option parsing and diagnostics shared by the emgtwitch subcommands (see cli_args.h). */
#include "cli_args.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_print_help(FILE *out, const struct cli_help *help)
{
    fprintf(out, "usage: %s\n", help->synopsis);
    if (help->description) {
        fprintf(out, "\n%s\n", help->description);
    }
    if (help->options) {
        fprintf(out, "\noptions:\n%s", help->options);
    }
    if (help->extra) {
        help->extra(out);
    }
    if (help->examples) {
        fprintf(out, "\nexamples:\n%s", help->examples);
    }
    fprintf(out, "\nexit status: 0 ok, 1 failed (unreadable input, failed write), 2 bad usage.\n");
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "emgtwitch %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'emgtwitch %s --help'.\n", cmd);
    return CLI_USAGE;
}

int cli_fail(const char *cmd, const char *file, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "emgtwitch %s: ", cmd);
    if (file) {
        fprintf(stderr, "%s: ", file);
    }
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return CLI_FAILED;
}

void cli_getopt_reset(void)
{
    optind = 0; /* glibc: 0 re-initialises getopt's internal state */
    opterr = 0; /* we print our own messages */
}

int cli_bad_option(const char *cmd, int opt, const char *const *argv)
{
    const char *word = argv[optind - 1];
    if (opt == ':') {
        return cli_usage_error(cmd, "option '%s' needs a value", word);
    }
    return cli_usage_error(cmd, "unknown option '%s'", word);
}

int cli_parse_double(const char *cmd, const char *opt, const char *text, double lo, double hi,
                     double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || *end != '\0' || errno == ERANGE || !isfinite(v)) {
        cli_usage_error(cmd, "%s: '%s' is not a number", opt, text);
        return -1;
    }
    if (v < lo || v > hi) {
        cli_usage_error(cmd, "%s: %g is outside [%g, %g]", opt, v, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

int cli_parse_long(const char *cmd, const char *opt, const char *text, long lo, long hi,
                   long *out)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (end == text || *end != '\0' || errno == ERANGE) {
        cli_usage_error(cmd, "%s: '%s' is not an integer", opt, text);
        return -1;
    }
    if (v < lo || v > hi) {
        cli_usage_error(cmd, "%s: %ld is outside [%ld, %ld]", opt, v, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

int cli_parse_pair(const char *cmd, const char *opt, const char *text, double lo, double hi,
                   double *first, double *second)
{
    const char *colon = strchr(text, ':');
    if (!colon) {
        cli_usage_error(cmd, "%s: '%s' is not LOW:HIGH", opt, text);
        return -1;
    }
    char left[64];
    size_t n = (size_t)(colon - text);
    if (n >= sizeof left) {
        cli_usage_error(cmd, "%s: '%s' is not LOW:HIGH", opt, text);
        return -1;
    }
    memcpy(left, text, n);
    left[n] = '\0';
    *first = NAN;
    *second = NAN;
    if (n > 0 && cli_parse_double(cmd, opt, left, lo, hi, first) != 0) {
        return -1;
    }
    if (colon[1] != '\0' && cli_parse_double(cmd, opt, colon + 1, lo, hi, second) != 0) {
        return -1;
    }
    return 0;
}

int cli_parse_choice(const char *cmd, const char *opt, const char *text,
                     const char *const *choices)
{
    for (int i = 0; choices[i]; i++) {
        if (strcmp(text, choices[i]) == 0) {
            return i;
        }
    }
    fprintf(stderr, "emgtwitch %s: %s: '%s' is not one of:", cmd, opt, text);
    for (int i = 0; choices[i]; i++) {
        fprintf(stderr, " %s", choices[i]);
    }
    fprintf(stderr, "\nTry 'emgtwitch %s --help'.\n", cmd);
    return -1;
}
