/* Accuracy harness: detectors under test share one interface (whole recording in, sample
 * intervals out) so the matrix in main.c can score each of them the same way. */
#ifndef ETW_BENCH_ACC_H
#define ETW_BENCH_ACC_H

#include <stddef.h>

#include "emgtwitch/eval.h"

/* A growable list of detected intervals (one list per recording, all channels merged). */
typedef struct acc_list {
    etw_eval_interval *iv;
    size_t n, cap;
} acc_list;

/* Appends an interval; returns 0 on allocation failure. */
int acc_list_push(acc_list *l, int64_t onset, int64_t offset);
/* Sorts by onset and merges overlapping intervals (union over channels). */
void acc_list_union(acc_list *l);

typedef struct acc_detector {
    const char *name;  /* column name */
    const char *about; /* one line for the report */
    /* Detects on nch planar channels of n samples at fs; appends to out. 0 on success. */
    int (*detect)(const float *const *x, size_t nch, size_t n, double fs, acc_list *out);
    int baseline; /* 1 for a classical baseline: the "best" column compares against these */
} acc_detector;

/* The classical baselines (onset_baselines.c) and the twitch detector's presets. */
extern const acc_detector acc_baselines[];
extern const size_t acc_nbaselines;
/* One paragraph describing how the baselines are run, for the report. */
extern const char *const acc_baselines_about;
/* The twitch detector with its default configuration (what `emgtwitch detect` uses) first,
 * then with the LTR preset; *n receives the count. */
const acc_detector *acc_twitch_detectors(size_t *n);

#endif
