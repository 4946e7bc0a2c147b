/* Opening recordings with the common input options (see cli_input.h). */
#include "cli_input.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli_args.h"

void cli_input_defaults(struct cli_input_opts *o)
{
    o->channels = NULL;
    etw_open_options_default(&o->open);
}

int cli_input_option(const char *cmd, int opt, const char *arg, struct cli_input_opts *o)
{
    switch (opt) {
    case CLI_OPT_CHANNELS:
        o->channels = arg;
        return 1;
    case CLI_OPT_FS:
        return cli_parse_double(cmd, "--fs", arg, 1e-3, 1e7, &o->open.fs_hz) == 0 ? 1 : -1;
    case CLI_OPT_INPUT_FORMAT:
        if (etw_format_from_name(arg, &o->open.format) != ETW_OK) {
            cli_usage_error(cmd, "--input-format: '%s' is not one of: auto wfdb text edf sound",
                            arg);
            return -1;
        }
        return 1;
    case CLI_OPT_SCALE:
        if (cli_parse_double(cmd, "--scale", arg, -1e12, 1e12, &o->open.scale) != 0) {
            return -1;
        }
        if (o->open.scale == 0.0) {
            cli_usage_error(cmd, "--scale must not be 0");
            return -1;
        }
        return 1;
    case CLI_OPT_UNIT:
        o->open.unit = arg;
        return 1;
    default:
        return 0;
    }
}

etw_reader *cli_input_open(const char *cmd, const char *path, const struct cli_input_opts *o)
{
    char detail[512] = "";
    etw_reader *r = NULL;
    etw_status st = etw_reader_open(path, &o->open, &r, detail, sizeof detail);
    if (st != ETW_OK) {
        cli_fail(cmd, path, "%s%s%s", etw_strerror(st), detail[0] ? ": " : "", detail);
        return NULL;
    }
    if (o->channels) {
        st = etw_reader_select_spec(r, o->channels);
        if (st != ETW_OK) {
            const char *d = etw_reader_error(r);
            cli_fail(cmd, path, "channels '%s': %s%s%s", o->channels, etw_strerror(st),
                     d[0] ? ": " : "", d);
            etw_reader_close(r);
            return NULL;
        }
    }
    return r;
}

void cli_input_channel(const etw_reader *r, size_t k, char *label, char *unit)
{
    size_t nsel = 0;
    const size_t *sel = etw_reader_selection(r, &nsel, NULL, NULL);
    etw_channel_info ci;
    if (!sel || k >= nsel || etw_reader_channel(r, sel[k], &ci) != ETW_OK) {
        snprintf(label, ETW_LABEL_MAX, "ch%zu", k + 1);
        unit[0] = '\0';
        return;
    }
    memcpy(label, ci.label, ETW_LABEL_MAX);
    memcpy(unit, ci.unit, ETW_UNIT_MAX);
}
