/* Automatic rest detection shared by the noise floor and the onset detectors (internal). */
#ifndef ETW_SEGMENT_REST_H
#define ETW_SEGMENT_REST_H

#include <stddef.h>
#include <stdint.h>

#include "emgtwitch/common.h"

/* Cuts env[0..n-1] into n / w windows of w samples (w <= n), and sets mask[k] = 1 for the
 * windows whose mean over finite samples is at or below the given percentile (0..100) of all
 * window means (0 for the others and for windows without finite samples). *quietest gets the
 * window with the lowest mean. ETW_ERR_NONFINITE if no window has a finite sample;
 * ETW_ERR_NOMEM. */
etw_status etw_rest_windows(const float *env, size_t n, size_t w, double percentile,
                            uint8_t *mask, size_t *quietest);

#endif
