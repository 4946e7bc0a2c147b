/* Reader options and opening recordings for the CLI (see cli_io.h). */
#include "cli_io.h"

#include <string.h>

#include "cli.h"
#include "cli_args.h"

void cli_read_options_default(cli_read_options *o)
{
    etw_open_options_default(&o->open);
    o->channels = NULL;
}

int cli_read_option(const char *cmd, int opt, const char *arg, cli_read_options *o)
{
    double x;
    long n;
    switch (opt) {
    case CLI_OPT_FORMAT:
        if (etw_format_from_name(arg, &o->open.format) != ETW_OK) {
            cli_usage_error(cmd, "--input-format: unknown format '%s' (auto, wfdb, text, edf, sound)",
                            arg);
            return -1;
        }
        return 1;
    case CLI_OPT_FS:
        if (cli_parse_double(cmd, "--fs", arg, 1e-6, 1e9, &x) < 0) {
            return -1;
        }
        o->open.fs_hz = x;
        return 1;
    case CLI_OPT_SCALE:
        if (cli_parse_double(cmd, "--scale", arg, -1e12, 1e12, &x) < 0) {
            return -1;
        }
        if (x == 0) {
            cli_usage_error(cmd, "--scale must not be 0");
            return -1;
        }
        o->open.scale = x;
        return 1;
    case CLI_OPT_UNIT:
        o->open.unit = arg;
        return 1;
    case CLI_OPT_EVENT_COLUMN:
        if (strcmp(arg, "last") == 0) {
            o->open.event_column = -1;
        } else if (cli_parse_long(cmd, "--event-column", arg, 1, ETW_MAX_CHANNELS + 8, &n) < 0) {
            return -1;
        } else {
            o->open.event_column = (int)n;
        }
        return 1;
    case CLI_OPT_CHANNELS:
        o->channels = arg;
        return 1;
    case CLI_OPT_NO_VERIFY:
        o->open.verify = 0;
        return 1;
    case CLI_OPT_DECIMAL:
        if (strcmp(arg, ".") != 0 && strcmp(arg, ",") != 0 && strcmp(arg, "auto") != 0) {
            cli_usage_error(cmd, "--decimal: '%s' is not '.', ',' or 'auto'", arg);
            return -1;
        }
        o->open.decimal = arg[0] == 'a' ? 0 : arg[0];
        return 1;
    default:
        return 0;
    }
}

int cli_open_reader(const char *cmd, const char *path, const cli_read_options *o,
                    etw_reader **reader)
{
    char detail[512];
    etw_status st = etw_reader_open(path, &o->open, reader, detail, sizeof detail);
    if (st != ETW_OK) {
        return cli_fail(cmd, NULL, "%s (%s)", detail, etw_status_name(st));
    }
    if (o->channels != NULL && (st = etw_reader_select_spec(*reader, o->channels)) != ETW_OK) {
        cli_fail(cmd, NULL, "%s (%s)", etw_reader_error(*reader), etw_status_name(st));
        etw_reader_close(*reader);
        *reader = NULL;
        return CLI_FAILED;
    }
    return CLI_OK;
}
