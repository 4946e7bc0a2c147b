/* The input list of `emgtwitch detect`: files as given, folders expanded to the recordings
 * they hold (by extension, sorted by name, not recursive; entries that do not open as a
 * recording, like a README.txt, are skipped with a note on stderr). */
#ifndef ETW_CLI_DETECT_INPUTS_H
#define ETW_CLI_DETECT_INPUTS_H

#include <stddef.h>

struct input_list {
    char **paths;
    size_t n, cap;
};

/* Adds `arg` (a file, or a folder's recordings). Returns 0 or -1 after printing the reason. */
int inputs_add(const char *cmd, const char *arg, struct input_list *l);

void inputs_free(struct input_list *l);

#endif
