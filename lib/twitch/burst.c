/* Burst state machine: idle -> active (e > on) -> gap (e < off) -> active (e > on within
 * merge_gap) or complete (gap longer than merge_gap). */
#include "twitch/burst.h"

void etw_burst_init(etw_burst_sm *sm, const etw_burst_params *p)
{
    sm->p = *p;
    sm->state = ETW_BURST_IDLE;
    sm->last_above = 0;
    sm->refractory_until = INT64_MIN;
    sm->cur = (etw_burst){0, 0, 0, 0.0, 0, 0};
    sm->piece_onset = 0;
    sm->strong_seen = 0;
}

static int complete(etw_burst_sm *sm, int truncated, etw_burst *out)
{
    sm->state = ETW_BURST_IDLE;
    sm->cur.offset = sm->last_above + 1;
    sm->cur.truncated = truncated;
    if (sm->cur.offset - sm->cur.onset < sm->p.min_duration) {
        return 0;
    }
    sm->refractory_until = sm->cur.offset + sm->p.refractory;
    *out = sm->cur;
    return 1;
}

static void note_above(etw_burst_sm *sm, int64_t t, double e, double strong)
{
    sm->last_above = t;
    if (!sm->strong_seen && e >= strong) {
        sm->strong_seen = 1;
        sm->cur.anchor = sm->piece_onset;
    }
    if (e > sm->cur.peak_env) {
        sm->cur.peak_env = e;
        sm->cur.peak = t;
    }
}

int etw_burst_step(etw_burst_sm *sm, int64_t t, double e, double on, double off,
                   double strong, int blank, etw_burst *out)
{
    switch (sm->state) {
    case ETW_BURST_IDLE:
        if (!blank && e > on && t >= sm->refractory_until) {
            sm->state = ETW_BURST_ACTIVE;
            sm->cur = (etw_burst){t, t + 1, t, e, t, 0};
            sm->last_above = t;
            sm->piece_onset = t;
            sm->strong_seen = e >= strong;
        }
        return 0;
    case ETW_BURST_ACTIVE:
        if (blank) {
            return complete(sm, 1, out);
        }
        if (e >= off) {
            note_above(sm, t, e, strong);
        } else {
            sm->state = ETW_BURST_GAP;
        }
        break;
    case ETW_BURST_GAP:
        if (blank) {
            return complete(sm, 1, out);
        }
        if (e > on) {
            sm->state = ETW_BURST_ACTIVE;
            sm->piece_onset = t;
            note_above(sm, t, e, strong);
        }
        break;
    }
    if (sm->state == ETW_BURST_GAP && t - sm->last_above > sm->p.merge_gap) {
        return complete(sm, 0, out);
    }
    return 0;
}

int64_t etw_burst_run_active(etw_burst_sm *sm, const float *e, int64_t mask, int64_t from,
                             int64_t to, double off, double strong)
{
    int64_t t = from;
    for (; t < to; t++) {
        double v = e[t & mask];
        if (!(v >= off)) {
            break;
        }
        note_above(sm, t, v, strong);
    }
    return t;
}

int etw_burst_finish(etw_burst_sm *sm, int64_t t, etw_burst *out)
{
    if (sm->state == ETW_BURST_IDLE) {
        return 0;
    }
    if (sm->state == ETW_BURST_ACTIVE) {
        sm->last_above = t - 1;
    }
    int truncated = sm->state == ETW_BURST_ACTIVE || t - sm->last_above <= sm->p.merge_gap;
    return complete(sm, truncated, out);
}
