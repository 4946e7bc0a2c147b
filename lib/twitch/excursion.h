/* Background excursion statistics of one channel and the peak threshold they imply for a
 * chosen false-alarm rate (see excursion.c). */
#ifndef ETW_TWITCH_EXCURSION_H
#define ETW_TWITCH_EXCURSION_H

#include <stdint.h>

typedef struct etw_excursions {
    double n;      /* excursions with peak in [on_db, on_db + ETW_EXCURSION_BAND_DB), decayed */
    double sum;    /* their peak excess over on_db in dB, decayed likewise */
    int64_t last;  /* time of the latest update (samples) */
} etw_excursions;

void etw_excursions_reset(etw_excursions *x);

/* Counts a burst of the burst machine that started at time t (samples) whose envelope peak
 * stood excess_db over the start threshold; only excesses in [0, ETW_EXCURSION_BAND_DB)
 * count. fs_hz: sample rate. */
void etw_excursions_add(etw_excursions *x, int64_t t, double excess_db, double fs_hz);

/* Peak level over the start threshold, dB, that background excursions are expected to reach
 * at most target_per_min times a minute at time t (0 when the statistics expect fewer than
 * target_per_min excursions at all). */
double etw_excursions_threshold_db(const etw_excursions *x, int64_t t, double fs_hz,
                                   double target_per_min);

#endif
