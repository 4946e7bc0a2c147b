/* Internal: argument checks shared by the filter functions. */
#ifndef ETW_FILTER_CHECK_H
#define ETW_FILTER_CHECK_H

#include <stddef.h>

#include "emgtwitch/filter.h"

#define ETW_PI 3.14159265358979323846

/* Most sections a cascade or response accepts. */
#define ETW_MAX_SECTIONS 64

/* ETW_ERR_NULL if sos is NULL, ETW_ERR_RANGE if nsections is 0 or above ETW_MAX_SECTIONS or
 * some a0 != 1, ETW_ERR_NONFINITE if a coefficient is NaN/Inf, else ETW_OK. */
etw_status etw_sos_check(const etw_sos *sos, size_t nsections);

#endif
