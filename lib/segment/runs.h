/* Streaming run-length post-processing of activity (internal): the same operations as
 * activity.h applies to a whole mask (bridge gaps of at most max_gap between runs, then keep
 * runs whose length is within [min_len, max_len]), done on a stream of runs with bounded
 * memory. Each run carries its power (sum of y^2) and peak |y|, and the power and peak of the
 * gap before it, so bridged gaps count in the merged run exactly as in the offline mask. */
#ifndef ETW_SEGMENT_RUNS_H
#define ETW_SEGMENT_RUNS_H

#include <stddef.h>
#include <stdint.h>

typedef struct etw_run {
    int64_t start;
    int64_t stop;     /* exclusive */
    double power;     /* sum of y^2 over [start, stop) */
    double peak;      /* max |y| over [start, stop) */
    double gap_power; /* sum of y^2 between the previous emitted run and start */
    double gap_peak;  /* max |y| there */
} etw_run;

typedef struct etw_run_stage {
    int64_t max_gap;
    int64_t min_len;
    int64_t max_len; /* 0 = no limit */
    int have;        /* a pending run exists */
    etw_run pending;
    double gap_power; /* gap accumulated after the pending run (or since the last emission) */
    double gap_peak;
} etw_run_stage;

void etw_run_stage_init(etw_run_stage *s, int64_t max_gap, int64_t min_len, int64_t max_len);

/* Samples outside any run, in time order with the runs. */
void etw_run_stage_gap(etw_run_stage *s, double power, double peak);

/* A run starting at or after the previous one's stop. Returns 1 and writes *out when a run
 * is final (the pending one, closed because r is too far from it). */
int etw_run_stage_push(etw_run_stage *s, const etw_run *r, etw_run *out);

/* Closes the pending run if no run starting at `now` or later can join it. Returns 1 and
 * writes *out when a run is final. */
int etw_run_stage_tick(etw_run_stage *s, int64_t now, etw_run *out);

/* Closes the pending run at the end of the stream. Returns 1 and writes *out if it is kept. */
int etw_run_stage_flush(etw_run_stage *s, etw_run *out);

#endif
