/* Signal-to-signal conversion for `filter` and `envelope` (see signal_convert.h). */
#include "signal_convert.h"

#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "cli_args.h"
#include "cli_io.h"
#include "cli_signal.h"

static const size_t zero_phase_max_bytes = (size_t)2 << 30;

/* Zero-phase: the selected channels in memory, filtered forward and backward (then the
 * envelope, if any). */
static int convert_offline(const char *cmd, const char *in_path, etw_reader *r,
                           const etw_sos *sos, size_t nsec, const etw_envelope_config *env,
                           etw_signal_writer *w, const char *out_path)
{
    int64_t total = 0;
    etw_reader_selection(r, NULL, NULL, &total);
    struct cli_block b;
    if (cli_read_range(cmd, in_path, r, 0, total, zero_phase_max_bytes, &b) != 0) {
        return CLI_FAILED;
    }
    int rc = CLI_OK;
    etw_status st = nsec ? etw_sosfiltfilt(sos, nsec, (const float *const *)b.ch, b.ch, b.nch,
                                           b.n)
                         : ETW_OK;
    if (st == ETW_OK && env) {
        st = etw_envelope_compute(env, (const float *const *)b.ch, b.ch, b.n);
    }
    if (st != ETW_OK) {
        rc = cli_fail(cmd, in_path, "zero-phase filtering of %zu frames failed: %s", b.n,
                      etw_strerror(st));
    } else if ((st = etw_signal_writer_write(w, (const float *const *)b.ch, b.n)) != ETW_OK) {
        rc = cli_fail(cmd, out_path, "%s: %s", etw_strerror(st), etw_signal_writer_error(w));
    }
    cli_block_free(&b);
    return rc;
}

int signal_convert(const char *cmd, const char *in_path, etw_reader *r,
                   const struct cli_condition *cond, const etw_envelope_config *env_cfg,
                   const char *out_path, enum cli_format fmt, int force, int quiet)
{
    size_t nsel = 0, nsec = 0;
    double fs = 0.0;
    int64_t total = 0;
    etw_reader_selection(r, &nsel, &fs, &total);
    etw_sos sos[CLI_CONDITION_MAX_SECTIONS];
    char design[256], note[128];
    struct cli_condition resolved = *cond;
    cond = &resolved;
    if (cli_condition_resolve(cmd, in_path, &resolved, r, note, sizeof note) != 0 ||
        cli_condition_design(cmd, in_path, cond, fs, sos, &nsec, design, sizeof design) != 0) {
        return CLI_FAILED;
    }
    etw_envelope_config ec;
    if (env_cfg) {
        ec = *env_cfg;
        ec.fs_hz = fs;
        ec.nch = nsel;
    }
    etw_cascade *cas = NULL;
    etw_envelope *env = NULL;
    if (nsec && !cond->zero_phase && etw_cascade_create(sos, nsec, nsel, &cas) != ETW_OK) {
        return cli_fail(cmd, in_path, "cannot create the filter for %zu channels", nsel);
    }
    etw_status est = env_cfg && !cond->zero_phase ? etw_envelope_create(&ec, &env) : ETW_OK;
    if (est != ETW_OK) {
        etw_cascade_destroy(cas);
        return cli_fail(cmd, in_path, "envelope at %g Hz: %s", fs, etw_strerror(est));
    }
    /* the filtered signal is centred: its range is at most the input's magnitude range (TKEO
     * is a squared amplitude) */
    double range = cli_signal_range(r);
    range = env_cfg && env_cfg->kind == ETW_ENV_TKEO ? range * range : range;
    struct cli_writer w;
    int rc = cli_signal_writer_open(cmd, out_path, r, fmt, range, force, &w) == 0 ? CLI_OK
                                                                                 : CLI_FAILED;
    if (rc == CLI_OK) {
        rc = cond->zero_phase ? convert_offline(cmd, in_path, r, sos, nsec,
                                                env_cfg ? &ec : NULL, w.signal, out_path)
                              : cli_signal_stream(cmd, in_path, r, cas, env, w.signal, out_path);
        if (rc == CLI_OK && cli_signal_copy_annotations(cmd, out_path, r, w.signal) != 0) {
            rc = CLI_FAILED;
        }
        if (rc == CLI_OK) {
            rc = cli_writer_close(cmd, &w, ETW_OK);
        } else {
            cli_writer_abandon(cmd, &w);
        }
    }
    etw_cascade_destroy(cas);
    etw_envelope_destroy(env);
    if (rc == CLI_OK && !quiet) {
        fprintf(stderr, "emgtwitch %s: %s -> %s: %zu channel%s, %lld frames at %g Hz, %s%s\n",
                cmd, in_path, out_path, nsel, nsel == 1 ? "" : "s", (long long)total, fs, design,
                env_cfg ? ", then the envelope" : "");
        if (note[0]) {
            fprintf(stderr, "  %s\n", note);
        }
    }
    return rc;
}

int signal_convert_main(const char *cmd, int argc, char **argv, const struct cli_help *help,
                        int envelope)
{
    static const struct option longopts[] = {
        {"kind", required_argument, NULL, 'k'},   {"window-ms", required_argument, NULL, 'w'},
        {"output", required_argument, NULL, 'o'}, {"format", required_argument, NULL, 'F'},
        {"force", no_argument, NULL, 'f'},        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},         CLI_CONDITION_LONGOPTS,
        CLI_READ_LONGOPTS,                       {0, 0, 0, 0}};
    static const char *const kinds[] = {"rectify", "arv", "rms", "tkeo", NULL};
    static const etw_envelope_kind kind_of[] = {ETW_ENV_RECTIFY, ETW_ENV_ARV, ETW_ENV_RMS,
                                                ETW_ENV_TKEO};
    const char *out_path = NULL, *format = NULL;
    int force = 0, quiet = 0, opt, kind = 2;
    double window_ms = 50.0;
    struct cli_condition cond;
    cli_read_options in;
    cli_condition_defaults(&cond);
    cli_read_options_default(&in);
    cli_getopt_reset();
    while ((opt = getopt_long(argc, argv, ":k:w:o:fqhc:", longopts, NULL)) != -1) {
        if (!envelope && (opt == 'k' || opt == 'w')) {
            return cli_bad_option(cmd, '?', (const char *const *)argv);
        }
        int handled = cli_condition_option(cmd, opt, optarg, &cond);
        if (handled == 0) {
            handled = cli_read_option(cmd, opt == 'c' ? CLI_OPT_CHANNELS : opt, optarg, &in);
        }
        if (handled < 0) {
            return CLI_USAGE;
        }
        if (handled > 0) {
            continue;
        }
        switch (opt) {
        case 'k':
            if ((kind = cli_parse_choice(cmd, "--kind", optarg, kinds)) < 0) {
                return CLI_USAGE;
            }
            break;
        case 'w':
            if (cli_parse_double(cmd, "--window-ms", optarg, 0.01, 1e6, &window_ms) != 0) {
                return CLI_USAGE;
            }
            break;
        case 'o': out_path = optarg; break;
        case 'F': format = optarg; break;
        case 'f': force = 1; break;
        case 'q': quiet = 1; break;
        case 'h': cli_print_help(stdout, help); return CLI_OK;
        default: return cli_bad_option(cmd, opt, (const char *const *)argv);
        }
    }
    int nargs = argc - optind;
    if (nargs < 1 || nargs > 2 || (nargs == 2) == (out_path != NULL)) {
        return cli_usage_error(cmd, "needs one input and one output (IN OUT or IN -o OUT)");
    }
    const char *in_path = argv[optind];
    out_path = out_path ? out_path : argv[optind + 1];
    enum cli_format fmt;
    if (cli_choose_format(cmd, out_path, format, CLI_SIGNAL_FORMATS, CLI_FMT_NONE, &fmt) != 0) {
        return CLI_USAGE;
    }
    if (cli_check_clobber(cmd, out_path, force) != 0) {
        return CLI_FAILED;
    }
    etw_reader *reader = cli_open_continuous(cmd, in_path, &in);
    if (!reader) {
        return CLI_FAILED;
    }
    etw_envelope_config ec = etw_envelope_config_default(kind_of[kind], 1000.0, 1);
    ec.window_ms = window_ms;
    int rc = signal_convert(cmd, in_path, reader, &cond, envelope ? &ec : NULL, out_path, fmt,
                            force, quiet);
    etw_reader_close(reader);
    return rc;
}
