/* emgtwitch plot FILE -o OUT.png|svg|pdf: per channel, the raw signal, the conditioned signal
 * and its envelope over a time range, drawn with cairo. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_args.h"
#include "cli_condition.h"
#include "cli_io.h"
#include "cli_output.h"
#include "cli_signal.h"
#include "detect_run.h"
#include "emgtwitch/emgtwitch.h"
#include "emgtwitch/envelope.h"
#include "emgtwitch/segment.h"
#include "emgtwitch/twitch.h"
#include "plot.h"
#include "plot_scale.h"

static const struct cli_help help = {
    .synopsis = "emgtwitch plot [OPTIONS] FILE -o OUT.png|OUT.svg|OUT.pdf",
    .description =
        "Draws, for each selected channel, the raw signal, the conditioned signal (band-pass\n"
        "and notch as in `emgtwitch filter`; by default the detector's band) and its\n"
        "moving-RMS envelope with the noise floor and the detector's on/off thresholds, over\n"
        "a time range. The twitches `emgtwitch detect` finds in that range (same preset and\n"
        "parameters) are shaded and numbered from the start of the range (the numbers of the\n"
        "events table when the range starts at 0). Annotations (stimulus markers) are dashed\n"
        "lines with a triangle over the raw signal.",
    .options = "  -o, --output OUT       the figure: .png, .svg or .pdf ('-' = stdout)\n"
               "      --format F         png, svg or pdf (instead of OUT's extension)\n"
               "  -W, --width PX         width in pixels (default 1400)\n"
               "  -H, --height PX        height in pixels (default 110 + 290 per channel)\n"
               "  -s, --start S          first second to draw (default 0)\n"
               "  -e, --end S            last second to draw (default: the end)\n"
               "      --rms-ms MS        envelope window in ms (default: the detector's, 5)\n"
               "  -P, --preset NAME      detector preset: default or ltr\n"
               "  -p, --param NAME=VAL   detector parameter (see emgtwitch detect --help)\n"
               "      --no-detect        do not run the detector\n"
               "  -t, --title TEXT       figure title (default: the file name)\n"
               "  -f, --force            overwrite OUT if it exists\n" CLI_CONDITION_HELP
                   "  -c SPEC                short for --channels SPEC\n" CLI_READ_HELP "  -h, --help             this help\n",
    .examples = "  emgtwitch plot rec.edf -o rec.png\n"
                "  emgtwitch plot rec.edf -c EMG1,EMG2 --start 10 --end 20 -o part.svg\n"
                "  emgtwitch plot --fs 1000 --comb 50 emg.txt -o emg.pdf --width 1000\n",
};

static const size_t plot_max_bytes = (size_t)1 << 30;

struct plot_opts {
    const char *out_path, *format, *title;
    long width, height;
    double start_s, end_s, rms_ms;
    int force, detect, cond_set;
    struct cli_condition cond;
    struct detect_opts det; /* its `in` holds the input options */
};

/* What the detector found in the plotted range. */
struct overlay {
    etw_twitch_event *events;
    size_t nevents;
    double on_db, off_db; /* thresholds over the floor */
    int have_thresholds;
};

/* Conditions `b` in place (steady-state start, so no start transient). */
static int condition(const char *cmd, const char *file, const struct cli_condition *cond,
                     double fs, struct cli_block *b, char *desc, size_t desc_size)
{
    etw_sos sos[CLI_CONDITION_MAX_SECTIONS];
    size_t nsec = 0;
    if (cli_condition_design(cmd, file, cond, fs, sos, &nsec, desc, desc_size) != 0) {
        return -1;
    }
    if (nsec == 0 || b->n == 0) {
        return 0;
    }
    etw_status st;
    if (cond->zero_phase) {
        st = etw_sosfiltfilt(sos, nsec, (const float *const *)b->ch, b->ch, b->nch, b->n);
    } else {
        etw_cascade *cas = NULL;
        st = etw_cascade_create(sos, nsec, b->nch, &cas);
        float *x0 = malloc(b->nch * sizeof *x0);
        if (st == ETW_OK && !x0) {
            st = ETW_ERR_NOMEM;
        }
        for (size_t c = 0; st == ETW_OK && c < b->nch; c++) {
            x0[c] = isfinite(b->ch[c][0]) ? b->ch[c][0] : 0.0f;
        }
        if (st == ETW_OK) {
            st = etw_cascade_set_steady_state(cas, x0);
        }
        if (st == ETW_OK) {
            st = etw_cascade_process(cas, (const float *const *)b->ch, b->ch, b->n);
        }
        free(x0);
        etw_cascade_destroy(cas);
    }
    if (st != ETW_OK) {
        cli_fail(cmd, file, "filtering failed: %s", etw_strerror(st));
        return -1;
    }
    return 0;
}

/* Runs the detector over the plotted range (the raw signal, as `detect` reads it). */
static int detect_range(const char *cmd, const char *file, const struct cli_block *raw,
                        const etw_twitch_config *cfg, struct overlay *ov)
{
    ov->on_db = cfg->on_db;
    ov->off_db = cfg->off_db;
    ov->have_thresholds = 1;
    size_t cap = 64, found = 0;
    for (;;) {
        etw_twitch_event *e = realloc(ov->events, cap * sizeof *e);
        if (!e) {
            cli_fail(cmd, file, "out of memory");
            return -1;
        }
        ov->events = e;
        etw_status st = etw_twitch_detect(cfg, (const float *const *)raw->ch, raw->n, e, cap,
                                          &found);
        if (st == ETW_OK) {
            ov->nevents = found;
            return 0;
        }
        if (st != ETW_ERR_CAPACITY) {
            cli_fail(cmd, file, "detection failed: %s", etw_strerror(st));
            return -1;
        }
        cap = found;
    }
}

/* Noise floor of one channel's envelope: the median of its quietest tenth (NaN if none). */
static double floor_level(const float *env, size_t n, double fs)
{
    etw_floor_estimate est;
    return etw_floor_auto(env, n, fs, 250.0, 10.0, &est) == ETW_OK ? est.level : NAN;
}

/* Storage of one channel's panels. */
struct channel_panels {
    struct plot_panel panel[3];
    struct plot_trace trace[3];
    struct plot_level level[3];
    char title[3][ETW_LABEL_MAX + 96];
    char unit[ETW_UNIT_MAX];
};

static void build_channel(struct channel_panels *cp, const etw_reader *r, size_t c,
                          const struct cli_block *const src[3], double t0, double fs,
                          double env_delay_s, const char *const names[3],
                          const struct overlay *ov, const struct plot_span *spans,
                          size_t nspans)
{
    static const char *const what[3] = {"raw", "conditioned", "envelope"};
    static const struct plot_rgb colour[3] = {
        {0.45, 0.45, 0.45}, {0.10, 0.30, 0.70}, {0.85, 0.40, 0.00}};
    static const double weight[3] = {0.7, 1.0, 0.9};
    char label[ETW_LABEL_MAX];
    cli_selected_channel(r, c, label, cp->unit);
    for (int k = 0; k < 3; k++) {
        struct plot_trace *tr = &cp->trace[k];
        *tr = (struct plot_trace){.y = src[k]->ch[c], .n = src[k]->n, .fs_hz = fs,
                                  .t0_s = t0 - (k == 2 ? env_delay_s : 0.0),
                                  .color = colour[k], .line_width = k == 2 ? 1.3 : 1.0,
                                  .name = names[k]};
        snprintf(cp->title[k], sizeof cp->title[k], "%s  %s", label, what[k]);
        cp->panel[k] = (struct plot_panel){.title = cp->title[k], .unit = cp->unit,
                                           .traces = tr, .ntraces = 1, .spans = spans,
                                           .nspans = nspans, .number_spans = k == 1,
                                           .weight = weight[k], .group_start = k == 0,
                                           .y_from_zero = k == 2};
    }
    /* noise floor and thresholds over the envelope; the axis stops at 8x the on threshold
     * so they stay readable next to contractions (taller peaks are clipped) */
    double fl = floor_level(src[2]->ch[c], src[2]->n, fs);
    size_t nl = 0;
    if (isfinite(fl) && fl > 0) {
        char floor_text[32];
        plot_format_value(fl, cp->unit, floor_text, sizeof floor_text);
        snprintf(cp->title[2], sizeof cp->title[2], "%s  envelope, noise floor %s", label,
                 floor_text);
        cp->level[nl++] = (struct plot_level){fl, {0.15, 0.55, 0.15}, 1, "noise floor"};
        if (ov->have_thresholds) {
            double off = fl * pow(10.0, ov->off_db / 20.0), on = fl * pow(10.0, ov->on_db / 20.0);
            cp->level[nl++] = (struct plot_level){off, {0.55, 0.35, 0.75}, 1, "off threshold"};
            cp->level[nl++] = (struct plot_level){on, {0.80, 0.10, 0.10}, 1, "on threshold"};
            cp->panel[2].y_limit = 8.0 * on;
        }
    }
    cp->panel[2].levels = cp->level;
    cp->panel[2].nlevels = nl;
}

/* Onsets (s) of the recording's annotations inside [t0, t1], or NULL. */
static double *annotation_times(const etw_reader *r, double t0, double t1, size_t *n)
{
    etw_recording_info info;
    *n = 0;
    if (etw_reader_info(r, &info) != ETW_OK || info.nannotations == 0) {
        return NULL;
    }
    double *t = malloc(info.nannotations * sizeof *t);
    for (size_t i = 0; t && i < info.nannotations; i++) {
        etw_annotation a;
        if (etw_reader_annotation(r, i, &a) == ETW_OK && a.onset_s >= t0 && a.onset_s <= t1) {
            t[(*n)++] = a.onset_s;
        }
    }
    return t;
}

static int draw(const char *cmd, const char *file, etw_reader *r, const struct plot_opts *o,
                const struct cli_block *const src[3], double t0, double fs, double env_delay_s,
                const char *design, const struct overlay *ov, enum cli_format fmt)
{
    size_t nch = src[0]->nch;
    struct channel_panels *cp = calloc(nch, sizeof *cp);
    struct plot_panel *panels = calloc(3 * nch, sizeof *panels);
    struct plot_span *spans = calloc(nch * (ov->nevents + 1), sizeof *spans);
    if (!cp || !panels || !spans) {
        free(cp);
        free(panels);
        free(spans);
        return cli_fail(cmd, file, "out of memory");
    }
    char envname[48];
    snprintf(envname, sizeof envname, "RMS %g ms", o->rms_ms);
    const char *const names[3] = {"raw", design, envname};
    for (size_t c = 0; c < nch; c++) {
        struct plot_span *sp = spans + c * (ov->nevents + 1);
        size_t ns = 0;
        for (size_t i = 0; i < ov->nevents; i++) {
            const etw_twitch_event *e = &ov->events[i];
            if (c < ETW_TWITCH_MAX_CHANNELS && (e->channel_mask[c / 64] >> (c % 64) & 1u)) {
                sp[ns++] = (struct plot_span){t0 + e->onset_s, t0 + e->offset_s, (int)i + 1};
            }
        }
        build_channel(&cp[c], r, c, src, t0, fs, env_delay_s, names, ov, sp, ns);
        memcpy(&panels[3 * c], cp[c].panel, sizeof cp[c].panel);
    }
    size_t nmarks = 0;
    double t_end = t0 + (double)(src[0]->n > 1 ? src[0]->n - 1 : 1) / fs;
    double *marks = annotation_times(r, t0, t_end, &nmarks);
    for (size_t c = 0; c < nch; c++) {
        panels[3 * c].marks = marks;
        panels[3 * c].nmarks = nmarks;
    }
    const char *slash = strrchr(file, '/');
    char title[512];
    snprintf(title, sizeof title, "%s%s", o->title ? o->title : (slash ? slash + 1 : file),
             "");
    if (!o->title && o->detect) {
        snprintf(title, sizeof title, "%s  -  %zu twitch%s", slash ? slash + 1 : file,
                 ov->nevents, ov->nevents == 1 ? "" : "es");
    }
    struct plot_figure fig = {
        .title = title,
        .t_start_s = t0,
        .t_end_s = t_end,
        .panels = panels,
        .npanels = 3 * nch,
        .width = (int)o->width,
        .height = (int)(o->height > 0 ? o->height : 110 + 290 * (long)nch),
    };
    int rc = plot_save(cmd, o->out_path, o->force, &fig, fmt) == 0 ? CLI_OK : CLI_FAILED;
    free(cp);
    free(panels);
    free(spans);
    free(marks);
    return rc;
}

static int plot_file(const char *cmd, const char *file, struct plot_opts *o,
                     enum cli_format fmt)
{
    etw_reader *r = cli_open_continuous(cmd, file, &o->det.in);
    if (!r) {
        return CLI_FAILED;
    }
    size_t nsel = 0;
    double fs = 0.0;
    int64_t total = 0;
    etw_reader_selection(r, &nsel, &fs, &total);
    int64_t first = (int64_t)llround(o->start_s * fs);
    int64_t last = isnan(o->end_s) ? total : (int64_t)llround(o->end_s * fs);
    if (first >= total || last <= first + 1) {
        etw_reader_close(r);
        return cli_fail(cmd, file, "the range %g .. %g s holds no samples (the recording "
                        "lasts %.3f s)", o->start_s, isnan(o->end_s) ? (double)total / fs
                        : o->end_s, (double)total / fs);
    }
    struct cli_block raw = {0}, cond = {0}, env = {0};
    struct overlay ov = {0};
    etw_twitch_config cfg;
    char design[256] = "", note[128];
    int rc = CLI_FAILED;
    if (o->detect && detect_configure(cmd, file, &o->det, fs, nsel, &cfg) != 0) {
        fprintf(stderr, "emgtwitch plot: %s: drawing without twitch detection\n", file);
        o->detect = 0;
    }
    if (o->detect && !o->cond_set) { /* show what the detector sees */
        o->cond.low_hz = cfg.highpass_hz;
        o->cond.high_hz = cfg.lowpass_hz;
        o->cond.order = cfg.filter_order;
        o->cond.notch_hz = cfg.mains_hz == ETW_TWITCH_MAINS_AUTO ? CLI_NOTCH_AUTO
                                                                : cfg.mains_hz;
        o->cond.comb = 1;
        o->cond.q = cfg.notch_q;
    }
    if (cli_condition_resolve(cmd, file, &o->cond, r, note, sizeof note) != 0 ||
        cli_read_range(cmd, file, r, first, last - first, plot_max_bytes, &raw) != 0 ||
        cli_block_alloc(cmd, file, raw.nch, raw.n, &cond) != 0 ||
        cli_block_alloc(cmd, file, raw.nch, raw.n, &env) != 0 ||
        (o->detect && detect_range(cmd, file, &raw, &cfg, &ov) != 0)) {
        goto done;
    }
    if (isnan(o->rms_ms)) {
        o->rms_ms = o->detect ? cfg.envelope_ms : 5.0;
    }
    for (size_t c = 0; c < raw.nch; c++) {
        memcpy(cond.ch[c], raw.ch[c], raw.n * sizeof(float));
    }
    cond.n = env.n = raw.n;
    etw_envelope_config ec = etw_envelope_config_default(ETW_ENV_RMS, fs, raw.nch);
    ec.window_ms = o->rms_ms;
    etw_envelope *e = NULL;
    if (condition(cmd, file, &o->cond, fs, &cond, design, sizeof design) != 0) {
        rc = CLI_FAILED;
    } else if (etw_envelope_create(&ec, &e) != ETW_OK ||
               etw_envelope_process(e, (const float *const *)cond.ch, env.ch, env.n) != ETW_OK) {
        rc = cli_fail(cmd, file, "cannot compute a %g ms RMS envelope at %g Hz", o->rms_ms, fs);
    } else {
        const struct cli_block *const src[3] = {&raw, &cond, &env};
        rc = draw(cmd, file, r, o, src, (double)first / fs, fs,
                  etw_envelope_get_latency(e) / fs, design, &ov, fmt);
    }
    etw_envelope_destroy(e);
done:
    free(ov.events);
    cli_block_free(&raw);
    cli_block_free(&cond);
    cli_block_free(&env);
    etw_reader_close(r);
    return rc;
}

int cmd_plot(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'}, {"format", required_argument, NULL, 'F'},
        {"width", required_argument, NULL, 'W'},  {"height", required_argument, NULL, 'H'},
        {"start", required_argument, NULL, 's'},  {"end", required_argument, NULL, 'e'},
        {"rms-ms", required_argument, NULL, 'R'}, {"title", required_argument, NULL, 't'},
        {"preset", required_argument, NULL, 'P'}, {"param", required_argument, NULL, 'p'},
        {"no-detect", no_argument, NULL, 'N'},    {"force", no_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},         CLI_CONDITION_LONGOPTS,
        CLI_READ_LONGOPTS,                       {0, 0, 0, 0}};
    const char *cmd = "plot";
    struct plot_opts o = {.width = 1400, .end_s = NAN, .rms_ms = NAN, .detect = 1};
    cli_condition_defaults(&o.cond);
    cli_read_options_default(&o.det.in);
    o.det.assignments = calloc((size_t)argc + 1, sizeof *o.det.assignments);
    if (!o.det.assignments) {
        return cli_fail(cmd, NULL, "out of memory");
    }
    cli_getopt_reset();
    int opt, rc = -1;
    while (rc < 0 && (opt = getopt_long(argc, argv, ":o:W:H:s:e:t:P:p:fhc:", longopts, NULL)) != -1) {
        int handled = cli_condition_option(cmd, opt, optarg, &o.cond);
        o.cond_set |= handled > 0;
        if (handled == 0) {
            handled = cli_read_option(cmd, opt == 'c' ? CLI_OPT_CHANNELS : opt, optarg, &o.det.in);
        }
        if (handled != 0) {
            rc = handled < 0 ? CLI_USAGE : -1;
            continue;
        }
        int bad = 0;
        switch (opt) {
        case 'o': o.out_path = optarg; break;
        case 'F': o.format = optarg; break;
        case 'W': bad = cli_parse_long(cmd, "--width", optarg, 200, 20000, &o.width); break;
        case 'H': bad = cli_parse_long(cmd, "--height", optarg, 150, 40000, &o.height); break;
        case 's': bad = cli_parse_double(cmd, "--start", optarg, 0, 1e9, &o.start_s); break;
        case 'e': bad = cli_parse_double(cmd, "--end", optarg, 0, 1e9, &o.end_s); break;
        case 'R': bad = cli_parse_double(cmd, "--rms-ms", optarg, 0.1, 10000, &o.rms_ms); break;
        case 't': o.title = optarg; break;
        case 'P':
            bad = cli_parse_choice(cmd, "--preset", optarg,
                                   (const char *const[]){"default", "ltr", NULL});
            o.det.preset_ltr = bad == 1;
            bad = bad < 0;
            break;
        case 'p': o.det.assignments[o.det.nassignments++] = optarg; break;
        case 'N': o.detect = 0; break;
        case 'f': o.force = 1; break;
        case 'h': cli_print_help(stdout, &help); rc = CLI_OK; break;
        default: rc = cli_bad_option(cmd, opt, (const char *const *)argv); break;
        }
        rc = bad ? CLI_USAGE : rc;
    }
    if (rc < 0 && argc - optind != 1) {
        rc = cli_usage_error(cmd, "needs exactly one input file");
    }
    if (rc < 0 && !o.out_path) {
        rc = cli_usage_error(cmd, "needs -o OUT.png (or .svg, .pdf)");
    }
    if (rc < 0 && !isnan(o.end_s) && o.end_s <= o.start_s) {
        rc = cli_usage_error(cmd, "--end %g must be after --start %g", o.end_s, o.start_s);
    }
    enum cli_format fmt;
    unsigned allowed = CLI_FMT_BIT(CLI_FMT_PNG) | CLI_FMT_BIT(CLI_FMT_SVG) |
                       CLI_FMT_BIT(CLI_FMT_PDF);
    if (rc < 0 && cli_choose_format(cmd, o.out_path, o.format, allowed, CLI_FMT_NONE, &fmt)) {
        rc = CLI_USAGE;
    }
    if (rc < 0) {
        rc = plot_file(cmd, argv[optind], &o, fmt);
    }
    free(o.det.assignments);
    return rc;
}
