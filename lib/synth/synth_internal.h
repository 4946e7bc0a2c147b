/* Internal structures of the synthetic generator shared by its source files. */
#ifndef ETW_SYNTH_INTERNAL_H
#define ETW_SYNTH_INTERNAL_H

#include "emgtwitch/synth.h"
#include "synth/rng.h"

/* Frames rendered per internal chunk (size of the per-channel carrier scratch). */
#define ETW_SYNTH_CHUNK 256
/* Motor units and discharges of one twitch burst at most. */
#define ETW_SYNTH_MAX_UNITS 5
#define ETW_SYNTH_MAX_DISCHARGES 512

/* One planned event: the public record plus what is needed to render it. */
typedef struct etw_synth_item {
    etw_synth_event ev;
    int64_t start, end; /* samples touched on any channel: [start, end) */
    uint64_t seed;      /* twitch waveform seed */
    double gain;        /* volts per unit of the normalised waveform (lead channel) */
    double t0_s;        /* ECG: R time; others: onset time, s */
    double width_s;     /* twitch: duration; ECG: QRS width; motion/saturation: tau;
                           contraction: ramp up */
    double plateau_s;   /* contraction: plateau */
    double ramp2_s;     /* contraction: ramp down */
} etw_synth_item;

/* A twitch burst waveform built from an item's seed: discharges of motor units. */
typedef struct etw_synth_burst {
    size_t nunits, ndis;
    double lambda[ETW_SYNTH_MAX_UNITS];   /* time scale of each unit's MUAP, s */
    double coef[ETW_SYNTH_MAX_UNITS][3];  /* Hermite-Rodriguez weights, normalised */
    double t[ETW_SYNTH_MAX_DISCHARGES];   /* discharge centre, s after onset */
    double amp[ETW_SYNTH_MAX_DISCHARGES]; /* discharge amplitude */
    unsigned char unit[ETW_SYNTH_MAX_DISCHARGES];
} etw_synth_burst;

/* Per-channel streaming state of the noise components. */
typedef struct etw_synth_chan {
    etw_synth_rng rng;
    double bg[4];  /* EMG shaping filter state: x1 (hp input), hp, lp1, lp2 */
    double car[4]; /* contraction carrier shaping state */
} etw_synth_chan;

struct etw_synth {
    etw_synth_config cfg;
    int64_t nframes, pos;
    double ref_rms;
    /* shaping filter: one-pole high-pass at fl and two one-pole low-passes at fh */
    double a_hp, a_lp, shape_gain;
    etw_synth_item *items;
    etw_synth_event *events;
    size_t nitems, cursor;
    int64_t max_lead; /* largest onset - start over the items */
    etw_synth_marker *markers;
    size_t nmarkers;
    etw_synth_stats stats;
    etw_synth_chan *chan;
    float *carrier;   /* nch * ETW_SYNTH_CHUNK */
    double *gains;    /* 4 * nch: ECG, contraction, motion, powerline per channel */
    double *phases;   /* nch * 3 wander phases, 20 powerline phases, their cos, their sin */
    double wander_f[3];
    etw_synth_burst burst;
    size_t burst_item; /* item the burst scratch holds, or SIZE_MAX */
};

/* Gains per channel (index into synth->gains). */
enum { ETW_SYNTH_G_ECG = 0, ETW_SYNTH_G_CON = 1, ETW_SYNTH_G_MOT = 2, ETW_SYNTH_G_PL = 3 };

etw_status etw_synth_config_check(const etw_synth_config *cfg);
/* Plans every event into synth->items / markers (allocates them). */
etw_status etw_synth_plan(etw_synth *s);

/* Waveforms (shapes.c). */
void etw_synth_burst_build(etw_synth_burst *b, uint64_t seed, double duration_s);
double etw_synth_burst_value(const etw_synth_burst *b, double t);
double etw_synth_ecg_value(double t, double qrs_s);
double etw_synth_motion_value(double t, double tau);
double etw_synth_contraction_envelope(const etw_synth_item *it, double t);

/* Value at sample n on channel c of a deterministic (non-noise) event. */
double etw_synth_item_value(etw_synth *s, size_t idx, size_t c, int64_t n);

#endif
