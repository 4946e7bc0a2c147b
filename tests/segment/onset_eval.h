/* Synthetic bursts with known onsets on a known noise floor, and the accuracy of an onset
 * detector on them. Shared by test_segment (bounds at a fixed seed) and bench_segmentation
 * (the table in docs/segmentation.md). Deterministic: the same seed gives the same data. */
#ifndef ETW_ONSET_EVAL_H
#define ETW_ONSET_EVAL_H

#include <stddef.h>
#include <stdint.h>

#include "emgtwitch/segment.h"

#define ONSET_EVAL_FS 2000.0
#define ONSET_EVAL_SECONDS 12
#define ONSET_EVAL_NSAMP 24000 /* ONSET_EVAL_SECONDS * ONSET_EVAL_FS */
#define ONSET_EVAL_BURSTS 4

/* One record: unit-variance white Gaussian noise, plus ONSET_EVAL_BURSTS bursts of
 * band-limited Gaussian noise (300 ms +- 100 ms, 5 ms raised-cosine ramps) whose RMS is
 * snr_db above the noise RMS, starting about every 2.5 s after 1.5 s (+-250 ms jitter). */
typedef struct onset_record {
    float x[ONSET_EVAL_NSAMP];
    int64_t onset[ONSET_EVAL_BURSTS];
    int64_t offset[ONSET_EVAL_BURSTS];
} onset_record;

void onset_record_make(onset_record *rec, double snr_db, uint64_t seed);

typedef struct onset_quality {
    size_t nbursts;        /* true bursts */
    size_t ndetected;      /* bursts with a detection starting within [onset-100 ms, offset) */
    size_t nfalse;         /* detections matching no burst */
    double detection_rate; /* ndetected / nbursts */
    double false_per_min;  /* nfalse per minute of record */
    double bias_ms;        /* mean of detected onset - true onset */
    double sd_ms;          /* SD of that error */
} onset_quality;

/* Runs the detector on nrecords records (seeds seed, seed+1, ...) at the given SNR. */
etw_status onset_evaluate(const etw_onset_config *config, double snr_db, uint64_t seed,
                          int nrecords, onset_quality *q);

#endif
