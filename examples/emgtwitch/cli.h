/* Shared declarations of the emgtwitch CLI's subcommands. */
#ifndef ETW_CLI_H
#define ETW_CLI_H

/* Exit statuses of every subcommand. */
enum { CLI_OK = 0, CLI_FAILED = 1, CLI_USAGE = 2 };

#define ETW_CLI_COMMAND(name, summary) int cmd_##name(int argc, char **argv);
#include "commands.def"
#undef ETW_CLI_COMMAND

#endif
