/* emgtwitch detect FILE...: twitch events of one or many recordings (files or folders,
 * processed in parallel threads, each streamed in constant memory) as one BIDS-style events
 * table, with a summary on stderr. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_args.h"
#include "cli_io.h"
#include "cli_output.h"
#include "cli_progress.h"
#include "detect_inputs.h"
#include "detect_run.h"
#include "detect_summary.h"
#include "detect_table.h"

static void print_params(FILE *out);

static const struct cli_help help = {
    .synopsis = "emgtwitch detect [OPTIONS] FILE|FOLDER... [-o EVENTS.tsv|.csv|.json|.edf]",
    .description =
        "Finds twitch responses (short isolated bursts) and writes them as an events table:\n"
        "onset and duration in seconds, trial_type (twitch), channel(s), then the measures\n"
        "(amplitudes in the recording's unit, times in s, frequencies in Hz). Many files or\n"
        "folders give one table with a file column; they are processed in parallel, each\n"
        "streamed in constant memory. A summary (events, rate per minute, noise floor per\n"
        "channel) goes to stderr. With stimulus markers, each marker becomes a row\n"
        "(trial_type stimulus) saying whether a twitch followed and at what latency.\n"
        "EDF output (one input only) is the input signal with the twitches as EDF+\n"
        "annotations.",
    .options =
        "  -o, --output OUT       events file (default '-': TSV on stdout)\n"
        "      --format F         tsv, csv, json or edf (instead of OUT's extension)\n"
        "  -f, --force            overwrite OUT if it exists\n"
        "  -P, --preset NAME      default, or ltr (trigger-point work near the heart:\n"
        "                         30 Hz high-pass, ECG rejection)\n"
        "  -p, --param NAME=VAL   set a detector parameter (also --NAME VAL, see below)\n"
        "      --all              also report rejected bursts (trial_type rejected, with\n"
        "                         the reasons in flags)\n"
        "  -m, --markers SRC      stimulus markers: 'annotations' (EDF+/text events),\n"
        "                         'annotations:GLOB' (texts matching GLOB), an events\n"
        "                         TSV/CSV (onset column in s; rows with trial_type stimulus\n"
        "                         if it has that column, e.g. a synth truth file), or\n"
        "                         'trigger:LABEL' (rising edges of that channel)\n"
        "      --trigger-level X  trigger threshold (default half the channel's maximum)\n"
        "      --latency MIN:MAX  response window after a marker in ms (default 0:500)\n"
        "  -j, --jobs N           files processed in parallel (default: CPU count)\n"
        "  -q, --quiet            no summary on stderr\n" "  -c SPEC                short for --channels SPEC\n" CLI_READ_HELP
        "  -h, --help             this help\n",
    .examples = "  emgtwitch detect rec.edf                      # events TSV on stdout\n"
                "  emgtwitch detect rec.edf -o rec_events.tsv --preset ltr\n"
                "  emgtwitch detect -c 'EMG*' --on-db 8 --max-duration-ms 200 rec.bdf -o ev.json\n"
                "  emgtwitch detect --markers annotations --latency 0:300 needling.edf\n"
                "  emgtwitch detect --markers trigger:STIM rec.edf -o ev.csv\n"
                "  emgtwitch detect -j 4 sessions/ -o all_events.tsv\n"
                "  emgtwitch detect rec.edf -o rec_annotated.edf\n",
    .extra = print_params,
};

enum { OPT_ALL = 2000, OPT_LEVEL, OPT_LATENCY, OPT_PARAM0 = 3000 };

static void print_params(FILE *out)
{
    etw_twitch_config cfg;
    if (etw_twitch_config_default(2000.0, 1, &cfg) != ETW_OK) {
        return;
    }
    fprintf(out, "\ndetector parameters (--NAME VALUE or -p NAME=VALUE; default at 2000 Hz):\n");
    for (size_t i = 0; i < etw_twitch_param_count(); i++) {
        const etw_twitch_param *p = etw_twitch_param_info(i);
        double v = NAN;
        if (!p || etw_twitch_config_get(&cfg, p->name, &v) != ETW_OK) {
            continue;
        }
        char opt[64];
        snprintf(opt, sizeof opt, "--%s", p->name);
        for (char *c = opt; *c; c++) {
            *c = *c == '_' ? '-' : *c;
        }
        fprintf(out, "  %-24s %s [%g %s, %g..%g]\n", opt, p->help, v, p->unit, p->min_value,
                p->max_value);
    }
}

struct batch {
    const struct input_list *inputs;
    const struct detect_opts *opts;
    struct detect_result *results;
    struct cli_progress *bar;
    pthread_mutex_t lock;
    size_t next;
};

static void *worker(void *arg)
{
    struct batch *b = arg;
    for (;;) {
        pthread_mutex_lock(&b->lock);
        size_t i = b->next++;
        pthread_mutex_unlock(&b->lock);
        if (i >= b->inputs->n) {
            return NULL;
        }
        detect_run("detect", b->inputs->paths[i], b->opts, b->bar, &b->results[i]);
    }
}

/* Runs every input on `jobs` threads; results in input order. */
static void run_batch(const struct input_list *inputs, const struct detect_opts *o, long jobs,
                      struct detect_result *results)
{
    struct cli_progress bar;
    cli_progress_start(&bar, "detect", (int64_t)inputs->n * 1000);
    struct batch b = {inputs, o, results, &bar, PTHREAD_MUTEX_INITIALIZER, 0};
    size_t nthreads = (size_t)jobs < inputs->n ? (size_t)jobs : inputs->n;
    pthread_t tid[64];
    size_t started = 0;
    for (; started + 1 < nthreads && started < 64; started++) {
        if (pthread_create(&tid[started], NULL, worker, &b) != 0) {
            break;
        }
    }
    worker(&b); /* the main thread works too */
    for (size_t t = 0; t < started; t++) {
        pthread_join(tid[t], NULL);
    }
    cli_progress_end(&bar);
}

/* Parses the --markers argument. */
static int parse_markers(const char *cmd, const char *arg, struct detect_opts *o)
{
    if (strcmp(arg, "annotations") == 0) {
        o->markers = MARKERS_ANNOTATIONS;
    } else if (strncmp(arg, "annotations:", 12) == 0) {
        o->markers = MARKERS_ANNOTATIONS;
        o->marker_arg = arg + 12;
    } else if (strncmp(arg, "trigger:", 8) == 0 && arg[8]) {
        o->markers = MARKERS_TRIGGER;
        o->marker_arg = arg + 8;
    } else if (access(arg, R_OK) == 0) {
        o->markers = MARKERS_TSV;
        o->marker_arg = arg;
    } else {
        cli_usage_error(cmd, "--markers: '%s' is not 'annotations', 'trigger:LABEL' or a "
                        "readable TSV file", arg);
        return -1;
    }
    return 0;
}

/* Long options: the fixed ones plus one per detector parameter (--on-db ...). */
static struct option *build_longopts(char (**names)[64])
{
    static const struct option fixed[] = {
        {"output", required_argument, NULL, 'o'},  {"format", required_argument, NULL, 'F'},
        {"force", no_argument, NULL, 'f'},         {"preset", required_argument, NULL, 'P'},
        {"param", required_argument, NULL, 'p'},   {"all", no_argument, NULL, OPT_ALL},
        {"markers", required_argument, NULL, 'm'}, {"trigger-level", required_argument, NULL,
                                                    OPT_LEVEL},
        {"latency", required_argument, NULL, OPT_LATENCY},
        {"jobs", required_argument, NULL, 'j'},    {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},          CLI_READ_LONGOPTS};
    size_t nfixed = sizeof fixed / sizeof fixed[0], np = etw_twitch_param_count();
    struct option *opts = calloc(nfixed + np + 1, sizeof *opts);
    *names = calloc(np ? np : 1, sizeof **names);
    if (!opts || !*names) {
        free(opts);
        free(*names);
        return NULL;
    }
    memcpy(opts, fixed, sizeof fixed);
    for (size_t i = 0; i < np; i++) {
        const etw_twitch_param *p = etw_twitch_param_info(i);
        snprintf((*names)[i], 64, "%s", p ? p->name : "");
        for (char *c = (*names)[i]; *c; c++) {
            *c = *c == '_' ? '-' : *c;
        }
        opts[nfixed + i] = (struct option){(*names)[i], required_argument, NULL,
                                           OPT_PARAM0 + (int)i};
    }
    return opts;
}

struct detect_cli {
    const char *out_path, *format;
    int force, quiet;
    long jobs;
    struct detect_opts o;
    char (*assign)[160];
};

static int parse(int argc, char **argv, struct detect_cli *d, const struct option *longopts)
{
    const char *cmd = "detect";
    int opt;
    cli_getopt_reset();
    while ((opt = getopt_long(argc, argv, ":o:fP:p:m:j:qhc:", longopts, NULL)) != -1) {
        int handled = cli_read_option(cmd, opt == 'c' ? CLI_OPT_CHANNELS : opt, optarg, &d->o.in);
        if (handled < 0) {
            return CLI_USAGE;
        }
        if (handled > 0) {
            continue;
        }
        int bad = 0;
        if (opt >= OPT_PARAM0 || opt == 'p') {
            char *a = d->assign[d->o.nassignments];
            if (opt == 'p') {
                snprintf(a, 160, "%s", optarg);
            } else {
                snprintf(a, 160, "%s=%s",
                         etw_twitch_param_info((size_t)(opt - OPT_PARAM0))->name, optarg);
            }
            d->o.assignments[d->o.nassignments++] = a;
            continue;
        }
        switch (opt) {
        case 'o': d->out_path = optarg; break;
        case 'F': d->format = optarg; break;
        case 'f': d->force = 1; break;
        case 'P':
            bad = cli_parse_choice(cmd, "--preset", optarg,
                                   (const char *const[]){"default", "ltr", NULL});
            d->o.preset_ltr = bad == 1;
            bad = bad < 0;
            break;
        case OPT_ALL: d->o.report_all = 1; break;
        case 'm': bad = parse_markers(cmd, optarg, &d->o); break;
        case OPT_LEVEL:
            bad = cli_parse_double(cmd, "--trigger-level", optarg, -1e12, 1e12,
                                   &d->o.trigger_level);
            break;
        case OPT_LATENCY:
            bad = cli_parse_pair(cmd, "--latency", optarg, -1e5, 1e5, &d->o.latency_min_ms,
                                 &d->o.latency_max_ms);
            if (!bad && !(d->o.latency_max_ms >= d->o.latency_min_ms)) {
                bad = cli_usage_error(cmd, "--latency: MIN:MAX needs MAX >= MIN");
            }
            break;
        case 'j': bad = cli_parse_long(cmd, "--jobs", optarg, 1, 64, &d->jobs); break;
        case 'q': d->quiet = 1; break;
        case 'h': cli_print_help(stdout, &help); return -1;
        default: return cli_bad_option(cmd, opt, (const char *const *)argv);
        }
        if (bad) {
            return CLI_USAGE;
        }
    }
    if (optind >= argc) {
        return cli_usage_error(cmd, "needs at least one recording or folder");
    }
    return CLI_OK;
}

/* Checks the parameters once (at 2000 Hz, one channel) so typos are usage errors. */
static int check_params(const struct detect_opts *o)
{
    etw_twitch_config cfg;
    if (etw_twitch_config_default(2000.0, 1, &cfg) != ETW_OK) {
        return CLI_OK;
    }
    for (size_t i = 0; i < o->nassignments; i++) {
        etw_status st = etw_twitch_config_set(&cfg, o->assignments[i]);
        if (st == ETW_ERR_NOT_FOUND || st == ETW_ERR_FORMAT || st == ETW_ERR_RANGE ||
            st == ETW_ERR_NONFINITE) {
            return cli_usage_error("detect", "detector parameter '%s': %s", o->assignments[i],
                                   etw_strerror(st));
        }
    }
    return CLI_OK;
}

static int detect_main(int argc, char **argv, struct detect_cli *d)
{
    const char *cmd = "detect";
    enum cli_format fmt;
    unsigned allowed = CLI_FMT_BIT(CLI_FMT_TSV) | CLI_FMT_BIT(CLI_FMT_CSV) |
                       CLI_FMT_BIT(CLI_FMT_JSON) | CLI_FMT_BIT(CLI_FMT_EDF) |
                       CLI_FMT_BIT(CLI_FMT_BDF);
    if (cli_choose_format(cmd, d->out_path, d->format, allowed, CLI_FMT_TSV, &fmt) != 0 ||
        check_params(&d->o) != CLI_OK) {
        return CLI_USAGE;
    }
    struct input_list inputs = {0};
    for (int i = optind; i < argc; i++) {
        if (inputs_add(cmd, argv[i], &inputs) != 0) {
            inputs_free(&inputs);
            return CLI_FAILED;
        }
    }
    int annotated = fmt == CLI_FMT_EDF || fmt == CLI_FMT_BDF;
    if (annotated && inputs.n != 1) {
        inputs_free(&inputs);
        return cli_usage_error(cmd, "EDF/BDF output takes exactly one input recording");
    }
    if (cli_check_clobber(cmd, d->out_path, d->force) != 0) {
        inputs_free(&inputs);
        return CLI_FAILED;
    }
    struct detect_result *res = calloc(inputs.n, sizeof *res);
    if (!res) {
        inputs_free(&inputs);
        return cli_fail(cmd, NULL, "out of memory");
    }
    long jobs = d->jobs > 0 ? d->jobs : sysconf(_SC_NPROCESSORS_ONLN);
    run_batch(&inputs, &d->o, jobs > 0 ? jobs : 1, res);
    size_t nok = 0;
    for (size_t i = 0; i < inputs.n; i++) {
        nok += res[i].status == CLI_OK;
    }
    int rc = nok == inputs.n ? CLI_OK : CLI_FAILED;
    if (nok > 0) {
        int wrote = annotated ? detect_write_annotated(cmd, d->out_path, fmt, d->force,
                                                       &d->o, &res[0])
                              : detect_table_write(cmd, d->out_path, fmt, d->force, res,
                                                   inputs.n, inputs.n > 1);
        rc = wrote == 0 ? rc : CLI_FAILED;
    }
    if (!d->quiet) {
        detect_summary(stderr, res, inputs.n);
    }
    for (size_t i = 0; i < inputs.n; i++) {
        detect_result_free(&res[i]);
    }
    free(res);
    inputs_free(&inputs);
    return rc;
}

int cmd_detect(int argc, char **argv)
{
    char(*names)[64] = NULL;
    struct option *longopts = build_longopts(&names);
    struct detect_cli d = {.out_path = "-"};
    cli_read_options_default(&d.o.in);
    d.o.trigger_level = NAN;
    d.o.latency_min_ms = 0.0;
    d.o.latency_max_ms = 500.0;
    d.o.assignments = calloc((size_t)argc + 1, sizeof *d.o.assignments);
    d.assign = calloc((size_t)argc + 1, sizeof *d.assign);
    int rc;
    if (!longopts || !d.o.assignments || !d.assign) {
        rc = cli_fail("detect", NULL, "out of memory");
    } else {
        rc = parse(argc, argv, &d, longopts);
        rc = rc < 0 ? CLI_OK : rc == CLI_OK ? detect_main(argc, argv, &d) : rc;
    }
    free(longopts);
    free(names);
    free(d.o.assignments);
    free(d.assign);
    return rc;
}
