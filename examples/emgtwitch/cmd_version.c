/* emgtwitch version: library version and build configuration. */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "cli_args.h"
#include "emgtwitch/emgtwitch.h"

static const struct cli_help help = {
    .synopsis = "emgtwitch version",
    .description = "Prints the emgtwitch library version and FFT backend.",
    .examples = "  emgtwitch version\n",
};

int cmd_version(int argc, char **argv)
{
    static const struct option longopts[] = {{"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
    cli_getopt_reset();
    int opt;
    while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        if (opt == 'h') {
            cli_print_help(stdout, &help);
            return CLI_OK;
        }
        return cli_bad_option("version", opt, (const char *const *)argv);
    }
    if (optind < argc) {
        return cli_usage_error("version", "unexpected argument '%s'", argv[optind]);
    }
    printf("emgtwitch %s (FFT backend: %s)\n", etw_version_string(), etw_fft_backend());
    return CLI_OK;
}
