/* ECG-likeness of a burst: is it one beat of a regular train of similar bursts (QRS
 * complexes repeating at a heart-rate interval)? */
#ifndef ETW_TWITCH_ECG_H
#define ETW_TWITCH_ECG_H

#include <stddef.h>
#include <stdint.h>

typedef struct etw_ecg_params {
    int64_t rr_min;   /* samples */
    int64_t rr_max;   /* samples */
    double tolerance; /* (max - min) / mean of the intervals */
    double amp_ratio; /* max / min peak amplitude inside the train */
    double freq_ratio; /* max / min mean frequency inside the train */
} etw_ecg_params;

/* peaks[0..n) are burst peak times in increasing order with their amplitudes and mean
 * frequencies; returns 1 if burst i belongs to a run of 4 consecutive bursts whose 3
 * intervals lie in [rr_min, rr_max] (one of them may span a missed beat: in
 * (rr_max, 2 rr_max], counted as half), spread by at most tolerance of their mean, with
 * amplitudes within amp_ratio and mean frequencies within freq_ratio (QRS complexes repeat
 * with the same shape). */
int etw_ecg_in_train(const int64_t *peaks, const double *amps, const double *freqs, size_t n,
                     size_t i, const etw_ecg_params *p);

#endif
