/* Drift-free running sum over the last `len` values of a stream (internal).
 *
 * The sum is updated by adding the new value and subtracting the one leaving the window, and
 * recomputed from the window buffer whenever the write position wraps (every `len` values, at
 * absolute positions that do not depend on how the stream is cut into blocks). Rounding error
 * therefore never grows beyond what `2 * len` additions produce, however long the stream.
 * Non-finite values are kept out of the sum and counted; while one is in the window the sum
 * reads as NaN. */
#ifndef ETW_ENVELOPE_WINSUM_H
#define ETW_ENVELOPE_WINSUM_H

#include <math.h>
#include <stddef.h>

typedef struct etw_winsum {
    double *ring; /* len values, stride apart, oldest at pos */
    size_t len;
    size_t stride;
    size_t pos;
    size_t nbad; /* non-finite values in the window */
    double sum;  /* sum of the finite values in the window */
    /* The RMS kernel's (rms4.h) sum, from zero in ring order, of the values pushed since the
     * last wrap; valid only while part_ok (the kernel sets it on return, the per-channel
     * paths clear it). */
    double part;
    int part_ok;
} etw_winsum;

/* Attaches a ring of `len` doubles (>= 1) `stride` (>= 1) apart (several channels' rings
 * interleaved) and clears it. */
void etw_winsum_init(etw_winsum *w, double *ring, size_t len, size_t stride);

/* Zero history. */
void etw_winsum_reset(etw_winsum *w);

/* Exact recomputation of the sum from the ring (called on wrap; exposed for tests). */
void etw_winsum_recompute(etw_winsum *w);

/* Pushes v and returns the sum of the last len values (NaN while a non-finite one is in). */
static inline double etw_winsum_push(etw_winsum *w, double v)
{
    double *slot = w->ring + w->pos * w->stride;
    double old = *slot;
    if (isfinite(old)) {
        w->sum -= old;
    } else {
        w->nbad--;
    }
    *slot = v;
    if (isfinite(v)) {
        w->sum += v;
    } else {
        w->nbad++;
    }
    if (++w->pos == w->len) {
        w->pos = 0;
        etw_winsum_recompute(w);
    }
    return w->nbad != 0 ? NAN : w->sum;
}

#endif
