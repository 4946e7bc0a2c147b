/* emgtwitch psd FILE: Welch power spectral density of each selected channel, as a table or a
 * figure, with mean/median/peak frequency, band power and the powerline decision on stderr. */
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
#include "emgtwitch/spectrum.h"
#include "plot.h"

static const struct cli_help help = {
    .synopsis = "emgtwitch psd [OPTIONS] FILE [-o OUT.tsv|.csv|.json|.png|.svg|.pdf]",
    .description =
        "Welch power spectral density of each selected channel (Hann window, half overlap,\n"
        "mean removed per segment; as scipy.signal.welch), in unit^2/Hz. A table (freq_hz,\n"
        "then one column per channel) or a figure in dB. On stderr: per channel the mean,\n"
        "median and peak frequency and the power in --band, and whether 50 or 60 Hz\n"
        "powerline interference is present.",
    .options = "  -o, --output OUT       table or figure (default '-': TSV on stdout)\n"
               "      --format F         tsv, csv, json, png, svg or pdf\n"
               "  -r, --resolution HZ    frequency resolution (default 1 Hz: nperseg = fs/HZ)\n"
               "      --nperseg N        segment length in samples (instead of --resolution)\n"
               "  -b, --band LOW:HIGH    band of the features in Hz (default 20:450, capped at\n"
               "                         fs/2)\n"
               "  -s, --start S, -e, --end S   time range in seconds (default: all)\n"
               "  -W, --width PX, -H, --height PX   figure size (default 1000 x 250/channel)\n"
               "  -f, --force            overwrite OUT if it exists\n"
               "  -q, --quiet            no summary on stderr\n" "  -c SPEC                short for --channels SPEC\n" CLI_READ_HELP
               "  -h, --help             this help\n",
    .examples = "  emgtwitch psd rec.edf -o rec_psd.tsv\n"
                "  emgtwitch psd rec.edf -o rec_psd.png --resolution 0.5\n"
                "  emgtwitch psd --fs 1000 emg.txt --band 20:250 -q | head\n",
};

static const size_t psd_max_bytes = (size_t)1 << 30;

struct psd_opts {
    const char *out_path, *format;
    double resolution, band_lo, band_hi, start_s, end_s;
    long nperseg, width, height;
    int force, quiet;
    cli_read_options in;
};

/* Features and powerline decision of every channel on stderr. */
static void summary(const char *file, const etw_reader *r, const struct cli_block *b,
                    const double *freqs, double *const *psd, size_t nfreq, double fs,
                    const struct psd_opts *o)
{
    double hi = o->band_hi < 0.5 * fs ? o->band_hi : 0.5 * fs;
    for (size_t c = 0; c < b->nch; c++) {
        char label[ETW_LABEL_MAX], unit[ETW_UNIT_MAX];
        cli_selected_channel(r, c, label, unit);
        etw_spectral_features feat;
        etw_powerline pl;
        fprintf(stderr, "emgtwitch psd: %s: %s:", file, label);
        if (etw_spectral_features_compute(freqs, psd[c], nfreq, o->band_lo, hi, &feat) ==
            ETW_OK) {
            fprintf(stderr, " mean %.1f Hz, median %.1f Hz, peak %.1f Hz, power %.3g %s^2 in "
                    "%g-%g Hz;", feat.mean_hz, feat.median_hz, feat.peak_hz, feat.band_power,
                    unit[0] ? unit : "unit", o->band_lo, hi);
        }
        if (etw_powerline_detect(b->ch[c], b->n, fs, 10.0, &pl) == ETW_OK) {
            if (pl.mains_hz > 0) {
                fprintf(stderr, " powerline %g Hz (%.1f dB over the neighbouring spectrum)",
                        pl.mains_hz, pl.mains_hz == 50 ? pl.score50_db : pl.score60_db);
            } else {
                fprintf(stderr, " no powerline interference (50 Hz %.1f dB, 60 Hz %.1f dB)",
                        pl.score50_db, pl.score60_db);
            }
        }
        fputc('\n', stderr);
    }
}

static int write_table(const char *cmd, const etw_reader *r, const struct psd_opts *o,
                       enum cli_format fmt, const double *freqs, double *const *psd,
                       size_t nfreq, size_t nch)
{
    char(*labels)[ETW_LABEL_MAX] = calloc(nch, sizeof *labels);
    const char **cols = calloc(nch + 1, sizeof *cols);
    etw_cell *row = calloc(nch + 1, sizeof *row);
    if (!labels || !cols || !row) {
        free(labels);
        free(cols);
        free(row);
        return cli_fail(cmd, o->out_path, "out of memory");
    }
    cols[0] = "freq_hz";
    char unit[ETW_UNIT_MAX];
    for (size_t c = 0; c < nch; c++) {
        cli_selected_channel(r, c, labels[c], unit);
        cols[c + 1] = labels[c];
    }
    int rc = CLI_FAILED;
    struct cli_writer w;
    if (cli_table_open(cmd, o->out_path, fmt, cols, nch + 1, o->force, &w) == 0) {
        etw_status st = etw_table_writer_param(w.table, "psd_unit",
                                               etw_cell_text(unit[0] ? unit : "unit"));
        for (size_t k = 0; st == ETW_OK && k < nfreq; k++) {
            row[0] = etw_cell_number(freqs[k]);
            for (size_t c = 0; c < nch; c++) {
                row[c + 1] = etw_cell_number(psd[c][k]);
            }
            st = etw_table_writer_row(w.table, row);
        }
        rc = cli_writer_close(cmd, &w, st);
    }
    free(labels);
    free(cols);
    free(row);
    return rc;
}

static int draw(const char *cmd, const char *file, const etw_reader *r,
                const struct psd_opts *o, enum cli_format fmt, const double *freqs,
                double *const *psd, size_t nfreq, size_t nch)
{
    struct plot_panel *panels = calloc(nch, sizeof *panels);
    struct plot_trace *traces = calloc(nch, sizeof *traces);
    float *db = malloc(nch * nfreq * sizeof *db);
    char(*titles)[ETW_LABEL_MAX + 48] = calloc(nch, sizeof *titles);
    if (!panels || !traces || !db || !titles) {
        free(panels);
        free(traces);
        free(db);
        free(titles);
        return cli_fail(cmd, file, "out of memory");
    }
    for (size_t c = 0; c < nch; c++) {
        char label[ETW_LABEL_MAX], unit[ETW_UNIT_MAX];
        cli_selected_channel(r, c, label, unit);
        for (size_t k = 0; k < nfreq; k++) {
            db[c * nfreq + k] = psd[c][k] > 0 ? (float)(10.0 * log10(psd[c][k])) : NAN;
        }
        snprintf(titles[c], sizeof titles[c], "%s  PSD, dB re 1 %s\xc2\xb2/Hz", label,
                 unit[0] ? unit : "unit");
        traces[c] = (struct plot_trace){.y = db + c * nfreq, .n = nfreq, .t0_s = freqs[0],
                                        .fs_hz = 1.0 / (freqs[1] - freqs[0]),
                                        .color = {0.10, 0.30, 0.70}, .line_width = 1.2};
        panels[c] = (struct plot_panel){.title = titles[c], .unit = "dB", .traces = &traces[c],
                                        .ntraces = 1, .weight = 1.0, .group_start = 1};
    }
    const char *slash = strrchr(file, '/');
    struct plot_figure fig = {.title = slash ? slash + 1 : file, .x_label = "frequency (Hz)",
                              .t_start_s = freqs[0], .t_end_s = freqs[nfreq - 1],
                              .panels = panels, .npanels = nch, .width = (int)o->width,
                              .height = (int)(o->height > 0 ? o->height
                                                            : 90 + 250 * (long)nch)};
    int rc = plot_save(cmd, o->out_path, o->force, &fig, fmt) == 0 ? CLI_OK : CLI_FAILED;
    free(panels);
    free(traces);
    free(db);
    free(titles);
    return rc;
}

/* Welch PSD of the samples x = frames [first, first + n) of the selection without crossing a
 * gap (EDF+D): each segment's Welch PSD weighted by its window count, i.e. the mean over all
 * the windows that lie inside one segment. ETW_ERR_RANGE when no segment holds a window. */
static etw_status psd_segments(etw_welch *w, const etw_welch_config *wc, const etw_reader *r,
                               const float *x, int64_t first, int64_t n, double *psd,
                               double *tmp, size_t nfreq)
{
    etw_recording_info info;
    etw_status st = etw_reader_info(r, &info);
    double windows = 0.0;
    memset(psd, 0, nfreq * sizeof *psd);
    for (size_t i = 0; st == ETW_OK && i < info.nsegments; i++) {
        struct cli_piece p;
        if (cli_piece_of(r, i, first, first + n, &p) != 0 ||
            p.hi - p.lo < (int64_t)wc->nperseg) {
            continue;
        }
        size_t len = (size_t)(p.hi - p.lo);
        double k = (double)((len - wc->nperseg) / (wc->nperseg - wc->noverlap) + 1);
        st = etw_welch_compute(w, x + (p.lo - first), len, tmp, nfreq);
        for (size_t f = 0; st == ETW_OK && f < nfreq; f++) {
            psd[f] += k * tmp[f];
        }
        windows += k;
    }
    for (size_t f = 0; st == ETW_OK && windows > 0 && f < nfreq; f++) {
        psd[f] /= windows;
    }
    return st != ETW_OK ? st : windows > 0 ? ETW_OK : ETW_ERR_RANGE;
}

static int psd_file(const char *cmd, const char *file, const struct psd_opts *o,
                    enum cli_format fmt)
{
    etw_reader *r = cli_open_selected(cmd, file, &o->in);
    if (!r) {
        return CLI_FAILED;
    }
    size_t nsel = 0;
    double fs = 0.0;
    int64_t total = 0;
    etw_reader_selection(r, &nsel, &fs, &total);
    int64_t first = (int64_t)llround(o->start_s * fs);
    int64_t last = isnan(o->end_s) ? total : (int64_t)llround(o->end_s * fs);
    etw_welch_config wc = etw_welch_config_default(fs);
    wc.nperseg = o->nperseg > 0 ? (size_t)o->nperseg : (size_t)llround(fs / o->resolution);
    wc.noverlap = wc.nperseg / 2;
    struct cli_block b = {0};
    double *freqs = NULL, **psd = NULL;
    size_t nfreq = wc.nperseg / 2 + 1;
    int rc = CLI_FAILED;
    if (wc.nperseg < 2 || last - first < (int64_t)wc.nperseg) {
        rc = cli_fail(cmd, file, "%lld samples are fewer than one segment of %zu (lower "
                      "--resolution or --nperseg)", (long long)(last - first), wc.nperseg);
    } else if (cli_read_range(cmd, file, r, first, last - first, psd_max_bytes, &b) == 0) {
        freqs = malloc(nfreq * sizeof *freqs);
        psd = calloc(nsel, sizeof *psd);
        double *tmp = malloc(nfreq * sizeof *tmp);
        etw_welch *w = NULL;
        etw_status st = freqs && psd && tmp ? etw_welch_create(&wc, &w) : ETW_ERR_NOMEM;
        if (st == ETW_OK) {
            st = etw_welch_frequencies(w, freqs, nfreq);
        }
        for (size_t c = 0; st == ETW_OK && c < nsel; c++) {
            psd[c] = malloc(nfreq * sizeof **psd);
            st = psd[c] ? psd_segments(w, &wc, r, b.ch[c], first, (int64_t)b.n, psd[c], tmp,
                                       nfreq)
                        : ETW_ERR_NOMEM;
        }
        etw_welch_destroy(w);
        free(tmp);
        if (st == ETW_ERR_RANGE) {
            rc = cli_fail(cmd, file, "no gap-free stretch of the recording holds one segment "
                          "of %zu samples (lower --resolution or --nperseg)", wc.nperseg);
        } else if (st != ETW_OK) {
            rc = cli_fail(cmd, file, "Welch PSD: %s", etw_strerror(st));
        } else {
            if (!o->quiet) {
                summary(file, r, &b, freqs, psd, nfreq, fs, o);
            }
            int figure = fmt == CLI_FMT_PNG || fmt == CLI_FMT_SVG || fmt == CLI_FMT_PDF;
            rc = figure ? draw(cmd, file, r, o, fmt, freqs, psd, nfreq, nsel)
                        : write_table(cmd, r, o, fmt, freqs, psd, nfreq, nsel);
        }
    }
    for (size_t c = 0; psd && c < nsel; c++) {
        free(psd[c]);
    }
    free(psd);
    free(freqs);
    cli_block_free(&b);
    etw_reader_close(r);
    return rc;
}

int cmd_psd(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},     {"format", required_argument, NULL, 'F'},
        {"resolution", required_argument, NULL, 'r'}, {"nperseg", required_argument, NULL, 'n'},
        {"band", required_argument, NULL, 'b'},       {"start", required_argument, NULL, 's'},
        {"end", required_argument, NULL, 'e'},        {"width", required_argument, NULL, 'W'},
        {"height", required_argument, NULL, 'H'},     {"force", no_argument, NULL, 'f'},
        {"quiet", no_argument, NULL, 'q'},            {"help", no_argument, NULL, 'h'},
        CLI_READ_LONGOPTS,                           {0, 0, 0, 0}};
    const char *cmd = "psd";
    struct psd_opts o = {.out_path = "-", .resolution = 1.0, .band_lo = 20.0,
                         .band_hi = 450.0, .end_s = NAN, .width = 1000};
    cli_read_options_default(&o.in);
    cli_getopt_reset();
    int opt;
    while ((opt = getopt_long(argc, argv, ":o:r:b:s:e:W:H:fqhc:", longopts, NULL)) != -1) {
        int handled = cli_read_option(cmd, opt == 'c' ? CLI_OPT_CHANNELS : opt, optarg, &o.in);
        if (handled != 0) {
            if (handled < 0) {
                return CLI_USAGE;
            }
            continue;
        }
        int bad = 0;
        switch (opt) {
        case 'o': o.out_path = optarg; break;
        case 'F': o.format = optarg; break;
        case 'r': bad = cli_parse_double(cmd, "--resolution", optarg, 1e-4, 1e5, &o.resolution); break;
        case 'n': bad = cli_parse_long(cmd, "--nperseg", optarg, 2, 1L << 24, &o.nperseg); break;
        case 'b':
            bad = cli_parse_pair(cmd, "--band", optarg, 0.0, 1e7, &o.band_lo, &o.band_hi);
            if (!bad && !(o.band_hi > o.band_lo)) {
                bad = cli_usage_error(cmd, "--band needs LOW < HIGH");
            }
            break;
        case 's': bad = cli_parse_double(cmd, "--start", optarg, 0, 1e9, &o.start_s); break;
        case 'e': bad = cli_parse_double(cmd, "--end", optarg, 0, 1e9, &o.end_s); break;
        case 'W': bad = cli_parse_long(cmd, "--width", optarg, 200, 20000, &o.width); break;
        case 'H': bad = cli_parse_long(cmd, "--height", optarg, 150, 40000, &o.height); break;
        case 'f': o.force = 1; break;
        case 'q': o.quiet = 1; break;
        case 'h': cli_print_help(stdout, &help); return CLI_OK;
        default: return cli_bad_option(cmd, opt, (const char *const *)argv);
        }
        if (bad) {
            return CLI_USAGE;
        }
    }
    if (argc - optind != 1) {
        return cli_usage_error(cmd, "needs exactly one input file");
    }
    enum cli_format fmt;
    unsigned allowed = CLI_FMT_BIT(CLI_FMT_TSV) | CLI_FMT_BIT(CLI_FMT_CSV) |
                       CLI_FMT_BIT(CLI_FMT_JSON) | CLI_FMT_BIT(CLI_FMT_PNG) |
                       CLI_FMT_BIT(CLI_FMT_SVG) | CLI_FMT_BIT(CLI_FMT_PDF);
    if (cli_choose_format(cmd, o.out_path, o.format, allowed, CLI_FMT_TSV, &fmt) != 0) {
        return CLI_USAGE;
    }
    if (cli_check_clobber(cmd, o.out_path, o.force) != 0) {
        return CLI_FAILED;
    }
    return psd_file(cmd, argv[optind], &o, fmt);
}
