/* emgtwitch synth -o OUT: a synthetic recording with exact ground truth (twitches and
 * distractors from the library's generator), written as EDF+/BDF+/WAV/FLAC/CSV in uV, with
 * the stimulus markers as annotations, plus the ground truth as a BIDS-style events TSV. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_args.h"
#include "cli_output.h"
#include "cli_progress.h"
#include "cli_signal.h"
#include "cli_write.h"
#include "emgtwitch/synth.h"

static void print_presets(FILE *out);

static const struct cli_help help = {
    .synopsis = "emgtwitch synth [OPTIONS] -o OUT.edf|.bdf|.wav|.flac|.csv [--truth TRUTH.tsv]",
    .description =
        "Writes a synthetic surface-EMG recording (in uV, channels EMG1..EMGn) whose twitches\n"
        "and distractors are known exactly, and its ground truth as an events table: onset,\n"
        "duration, trial_type (twitch, contraction, ecg, motion, spike, saturation, stimulus),\n"
        "channel, first/last channel, snr_db, peak_uv, marker. Stimulus markers are also EDF+\n"
        "annotations 'stimulus'. The same seed gives the same recording.",
    .options = "  -o, --output OUT       the recording (format from the extension or --format)\n"
               "      --format F         edf, bdf, wav, flac or csv\n"
               "  -t, --truth FILE       ground truth (.tsv/.csv/.json; default OUT's name with\n"
               "                         _truth.tsv; '-' = stdout)\n"
               "  -P, --preset NAME      components (default demo, see below)\n"
               "  -r, --fs HZ            sample rate, 500..20000 (default 2048)\n"
               "  -n, --nch N            channels, 1..1024 (default 2)\n"
               "  -d, --duration S       length in seconds (default 60)\n"
               "  -s, --seed N           seed (default 1)\n"
               "      --snr MIN:MAX      twitch SNR range in dB\n"
               "      --rate N           spontaneous twitches per minute\n"
               "      --burst-ms MIN:MAX twitch duration range in ms\n"
               "      --mains HZ         powerline frequency (default 50)\n"
               "  -f, --force            overwrite existing files\n"
               "  -q, --quiet            no summary on stderr\n"
               "  -h, --help             this help\n",
    .examples = "  emgtwitch synth -o demo.edf                     # + demo_truth.tsv\n"
                "  emgtwitch synth --preset ecg --nch 4 --fs 4000 -d 120 -o ecg.bdf\n"
                "  emgtwitch synth --preset clean --snr 3:3 --seed 7 -o low_snr.wav\n",
    .extra = print_presets,
};

static void print_presets(FILE *out)
{
    fprintf(out, "\npresets:");
    for (size_t i = 0; etw_synth_preset_name(i); i++) {
        fprintf(out, " %s", etw_synth_preset_name(i));
    }
    fprintf(out, "\n");
}

/* Largest |sample| of the whole recording (a first pass; the generator then rewinds). */
static double peak_abs(etw_synth *s, struct cli_block *b)
{
    double peak = 0.0;
    size_t n = 0;
    etw_synth_reset(s);
    while (etw_synth_generate(s, b->ch, b->cap, &n) == ETW_OK && n > 0) {
        for (size_t c = 0; c < b->nch; c++) {
            for (size_t i = 0; i < n; i++) {
                double a = fabs(b->ch[c][i]);
                peak = a > peak ? a : peak;
            }
        }
    }
    etw_synth_reset(s);
    return peak;
}

static int write_signal(const char *cmd, const char *path, enum cli_format fmt, int force,
                        etw_synth *s, const etw_synth_config *cfg)
{
    struct cli_block b;
    if (cli_block_alloc(cmd, path, cfg->nch, CLI_BLOCK_FRAMES, &b) != 0) {
        return CLI_FAILED;
    }
    char(*labels)[24] = calloc(cfg->nch, sizeof *labels);
    const char **names = calloc(cfg->nch, sizeof *names);
    if (!labels || !names) {
        free(labels);
        free(names);
        cli_block_free(&b);
        return cli_fail(cmd, path, "out of memory");
    }
    for (size_t c = 0; c < cfg->nch; c++) {
        snprintf(labels[c], sizeof labels[c], "EMG%zu", c + 1);
        names[c] = labels[c];
    }
    double range = ceil(peak_abs(s, &b) * 1.05e6 + 1.0); /* uV */
    etw_signal_spec spec;
    etw_signal_spec_default(&spec);
    spec.nch = cfg->nch;
    spec.fs_hz = cfg->fs_hz;
    spec.labels = names;
    spec.unit = "uV";
    spec.phys_min = -range;
    spec.phys_max = range;
    spec.full_scale = range;
    spec.overwrite = force;
    struct cli_writer w;
    if (cli_signal_open(cmd, path, fmt, &spec, &w) != 0) {
        free(labels);
        free(names);
        cli_block_free(&b);
        return CLI_FAILED;
    }
    etw_status st = ETW_OK;
    etw_synth_stats stats;
    struct cli_progress bar;
    cli_progress_start(&bar, "synth", etw_synth_get_stats(s, &stats) == ETW_OK ? stats.nframes
                                                                             : 0);
    size_t n = 0;
    while (st == ETW_OK && (st = etw_synth_generate(s, b.ch, b.cap, &n)) == ETW_OK && n > 0) {
        for (size_t c = 0; c < b.nch; c++) {
            for (size_t i = 0; i < n; i++) {
                b.ch[c][i] *= 1e6f;
            }
        }
        st = etw_signal_writer_write(w.signal, (const float *const *)b.ch, n);
        cli_progress_add(&bar, (int64_t)n);
    }
    cli_progress_end(&bar);
    size_t nm = 0;
    const etw_synth_marker *m = etw_synth_markers_get(s, &nm);
    for (size_t k = 0; st == ETW_OK && k < nm; k++) {
        st = etw_signal_writer_annotate(w.signal, m[k].time_s, -1.0, "stimulus");
    }
    int rc = cli_writer_close(cmd, &w, st);
    free(labels);
    free(names);
    cli_block_free(&b);
    return rc;
}

static int write_truth(const char *cmd, const char *path, int force, const etw_synth *s)
{
    static const char *const cols[] = {"onset",         "duration",     "trial_type",
                                       "channel",       "first_channel", "last_channel",
                                       "snr_db",        "peak_uv",      "marker"};
    enum { NCOL = sizeof cols / sizeof cols[0] };
    enum cli_format fmt = cli_format_from_path(path);
    fmt = fmt == CLI_FMT_CSV || fmt == CLI_FMT_JSON ? fmt : CLI_FMT_TSV;
    struct cli_writer w;
    if (cli_table_open(cmd, path, fmt, cols, NCOL, force, &w) != 0) {
        return CLI_FAILED;
    }
    etw_status st = ETW_OK;
    size_t ne = 0, nm = 0, i = 0, k = 0;
    const etw_synth_event *e = etw_synth_events(s, &ne);
    const etw_synth_marker *m = etw_synth_markers_get(s, &nm);
    const double fs = etw_synth_get_config(s)->fs_hz;
    while (st == ETW_OK && (i < ne || k < nm)) {
        etw_cell row[NCOL];
        char ch[3][24];
        if (k < nm && (i >= ne || m[k].sample <= e[i].onset)) {
            for (size_t c = 0; c < NCOL; c++) {
                row[c] = etw_cell_none();
            }
            row[0] = etw_cell_number((double)m[k].sample / fs);
            row[1] = etw_cell_number(0.0);
            row[2] = etw_cell_text("stimulus");
            row[8] = m[k].event >= 0 ? etw_cell_int(m[k].event) : etw_cell_none();
            k++;
        } else {
            snprintf(ch[0], sizeof ch[0], "EMG%d", (int)e[i].channel + 1);
            snprintf(ch[1], sizeof ch[1], "EMG%d", (int)e[i].first_channel + 1);
            snprintf(ch[2], sizeof ch[2], "EMG%d", (int)e[i].last_channel + 1);
            etw_cell r[NCOL] = {etw_cell_number(e[i].onset_s),
                                etw_cell_number(e[i].duration_s),
                                etw_cell_text(etw_synth_kind_name(e[i].kind)),
                                etw_cell_text(ch[0]),
                                etw_cell_text(ch[1]),
                                etw_cell_text(ch[2]),
                                etw_cell_number(e[i].snr_db),
                                etw_cell_number(e[i].peak_v * 1e6),
                                e[i].marker >= 0 ? etw_cell_int(e[i].marker) : etw_cell_none()};
            memcpy(row, r, sizeof r);
            i++;
        }
        st = etw_table_writer_row(w.table, row);
    }
    return cli_writer_close(cmd, &w, st);
}

struct synth_opts {
    const char *out_path, *format, *truth, *preset;
    double fs, duration, snr_lo, snr_hi, rate, ms_lo, ms_hi, mains;
    long nch, seed;
    int force, quiet;
};

static int parse(int argc, char **argv, struct synth_opts *o)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},   {"format", required_argument, NULL, 'F'},
        {"truth", required_argument, NULL, 't'},    {"preset", required_argument, NULL, 'P'},
        {"fs", required_argument, NULL, 'r'},       {"nch", required_argument, NULL, 'n'},
        {"duration", required_argument, NULL, 'd'}, {"seed", required_argument, NULL, 's'},
        {"snr", required_argument, NULL, 'S'},      {"rate", required_argument, NULL, 'R'},
        {"burst-ms", required_argument, NULL, 'B'}, {"mains", required_argument, NULL, 'M'},
        {"force", no_argument, NULL, 'f'},          {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},           {0, 0, 0, 0}};
    const char *cmd = "synth";
    int opt;
    cli_getopt_reset();
    while ((opt = getopt_long(argc, argv, ":o:t:P:r:n:d:s:fqh", longopts, NULL)) != -1) {
        int bad = 0;
        switch (opt) {
        case 'o': o->out_path = optarg; break;
        case 'F': o->format = optarg; break;
        case 't': o->truth = optarg; break;
        case 'P': o->preset = optarg; break;
        case 'r': bad = cli_parse_double(cmd, "--fs", optarg, 500, 20000, &o->fs); break;
        case 'n': bad = cli_parse_long(cmd, "--nch", optarg, 1, 1024, &o->nch); break;
        case 'd': bad = cli_parse_double(cmd, "--duration", optarg, 0.01, 86400, &o->duration); break;
        case 's': bad = cli_parse_long(cmd, "--seed", optarg, 0, 2147483647L, &o->seed); break;
        case 'S': bad = cli_parse_pair(cmd, "--snr", optarg, -40, 80, &o->snr_lo, &o->snr_hi); break;
        case 'R': bad = cli_parse_double(cmd, "--rate", optarg, 0, 6000, &o->rate); break;
        case 'B': bad = cli_parse_pair(cmd, "--burst-ms", optarg, 2, 1000, &o->ms_lo, &o->ms_hi); break;
        case 'M': bad = cli_parse_double(cmd, "--mains", optarg, 40, 70, &o->mains); break;
        case 'f': o->force = 1; break;
        case 'q': o->quiet = 1; break;
        case 'h': cli_print_help(stdout, &help); return -1;
        default: return cli_bad_option(cmd, opt, (const char *const *)argv);
        }
        if (bad) {
            return CLI_USAGE;
        }
    }
    if (optind < argc) {
        return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
    }
    if (!o->out_path) {
        return cli_usage_error(cmd, "needs -o OUT (.edf, .bdf, .wav, .flac or .csv)");
    }
    return CLI_OK;
}

/* The generator configuration from the options. Returns 0 or -1 after a usage error. */
static int configure(const struct synth_opts *o, etw_synth_config *cfg)
{
    *cfg = etw_synth_config_default(o->fs, (size_t)o->nch, o->duration, (uint64_t)o->seed);
    if (etw_synth_config_preset(o->preset, cfg) != ETW_OK) {
        char list[256] = "";
        for (size_t i = 0; etw_synth_preset_name(i); i++) {
            strncat(list, " ", sizeof list - strlen(list) - 1);
            strncat(list, etw_synth_preset_name(i), sizeof list - strlen(list) - 1);
        }
        cli_usage_error("synth", "--preset: '%s' is not one of:%s", o->preset, list);
        return -1;
    }
    if (!isnan(o->snr_lo)) {
        cfg->twitch.snr_min_db = o->snr_lo;
    }
    if (!isnan(o->snr_hi)) {
        cfg->twitch.snr_max_db = o->snr_hi;
    }
    if (!isnan(o->ms_lo)) {
        cfg->twitch.min_duration_ms = o->ms_lo;
    }
    if (!isnan(o->ms_hi)) {
        cfg->twitch.max_duration_ms = o->ms_hi;
    }
    if (!isnan(o->rate)) {
        cfg->twitch.rate_per_min = o->rate;
    }
    cfg->powerline.mains_hz = o->mains;
    return 0;
}

int cmd_synth(int argc, char **argv)
{
    const char *cmd = "synth";
    struct synth_opts o = {.preset = "demo", .fs = 2048, .duration = 60, .snr_lo = NAN,
                           .snr_hi = NAN, .rate = NAN, .ms_lo = NAN, .ms_hi = NAN,
                           .mains = 50, .nch = 2, .seed = 1};
    int rc = parse(argc, argv, &o);
    if (rc != CLI_OK) {
        return rc < 0 ? CLI_OK : rc;
    }
    enum cli_format fmt;
    etw_synth_config cfg;
    if (cli_choose_format(cmd, o.out_path, o.format, CLI_SIGNAL_FORMATS, CLI_FMT_NONE, &fmt) ||
        configure(&o, &cfg) != 0) {
        return CLI_USAGE;
    }
    char truth[4096];
    if (o.truth) {
        snprintf(truth, sizeof truth, "%s", o.truth);
    } else if (strcmp(o.out_path, "-") == 0) {
        truth[0] = '\0';
    } else {
        const char *dot = strrchr(o.out_path, '.'), *slash = strrchr(o.out_path, '/');
        int stem = dot && (!slash || dot > slash) ? (int)(dot - o.out_path)
                                                  : (int)strlen(o.out_path);
        snprintf(truth, sizeof truth, "%.*s_truth.tsv", stem, o.out_path);
    }
    if (cli_check_clobber(cmd, o.out_path, o.force) != 0 ||
        (truth[0] && cli_check_clobber(cmd, truth, o.force) != 0)) {
        return CLI_FAILED;
    }
    etw_synth *s = NULL;
    etw_status st = etw_synth_create(&cfg, &s);
    if (st != ETW_OK) {
        return cli_usage_error(cmd, "these settings are out of range for the generator: %s",
                               etw_strerror(st));
    }
    rc = write_signal(cmd, o.out_path, fmt, o.force, s, &cfg);
    if (rc == CLI_OK && truth[0]) {
        rc = write_truth(cmd, truth, o.force, s);
    }
    etw_synth_stats stats;
    if (rc == CLI_OK && !o.quiet && etw_synth_get_stats(s, &stats) == ETW_OK) {
        fprintf(stderr, "emgtwitch synth: %s: %zu channel%s, %.1f s at %g Hz, preset %s, seed "
                "%ld: %zu twitches (%zu requested), %zu stimuli, %zu ECG beats, %zu "
                "contractions, %zu motion artifacts, %zu spikes%s%s\n",
                o.out_path, cfg.nch, cfg.nch == 1 ? "" : "s", cfg.duration_s, cfg.fs_hz,
                o.preset, o.seed, stats.count[ETW_SYNTH_TWITCH], stats.twitches_requested,
                stats.nmarkers, stats.count[ETW_SYNTH_ECG], stats.count[ETW_SYNTH_CONTRACTION],
                stats.count[ETW_SYNTH_MOTION], stats.count[ETW_SYNTH_SPIKE],
                truth[0] ? "; truth in " : "", truth);
    }
    etw_synth_destroy(s);
    return rc;
}
