/* emgtwitch info: what a recording holds (format, channels, duration, start, annotations). */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_args.h"
#include "cli_io.h"

static const struct cli_help help = {
    .synopsis = "emgtwitch info [--json] [--annotations] [reading options] FILE...",
    .description = "Describes recordings: format, channels (label, sample rate, unit, physical\n"
                   "and digital range, frames), duration, start time and annotation count.\n"
                   "A discontinuous EDF+D/BDF+D file also lists its contiguous segments (onset\n"
                   "from the start, length, frames at the first channel's rate); duration\n"
                   "counts the samples, not the gaps.\n"
                   "Formats: WFDB (.hea/.dat), EDF/EDF+/BDF/BDF+, WAV/FLAC, CSV/TSV/OpenSignals.",
    .options = "  --json              one JSON array with an object per file\n"
               "  --annotations       also list the annotations (onset, duration, text)\n"
               CLI_READ_HELP,
    .examples = "  emgtwitch info ../shared/data/physionet_emgdb/emg_healthy.hea\n"
                "  emgtwitch info --json --fs 200 --event-column last myo/0.txt\n",
};

static void json_string(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            printf("\\%c", c);
        } else if (c < 0x20) {
            printf("\\u%04x", c);
        } else {
            putchar(c);
        }
    }
    putchar('"');
}

static void json_number(double x)
{
    if (isfinite(x)) {
        printf("%.10g", x);
    } else {
        printf("null");
    }
}

/* Opens the i-th object of a list of timed items: {"onset_s": .., "duration_s": .. */
static void json_timed(size_t i, double onset_s, double duration_s)
{
    printf("%s\n  {\"onset_s\": ", i ? "," : "");
    json_number(onset_s);
    printf(", \"duration_s\": ");
    json_number(duration_s);
}

static void print_json(const char *path, etw_reader *r, int with_annotations)
{
    etw_recording_info info;
    (void)etw_reader_info(r, &info);
    printf("{\"file\": ");
    json_string(path);
    printf(", \"format\": ");
    json_string(info.format_name);
    printf(", \"duration_s\": ");
    json_number(info.duration_s);
    printf(", \"start\": ");
    if (info.has_start) {
        printf("\"%04d-%02d-%02dT%02d:%02d:%06.3f\"", info.start.year, info.start.month,
               info.start.day, info.start.hour, info.start.minute, info.start.second);
    } else {
        printf("null");
    }
    printf(", \"annotations\": %zu, \"channels\": [", info.nannotations);
    for (size_t c = 0; c < info.nch; c++) {
        etw_channel_info ch;
        (void)etw_reader_channel(r, c, &ch);
        printf("%s\n  {\"index\": %zu, \"label\": ", c ? "," : "", c);
        json_string(ch.label);
        printf(", \"fs_hz\": ");
        json_number(ch.fs_hz);
        printf(", \"unit\": ");
        json_string(ch.unit);
        printf(", \"to_volts\": ");
        json_number(ch.to_volts > 0 ? ch.to_volts : NAN);
        printf(", \"phys_min\": ");
        json_number(ch.phys_min);
        printf(", \"phys_max\": ");
        json_number(ch.phys_max);
        printf(", \"dig_min\": ");
        json_number(ch.dig_min);
        printf(", \"dig_max\": ");
        json_number(ch.dig_max);
        printf(", \"frames\": %lld}", (long long)ch.nframes);
    }
    printf("], \"segments\": [");
    for (size_t i = 0; i < info.nsegments; i++) {
        etw_recording_segment g;
        (void)etw_reader_segment(r, i, &g);
        json_timed(i, g.onset_s, g.duration_s);
        printf(", \"first_frame\": %lld, \"frames\": %lld}", (long long)g.first_frame,
               (long long)g.nframes);
    }
    printf("]");
    if (with_annotations) {
        printf(", \"annotation_list\": [");
        for (size_t i = 0; i < info.nannotations; i++) {
            etw_annotation a;
            (void)etw_reader_annotation(r, i, &a);
            json_timed(i, a.onset_s, a.duration_s >= 0 ? a.duration_s : NAN);
            printf(", \"text\": ");
            json_string(a.text);
            printf("}");
        }
        printf("]");
    }
    printf("}");
}

static void print_text(const char *path, etw_reader *r, int with_annotations)
{
    etw_recording_info info;
    (void)etw_reader_info(r, &info);
    printf("%s\n  format      %s\n  duration    %.6g s\n", path, info.format_name,
           info.duration_s);
    if (info.has_start) {
        printf("  start       %04d-%02d-%02d %02d:%02d:%06.3f\n", info.start.year,
               info.start.month, info.start.day, info.start.hour, info.start.minute,
               info.start.second);
    } else {
        printf("  start       unknown\n");
    }
    printf("  annotations %zu\n  channels    %zu\n", info.nannotations, info.nch);
    printf("  %5s  %-16s %10s %-6s %12s %12s %10s %10s %10s\n", "index", "label", "rate_Hz",
           "unit", "phys_min", "phys_max", "dig_min", "dig_max", "frames");
    for (size_t c = 0; c < info.nch; c++) {
        etw_channel_info ch;
        (void)etw_reader_channel(r, c, &ch);
        printf("  %5zu  %-16s %10.6g %-6s %12.6g %12.6g %10.8g %10.8g %10lld\n", c, ch.label,
               ch.fs_hz, ch.unit[0] ? ch.unit : "-", ch.phys_min, ch.phys_max, ch.dig_min,
               ch.dig_max, (long long)ch.nframes);
    }
    if (info.nsegments > 1) {
        double fs = 0.0;
        (void)etw_reader_selection(r, NULL, &fs, NULL);
        printf("  segments    %zu (discontinuous; frames at %.6g Hz)\n", info.nsegments, fs);
        for (size_t i = 0; i < info.nsegments; i++) {
            etw_recording_segment g;
            (void)etw_reader_segment(r, i, &g);
            printf("  segment     at %.4f s for %.4f s: frames %lld..%lld\n", g.onset_s,
                   g.duration_s, (long long)g.first_frame,
                   (long long)(g.first_frame + g.nframes - 1));
        }
    }
    for (size_t i = 0; with_annotations && i < info.nannotations; i++) {
        etw_annotation a;
        (void)etw_reader_annotation(r, i, &a);
        if (a.duration_s >= 0) {
            printf("  annotation  at %.4f s for %.4f s: %s\n", a.onset_s, a.duration_s, a.text);
        } else {
            printf("  annotation  at %.4f s: %s\n", a.onset_s, a.text);
        }
    }
}

int cmd_info(int argc, char **argv)
{
    enum { OPT_JSON = 'j', OPT_ANNOTATIONS = 'a' };
    static const struct option longopts[] = {{"help", no_argument, NULL, 'h'},
                                             {"json", no_argument, NULL, OPT_JSON},
                                             {"annotations", no_argument, NULL, OPT_ANNOTATIONS},
                                             CLI_READ_LONGOPTS,
                                             {0, 0, 0, 0}};
    cli_read_options opts;
    cli_read_options_default(&opts);
    int json = 0, annotations = 0, opt;
    cli_getopt_reset();
    while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        int used = cli_read_option("info", opt, optarg, &opts);
        if (used < 0) {
            return CLI_USAGE;
        }
        if (used > 0) {
            continue;
        }
        if (opt == 'h') {
            cli_print_help(stdout, &help);
            return CLI_OK;
        } else if (opt == OPT_JSON) {
            json = 1;
        } else if (opt == OPT_ANNOTATIONS) {
            annotations = 1;
        } else {
            return cli_bad_option("info", opt, (const char *const *)argv);
        }
    }
    if (optind >= argc) {
        return cli_usage_error("info", "no input file");
    }
    int status = CLI_OK, first = 1;
    if (json) {
        printf("[");
    }
    for (int i = optind; i < argc; i++) {
        etw_reader *r = NULL;
        if (cli_open_reader("info", argv[i], &opts, &r) != CLI_OK) {
            status = CLI_FAILED;
            continue;
        }
        if (json) {
            printf("%s", first ? "\n" : ",\n");
            print_json(argv[i], r, annotations);
        } else {
            print_text(argv[i], r, annotations);
        }
        first = 0;
        etw_reader_close(r);
    }
    if (json) {
        printf("\n]\n");
    }
    return status;
}
