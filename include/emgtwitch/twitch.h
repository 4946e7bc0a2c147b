/**
 * @file twitch.h
 * @brief Streaming detector of short twitch bursts (e.g. local twitch responses, LTR) in
 *        surface EMG, with per-burst morphology, ECG/artifact rejection, multi-channel
 *        coincidence and stimulus-locked matching.
 *
 * @section etw_twitch_pipeline Pipeline (per channel, sample by sample)
 * 1. Non-finite samples are replaced by the last finite value of the channel; detection is
 *    blanked on that channel from the first non-finite sample until
 *    etw_twitch_config::settle_ms after the last one, and no burst that touches a blanked
 *    stretch (or lies within its quiet margins) is reported as a twitch.
 * 2. Conditioning: Butterworth band-pass etw_twitch_config::highpass_hz ..
 *    etw_twitch_config::lowpass_hz (the upper edge is capped at 0.45 fs), then a powerline
 *    comb (notches at the mains frequency and its harmonics up to the upper band edge); with
 *    ::ETW_TWITCH_MAINS_AUTO the mains frequency (50 or 60 Hz, or none) is decided from
 *    resonator energies over the first etw_twitch_config::mains_probe_ms of the stream.
 * 3. Detection signal and envelope: the conditioned signal through a second-order
 *    pre-emphasis (1 - a z^-1)^2, a = exp(-2 pi etw_twitch_config::emphasis_hz / fs), unit
 *    power gain for white noise (its power weighs frequency f by about (f^2 + fc^2)^2, the
 *    spectral contrast that makes the Teager-Kaiser energy better than plain RMS for brief
 *    motor-unit bursts); then its centred moving RMS over etw_twitch_config::envelope_ms.
 * 4. Noise floor: median of 25 ms block means of the envelope over the last
 *    etw_twitch_config::floor_window_ms, blocks that contain burst activity excluded.
 * 5. Bursts: hysteresis on the envelope at etw_twitch_config::on_db / etw_twitch_config::off_db
 *    over the floor; stretches shorter than etw_twitch_config::min_duration_ms are ignored,
 *    gaps up to etw_twitch_config::merge_gap_ms are bridged, and after a burst no new one may
 *    start for etw_twitch_config::refractory_ms.
 * 6. Classification of each burst (reasons are reported as flags): duration within
 *    [min_duration_ms, max_duration_ms]; isolated (no other burst within
 *    etw_twitch_config::pre_quiet_ms before and etw_twitch_config::post_quiet_ms after,
 *    apart from its own tail: a later burst at least 3 dB weaker, after a pause shorter than
 *    the burst, ending within etw_twitch_config::max_duration_ms of its onset);
 *    SNR >= etw_twitch_config::min_snr_db; peak envelope >= etw_twitch_config::min_peak_db
 *    over the floor, and above the level that the channel's background excursions reach
 *    etw_twitch_config::noise_alarms_per_min times a minute (exponential tail fitted to
 *    the excursions 0-3 dB over on_db of the last ~2 min: heavy-tailed real rest EMG raises
 *    it, Gaussian background does not); rise time <= etw_twitch_config::max_rise_ms;
 *    mean frequency >= etw_twitch_config::min_mean_freq_hz (motion artifacts, DC steps and
 *    filtered QRS complexes are low-frequency); not a single-sample spike or a step (mean
 *    squared raw first difference in the 2 samples a spike would put it into, its largest
 *    value and the larger neighbour, m, against the mean over the other samples within one
 *    envelope window of it, a: m / (m + a) <=
 *    etw_twitch_config::max_spike_fraction); the raw input not flat at its extreme for 5 ms
 *    (saturation); not part of a periodic ECG train (etw_twitch_config::ecg_reject).
 * 7. Multi-channel coincidence: accepted bursts of different channels whose onsets lie within
 *    etw_twitch_config::coincidence_ms of the first one's onset, or before its offset, are one
 *    event; events seen on fewer than
 *    etw_twitch_config::min_channels channels are discarded.
 *
 * Events come out in order of onset, after a fixed latency (etw_twitch_get_latency()).
 * Output is identical however the input stream is cut into blocks. See docs/twitch.md for
 * the algorithm, the justification of every default and what the detector cannot do.
 */
#ifndef EMGTWITCH_TWITCH_H
#define EMGTWITCH_TWITCH_H

#include "emgtwitch/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Highest channel count of a detector (the channel mask of an event has this many bits). */
#define ETW_TWITCH_MAX_CHANNELS 256

/** Number of 64-bit words in etw_twitch_event::channel_mask. */
#define ETW_TWITCH_MASK_WORDS (ETW_TWITCH_MAX_CHANNELS / 64)

/** Value of etw_twitch_config::mains_hz asking for automatic 50/60 Hz detection. */
#define ETW_TWITCH_MAINS_AUTO (-1.0)

/** Event flag: the burst is classified as a twitch (unset only when reporting all bursts). */
#define ETW_TWITCH_FLAG_TWITCH 0x0001u
/** Event flag: the raw signal sat at a constant extreme value inside the burst (clipping). */
#define ETW_TWITCH_FLAG_CLIPPED 0x0002u
/** Event flag: the stream ended (flush) before the burst or its quiet margin was complete. */
#define ETW_TWITCH_FLAG_TRUNCATED 0x0004u
/** Event flag (rejection reason): shorter than min_duration_ms or longer than max_duration_ms. */
#define ETW_TWITCH_FLAG_DURATION 0x0008u
/** Event flag (rejection reason): another burst lies within the quiet margins. */
#define ETW_TWITCH_FLAG_NOT_ISOLATED 0x0010u
/** Event flag (rejection reason): SNR below min_snr_db or peak below min_peak_db. */
#define ETW_TWITCH_FLAG_LOW_SNR 0x0020u
/** Event flag (rejection reason): rise time above max_rise_ms. */
#define ETW_TWITCH_FLAG_SLOW_RISE 0x0040u
/** Event flag (rejection reason): mean frequency below min_mean_freq_hz (motion, DC step). */
#define ETW_TWITCH_FLAG_LOW_FREQUENCY 0x0080u
/** Event flag (rejection reason): energy concentrated around one sample (spike). */
#define ETW_TWITCH_FLAG_SPIKE 0x0100u
/** Event flag (rejection reason): member of a periodic ECG (QRS) train. */
#define ETW_TWITCH_FLAG_ECG 0x0200u
/** Event flag (rejection reason): non-finite input inside the burst or its quiet margins. */
#define ETW_TWITCH_FLAG_NONFINITE 0x0400u
/** Event flag (rejection reason): seen on fewer than min_channels channels. */
#define ETW_TWITCH_FLAG_FEW_CHANNELS 0x0800u
/** Event flag (rejection reason): the raw input stays at its highest or lowest value for
 *  5 ms or more inside the burst or within etw_twitch_config::settle_ms (at least 25 ms)
 *  before it (amplifier saturation and its recovery). */
#define ETW_TWITCH_FLAG_SATURATED 0x1000u

/**
 * Detector configuration. Every field is in physical units; get a filled one from
 * etw_twitch_config_default() or etw_twitch_config_ltr(), then change fields directly or by
 * name with etw_twitch_config_set(). The defaults and their justification are in the
 * parameter table (etw_twitch_param_info()) and docs/twitch.md.
 */
typedef struct etw_twitch_config {
    double fs_hz;             /**< sample rate, 200 .. 100000 Hz (accuracy measured from 500) */
    size_t nch;               /**< channels, 1 .. ::ETW_TWITCH_MAX_CHANNELS */
    double highpass_hz;       /**< lower band edge, Hz (default 20) */
    double lowpass_hz;        /**< upper band edge, Hz, capped at 0.45 fs (default 450) */
    int filter_order;         /**< Butterworth prototype order of the band-pass, 1 .. 8 (4) */
    double emphasis_hz;       /**< corner of the second-order pre-emphasis of the detection
                                   signal, Hz; 0 = none (default 70, see the parameter table) */
    double mains_hz;          /**< ::ETW_TWITCH_MAINS_AUTO, 0 (no notch) or the mains Hz */
    int mains_harmonics;      /**< notches at k*mains for k = 1 .. this, below lowpass (8) */
    double notch_q;           /**< quality factor of each notch (30) */
    double mains_probe_ms;    /**< stretch used to decide the mains frequency, ms (500) */
    double settle_ms;         /**< blanking at start and after non-finite input, ms (200) */
    double envelope_ms;       /**< centred RMS window, ms (5) */
    double floor_window_ms;   /**< noise floor median window, ms (2000) */
    double on_db;             /**< burst start threshold over the floor, dB (6) */
    double off_db;            /**< burst end threshold over the floor, dB (3) */
    double min_duration_ms;   /**< shortest burst, ms (5) */
    double max_duration_ms;   /**< longest twitch, ms (300) */
    double merge_gap_ms;      /**< gaps up to this are bridged, ms (30) */
    double refractory_ms;     /**< dead time after a burst, ms (0) */
    double pre_quiet_ms;      /**< quiet required before the onset, ms (150) */
    double post_quiet_ms;     /**< quiet required after the offset, ms (150) */
    double min_snr_db;        /**< minimum burst SNR over the floor, dB (3) */
    double min_peak_db;       /**< minimum peak envelope over the floor, dB (10); raised by
                                   1.5 dB per decade of channels (multiple comparisons) */
    double noise_alarms_per_min; /**< per channel: the peak criterion is raised above
                                   min_peak_db to where the background's own excursions are
                                   expected this often a minute, from the tail of the
                                   excursions just over on_db (0.5); 0 = off */
    double max_rise_ms;       /**< longest onset-to-peak time, ms (150) */
    double min_mean_freq_hz;  /**< lowest mean frequency of a twitch, Hz (50) */
    double max_spike_fraction; /**< highest m / (m + a): mean squared raw first difference
                                    at its largest value and the larger neighbour (m) and
                                    around them within one envelope window (a) (0.995) */
    int ecg_reject;           /**< 1: reject members of a periodic QRS train; 0: off (1) */
    double ecg_rr_min_ms;     /**< shortest RR interval considered, ms (400) */
    double ecg_rr_max_ms;     /**< longest RR interval considered, ms (1300); one
                                   interval of a 4-beat run may span a missed beat (up to
                                   2x this, counted as half) */
    double ecg_tolerance;     /**< allowed relative spread of the RR intervals (0.2) */
    int min_channels;         /**< channels an event must be seen on (1) */
    double coincidence_ms;    /**< onsets this close on several channels are one event (20) */
    double clip_level;        /**< |raw| at or above this is clipping; 0 = detect flat tops */
    int report_all;           /**< 1: also report rejected bursts (flag TWITCH unset) (0) */
} etw_twitch_config;

/**
 * One detected burst. Times are absolute sample indices since create/reset (and the same in
 * seconds). For multi-channel events the measures are those of the primary channel (the one
 * with the highest SNR); onset is the earliest and offset the latest over the channels.
 */
typedef struct etw_twitch_event {
    int64_t onset;          /**< first sample of the burst */
    int64_t offset;         /**< first sample after the burst */
    int64_t peak;           /**< sample of the envelope maximum */
    double onset_s;         /**< onset / fs, seconds */
    double offset_s;        /**< offset / fs, seconds */
    double peak_s;          /**< peak / fs, seconds */
    double duration_s;      /**< (offset - onset) / fs, seconds */
    double rise_time_s;     /**< (peak - onset) / fs, seconds */
    double peak_envelope;   /**< RMS envelope of the detection signal (pre-emphasised) at the
                                 peak, signal units */
    double peak_to_peak;    /**< max - min of the conditioned signal, signal units */
    double area;            /**< integral of the rectified conditioned signal, units*s */
    double snr_db;          /**< 10 log10((P_burst - P_floor) / P_floor) of the detection
                                 signal, dB */
    double floor;           /**< local noise floor (RMS of the detection signal), signal
                                 units */
    int phases;             /**< baseline crossings + 1 of the detection signal (hysteresis
                                 at the floor level) */
    int turns;              /**< slope reversals of the detection signal exceeding 2 floors */
    double mean_freq_hz;    /**< mean frequency of the conditioned signal over the burst and
                                 25 ms on each side (Hann window), Hz; 0 when not computed
                                 (bursts below the SNR/peak criteria, unless report_all) */
    double median_freq_hz;  /**< median frequency of the same spectrum, Hz */
    size_t channel;         /**< primary channel, 0-based */
    size_t nchannels;       /**< number of channels involved */
    uint64_t channel_mask[ETW_TWITCH_MASK_WORDS]; /**< bit c set if channel c is involved */
    double confidence;      /**< 0 .. 1, grows with the SNR margin; 0 when rejected */
    unsigned flags;         /**< ETW_TWITCH_FLAG_* bits */
} etw_twitch_event;

/** Streaming twitch detector (opaque). */
typedef struct etw_twitch etw_twitch;

/**
 * Fills a configuration with the general defaults for a sample rate and channel count.
 * @param fs_hz sample rate, 200 .. 100000 Hz (below 500 Hz the EMG band is cut short).
 * @param nch   channels, 1 .. ::ETW_TWITCH_MAX_CHANNELS.
 * @param cfg   out: the configuration.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_RANGE; ::ETW_ERR_NONFINITE.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_twitch_config_default(double fs_hz, size_t nch,
                                                              etw_twitch_config *cfg);

/**
 * Fills a configuration with the preset for local twitch responses recorded near the heart
 * (upper trapezius): 30 Hz high-pass, 200 ms quiet margins and a 16 dB peak criterion, so
 * only clearly visible responses count (small motor-unit blips of a resting muscle, which the
 * more sensitive defaults report, stay out). ECG rejection as in the defaults.
 * @param fs_hz sample rate, 200 .. 100000 Hz (below 500 Hz the EMG band is cut short).
 * @param nch   channels, 1 .. ::ETW_TWITCH_MAX_CHANNELS.
 * @param cfg   out: the configuration.
 * @return as etw_twitch_config_default().
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_twitch_config_ltr(double fs_hz, size_t nch,
                                                          etw_twitch_config *cfg);

/**
 * Checks every field of a configuration against the ranges of the parameter table.
 * @param cfg the configuration.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_NONFINITE for a NaN/Inf field;
 *         ::ETW_ERR_RANGE for a field outside its range or inconsistent pair
 *         (off_db > on_db, min_duration_ms > max_duration_ms, highpass_hz >= capped lowpass,
 *         ecg_rr_min_ms > ecg_rr_max_ms); ::ETW_ERR_NYQUIST if highpass_hz >= fs/2.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_twitch_config_validate(const etw_twitch_config *cfg);

/** Description of one configuration parameter (for command lines and help texts). */
typedef struct etw_twitch_param {
    const char *name;        /**< field name, e.g. "on_db" */
    const char *unit;        /**< "Hz", "ms", "dB", "" ... */
    const char *help;        /**< one line: meaning and why the default */
    double min_value;        /**< smallest accepted value */
    double max_value;        /**< largest accepted value */
    int is_integer;          /**< 1 if the field is an int */
} etw_twitch_param;

/**
 * Number of entries in the parameter table.
 * @return the count (every field except fs_hz and nch).
 */
ETW_EXPORT size_t etw_twitch_param_count(void);

/**
 * Entry `index` of the parameter table.
 * @param index 0 .. etw_twitch_param_count() - 1.
 * @return a pointer to static storage, or NULL if index is out of range. Thread-safe.
 */
ETW_EXPORT const etw_twitch_param *etw_twitch_param_info(size_t index);

/**
 * Reads a parameter's current value by name.
 * @param cfg   the configuration.
 * @param name  a name from the parameter table.
 * @param value out: the value (ints converted to double).
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_NOT_FOUND for an unknown name.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_twitch_config_get(const etw_twitch_config *cfg,
                                                          const char *name, double *value);

/**
 * Sets one parameter from a "name=value" string, e.g. "on_db=8" or "mains_hz=auto".
 * The value is a decimal number; "auto" is accepted for mains_hz and "on"/"off" for the
 * 0/1 switches. The range of the single field is checked; run etw_twitch_config_validate()
 * after setting several.
 * @param cfg        the configuration to change.
 * @param assignment "name=value".
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_FORMAT if there is no '=' or the value is not
 *         a number (or not an integer for an integer field); ::ETW_ERR_NOT_FOUND for an
 *         unknown name; ::ETW_ERR_NONFINITE; ::ETW_ERR_RANGE. On error cfg is unchanged.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_twitch_config_set(etw_twitch_config *cfg,
                                                          const char *assignment);

/**
 * Creates a detector. All memory is allocated here; process and flush never allocate.
 * @param cfg configuration (copied), validated with etw_twitch_config_validate().
 * @param out out: the detector, NULL on error.
 * @return ::ETW_OK; ::ETW_ERR_NULL; the statuses of etw_twitch_config_validate();
 *         ::ETW_ERR_NOMEM.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_twitch_create(const etw_twitch_config *cfg,
                                                      etw_twitch **out);

/**
 * Frees a detector. NULL is ignored.
 * @param det the detector.
 */
ETW_EXPORT void etw_twitch_destroy(etw_twitch *det);

/**
 * Returns the detector to its state right after create (sample time 0, no history).
 * Real-time safe.
 * @param det the detector (NULL ignored).
 */
ETW_EXPORT void etw_twitch_reset(etw_twitch *det);

/**
 * Pushes one block of planar samples and collects the events that became final.
 *
 * Events are written to `events` in order of onset. When `capacity` is reached while more
 * events are due, the call stops consuming input and returns ::ETW_ERR_CAPACITY with
 * `*consumed` < nframes: deliver the events, then call again with the input advanced by
 * `*consumed` frames (nothing is ever dropped). Real-time safe: no allocation, cost bounded
 * by nframes.
 *
 * @param det       the detector.
 * @param in        nch pointers to nframes samples each (may be NULL when nframes is 0).
 * @param nframes   frames per channel, 0 allowed.
 * @param consumed  out: frames consumed (nframes on ::ETW_OK).
 * @param events    out: up to capacity events (may be NULL when capacity is 0).
 * @param capacity  size of events.
 * @param nevents   out: events written.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_CAPACITY (see above); ::ETW_ERR_STATE after
 *         etw_twitch_flush() (call etw_twitch_reset() first).
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_twitch_process(etw_twitch *det, const float *const *in,
                                                       size_t nframes, size_t *consumed,
                                                       etw_twitch_event *events,
                                                       size_t capacity, size_t *nevents);

/**
 * Ends the stream: closes open bursts (flag ::ETW_TWITCH_FLAG_TRUNCATED when a burst or its
 * quiet margin was cut) and delivers every remaining event. When they do not fit it returns
 * ::ETW_ERR_CAPACITY; call it again to receive the rest. Afterwards etw_twitch_process()
 * returns ::ETW_ERR_STATE until etw_twitch_reset(). Real-time safe.
 * @param det       the detector.
 * @param events    out: up to capacity events (may be NULL when capacity is 0).
 * @param capacity  size of events.
 * @param nevents   out: events written.
 * @return ::ETW_OK when everything was delivered; ::ETW_ERR_NULL; ::ETW_ERR_CAPACITY.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_twitch_flush(etw_twitch *det, etw_twitch_event *events,
                                                     size_t capacity, size_t *nevents);

/**
 * Latency: an event with onset n is delivered by the call that consumes sample
 * n + latency at the latest. It is the sum of the envelope half-window, the longest burst,
 * the merge gap, the decision horizon (post_quiet_ms, or 3 * ecg_rr_max_ms with ECG
 * rejection) and the coincidence window (at least the longest burst).
 * @param det the detector.
 * @return the latency in samples, or -1 if det is NULL.
 */
ETW_EXPORT int64_t etw_twitch_get_latency(const etw_twitch *det);

/**
 * The noise floor a channel's bursts are judged against right now: the RMS level of the
 * detection signal (band-passed, pre-emphasised) at rest, in the input's signal units — the
 * quantity reported as etw_twitch_event::floor. It is re-read from the floor tracker at the end
 * of each 25 ms floor window of detection time (fixed sample times, trailing the input by the
 * envelope's half-window), so it does not depend on how the stream is cut into blocks.
 * Real-time safe, O(1).
 * @param det   the detector.
 * @param ch    channel, 0 .. nch-1.
 * @param floor out: the floor, signal units (> 0); NaN when not learnt yet.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_RANGE for a bad channel; ::ETW_ERR_STATE when
 *         the channel has no floor yet (the first tracker window after create or reset has
 *         not ended, or the input so far was not finite).
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_twitch_get_floor(const etw_twitch *det, size_t ch,
                                                         double *floor);

/**
 * Offline helper: runs a fresh detector over whole signals (create, one process call per
 * internal chunk, flush, destroy) — the same code and the same events as streaming.
 * @param cfg      configuration.
 * @param in       cfg->nch pointers to nframes samples.
 * @param nframes  frames per channel.
 * @param events   out: up to capacity events (may be NULL when capacity is 0).
 * @param capacity size of events.
 * @param nfound   out: number of events found; when it exceeds capacity only the first
 *                 capacity were written and ::ETW_ERR_CAPACITY is returned.
 * @return ::ETW_OK; ::ETW_ERR_NULL; the statuses of etw_twitch_create();
 *         ::ETW_ERR_CAPACITY.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_twitch_detect(const etw_twitch_config *cfg,
                                                      const float *const *in, size_t nframes,
                                                      etw_twitch_event *events,
                                                      size_t capacity, size_t *nfound);

/** Outcome of one stimulus marker in stimulus-locked mode. */
typedef struct etw_twitch_response {
    int64_t marker;      /**< the marker time, sample index */
    int responded;       /**< 1 if a twitch began inside the latency window */
    size_t event_index;  /**< index of the first such event in the event array */
    double latency_s;    /**< onset - marker, seconds (0 when no response) */
} etw_twitch_response;

/**
 * Stimulus-locked matching: for each marker, the first twitch event (flag
 * ::ETW_TWITCH_FLAG_TWITCH) whose onset lies in [marker + min_latency_ms,
 * marker + max_latency_ms]. Events must be sorted by onset (as the detector delivers them);
 * markers may come in any order. Pure function, thread-safe.
 * @param events          events from the detector.
 * @param nevents         count (0 allowed).
 * @param markers         marker times, sample indices.
 * @param nmarkers        count (0 allowed).
 * @param fs_hz           sample rate, > 0.
 * @param min_latency_ms  window start after the marker, ms (may be negative), finite.
 * @param max_latency_ms  window end, ms, >= min_latency_ms.
 * @param results         out: nmarkers results.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_RANGE; ::ETW_ERR_NONFINITE.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_twitch_match_markers(
    const etw_twitch_event *events, size_t nevents, const int64_t *markers, size_t nmarkers,
    double fs_hz, double min_latency_ms, double max_latency_ms, etw_twitch_response *results);

#ifdef __cplusplus
}
#endif

#endif /* EMGTWITCH_TWITCH_H */
