/* emgtwitch version: library version and build configuration. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "emgtwitch/emgtwitch.h"

int cmd_version(int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf("usage: emgtwitch version\n\nPrints the emgtwitch library version and FFT "
               "backend.\n");
        return CLI_OK;
    }
    if (argc > 1) {
        fprintf(stderr, "emgtwitch version: unexpected argument '%s'\n", argv[1]);
        return CLI_USAGE;
    }
    printf("emgtwitch %s (FFT backend: %s)\n", etw_version_string(), etw_fft_backend());
    return CLI_OK;
}
