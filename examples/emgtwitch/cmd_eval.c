/* emgtwitch eval DETECTIONS TRUTH [DETECTIONS TRUTH ...]: scores detected events against
 * ground truth (one-to-one matching by onset) per pair of tables and over all of them. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_args.h"
#include "cli_output.h"
#include "cli_write.h"
#include "emgtwitch/emgtwitch.h"
#include "emgtwitch/eval.h"
#include "emgtwitch/io.h"
#include "events_read.h"

static const struct cli_help help = {
    .synopsis = "emgtwitch eval [OPTIONS] DETECTIONS TRUTH [DETECTIONS TRUTH ...]",
    .description =
        "Scores events tables (from `emgtwitch detect`) against ground truth (from `emgtwitch\n"
        "synth`, or any table with onset and duration columns in seconds): rows of --type are\n"
        "paired one-to-one by onset within --tolerance-ms (most pairs, then the smallest\n"
        "onset errors). Prints, per pair of files and in total: truths, detections, TP, FP,\n"
        "FN, sensitivity, precision, F1, false alarms per minute, onset and duration error\n"
        "(mean and SD, ms; positive = late/longer). Times are resolved to 0.1 ms.",
    .options = "  -t, --tolerance-ms MS  largest onset difference of a pair (default 50)\n"
               "      --type NAME        trial_type compared (default twitch)\n"
               "  -d, --duration S       recording length for false alarms per minute (default:\n"
               "                         the last event's end in either table)\n"
               "  -o, --output OUT       report table (.tsv, .csv, .json; default '-': TSV)\n"
               "  -f, --force            overwrite OUT if it exists\n"
               "  -h, --help             this help\n",
    .examples = "  emgtwitch eval rec_events.tsv rec_truth.tsv\n"
                "  emgtwitch eval -t 20 a_events.tsv a_truth.tsv b_events.tsv b_truth.tsv\n"
                "  emgtwitch eval --duration 600 ev.tsv truth.tsv -o score.json\n",
};

/* Resolution of the onsets in the matching, Hz. */
static const double eval_fs = 10000.0;

static etw_eval_interval *to_intervals(const struct event_span *e, size_t n, double *end_s)
{
    etw_eval_interval *iv = malloc((n ? n : 1) * sizeof *iv);
    for (size_t i = 0; iv && i < n; i++) {
        iv[i].onset = (int64_t)llround(e[i].onset_s * eval_fs);
        iv[i].offset = (int64_t)llround((e[i].onset_s + e[i].duration_s) * eval_fs);
        *end_s = fmax(*end_s, e[i].onset_s + e[i].duration_s);
    }
    return iv;
}

/* Scores one pair of tables into `tally` (the pair's own tally is `own`). */
static int score_pair(const char *cmd, const char *det_path, const char *truth_path,
                      const char *type, const etw_eval_config *cfg, double duration_s,
                      etw_eval_tally *own)
{
    struct event_span *det = NULL, *truth = NULL;
    size_t nd = 0, nt = 0;
    char err[512];
    if (events_read(det_path, type, &det, &nd, err, sizeof err) != 0 ||
        events_read(truth_path, type, &truth, &nt, err, sizeof err) != 0) {
        free(det);
        return cli_fail(cmd, NULL, "%s", err);
    }
    double end = 0.0;
    etw_eval_interval *di = to_intervals(det, nd, &end), *ti = to_intervals(truth, nt, &end);
    double len = isnan(duration_s) ? end : duration_s;
    memset(own, 0, sizeof *own);
    etw_status st = di && ti ? etw_eval_match(cfg, ti, nt, di, nd, eval_fs,
                                              (int64_t)llround(len * eval_fs), own, NULL, NULL)
                             : ETW_ERR_NOMEM;
    free(det);
    free(truth);
    free(di);
    free(ti);
    if (st != ETW_OK) {
        return cli_fail(cmd, det_path, "scoring against %s: %s", truth_path, etw_strerror(st));
    }
    return CLI_OK;
}

static etw_status write_row(etw_table_writer *w, const char *det, const char *truth,
                            const etw_eval_tally *t)
{
    etw_eval_summary s;
    etw_status st = etw_eval_summarise(t, &s);
    if (st != ETW_OK) {
        return st;
    }
    etw_cell row[] = {etw_cell_text(det),
                      etw_cell_text(truth),
                      etw_cell_int((int64_t)t->truths),
                      etw_cell_int((int64_t)t->detections),
                      etw_cell_int((int64_t)s.tp),
                      etw_cell_int((int64_t)s.fp),
                      etw_cell_int((int64_t)s.fn),
                      etw_cell_number(s.sensitivity),
                      etw_cell_number(s.precision),
                      etw_cell_number(s.f1),
                      etw_cell_number(s.fa_per_min),
                      etw_cell_number(s.onset_bias_ms),
                      etw_cell_number(s.onset_sd_ms),
                      etw_cell_number(s.duration_bias_ms),
                      etw_cell_number(s.duration_sd_ms)};
    return etw_table_writer_row(w, row);
}

static int report(const char *cmd, const char *path, int force, char **pairs, size_t npairs,
                  const etw_eval_tally *tallies, const etw_eval_tally *total, double tol_ms)
{
    static const char *const cols[] = {
        "detections", "truth",     "truths",      "detected",      "tp",
        "fp",         "fn",        "sensitivity", "precision",     "f1",
        "fa_per_min", "onset_bias_ms", "onset_sd_ms", "duration_bias_ms", "duration_sd_ms"};
    enum cli_format fmt;
    if (cli_choose_format(cmd, path, NULL,
                          CLI_FMT_BIT(CLI_FMT_TSV) | CLI_FMT_BIT(CLI_FMT_CSV) |
                              CLI_FMT_BIT(CLI_FMT_JSON),
                          CLI_FMT_TSV, &fmt) != 0) {
        return CLI_USAGE;
    }
    struct cli_writer w;
    if (cli_table_open(cmd, path, fmt, cols, sizeof cols / sizeof cols[0], force, &w) != 0) {
        return CLI_FAILED;
    }
    etw_status st = etw_table_writer_param(w.table, "tolerance_ms", etw_cell_number(tol_ms));
    for (size_t p = 0; st == ETW_OK && p < npairs; p++) {
        st = write_row(w.table, pairs[2 * p], pairs[2 * p + 1], &tallies[p]);
    }
    if (st == ETW_OK && npairs > 1) {
        st = write_row(w.table, "(all)", "(all)", total);
    }
    return cli_writer_close(cmd, &w, st);
}

int cmd_eval(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"tolerance-ms", required_argument, NULL, 't'}, {"type", required_argument, NULL, 'T'},
        {"duration", required_argument, NULL, 'd'},     {"output", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, 'f'},              {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0}};
    const char *cmd = "eval", *type = "twitch", *out = "-";
    double tol_ms = 50.0, duration = NAN;
    int force = 0, opt;
    cli_getopt_reset();
    while ((opt = getopt_long(argc, argv, ":t:d:o:fh", longopts, NULL)) != -1) {
        int bad = 0;
        switch (opt) {
        case 't': bad = cli_parse_double(cmd, "--tolerance-ms", optarg, 0, 1e6, &tol_ms); break;
        case 'T': type = optarg; break;
        case 'd': bad = cli_parse_double(cmd, "--duration", optarg, 1e-3, 1e9, &duration); break;
        case 'o': out = optarg; break;
        case 'f': force = 1; break;
        case 'h': cli_print_help(stdout, &help); return CLI_OK;
        default: return cli_bad_option(cmd, opt, (const char *const *)argv);
        }
        if (bad) {
            return CLI_USAGE;
        }
    }
    int nargs = argc - optind;
    if (nargs < 2 || nargs % 2) {
        return cli_usage_error(cmd, "needs pairs of files: DETECTIONS TRUTH [...]");
    }
    if (cli_check_clobber(cmd, out, force) != 0) {
        return CLI_FAILED;
    }
    size_t npairs = (size_t)nargs / 2;
    etw_eval_tally *tallies = calloc(npairs, sizeof *tallies), total = {0};
    if (!tallies) {
        return cli_fail(cmd, NULL, "out of memory");
    }
    etw_eval_config cfg = etw_eval_config_default();
    cfg.tolerance_s = tol_ms / 1000.0;
    int rc = CLI_OK;
    for (size_t p = 0; rc == CLI_OK && p < npairs; p++) {
        rc = score_pair(cmd, argv[optind + 2 * p], argv[optind + 2 * p + 1], type, &cfg,
                        duration, &tallies[p]);
        if (rc == CLI_OK && etw_eval_tally_add(&total, &tallies[p]) != ETW_OK) {
            rc = cli_fail(cmd, NULL, "internal error adding tallies");
        }
    }
    if (rc == CLI_OK) {
        rc = report(cmd, out, force, argv + optind, npairs, tallies, &total, tol_ms);
    }
    free(tallies);
    return rc;
}
