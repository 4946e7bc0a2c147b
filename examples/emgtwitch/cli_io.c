/* Reader options and opening recordings for the CLI (see cli_io.h). */
#include "cli_io.h"

#include <stdlib.h>
#include <string.h>

void cli_read_options_default(cli_read_options *o)
{
    etw_open_options_default(&o->open);
    o->channels = NULL;
}

static int number(const char *cmd, const char *opt, const char *text, double *v)
{
    char *end;
    *v = strtod(text, &end);
    if (end == text || *end != '\0') {
        fprintf(stderr, "emgtwitch %s: %s needs a number, not '%s'\n", cmd, opt, text);
        return -1;
    }
    return 1;
}

int cli_read_option(const char *cmd, int argc, char **argv, int *i, cli_read_options *o)
{
    const char *a = argv[*i];
    static const char *const with_value[] = {"--format", "--fs", "--scale", "--unit",
                                             "--event-column", "--channels"};
    int takes = 0;
    for (size_t k = 0; k < sizeof with_value / sizeof with_value[0]; k++) {
        takes |= strcmp(a, with_value[k]) == 0;
    }
    if (strcmp(a, "--no-verify") == 0) {
        o->open.verify = 0;
        return 1;
    }
    if (!takes) {
        return 0;
    }
    if (*i + 1 >= argc) {
        fprintf(stderr, "emgtwitch %s: %s needs a value\n", cmd, a);
        return -1;
    }
    const char *v = argv[++*i];
    double x;
    if (strcmp(a, "--format") == 0) {
        if (etw_format_from_name(v, &o->open.format) != ETW_OK) {
            fprintf(stderr, "emgtwitch %s: unknown format '%s' (auto, wfdb, text, edf, "
                            "sound)\n", cmd, v);
            return -1;
        }
    } else if (strcmp(a, "--fs") == 0) {
        if (number(cmd, a, v, &x) < 0 || !(x > 0)) {
            return -1;
        }
        o->open.fs_hz = x;
    } else if (strcmp(a, "--scale") == 0) {
        if (number(cmd, a, v, &x) < 0 || x == 0) {
            return -1;
        }
        o->open.scale = x;
    } else if (strcmp(a, "--unit") == 0) {
        o->open.unit = v;
    } else if (strcmp(a, "--event-column") == 0) {
        if (strcmp(v, "last") == 0) {
            o->open.event_column = -1;
        } else if (number(cmd, a, v, &x) < 0 || x < 1 || x > 100000 || x != (int)x) {
            return -1;
        } else {
            o->open.event_column = (int)x;
        }
    } else {
        o->channels = v;
    }
    return 1;
}

void cli_read_usage(FILE *out)
{
    fprintf(out,
            "reading options:\n"
            "  --format F        force the format: wfdb, text, edf, sound (default: detect)\n"
            "  --fs HZ           sample rate of a text file that states none\n"
            "  --scale X         sound files: physical value = sample * X (default 1)\n"
            "  --unit U          sound files: unit of the scaled samples (V, mV, uV)\n"
            "  --event-column N  text files: 1-based column (or 'last') of event labels\n"
            "  --channels SPEC   labels, globs (EMG*) or 0-based indices, comma-separated\n"
            "  --no-verify       WFDB: skip the checksum pass\n");
}

int cli_open_reader(const char *cmd, const char *path, const cli_read_options *o,
                    etw_reader **reader)
{
    char detail[512];
    etw_status st = etw_reader_open(path, &o->open, reader, detail, sizeof detail);
    if (st != ETW_OK) {
        fprintf(stderr, "emgtwitch %s: %s (%s)\n", cmd, detail, etw_status_name(st));
        return 1;
    }
    if (o->channels != NULL && (st = etw_reader_select_spec(*reader, o->channels)) != ETW_OK) {
        fprintf(stderr, "emgtwitch %s: %s (%s)\n", cmd, etw_reader_error(*reader),
                etw_status_name(st));
        etw_reader_close(*reader);
        *reader = NULL;
        return 1;
    }
    return 0;
}
