/* Post-processing of a per-sample activity mask (internal): runs of 1 are activity. */
#ifndef ETW_SEGMENT_ACTIVITY_H
#define ETW_SEGMENT_ACTIVITY_H

#include <stddef.h>
#include <stdint.h>

#include "emgtwitch/segment.h"

/* Sets to 1 every run of 0 of at most max_gap samples that has activity on both sides. */
void etw_mask_fill_gaps(uint8_t *mask, size_t n, size_t max_gap);

/* Clears runs of 1 shorter than min_len, and (when max_len > 0) longer than max_len. */
void etw_mask_keep_lengths(uint8_t *mask, size_t n, size_t min_len, size_t max_len);

/* Writes the runs of 1 as segments (peak = max |y| inside, snr_db = mean y^2 inside over
 * rest_power) and skips runs below min_snr_db; *count gets the number written or needed.
 * ETW_ERR_CAPACITY when there are more than capacity. */
etw_status etw_mask_to_segments(const uint8_t *mask, const float *y, size_t n, double fs_hz,
                                double rest_power, double min_snr_db, etw_segment *out,
                                size_t capacity, size_t *count);

#endif
