/**
 * @file segment.h
 * @brief Noise floor of an envelope (from a rest segment, found automatically, or tracked
 *        while streaming).
 *
 * All functions here work on an *envelope* (see envelope.h): a non-negative amplitude such
 * as the moving RMS, in the envelope's own unit. Levels and spreads come back in that unit.
 *
 * @section etw_floor_nonfinite Non-finite input
 * NaN and infinite envelope samples are ignored: they are left out of every statistic. A
 * tracker window with fewer than half of its samples finite is not learnt.
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
 * block size plus one selection over the horizon per completed window.
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
 * Current floor of one channel. Real-time safe.
 * @param tracker the tracker.
 * @param ch      channel, 0 .. nch-1.
 * @param level   out (may be NULL): the floor (percentile of the learnt window means) in the
 *                envelope's unit; NaN before the first window has been learnt.
 * @param spread  out (may be NULL): median of the learnt windows' SDs (the envelope's
 *                sample-to-sample SD at rest); NaN before the first window.
 * @return ::ETW_OK; ::ETW_ERR_NULL if tracker is NULL; ::ETW_ERR_RANGE for a bad channel;
 *         ::ETW_ERR_STATE if nothing has been learnt yet on that channel (outputs NaN).
 */
ETW_EXPORT etw_status etw_floor_tracker_get(const etw_floor_tracker *tracker, size_t ch,
                                            double *level, double *spread);

#ifdef __cplusplus
}
#endif

#endif /* EMGTWITCH_SEGMENT_H */
