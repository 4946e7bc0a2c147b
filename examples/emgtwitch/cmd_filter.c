/* emgtwitch filter IN OUT: band-pass / high-pass / low-pass / notch / comb a recording,
 * causally while streaming (constant memory) or zero-phase offline, and write it as EDF+,
 * BDF+, WAV, FLAC or CSV with the input's labels, unit, start time and annotations. */

#include "cli.h"
#include "cli_args.h"
#include "cli_condition.h"
#include "cli_io.h"
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
    return signal_convert_main("filter", argc, argv, &help, 0);
}
