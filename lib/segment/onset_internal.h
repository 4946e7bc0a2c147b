/* Shared by the offline (onset.c) and streaming (onset_stream.c) detectors (internal). */
#ifndef ETW_SEGMENT_ONSET_INTERNAL_H
#define ETW_SEGMENT_ONSET_INTERNAL_H

#include <stddef.h>

#include "emgtwitch/segment.h"

#define ONSET_MAX_ORDER 8

/* Range and finiteness of every parameter (statuses as etw_onset_detect()). */
etw_status etw_onset_config_check(const etw_onset_config *c);

/* round(ms * fs / 1000), 0 for negative values. */
size_t etw_ms_to_samples(double ms, double fs);

/* CUSUM: the log-likelihood ratio of one sample is a + b * y^2 for a variance increase by
 * cusum_ratio_db over the rest variance var. */
void etw_cusum_coefficients(const etw_onset_config *c, double var, double *a, double *b);

#endif
