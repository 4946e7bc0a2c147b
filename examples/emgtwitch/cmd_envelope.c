/* emgtwitch envelope IN OUT: the amplitude envelope (moving RMS, ARV, TKEO or rectified) of
 * the conditioned signal, written as a signal file. */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "cli_args.h"
#include "cli_condition.h"
#include "cli_io.h"
#include "cli_output.h"
#include "cli_signal.h"
#include "signal_convert.h"

static const struct cli_help help = {
    .synopsis = "emgtwitch envelope [OPTIONS] IN OUT",
    .description =
        "Conditions IN (band-pass 20-450 Hz by default, as `emgtwitch filter`) and writes its\n"
        "amplitude envelope to OUT (EDF+, BDF+, WAV, FLAC or CSV; '-' = stdout). The envelope\n"
        "is causal and lags the signal by half its window (TKEO: one sample); it streams in\n"
        "constant memory unless --zero-phase.",
    .options = "  -k, --kind K           rms (default), arv, tkeo or rectify\n"
               "  -w, --window-ms MS     RMS/ARV window in ms (default 50)\n"
               "  -o, --output OUT       output file (instead of the second argument)\n"
               "      --format F         output format: edf, bdf, wav, flac, csv\n"
               "  -f, --force            overwrite OUT if it exists\n"
               "  -q, --quiet            no summary on stderr\n" CLI_CONDITION_HELP "  -c SPEC                short for --channels SPEC\n" CLI_READ_HELP
               "  -h, --help             this help\n",
    .examples = "  emgtwitch envelope rec.edf rms.edf                # 50 ms moving RMS\n"
                "  emgtwitch envelope -k arv -w 100 --comb 50 rec.edf arv.csv\n"
                "  emgtwitch envelope -k tkeo --band 30:450 rec.bdf - --format csv | head\n",
};

int cmd_envelope(int argc, char **argv)
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
    const char *cmd = "envelope", *out_path = NULL, *format = NULL;
    int force = 0, quiet = 0, opt, kind = 2;
    double window_ms = 50.0;
    struct cli_condition cond;
    cli_read_options in;
    cli_condition_defaults(&cond);
    cli_read_options_default(&in);
    cli_getopt_reset();
    while ((opt = getopt_long(argc, argv, ":k:w:o:fqhc:", longopts, NULL)) != -1) {
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
        case 'h': cli_print_help(stdout, &help); return CLI_OK;
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
    etw_reader *reader = cli_open_selected(cmd, in_path, &in);
    if (!reader) {
        return CLI_FAILED;
    }
    etw_envelope_config ec = etw_envelope_config_default(kind_of[kind], 1000.0, 1);
    ec.window_ms = window_ms;
    int rc = signal_convert(cmd, in_path, reader, &cond, &ec, out_path, fmt, force, quiet);
    etw_reader_close(reader);
    return rc;
}
