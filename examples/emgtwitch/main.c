/* emgtwitch: command-line analysers for EMG recordings, built on the public API only. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "emgtwitch/emgtwitch.h"

struct cli_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
};

static const struct cli_command commands[] = {
#define ETW_CLI_COMMAND(name, summary) {#name, summary, cmd_##name},
#include "commands.def"
#undef ETW_CLI_COMMAND
};

static void usage(FILE *out)
{
    fprintf(out, "usage: emgtwitch COMMAND [OPTIONS] ...\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    }
    fprintf(out, "\n'emgtwitch COMMAND --help' describes a command. Exit status: 0 ok, "
                 "1 failed, 2 bad usage.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return CLI_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        return cmd_version(argc - 1, argv + 1);
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            return commands[i].run(argc - 1, argv + 1);
        }
    }
    fprintf(stderr, "emgtwitch: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return CLI_USAGE;
}
