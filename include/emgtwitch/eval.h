/**
 * @file eval.h
 * @brief Scoring detections against ground truth: one-to-one matching by onset, sensitivity,
 *        precision, F1, false alarms per minute, onset and duration errors, per recording and
 *        aggregated over recordings.
 *
 * Inputs are generic: half-open sample intervals `[onset, offset)` at a sample rate, so the
 * output of any detector (and any ground truth, synthetic or annotated) can be scored.
 *
 * @section etw_eval_matching Matching
 * A detection d and a truth t may be paired when `|onset(d) - onset(t)| <= tolerance`
 * (tolerance in seconds, rounded down to whole samples). Among all one-to-one pairings the
 * one with the **most pairs** is chosen and, among those, the one with the **smallest sum of
 * absolute onset differences**; remaining ties are broken deterministically. This is computed
 * exactly: with both lists sorted by onset an optimal pairing without crossings exists, so a
 * dynamic programme over each cluster of mutually reachable events (events separated by
 * more than the tolerance cannot interact) finds it, in time and memory proportional to
 * (truths x detections) of the largest cluster (tiny for events apart by more than the
 * tolerance; a detector flooding one long stretch with detections makes it large). Paired detections are true positives,
 * unpaired detections false positives, unpaired truths false negatives.
 *
 * @section etw_eval_metrics Metrics
 * - sensitivity = TP / (TP + FN); precision = TP / (TP + FP);
 *   F1 = 2 TP / (2 TP + FP + FN); each is NaN when its denominator is 0;
 * - false alarms per minute = FP / (recorded minutes);
 * - onset error = onset(d) - onset(t) (positive = late), duration error =
 *   duration(d) - duration(t), over the pairs: mean (bias) and sample SD (n - 1), in ms;
 *   NaN with no pair (SD: fewer than two).
 * A ::etw_eval_tally holds sums, so tallies of several recordings add up exactly
 * (etw_eval_tally_add()); etw_eval_summarise() turns any tally into metrics.
 */
#ifndef EMGTWITCH_EVAL_H
#define EMGTWITCH_EVAL_H

#include "emgtwitch/common.h"
#include "emgtwitch/synth.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A half-open sample interval [onset, offset). */
typedef struct etw_eval_interval {
    int64_t onset;  /**< first sample */
    int64_t offset; /**< one past the last sample, >= onset */
} etw_eval_interval;

/** Matching options. */
typedef struct etw_eval_config {
    double tolerance_s; /**< largest |onset difference| of a pair, s, >= 0 (default 0.05) */
} etw_eval_config;

/** Accumulated counts and error sums (add recordings together; zero-initialise). */
typedef struct etw_eval_tally {
    size_t recordings;   /**< recordings added */
    size_t truths;       /**< ground-truth events */
    size_t detections;   /**< detections */
    size_t matched;      /**< pairs (true positives) */
    double minutes;      /**< recorded time, minutes */
    double onset_sum_s;  /**< sum of onset errors over pairs, s */
    double onset_sq_s2;  /**< sum of squared onset errors, s^2 */
    double dur_sum_s;    /**< sum of duration errors, s */
    double dur_sq_s2;    /**< sum of squared duration errors, s^2 */
} etw_eval_tally;

/** Metrics of a tally (see @ref etw_eval_metrics). */
typedef struct etw_eval_summary {
    size_t tp;                /**< true positives */
    size_t fp;                /**< false positives */
    size_t fn;                /**< false negatives */
    double sensitivity;       /**< TP / (TP + FN), NaN if no truth */
    double precision;         /**< TP / (TP + FP), NaN if no detection */
    double f1;                /**< 2TP / (2TP + FP + FN), NaN if both are empty */
    double fa_per_min;        /**< FP per recorded minute, NaN if no time */
    double onset_bias_ms;     /**< mean onset error, ms */
    double onset_sd_ms;       /**< SD of the onset error, ms */
    double duration_bias_ms;  /**< mean duration error, ms */
    double duration_sd_ms;    /**< SD of the duration error, ms */
} etw_eval_summary;

/**
 * Default options (tolerance 50 ms).
 * @return the options.
 */
ETW_EXPORT etw_eval_config etw_eval_config_default(void);

/**
 * Pairs detections with ground truth one-to-one (see @ref etw_eval_matching) and adds the
 * result of this recording to `tally`. Inputs need not be sorted. Allocates working memory;
 * not real-time safe.
 * @param config      options (NULL: defaults).
 * @param truth       ntruth ground-truth intervals (may be NULL if ntruth is 0).
 * @param ntruth      number of truths.
 * @param det         ndet detected intervals (may be NULL if ndet is 0).
 * @param ndet        number of detections.
 * @param fs_hz       sample rate of both, Hz, > 0.
 * @param nframes     length of the recording in samples, >= 0 (for false alarms per minute).
 * @param tally       in/out: the recording is added to it (counts, minutes, error sums).
 * @param truth_match out (may be NULL): ntruth entries, the index of the paired detection
 *                    or -1.
 * @param det_match   out (may be NULL): ndet entries, the index of the paired truth or -1.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_RANGE (fs, tolerance, nframes, or an interval
 *         with offset < onset); ::ETW_ERR_NONFINITE (fs or tolerance); ::ETW_ERR_NOMEM.
 *         On error the tally and the match arrays are unchanged.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_eval_match(const etw_eval_config *config,
                                                   const etw_eval_interval *truth, size_t ntruth,
                                                   const etw_eval_interval *det, size_t ndet,
                                                   double fs_hz, int64_t nframes,
                                                   etw_eval_tally *tally, int64_t *truth_match,
                                                   int64_t *det_match);

/**
 * Adds tally `src` into `dst` (aggregation across recordings).
 * @param dst in/out.
 * @param src added.
 * @return ::ETW_OK; ::ETW_ERR_NULL.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_eval_tally_add(etw_eval_tally *dst,
                                                       const etw_eval_tally *src);

/**
 * Metrics of a tally. Thread-safe, no allocation.
 * @param tally the tally.
 * @param out   out: the metrics.
 * @return ::ETW_OK; ::ETW_ERR_NULL.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_eval_summarise(const etw_eval_tally *tally,
                                                       etw_eval_summary *out);

/**
 * Intervals of the ground-truth events of one kind (e.g. ::ETW_SYNTH_TWITCH), optionally only
 * those whose channel range includes `channel`.
 * @param events    events (from etw_synth_events()).
 * @param nevents   their number.
 * @param kind      the kind kept.
 * @param channel   keep events appearing on this channel, or -1 for all.
 * @param out       out: intervals (may be NULL to count only).
 * @param capacity  entries `out` holds.
 * @param count     out: number of intervals of that kind (also when they do not fit).
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_SIZE when more than `capacity` match (the
 *         first `capacity` are written and `count` tells how many are needed).
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_eval_intervals_from_synth(const etw_synth_event *events,
                                                                  size_t nevents,
                                                                  etw_synth_kind kind,
                                                                  int32_t channel,
                                                                  etw_eval_interval *out,
                                                                  size_t capacity,
                                                                  size_t *count);

#ifdef __cplusplus
}
#endif

#endif /* EMGTWITCH_EVAL_H */
