/* emgtwitch filter IN OUT: band-pass / high-pass / low-pass / notch / comb a recording,
 * causally while streaming (constant memory) or zero-phase offline, and write it as EDF+,
 * BDF+, WAV, FLAC or CSV with the input's labels, unit, start time and annotations. */
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
#include "signal_convert.h"

static const struct cli_help help = {
    .synopsis = "emgtwitch filter [OPTIONS] IN OUT",
    .description =
        "Filters the recording IN and writes OUT (EDF+, BDF+, WAV, FLAC or CSV, from OUT's\n"
        "extension or --format; '-' writes to stdout). Labels, unit, start time and\n"
        "annotations are kept. Causal filtering streams in constant memory and starts in the\n"
        "steady state of the first sample (no start transient); --zero-phase\n"
        "filters forward and backward and holds the selected channels in memory.",
    .options = "  -o, --output OUT       output file (instead of the second argument)\n"
               "      --format F         output format: edf, bdf, wav, flac, csv\n"
               "  -f, --force            overwrite OUT if it exists\n"
               "  -q, --quiet            no summary on stderr\n" CLI_CONDITION_HELP "  -c SPEC                short for --channels SPEC\n" CLI_READ_HELP
               "  -h, --help             this help\n",
    .examples = "  emgtwitch filter rec.edf clean.edf                    # 20-450 Hz band-pass\n"
                "  emgtwitch filter --band 30:450 --comb 50 rec.edf clean.bdf\n"
                "  emgtwitch filter --highpass 10 --zero-phase -c 'EMG*' rec.edf hp.csv\n"
                "  emgtwitch filter --fs 1000 --notch 60 emg.txt - --format csv | head\n",
};

int cmd_filter(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'}, {"format", required_argument, NULL, 'F'},
        {"force", no_argument, NULL, 'f'},        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},         CLI_CONDITION_LONGOPTS,
        CLI_READ_LONGOPTS,                       {0, 0, 0, 0}};
    const char *cmd = "filter", *out_path = NULL, *format = NULL;
    int force = 0, quiet = 0, opt;
    struct cli_condition cond;
    cli_read_options in;
    cli_condition_defaults(&cond);
    cli_read_options_default(&in);
    cli_getopt_reset();
    while ((opt = getopt_long(argc, argv, ":o:fqhc:", longopts, NULL)) != -1) {
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
    if (!out_path) {
        out_path = argv[optind + 1];
    }
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
    int rc = signal_convert(cmd, in_path, reader, &cond, NULL, out_path, fmt, force, quiet);
    etw_reader_close(reader);
    return rc;
}
