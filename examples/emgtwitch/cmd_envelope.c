/* emgtwitch envelope IN OUT: the amplitude envelope (moving RMS, ARV, TKEO or rectified) of
 * the conditioned signal, written as a signal file. */

#include "cli.h"
#include "cli_args.h"
#include "cli_condition.h"
#include "cli_io.h"
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
    return signal_convert_main("envelope", argc, argv, &help, 1);
}
