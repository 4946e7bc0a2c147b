/* Progress bar on stderr when it is a terminal (see cli_progress.h). */
#define _POSIX_C_SOURCE 200809L
#include "cli_progress.h"

#include <stdio.h>
#include <unistd.h>

enum { BAR_WIDTH = 40 };

void cli_progress_start(struct cli_progress *p, const char *label, int64_t total)
{
    pthread_mutex_init(&p->lock, NULL);
    p->enabled = total > 0 && isatty(STDERR_FILENO);
    p->label = label;
    p->total = total;
    p->done = 0;
    p->shown_permille = -1;
}

void cli_progress_add(struct cli_progress *p, int64_t delta)
{
    if (!p->enabled) {
        return;
    }
    pthread_mutex_lock(&p->lock);
    p->done += delta;
    int permille = (int)(p->done >= p->total ? 1000 : p->done * 1000 / p->total);
    if (permille != p->shown_permille) {
        p->shown_permille = permille;
        int fill = permille * BAR_WIDTH / 1000;
        char bar[BAR_WIDTH + 1];
        for (int i = 0; i < BAR_WIDTH; i++) {
            bar[i] = i < fill ? '#' : '.';
        }
        bar[BAR_WIDTH] = '\0';
        fprintf(stderr, "\r%s [%s] %5.1f%%", p->label, bar, permille / 10.0);
        fflush(stderr);
    }
    pthread_mutex_unlock(&p->lock);
}

void cli_progress_end(struct cli_progress *p)
{
    if (p->enabled && p->shown_permille >= 0) {
        fprintf(stderr, "\r\033[K");
        fflush(stderr);
    }
    pthread_mutex_destroy(&p->lock);
}
