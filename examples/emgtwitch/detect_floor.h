/* Noise floor of each channel over one recording for `emgtwitch detect`: the detector's floor
 * (etw_twitch_get_floor) sampled after every block read, thinned to at most FLOOR_SAMPLES
 * evenly spaced samples per channel so memory stays constant however long the file is, and
 * summarised by their median. */
#ifndef ETW_CLI_DETECT_FLOOR_H
#define ETW_CLI_DETECT_FLOOR_H

#include <stddef.h>

#include "emgtwitch/twitch.h"

struct floor_samples {
    size_t nch;
    size_t n;       /* samples kept per channel */
    size_t stride;  /* blocks per kept sample (doubles each time the store fills) */
    size_t skip;    /* blocks to skip before the next kept sample */
    double *v;      /* nch x FLOOR_SAMPLES, channel-major; NaN = no floor yet */
};

/* Allocates the store for nch channels. Returns 0, or -1 when out of memory. */
int floor_samples_init(struct floor_samples *f, size_t nch);

/* Samples every channel's current floor (call after each block pushed to det). */
void floor_samples_add(struct floor_samples *f, const etw_twitch *det);

/* Writes each channel's median floor (signal units; NaN when the detector never had one) to
 * medians[0 .. nch-1]. Reorders the kept samples. */
void floor_samples_median(struct floor_samples *f, double *medians);

void floor_samples_free(struct floor_samples *f);

#endif
