/* Per-burst measures of the twitch detector, read from the detector's per-channel rings of
 * conditioned signal, envelope and raw input: onset/offset refinement, morphology (peak,
 * peak-to-peak, area, rise time, SNR, phases, turns, spike fraction, clipping) and the
 * burst spectrum (mean and median frequency). */
#ifndef ETW_TWITCH_MEASURE_H
#define ETW_TWITCH_MEASURE_H

#include <stddef.h>
#include <stdint.h>

#include "emgtwitch/twitch.h"
#include "twitch/emphasis.h"

/* Rings indexed by absolute sample time & mask. */
typedef struct etw_ring_view {
    const float *x;   /* conditioned signal (band-pass, notch) */
    const float *e;   /* centred RMS envelope */
    const float *raw; /* input after the non-finite policy */
    int64_t mask;
    int emph_on;      /* the detection signal is x after the pre-emphasis (else x itself) */
    float emph[3];    /* the pre-emphasis taps */
    int64_t w_end;    /* from this time on the detection signal is 0 (the flushed end) */
} etw_ring_view;

/* Detection signal at time t (conditioned, then pre-emphasis). Not stored: recomputed from
 * the conditioned signal by the pre-emphasis' own tap (etw_emphasis_tap()), so it is the
 * value the envelope saw. */
static inline float etw_view_w(const etw_ring_view *v, int64_t t)
{
    const float *x = v->x;
    if (!v->emph_on) {
        return x[t & v->mask];
    }
    if (t >= v->w_end) {
        return 0.0f;
    }
    return etw_emphasis_tap(v->emph, x[t & v->mask], x[(t - 1) & v->mask],
                            x[(t - 2) & v->mask]);
}

/* Refines a burst found on the envelope (first sample above the on threshold, last above
 * the off threshold) to the first/last conditioned samples of at least `level` in
 * magnitude near the envelope crossings; h is the envelope half-window. */
void etw_twitch_refine(const etw_ring_view *v, int64_t first_on, int64_t last_above,
                       double floor_rms, double level, int64_t h, int64_t *onset,
                       int64_t *offset);

/* Fills onset..snr_db and floor of ev for [onset, offset) over a floor (RMS): one pass. */
void etw_twitch_amplitude(const etw_ring_view *v, int64_t onset, int64_t offset,
                          double floor_rms, double fs_hz, etw_twitch_event *ev);

/* Fills phases, turns and the clipping flag of ev for [onset, offset) over a floor (RMS);
 * half_window is the envelope half-window h; returns the spike fraction m / (m + a): mean
 * squared raw first difference in the 2 samples a single-sample spike would fill (its
 * largest value in the burst and the larger neighbour; measure.c, spike_fraction()) (m) and
 * in the other samples within 2 half-windows of it (a). Three more passes: the detector
 * asks only for bursts that classification or the output look at. */
double etw_twitch_shape(const etw_ring_view *v, int64_t onset, int64_t offset,
                        double floor_rms, double fs_hz, double clip_level, int64_t half_window,
                        etw_twitch_event *ev);

/* Saturation: 1 if the raw input in [from, to) stays at its highest or lowest value there
 * for 5 ms (at least 3 samples). A saturated amplifier's recovery (its sharp edge, the kink
 * where the signal leaves the rail, steps while it settles) is not a twitch. */
int etw_twitch_saturated(const etw_ring_view *v, int64_t from, int64_t to, double fs_hz);

/* Mean and median frequency (etw_spectral_features_compute()) of the power spectrum of the
 * Hann-windowed [onset, offset), evaluated every fmax_hz / 50 Hz (5 to 10 Hz) up to fmax_hz
 * (0 when there is no power); scratch holds (offset - onset) + 2 * fmax_hz / 5 doubles. */
void etw_twitch_spectrum(const etw_ring_view *v, int64_t onset, int64_t offset, double fs_hz,
                         double fmax_hz, double *scratch, double *mean_hz, double *median_hz);

#endif
