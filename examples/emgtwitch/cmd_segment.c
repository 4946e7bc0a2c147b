/* emgtwitch segment FILE: periods of activity per channel with a classical onset detector of
 * choice, as a BIDS-style events table (trial_type activity). */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_args.h"
#include "cli_io.h"
#include "cli_output.h"
#include "cli_signal.h"
#include "cli_write.h"
#include "emgtwitch/segment.h"

static void print_params(FILE *out);

static const struct cli_help help = {
    .synopsis = "emgtwitch segment [OPTIONS] FILE [-o OUT.tsv|.csv|.json]",
    .description =
        "Finds the periods of activity (contractions) of each selected channel with a\n"
        "classical onset/offset detector and writes them as an events table: onset and\n"
        "duration in s, trial_type activity, channel, peak (largest band-passed sample, in the\n"
        "recording's unit) and snr_db (mean power over the rest's). The selected channels of\n"
        "the range are held in memory. Summary on stderr.",
    .options = "  -m, --method NAME      hodges (default), bonato, tkeo, lidierth or cusum\n"
               "  -p, --param NAME=VAL   a detector parameter (see below)\n"
               "      --rest START:LEN   a known rest segment in s (default: found automatically)\n"
               "      --min-duration-ms MS  drop shorter periods (default 250)\n"
               "      --merge-gap-ms MS  merge periods closer than this (default 200)\n"
               "  -s, --start S, -e, --end S   time range in seconds (default: all)\n"
               "  -o, --output OUT       events table (default '-': TSV on stdout)\n"
               "      --format F         tsv, csv or json\n"
               "  -f, --force            overwrite OUT if it exists\n"
               "  -q, --quiet            no summary on stderr\n"
               "  -c SPEC                short for --channels SPEC\n" CLI_READ_HELP
               "  -h, --help             this help\n",
    .examples = "  emgtwitch segment rec.edf -o rec_activity.tsv\n"
                "  emgtwitch segment -m bonato --rest 0:2 rec.edf\n"
                "  emgtwitch segment -m lidierth -p k_sd=4 --merge-gap-ms 200 emg.txt --fs 1000\n",
    .extra = print_params,
};

static const size_t segment_max_bytes = (size_t)1 << 30;

static void print_params(FILE *out)
{
    fprintf(out, "\ndetector parameters (-p NAME=VALUE; defaults of hodges at 1000 Hz):\n");
    etw_onset_config d = etw_onset_config_default(ETW_ONSET_HODGES, 1000.0);
    for (const char *const *n = etw_onset_config_names(); n && *n; n++) {
        double v = NAN;
        if (etw_onset_config_get(&d, *n, &v) == ETW_OK) {
            fprintf(out, "  %-18s %g\n", *n, v);
        }
    }
}

struct segment_opts {
    const char *out_path, *format;
    etw_onset_method method;
    char **assign;
    size_t nassign;
    double rest_start, rest_len, min_ms, gap_ms, start_s, end_s;
    int force, quiet;
    cli_read_options in;
};

static int configure(const char *cmd, const char *file, const struct segment_opts *o, double fs,
                     etw_onset_config *cfg)
{
    *cfg = etw_onset_config_default(o->method, fs);
    for (size_t i = 0; i < o->nassign; i++) {
        char name[64];
        const char *eq = strchr(o->assign[i], '=');
        char *end = NULL;
        double v = eq ? strtod(eq + 1, &end) : NAN;
        if (!eq || (size_t)(eq - o->assign[i]) >= sizeof name || !end || *end || end == eq + 1) {
            return cli_fail(cmd, file, "-p '%s' is not NAME=NUMBER", o->assign[i]);
        }
        snprintf(name, sizeof name, "%.*s", (int)(eq - o->assign[i]), o->assign[i]);
        if (etw_onset_config_set(cfg, name, v) != ETW_OK) {
            return cli_fail(cmd, file, "-p '%s': no such parameter (emgtwitch segment --help)",
                            o->assign[i]);
        }
    }
    if (!isnan(o->rest_start)) {
        cfg->rest_start_s = o->rest_start;
        cfg->rest_len_s = o->rest_len;
    }
    if (!isnan(o->min_ms)) {
        cfg->min_duration_ms = o->min_ms;
    }
    if (!isnan(o->gap_ms)) {
        cfg->merge_gap_ms = o->gap_ms;
    }
    return CLI_OK;
}

/* Detects channel c of b in frames [lo, hi) of b (whose first frame is at t0 s) and writes
 * its rows; adds their number to *count. */
static etw_status segment_channel(const etw_onset_config *cfg, const struct cli_block *b,
                                  size_t c, size_t lo, size_t hi, double t0, const char *label,
                                  etw_table_writer *w, size_t *count)
{
    size_t cap = 64, n = 0;
    etw_segment *seg = NULL;
    etw_status st;
    for (;;) {
        etw_segment *s2 = realloc(seg, cap * sizeof *s2);
        if (!s2) {
            free(seg);
            return ETW_ERR_NOMEM;
        }
        seg = s2;
        st = etw_onset_detect(cfg, b->ch[c] + lo, hi - lo, seg, cap, &n);
        if (st != ETW_ERR_CAPACITY) {
            break;
        }
        cap = n;
    }
    for (size_t i = 0; st == ETW_OK && i < n; i++) {
        etw_cell row[] = {etw_cell_number(t0 + seg[i].onset_s),
                          etw_cell_number(seg[i].offset_s - seg[i].onset_s),
                          etw_cell_text("activity"), etw_cell_text(label),
                          etw_cell_number(seg[i].peak), etw_cell_number(seg[i].snr_db)};
        st = etw_table_writer_row(w, row);
    }
    *count += n;
    free(seg);
    return st;
}

static int segment_file(const char *cmd, const char *file, const struct segment_opts *o,
                        enum cli_format fmt)
{
    static const char *const cols[] = {"onset", "duration", "trial_type", "channel", "peak",
                                       "snr_db"};
    etw_reader *r = cli_open_selected(cmd, file, &o->in);
    if (!r) {
        return CLI_FAILED;
    }
    double fs = 0.0;
    int64_t total = 0;
    etw_reader_selection(r, NULL, &fs, &total);
    int64_t first = (int64_t)llround(o->start_s * fs);
    int64_t last = isnan(o->end_s) ? total : (int64_t)llround(o->end_s * fs);
    etw_onset_config cfg;
    struct cli_block b = {0};
    if (configure(cmd, file, o, fs, &cfg) != CLI_OK || last <= first ||
        cli_read_range(cmd, file, r, first, last - first, segment_max_bytes, &b) != 0) {
        if (last <= first) {
            cli_fail(cmd, file, "the time range holds no samples");
        }
        etw_reader_close(r);
        return CLI_FAILED;
    }
    struct cli_writer w;
    if (cli_table_open(cmd, o->out_path, fmt, cols, 6, o->force, &w) != 0) {
        cli_block_free(&b);
        etw_reader_close(r);
        return CLI_FAILED;
    }
    etw_status st = ETW_OK;
    double v;
    for (const char *const *n = etw_onset_config_names(); st == ETW_OK && n && *n; n++) {
        if (etw_onset_config_get(&cfg, *n, &v) == ETW_OK) {
            st = etw_table_writer_param(w.table, *n, etw_cell_number(v));
        }
    }
    if (st == ETW_OK) {
        st = etw_table_writer_param(w.table, "method", etw_cell_text(etw_onset_method_name(o->method)));
    }
    etw_recording_info info;
    if (st == ETW_OK) {
        st = etw_reader_info(r, &info);
    }
    for (size_t c = 0; st == ETW_OK && c < b.nch; c++) {
        char label[ETW_LABEL_MAX], unit[ETW_UNIT_MAX];
        size_t count = 0;
        cli_selected_channel(r, c, label, unit);
        struct cli_piece p; /* each gap-free part on its own (EDF+D), at its true time */
        for (size_t i = 0; st == ETW_OK && i < info.nsegments; i++) {
            if (cli_piece_of(r, i, first, first + (int64_t)b.n, &p) == 0) {
                st = segment_channel(&cfg, &b, c, (size_t)(p.lo - first), (size_t)(p.hi - first),
                                     p.t0_s, label, w.table, &count);
            }
        }
        if (st == ETW_OK && !o->quiet) {
            fprintf(stderr, "emgtwitch segment: %s: %s: %zu activity period%s (%s)\n", file,
                    label, count, count == 1 ? "" : "s", etw_onset_method_name(o->method));
        }
    }
    int rc = cli_writer_close(cmd, &w, st);
    cli_block_free(&b);
    etw_reader_close(r);
    return rc;
}

int cmd_segment(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"method", required_argument, NULL, 'm'}, {"param", required_argument, NULL, 'p'},
        {"rest", required_argument, NULL, 'r'},   {"min-duration-ms", required_argument, NULL, 'D'},
        {"merge-gap-ms", required_argument, NULL, 'G'}, {"start", required_argument, NULL, 's'},
        {"end", required_argument, NULL, 'e'},    {"output", required_argument, NULL, 'o'},
        {"format", required_argument, NULL, 'F'}, {"force", no_argument, NULL, 'f'},
        {"quiet", no_argument, NULL, 'q'},        {"help", no_argument, NULL, 'h'},
        CLI_READ_LONGOPTS,                        {0, 0, 0, 0}};
    const char *cmd = "segment";
    /* activity periods are contractions: shorter or split runs are left to `detect` */
    struct segment_opts o = {.out_path = "-", .rest_start = NAN, .min_ms = 250.0, .gap_ms = 200.0,
                             .end_s = NAN};
    cli_read_options_default(&o.in);
    o.assign = calloc((size_t)argc + 1, sizeof *o.assign);
    if (!o.assign) {
        return cli_fail(cmd, NULL, "out of memory");
    }
    int opt, rc = -1;
    cli_getopt_reset();
    while (rc < 0 && (opt = getopt_long(argc, argv, ":m:p:s:e:o:fqhc:", longopts, NULL)) != -1) {
        int handled = cli_read_option(cmd, opt == 'c' ? CLI_OPT_CHANNELS : opt, optarg, &o.in);
        if (handled != 0) {
            rc = handled < 0 ? CLI_USAGE : -1;
            continue;
        }
        int bad = 0;
        switch (opt) {
        case 'm':
            if (etw_onset_method_from_name(optarg, &o.method) != ETW_OK) {
                bad = cli_usage_error(cmd, "--method: '%s' is not one of: hodges bonato tkeo "
                                      "lidierth cusum", optarg);
            }
            break;
        case 'p': o.assign[o.nassign++] = optarg; break;
        case 'r':
            bad = cli_parse_pair(cmd, "--rest", optarg, 0, 1e9, &o.rest_start, &o.rest_len);
            if (!bad && (isnan(o.rest_start) || isnan(o.rest_len))) {
                bad = cli_usage_error(cmd, "--rest needs START:LEN in seconds");
            }
            break;
        case 'D': bad = cli_parse_double(cmd, "--min-duration-ms", optarg, 0, 1e9, &o.min_ms); break;
        case 'G': bad = cli_parse_double(cmd, "--merge-gap-ms", optarg, 0, 1e9, &o.gap_ms); break;
        case 's': bad = cli_parse_double(cmd, "--start", optarg, 0, 1e9, &o.start_s); break;
        case 'e': bad = cli_parse_double(cmd, "--end", optarg, 0, 1e9, &o.end_s); break;
        case 'o': o.out_path = optarg; break;
        case 'F': o.format = optarg; break;
        case 'f': o.force = 1; break;
        case 'q': o.quiet = 1; break;
        case 'h': cli_print_help(stdout, &help); rc = CLI_OK; break;
        default: rc = cli_bad_option(cmd, opt, (const char *const *)argv); break;
        }
        rc = bad ? CLI_USAGE : rc;
    }
    enum cli_format fmt = CLI_FMT_TSV;
    if (rc < 0 && argc - optind != 1) {
        rc = cli_usage_error(cmd, "needs exactly one input file");
    }
    if (rc < 0 && cli_choose_format(cmd, o.out_path, o.format,
                                    CLI_FMT_BIT(CLI_FMT_TSV) | CLI_FMT_BIT(CLI_FMT_CSV) |
                                        CLI_FMT_BIT(CLI_FMT_JSON),
                                    CLI_FMT_TSV, &fmt) != 0) {
        rc = CLI_USAGE;
    }
    if (rc < 0 && cli_check_clobber(cmd, o.out_path, o.force) != 0) {
        rc = CLI_FAILED;
    }
    if (rc < 0) {
        rc = segment_file(cmd, argv[optind], &o, fmt);
    }
    free(o.assign);
    return rc;
}
