/* Burst state machine of the twitch detector: hysteresis on an envelope against on/off
 * thresholds, minimum duration, merge gap and refractory time, one sample at a time. */
#ifndef ETW_TWITCH_BURST_H
#define ETW_TWITCH_BURST_H

#include <stdint.h>

/* Durations in samples. */
typedef struct etw_burst_params {
    int64_t min_duration;
    int64_t merge_gap;
    int64_t refractory;
} etw_burst_params;

/* A completed burst: [onset, offset) where the envelope stayed above the off threshold
 * (gaps of up to merge_gap bridged), the envelope maximum and where it was. */
typedef struct etw_burst {
    int64_t onset;
    int64_t offset;
    int64_t peak;
    double peak_env;
    int64_t anchor; /* start of the first merged piece whose envelope reached `strong`
                       (onset when none did): weak noise merged in front is skipped */
    int truncated;  /* ended by etw_burst_finish() or blanking, not by the envelope */
} etw_burst;

typedef enum etw_burst_state { ETW_BURST_IDLE, ETW_BURST_ACTIVE, ETW_BURST_GAP } etw_burst_state;

typedef struct etw_burst_sm {
    etw_burst_state state; /* first: the detector's idle path reads it with its channel's
                              other hot fields, in one cache line */
    etw_burst_params p;
    etw_burst cur;
    int64_t last_above;
    int64_t refractory_until;
    int64_t piece_onset; /* start of the current piece (after the last bridged gap) */
    int strong_seen;
} etw_burst_sm;

void etw_burst_init(etw_burst_sm *sm, const etw_burst_params *p);

/* Feeds the envelope value e at time t (t increases by one per call). A burst may start
 * only when e > on and blank is 0; it continues while e >= off, and a dip below off ends it
 * unless e exceeds on again within merge_gap samples; blank ends it at once. `strong` only
 * sets the anchor. Returns 1 and fills *out when a burst of at least min_duration samples
 * completed at this call. */
int etw_burst_step(etw_burst_sm *sm, int64_t t, double e, double on, double off,
                   double strong, int blank, etw_burst *out);

/* etw_burst_step() at times from, from + 1, .. with blank 0 while the burst is active (state
 * ETW_BURST_ACTIVE) and e[t & mask] >= off, stopping before `to`: returns the first time not
 * stepped (the first value below off, or to); the steps it took changed nothing but the
 * peak, the anchor and the last time above. */
int64_t etw_burst_run_active(etw_burst_sm *sm, const float *e, int64_t mask, int64_t from,
                             int64_t to, double off, double strong);

/* Ends the stream at time t: returns 1 and fills *out (truncated) if a burst was open and
 * long enough. The machine is idle afterwards. */
int etw_burst_finish(etw_burst_sm *sm, int64_t t, etw_burst *out);

/* 1 while a burst is open (active or inside a gap). */
static inline int etw_burst_busy(const etw_burst_sm *sm)
{
    return sm->state != ETW_BURST_IDLE;
}

#endif
