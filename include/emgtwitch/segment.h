/**
 * @file segment.h
 * @brief Noise floor of an envelope (from a rest segment, found automatically, or tracked
 *        while streaming), the classical onset/offset detectors, and windowing/epoching.
 *
 * All functions here work on an *envelope* (see envelope.h): a non-negative amplitude such
 * as the moving RMS, in the envelope's own unit. Levels and spreads come back in that unit.
 *
 * @section etw_floor_nonfinite Non-finite input
 * NaN and infinite envelope samples are ignored: they are left out of every statistic. A
 * tracker window with fewer than half of its samples finite is not learnt. The onset
 * detectors reject signals containing NaN or infinity with ::ETW_ERR_NONFINITE.
 *
 * @section etw_onset_methods Onset/offset detectors
 * etw_onset_detect() runs one of five classical detectors on a whole single-channel buffer
 * (offline; references and measured accuracy in docs/segmentation.md):
 * - ::ETW_ONSET_HODGES — Hodges & Bui (1996): moving average of the rectified signal over
 *   window_ms, active while above rest mean + k_sd * rest SD.
 * - ::ETW_ONSET_BONATO — Bonato, D'Alessio & Knaflitz (1998): the statistic
 *   g = (x[2j]^2 + x[2j+1]^2) / rest variance on sample pairs; active where at least
 *   bonato_r0 of bonato_m successive g exceed bonato_zeta; activations shorter than
 *   min_on_ms (their T1 = 30 ms) are dropped.
 * - ::ETW_ONSET_TKEO — TKEO-conditioned threshold (Li, Zhou & Aruin 2007; Solnik et al.
 *   2010): Teager–Kaiser energy of the band-passed signal, rectified and averaged over
 *   window_ms, active while above rest mean + k_sd * rest SD.
 * - ::ETW_ONSET_LIDIERTH — Lidierth (1986): rectified signal over rest mean + k_sd * SD; an
 *   onset needs min_on_ms above threshold in which drop-outs of up to max_dropout_ms are
 *   allowed; the activity ends after more than max_dropout_ms below threshold.
 * - ::ETW_ONSET_CUSUM — a sequential change-point detector (Page's CUSUM of the Gaussian
 *   log-likelihood ratio of a variance increase by cusum_ratio_db, decision threshold
 *   cusum_h, change time at the statistic's last zero; Basseville & Nikiforov 1993), in the
 *   family of statistical detectors Staude et al. (2001) compare.
 *
 * All of them optionally band-pass the signal first (zero-phase Butterworth), estimate the
 * rest statistics from a given rest segment or from the quietest 10 % of 250 ms windows, and
 * post-process the activity the same way: runs separated by at most merge_gap_ms are merged,
 * then runs shorter than min_duration_ms, longer than max_duration_ms (when > 0) or less than
 * min_snr_db above the rest are dropped. The averaging windows are centred (offline), so
 * onsets need no delay correction.
 */
#ifndef EMGTWITCH_SEGMENT_H
#define EMGTWITCH_SEGMENT_H

#include "emgtwitch/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Robust statistics of an envelope at rest. */
typedef struct etw_floor_estimate {
    double level;      /**< median of the rest samples (the floor) */
    double mean;       /**< mean of the rest samples */
    double sd;         /**< standard deviation of the rest samples */
    double mad_sd;     /**< 1.4826 * median absolute deviation: a robust SD */
    int64_t rest_start; /**< first sample of the rest segment used (the quietest window for
                             etw_floor_auto()) */
    int64_t rest_len;  /**< length of that segment in samples */
    size_t nsamples;   /**< finite samples the statistics were computed from */
} etw_floor_estimate;

/**
 * Noise floor from a segment known to be at rest: median, mean, SD and MAD of its samples.
 * Allocates a working copy; not real-time safe.
 * @param env  envelope samples of the rest segment.
 * @param n    number of samples, >= 1.
 * @param out  out: the statistics (rest_start = 0, rest_len = n).
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_RANGE if n is 0; ::ETW_ERR_NONFINITE if no
 *         sample is finite; ::ETW_ERR_NOMEM.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_floor_from_rest(const float *env, size_t n,
                                                        etw_floor_estimate *out);

/**
 * Finds the rest automatically: the envelope is cut into non-overlapping windows of
 * window_ms, each window's mean is computed, and the windows whose mean lies at or below the
 * given percentile of all window means are taken as rest; the statistics are those of
 * etw_floor_from_rest() over the samples of those windows. Robust as long as the signal is
 * at rest for more than `percentile` percent of the time. Allocates; not real-time safe.
 * @param env         envelope samples.
 * @param n           number of samples, >= one window.
 * @param fs_hz       sample rate in Hz, > 0.
 * @param window_ms   window length in ms, > 0 (e.g. 250; rounded to whole samples).
 * @param percentile  0 .. 100 (e.g. 10: the quietest tenth of the recording).
 * @param out         out: the statistics; rest_start/rest_len give the quietest window.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_RANGE (fs, window, percentile, or n shorter
 *         than one window); ::ETW_ERR_NONFINITE if a parameter is not finite or no window
 *         has finite samples; ::ETW_ERR_NOMEM.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_floor_auto(const float *env, size_t n, double fs_hz,
                                                   double window_ms, double percentile,
                                                   etw_floor_estimate *out);

/** Parameters of the adaptive noise-floor tracker. Fill with
 * etw_floor_tracker_config_default() and adjust. */
typedef struct etw_floor_tracker_config {
    double fs_hz;      /**< sample rate of the envelope in Hz, > 0 */
    size_t nch;        /**< channels, 1 .. 4096 */
    double window_ms;  /**< the envelope is summarised every window_ms (mean and SD of the
                            window); default 100 ms, > 0 */
    double horizon_s;  /**< the floor is a percentile of the window means of the last
                            horizon_s seconds of rest; default 5 s, >= window_ms */
    double percentile; /**< which percentile of the window means, 0 .. 100; default 50 */
    double gate_ratio; /**< a window whose mean exceeds gate_ratio * floor counts as active
                            and is not learnt; default 2; 0 disables the gate */
    double max_gate_s; /**< if windows stay gated this long (the floor itself rose), they are
                            learnt again; default 10 s, >= 0 */
    int spread;        /**< nonzero (default): also keep each window's SD, for the spread of
                            etw_floor_tracker_get(); 0: means only (the spread reads NaN), for
                            a caller that never asks: the window sums skip the squares.
                            The levels are the same either way */
} etw_floor_tracker_config;

/**
 * Default tracker parameters: 100 ms windows, 5 s horizon, median, gate at 2x the floor,
 * re-learn after 10 s of continuous gating.
 * @param fs_hz sample rate of the envelope in Hz.
 * @param nch   channels.
 * @return the configuration (validated by etw_floor_tracker_create()).
 */
ETW_EXPORT etw_floor_tracker_config etw_floor_tracker_config_default(double fs_hz, size_t nch);

/**
 * Adaptive noise-floor tracker over several channels (opaque). It follows slow changes of
 * the floor (over seconds) and ignores active periods: windows gated as active (see
 * etw_floor_tracker_config::gate_ratio) or frozen by the caller with
 * etw_floor_tracker_set_freeze() are not learnt. The floor changes only at window ends, at
 * absolute sample positions, so it does not depend on how the stream is cut into blocks.
 */
typedef struct etw_floor_tracker etw_floor_tracker;

/**
 * Creates a tracker. All memory is allocated here.
 * @param config parameters (copied).
 * @param out    out: the tracker; NULL on error.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_RANGE for a parameter outside its range;
 *         ::ETW_ERR_NONFINITE for a NaN/infinite parameter; ::ETW_ERR_OVERFLOW if the
 *         horizon holds more than 2^20 windows; ::ETW_ERR_NOMEM.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_floor_tracker_create(
    const etw_floor_tracker_config *config, etw_floor_tracker **out);

/**
 * Frees a tracker. NULL is ignored.
 * @param tracker the tracker.
 */
ETW_EXPORT void etw_floor_tracker_destroy(etw_floor_tracker *tracker);

/**
 * Forgets everything learnt (no floor yet) and unfreezes all channels. Real-time safe.
 * @param tracker the tracker (NULL ignored).
 */
ETW_EXPORT void etw_floor_tracker_reset(etw_floor_tracker *tracker);

/**
 * Feeds one block of envelope samples. Real-time safe: no allocation; cost linear in the
 * block size plus, per learnt window, a binary search and a shift in the sorted window means
 * of the horizon.
 * @param tracker the tracker.
 * @param env     nch pointers to nframes envelope samples.
 * @param nframes frames per channel, 0 allowed.
 * @return ::ETW_OK; ::ETW_ERR_NULL if tracker or env (or a channel pointer when
 *         nframes > 0) is NULL.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_floor_tracker_process(etw_floor_tracker *tracker,
                                                              const float *const *env,
                                                              size_t nframes);

/**
 * Freezes or unfreezes learning on one channel (e.g. while a detector reports activity).
 * A window during which the channel was frozen at any time is not learnt. To freeze at a
 * sample inside a block, split the block there. Real-time safe.
 * @param tracker the tracker.
 * @param ch      channel, 0 .. nch-1.
 * @param frozen  nonzero to freeze.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_RANGE for a bad channel.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_floor_tracker_set_freeze(etw_floor_tracker *tracker,
                                                                 size_t ch, int frozen);

/**
 * Seeds one channel with a known floor (e.g. from etw_floor_from_rest()): the whole horizon
 * is filled with that level and spread, so the tracker starts valid. Real-time safe.
 * @param tracker the tracker.
 * @param ch      channel, 0 .. nch-1.
 * @param level   floor in the envelope's unit, finite and >= 0.
 * @param spread  SD of the envelope at rest, finite and >= 0.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_RANGE; ::ETW_ERR_NONFINITE.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_floor_tracker_seed(etw_floor_tracker *tracker,
                                                           size_t ch, double level,
                                                           double spread);

/**
 * How many windows the floor of one channel rests on: the learnt windows in its horizon
 * (0 .. horizon / window; etw_floor_tracker_seed() fills the horizon at once). A floor from a
 * few windows scatters widely, and a caller that freezes learning on activity judged against
 * it may keep it biased (e.g. a detector whose floor starts low would learn only the
 * quietest windows for seconds); such a caller can leave learning open until enough windows
 * are in. Changes only at window ends. Real-time safe, O(1).
 * @param tracker the tracker.
 * @param ch      channel, 0 .. nch-1.
 * @param windows out: the number of learnt windows in the horizon.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_RANGE for a bad channel.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_floor_tracker_learnt(const etw_floor_tracker *tracker,
                                                             size_t ch, size_t *windows);

/**
 * Current floor of one channel. Real-time safe; with `spread` the median of the learnt SDs
 * is selected at the call (linear in the windows of the horizon; not safe to call from two
 * threads at once on one tracker: the selection uses the tracker's scratch), without it the
 * call is O(1).
 * @param tracker the tracker.
 * @param ch      channel, 0 .. nch-1.
 * @param level   out (may be NULL): the floor (percentile of the learnt window means, each
 *                rounded to float precision, interpolated in double) in the envelope's unit;
 *                NaN before the first window has been learnt.
 * @param spread  out (may be NULL): median of the learnt windows' SDs (the envelope's
 *                sample-to-sample SD at rest); NaN before the first window, and always NaN
 *                for a tracker created with etw_floor_tracker_config::spread 0.
 * @return ::ETW_OK; ::ETW_ERR_NULL if tracker is NULL; ::ETW_ERR_RANGE for a bad channel;
 *         ::ETW_ERR_STATE if nothing has been learnt yet on that channel (outputs NaN).
 */
ETW_EXPORT etw_status etw_floor_tracker_get(const etw_floor_tracker *tracker, size_t ch,
                                            double *level, double *spread);

/** Onset/offset detection method (see @ref etw_onset_methods). */
typedef enum etw_onset_method {
    ETW_ONSET_HODGES = 0,   /**< Hodges & Bui 1996: averaged rectified EMG over mean + k SD */
    ETW_ONSET_BONATO = 1,   /**< Bonato et al. 1998: double threshold on sample pairs */
    ETW_ONSET_TKEO = 2,     /**< Li 2007 / Solnik 2010: TKEO-conditioned threshold */
    ETW_ONSET_LIDIERTH = 3, /**< Lidierth 1986: threshold with minimum time and drop-outs */
    ETW_ONSET_CUSUM = 4     /**< Page's CUSUM change-point test on the variance */
} etw_onset_method;

/** Number of onset methods (the enumerators are 0 .. ETW_ONSET_NMETHODS-1). */
#define ETW_ONSET_NMETHODS 5

/** Parameters of an onset/offset detector, all in physical units. Fill with
 * etw_onset_config_default() (the method's published or documented defaults) and adjust,
 * directly or by name with etw_onset_config_set(). */
typedef struct etw_onset_config {
    etw_onset_method method; /**< detector */
    double fs_hz;            /**< sample rate in Hz, > 0 */
    double bandpass_lo_hz;   /**< band-pass lower edge in Hz; 0 = no band-pass (default 20) */
    double bandpass_hi_hz;   /**< band-pass upper edge in Hz, capped at 0.45 fs (default 450) */
    int bandpass_order;      /**< Butterworth order of the band-pass, 1 .. 8 (default 4) */
    double rest_start_s;     /**< start of a known rest segment in s (default 0) */
    double rest_len_s;       /**< its length in s; 0 = find the rest automatically (default) */
    double window_ms;        /**< averaging window of HODGES (default 25) and TKEO (default 25) */
    double k_sd;             /**< threshold = rest mean + k_sd * rest SD (HODGES 3, TKEO 8,
                                  LIDIERTH 3) */
    double min_on_ms;        /**< LIDIERTH: time above threshold to start (default 25);
                                  BONATO: shortest activation kept, T1 (default 30) */
    double max_dropout_ms;   /**< LIDIERTH: longest drop-out below threshold inside activity
                                  (default 10) */
    int bonato_m;            /**< BONATO: successive pair statistics examined (default 5) */
    int bonato_r0;           /**< BONATO: how many must exceed zeta (default 1) */
    double bonato_zeta;      /**< BONATO: threshold on g (default 7.74, the chi-square(2)
                                  quantile with a per-pair false-alarm rate of 2.1 %) */
    double cusum_ratio_db;   /**< CUSUM: variance increase tested for, in dB (default 6) */
    double cusum_h;          /**< CUSUM: decision threshold on the log-likelihood ratio
                                  (default 25) */
    double min_duration_ms;  /**< activity shorter than this is dropped (default 0) */
    double max_duration_ms;  /**< activity longer than this is dropped; 0 = no limit */
    double merge_gap_ms;     /**< activities separated by at most this are merged (default
                                  0) */
    double min_snr_db;       /**< activity whose mean power is less than this many dB above
                                  the rest's is dropped (default 0 = keep all) */
} etw_onset_config;

/** One period of activity. */
typedef struct etw_segment {
    int64_t onset;    /**< first active sample */
    int64_t offset;   /**< one past the last active sample (duration = offset - onset) */
    double onset_s;   /**< onset in seconds (onset / fs) */
    double offset_s;  /**< offset in seconds */
    double peak;      /**< largest absolute (band-passed) sample inside the activity */
    double snr_db;    /**< mean power of the (band-passed) signal inside the activity over its
                           mean power at rest, in dB */
} etw_segment;

/**
 * The documented defaults of a method (see each field of ::etw_onset_config).
 * @param method the detector.
 * @param fs_hz  sample rate in Hz.
 * @return the configuration (validated by etw_onset_detect()).
 */
ETW_EXPORT etw_onset_config etw_onset_config_default(etw_onset_method method, double fs_hz);

/**
 * Short lowercase name of a method: "hodges", "bonato", "tkeo", "lidierth", "cusum".
 * @param method the detector.
 * @return a static string; "unknown" for an invalid value.
 */
ETW_EXPORT const char *etw_onset_method_name(etw_onset_method method);

/**
 * Method from its name (as etw_onset_method_name(), case-sensitive).
 * @param name   the name.
 * @param method out: the method.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_NOT_FOUND for an unknown name.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_onset_method_from_name(const char *name,
                                                               etw_onset_method *method);

/**
 * Sets one parameter by its field name in ::etw_onset_config (e.g. "k_sd", "window_ms",
 * "bandpass_lo_hz", "bonato_m"; not "method"). Integer fields take the value rounded.
 * Ranges are checked by etw_onset_detect(), not here.
 * @param config the configuration.
 * @param name   the field name.
 * @param value  the new value.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_NOT_FOUND for an unknown name;
 *         ::ETW_ERR_NONFINITE for a NaN/infinite value.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_onset_config_set(etw_onset_config *config,
                                                         const char *name, double value);

/**
 * Names of the parameters etw_onset_config_set() accepts, in field order, NULL-terminated.
 * @return a static array of static strings.
 */
ETW_EXPORT const char *const *etw_onset_config_names(void);

/**
 * Value of a parameter by name (as etw_onset_config_set()).
 * @param config the configuration.
 * @param name   the field name.
 * @param value  out: the value.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_NOT_FOUND.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_onset_config_get(const etw_onset_config *config,
                                                         const char *name, double *value);

/**
 * Finds the periods of activity in one channel with the configured detector. Offline:
 * allocates working memory of about 10 bytes per sample; not real-time safe.
 * @param config   detector and parameters.
 * @param x        n samples (physical units).
 * @param n        samples; at least 1 s and longer than the rest segment's end.
 * @param out      out: the activity periods in time order.
 * @param capacity entries out can hold (0 allowed, with out NULL, to count).
 * @param count    out: number of periods found (also when capacity is too small).
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_RANGE for a parameter outside its range or a
 *         signal too short; ::ETW_ERR_NYQUIST for a band edge at or above fs/2 (after the
 *         0.45 fs cap of the upper edge, only the lower edge can cause it);
 *         ::ETW_ERR_NONFINITE for NaN/infinite samples or parameters; ::ETW_ERR_STATE if the
 *         rest segment has zero variance; ::ETW_ERR_CAPACITY if more than capacity periods
 *         were found (the first capacity are written); ::ETW_ERR_NOMEM.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_onset_detect(const etw_onset_config *config,
                                                     const float *x, size_t n,
                                                     etw_segment *out, size_t capacity,
                                                     size_t *count);

/**
 * Streaming form of the onset detectors (opaque): one channel, blocks of any size, activity
 * periods reported as they end. It differs from etw_onset_detect() where a stream must be
 * causal: the band-pass is the causal Butterworth cascade (not zero-phase), the rest must be
 * given (config->rest_len_s > 0: the rest is [rest_start_s, rest_start_s + rest_len_s) of the
 * stream; nothing is detected before its end), and a CUSUM onset is dated at most 1 s back.
 * The post-processing (drop-outs, minimum time on, merge gap, duration and SNR limits) is
 * exactly that of etw_onset_detect(). Averaging windows are re-centred by a delay line, so
 * onsets carry no window delay; the causal band-pass adds its own group delay.
 */
typedef struct etw_onset_stream etw_onset_stream;

/**
 * Creates a streaming detector. All memory is allocated here.
 * @param config detector and parameters (copied); rest_len_s must be > 0.
 * @param out    out: the detector; NULL on error.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_RANGE (a parameter, or rest_len_s == 0);
 *         ::ETW_ERR_NYQUIST; ::ETW_ERR_NONFINITE; ::ETW_ERR_NOMEM.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_onset_stream_create(const etw_onset_config *config,
                                                            etw_onset_stream **out);

/**
 * Frees a streaming detector. NULL is ignored.
 * @param stream the detector.
 */
ETW_EXPORT void etw_onset_stream_destroy(etw_onset_stream *stream);

/**
 * Returns to the state after creation (sample 0, rest not yet seen, nothing queued).
 * Real-time safe.
 * @param stream the detector (NULL ignored).
 */
ETW_EXPORT void etw_onset_stream_reset(etw_onset_stream *stream);

/**
 * Feeds one block and returns the activity periods that ended. Periods that do not fit in
 * `capacity` are kept (up to 256) and returned first by the next call. Output is identical
 * however the stream is cut into blocks. Real-time safe: no allocation.
 * @param stream   the detector.
 * @param x        nframes samples (finite; a non-finite sample is treated as 0).
 * @param nframes  frames, 0 allowed.
 * @param out      out: periods in time order (may be NULL when capacity is 0).
 * @param capacity entries out can hold.
 * @param count    out: periods written.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_CAPACITY if periods are still queued after
 *         filling out (call again, e.g. with nframes 0); ::ETW_ERR_OVERFLOW if more than 256
 *         periods were waiting and some were lost; ::ETW_ERR_STATE once the rest segment
 *         has passed with zero variance (nothing can be detected).
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_onset_stream_process(etw_onset_stream *stream,
                                                             const float *x, size_t nframes,
                                                             etw_segment *out,
                                                             size_t capacity, size_t *count);

/**
 * Ends the stream: samples still in the delay line are classified as far as they can be
 * (undecided ones as rest), an activity still open is closed at the last sample, and the
 * periods are returned as by etw_onset_stream_process(). Call reset() to start again.
 * Real-time safe.
 * @param stream   the detector.
 * @param out      out: periods.
 * @param capacity entries out can hold.
 * @param count    out: periods written.
 * @return as etw_onset_stream_process().
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_onset_stream_flush(etw_onset_stream *stream,
                                                           etw_segment *out, size_t capacity,
                                                           size_t *count);

/**
 * Classification delay in samples: a sample is classified this long after it arrives
 * (centred windows, Bonato's look-ahead, the CUSUM's 1 s look-back). A period is reported
 * at the earliest this plus max_dropout_ms plus merge_gap_ms after its end.
 * @param stream the detector (NULL gives 0).
 * @return the delay in samples.
 */
ETW_EXPORT size_t etw_onset_stream_get_latency(const etw_onset_stream *stream);

/** A span of samples [start, stop) of a recording. */
typedef struct etw_span {
    int64_t start; /**< first sample (may be negative for an epoch before the recording) */
    int64_t stop;  /**< one past the last sample */
} etw_span;

/**
 * Fixed windows with a hop: window i covers [round(i * hop), round(i * hop) + len) with
 * len = round(window_ms fs / 1000); only windows that fit in the recording are produced.
 * @param nframes   recording length in samples.
 * @param fs_hz     sample rate, > 0.
 * @param window_ms window length in ms (at least one sample).
 * @param hop_ms    hop in ms, > 0.
 * @param out       out (may be NULL when capacity is 0): the windows.
 * @param capacity  entries out can hold.
 * @param count     out: number of windows (also when capacity is too small).
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_RANGE; ::ETW_ERR_NONFINITE;
 *         ::ETW_ERR_SIZE if capacity < count.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_windows_fixed(int64_t nframes, double fs_hz,
                                                      double window_ms, double hop_ms,
                                                      etw_span *out, size_t capacity,
                                                      size_t *count);

/**
 * Epochs around markers: epoch i is [marker_i - round(pre_ms fs/1000),
 * marker_i + round(post_ms fs/1000)). Epochs are not clipped; compare with the recording's
 * length to see whether one is complete.
 * @param markers   nmarkers sample indices.
 * @param nmarkers  count (0 allowed).
 * @param fs_hz     sample rate, > 0.
 * @param pre_ms    time before each marker in ms (negative to start after the marker,
 *                  as long as pre_ms + post_ms > 0).
 * @param post_ms   time after each marker in ms.
 * @param out       out: nmarkers epochs.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_RANGE (empty epochs, fs); ::ETW_ERR_NONFINITE.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_epochs(const int64_t *markers, size_t nmarkers,
                                               double fs_hz, double pre_ms, double post_ms,
                                               etw_span *out);

#ifdef __cplusplus
}
#endif

#endif /* EMGTWITCH_SEGMENT_H */
