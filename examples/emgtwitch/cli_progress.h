/* A progress bar on stderr, drawn only when stderr is a terminal (silent in pipes, logs and
 * tests). Thread-safe: batch workers may report from several threads. */
#ifndef ETW_CLI_PROGRESS_H
#define ETW_CLI_PROGRESS_H

#include <pthread.h>
#include <stdint.h>

struct cli_progress {
    pthread_mutex_t lock;
    int enabled;
    const char *label;
    int64_t total;
    int64_t done;
    int shown_permille;
};

/* Starts a bar for `total` units of work (frames, files...); enabled only if stderr is a tty
 * and total > 0. */
void cli_progress_start(struct cli_progress *p, const char *label, int64_t total);

/* Adds `delta` units of finished work and redraws when the bar moved. */
void cli_progress_add(struct cli_progress *p, int64_t delta);

/* Erases the bar. */
void cli_progress_end(struct cli_progress *p);

#endif
