/* Internal layout of the twitch detector, shared by its source files:
 * detector.c (create/destroy/reset, process/flush orchestration, conditioning),
 * channel.c (per-channel envelope, floor, bursts, measures, classification) and
 * output.c (cross-channel coincidence and event delivery). */
#ifndef ETW_TWITCH_DETECTOR_H
#define ETW_TWITCH_DETECTOR_H

#include <stddef.h>
#include <stdint.h>

#include "emgtwitch/envelope.h"
#include "emgtwitch/filter.h"
#include "emgtwitch/segment.h"
#include "emgtwitch/twitch.h"
#include "twitch/burst.h"
#include "twitch/ecg.h"
#include "twitch/emphasis.h"
#include "twitch/excursion.h"
#include "twitch/input.h"
#include "twitch/measure.h"

/* Frames processed per internal step (bounds the conditioning scratch buffers). */
#define ETW_TWITCH_CHUNK 256

/* Kinds of entries in a channel's burst log. */
typedef enum etw_entry_kind {
    ETW_ENTRY_BURST,   /* measured candidate */
    ETW_ENTRY_LONG,    /* activity longer than any twitch (only onset/offset/peak known) */
    ETW_ENTRY_INVALID  /* stretch blanked after non-finite input */
} etw_entry_kind;

typedef struct etw_log_entry {
    etw_twitch_event ev;
    int64_t decide_at;     /* detection time at which the classification is final */
    double spike_fraction;
    etw_entry_kind kind;
    int significant;       /* long enough and loud enough to break isolation or be a beat */
    int decided;
} etw_log_entry;

typedef struct etw_channel {
    /* the fields of the idle path (every segment of every channel) first, so they share
     * the first cache line with sm.state */
    float *e;              /* ring of ring_mask + 1 samples: envelope of the detection signal */
    double floor;          /* noise floor (RMS envelope level); NaN until learnt; written
                              only by etw_channel_set_floor(), which derives `on` */
    float on;              /* the start threshold floor * on_factor as a float below it */
    int frozen;            /* the freeze last passed to the floor tracker (both start at 0
                              on a reset): a call with the same one would change nothing */
    int warm;              /* the tracker rests on warm_windows windows (the count only
                              grows until a reset, so once set it is not asked again) */
    int64_t due;           /* decide_at of the oldest undecided entry (INT64_MAX: none); kept
                              here so the per-segment test does not touch the cold log */
    int64_t last_bad;      /* input time of the latest non-finite sample (INT64_MIN: none) */
    int64_t blank_until;   /* detection time before which no burst may start */
    int64_t invalid_until; /* end of the current non-finite blanking */
    int invalid_open;
    int seg_marks;         /* ETW_MARK_* seen in the current segment */
    etw_burst_sm sm;
    float *x, *raw;        /* rings: conditioned signal, raw input (the detection signal is
                              recomputed from x where needed: etw_view_w()) */
    unsigned char *bad;    /* ring: 1 where the input sample was non-finite */
    float last_finite;
    int64_t invalid_onset;
    etw_log_entry *log;    /* ring of log_cap entries */
    size_t log_first, log_n;
    size_t undecided;      /* entries at the end of the log not yet decided */
    etw_excursions xs;     /* background excursion statistics (adaptive peak criterion) */
} etw_channel;

struct etw_twitch {
    etw_twitch_config cfg;
    /* derived lengths in samples */
    int64_t h, win, ring_mask, settle, probe_len, max_dur, pre_quiet, post_quiet, coinc;
    int64_t decide_delay, group_delay, latency, startup_blank;
    double on_factor, off_factor, peak_factor, fmax_hz;
    etw_burst_params burst;
    etw_ecg_params ecg;
    /* conditioning */
    etw_cascade *bandpass, *comb50, *comb60, *res50, *res60, *comb;
    int emph_on;           /* pre-emphasis on (emphasis_hz > 0) */
    float emph[3];         /* its FIR taps */
    etw_emphasis_fn emph_fn; /* its loop (AVX2 build or portable) */
    etw_input_fn input_fn; /* the input copy (AVX2 build or portable) */
    int64_t w_end;         /* the detection signal is 0 from here (INT64_MAX; flush: end) */
    float *emph_hist;      /* 2 x nch: previous two conditioned samples per channel */
    etw_envelope *env;
    etw_floor_tracker *tracker;
    int64_t segment;       /* detection steps between floor updates (one tracker window) */
    size_t warm_windows;   /* tracker windows learnt before bursts freeze the floor */
    int64_t spec_margin;   /* samples of signal around a burst included in its spectrum */
    int64_t lookback;      /* samples before a burst searched for saturation (>= spec_margin) */
    int probing;
    double *probe_energy;  /* 3 x nch: 50 Hz, 60 Hz resonator and band energy */
    /* nch scratch blocks of ETW_TWITCH_CHUNK: repaired input minus x0, the detection signal,
     * and the
     * conditioned signal and envelope where their ring span wraps (elsewhere the stages
     * write into the rings directly); env also serves the mains probe */
    float **buf, **xbuf, **wbuf, **ebuf;
    float *zeros;          /* ETW_TWITCH_CHUNK zeros (flush padding) */
    const float **zptr;    /* nch pointers to zeros */
    float *x0;             /* nch: each channel's first input value (after the non-finite
                              policy), subtracted before the band-pass */
    const float *const *ahead; /* the caller's input of the next chunk (frames ahead_from ..
                              + ahead_n of the current process() call), read into the cache
                              while this one is detected; ahead_n 0: none */
    size_t ahead_from, ahead_n;
    /* channels and their log */
    etw_channel *ch;
    size_t log_cap;
    double *scratch;       /* spectrum scratch */
    /* decided events waiting for coincidence and delivery, sorted by onset */
    etw_twitch_event *pend;
    size_t pend_n, pend_cap;
    int64_t t;             /* input frames consumed */
    int flushed;
    int overflow;          /* an internal bound or call failed (reported as ETW_ERR_INTERNAL) */
};

/* Copies n samples into a ring at times t .. t + n - 1 (at most two memcpy). */
void etw_ring_store(float *ring, int64_t mask, int64_t t, const float *src, size_t n);
/* Where a stage writes n samples of times t ..: the ring itself when they do not wrap,
 * else `scratch` (then etw_ring_keep() copies them in). */
float *etw_ring_span(float *ring, int64_t mask, int64_t t, size_t n, float *scratch);
/* Stores p[0..n) at times t .. unless p already is that span of the ring. */
void etw_ring_keep(float *ring, int64_t mask, int64_t t, const float *p, size_t n);

/* channel.c */
void etw_channel_reset(etw_twitch *d, etw_channel *c);
/* Sets the channel's floor (NaN: none yet) and the start threshold derived from it (read
 * once per floor, not at every run over a segment: a libm call half of the time). */
void etw_channel_set_floor(const etw_twitch *d, etw_channel *c, double floor);
/* Floor-tracker marks of detection times: a burst that could be a twitch was open;
 * detection was blanked (start-up, non-finite input). */
#define ETW_MARK_BURST 1
#define ETW_MARK_BLANK 2
/* Runs the burst machine and classification of channel ci over detection times
 * [from, to) (rings already filled, c->floor set); returns the ETW_MARK_* bits seen at any
 * of those times. */
int etw_channel_run(etw_twitch *d, size_t ci, int64_t from, int64_t to);
/* End of stream (all detection times stepped): closes open bursts, decides everything. */
void etw_channel_finish(etw_twitch *d, size_t ci);

/* 1 if channel ci has activity longer than any twitch that overlaps [lo, hi) and was
 * already that long at detection time `horizon` (so the answer does not depend on when it is
 * asked, as long as that is after horizon). */
int etw_channel_long_activity(const etw_twitch *d, size_t ci, int64_t lo, int64_t hi,
                              int64_t horizon);

/* output.c */
/* Queues a decided event of channel ci for coincidence and delivery. */
void etw_output_queue(etw_twitch *d, size_t ci, const etw_twitch_event *ev);
/* Delivers due events (all of them when `all`) into events[*n .. capacity); returns 1 if
 * due events remain undelivered for lack of room. */
int etw_output_deliver(etw_twitch *d, int all, etw_twitch_event *events, size_t capacity,
                       size_t *n);

#endif
