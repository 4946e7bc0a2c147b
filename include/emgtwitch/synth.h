/**
 * @file synth.h
 * @brief Synthetic surface-EMG recordings with exact ground truth: background, twitch bursts
 *        and distractors that are not twitches, generated deterministically from a seed.
 *
 * A generator is made from an ::etw_synth_config (start from etw_synth_config_default() or
 * a named preset, etw_synth_config_preset()). At creation the whole event schedule is
 * planned (that is the ground truth, available at once through etw_synth_events()); the
 * samples are then produced in blocks of any size by etw_synth_generate(), so a long
 * recording never needs a buffer of its own length. The output is identical however the
 * stream is cut into blocks and depends only on the configuration (seed included).
 *
 * @section etw_synth_snr Definition of the burst SNR
 * The reference level of a recording is the configured background RMS,
 * `B = sqrt(emg_rms_v^2 + white_rms_v^2)` (the stationary RMS of the background model,
 * whether or not the background is switched on). A twitch generated with SNR `S` dB has,
 * on its lead channel and over its ground-truth interval `[onset, offset)`, the RMS
 * `B * 10^(S/20)` of the twitch waveform alone (full band, as generated). Neighbouring
 * channels carry attenuated copies (lower SNR). The event's ::etw_synth_event::snr_db
 * reports the same ratio for every kind of event.
 *
 * @section etw_synth_model Model (see docs/synthetic.md for the references)
 * - background: white noise shaped to the surface-EMG spectrum of Shwedyk et al. (1977),
 *   P(f) ~ f^2 fh^4 / ((f^2 + fl^2)(f^2 + fh^2)^2), plus white electrode/amplifier noise;
 *   independent on each channel;
 * - twitch: a burst of motor-unit action potentials (Hermite-Rodriguez functions of order
 *   1 to 3, Lo Conte et al. 1994) of 2 to 5 units firing densely under an envelope with a
 *   fast rise and slower (exponential) decay; on the lead channel and `spread_channels`
 *   neighbours each side with a delay and an attenuation per channel;
 * - contraction: shaped EMG noise under a trapezoidal envelope with raised-cosine ramps;
 * - ECG: P-QRS-T complexes as sums of Gaussians (after McSharry et al. 2003), QRS width and
 *   heart rate configurable, on every channel with a per-channel gain;
 * - powerline hum with harmonics; baseline wander (slow sinusoids); motion artifacts
 *   (alpha-function transients); single-sample spikes; amplifier saturation (a large
 *   decaying transient, and the output clipped to the rail while saturation is enabled);
 * - stimulus markers, some followed by a twitch after a latency.
 *
 * @section etw_synth_nonfinite Non-finite values
 * Non-finite configuration values are rejected with ::ETW_ERR_NONFINITE; the output is
 * always finite.
 */
#ifndef EMGTWITCH_SYNTH_H
#define EMGTWITCH_SYNTH_H

#include "emgtwitch/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Kind of a ground-truth event. Only ::ETW_SYNTH_TWITCH is a twitch. */
typedef enum etw_synth_kind {
    ETW_SYNTH_TWITCH = 0,      /**< a twitch burst (the thing to detect) */
    ETW_SYNTH_CONTRACTION = 1, /**< a sustained voluntary contraction (ramps included) */
    ETW_SYNTH_ECG = 2,         /**< one heart beat; the interval is its QRS complex */
    ETW_SYNTH_MOTION = 3,      /**< a motion artifact (slow large transient) */
    ETW_SYNTH_SPIKE = 4,       /**< a single-sample spike on one channel */
    ETW_SYNTH_SATURATION = 5   /**< an amplifier saturation episode (clipped, then recovering) */
} etw_synth_kind;

/** Number of ::etw_synth_kind values. */
#define ETW_SYNTH_KIND_COUNT 6

/** One ground-truth event. Intervals are half-open sample ranges on the lead channel. */
typedef struct etw_synth_event {
    etw_synth_kind kind; /**< what it is */
    int64_t onset;       /**< first sample of the event on its lead channel */
    int64_t offset;      /**< one past its last sample (offset > onset) */
    double onset_s;      /**< onset / fs, seconds */
    double offset_s;     /**< offset / fs, seconds */
    double duration_s;   /**< (offset - onset) / fs, seconds */
    int32_t channel;     /**< lead channel (largest amplitude; 0-based) */
    int32_t first_channel; /**< first channel the event appears on */
    int32_t last_channel;  /**< last channel the event appears on (inclusive) */
    double snr_db;       /**< 20 log10(RMS of the component over [onset, offset) on the lead
                              channel / reference background RMS); see @ref etw_synth_snr.
                              For contractions the nominal plateau value. */
    double peak_v;       /**< largest absolute value of the component on the lead channel,
                              volts (contractions: nominal plateau RMS) */
    int32_t marker;      /**< index of the stimulus marker that evoked it, or -1 */
} etw_synth_event;

/** One stimulus marker (e.g. the moment a trigger point is snapped or needled). */
typedef struct etw_synth_marker {
    int64_t sample; /**< sample index of the stimulus */
    double time_s;  /**< sample / fs, seconds */
    int32_t event;  /**< index (in etw_synth_events()) of the twitch it evoked, or -1 */
} etw_synth_marker;

/** Background: surface-EMG-shaped noise plus white amplifier noise. */
typedef struct etw_synth_background {
    int enabled;        /**< nonzero: generate it (the SNR reference holds either way) */
    double emg_rms_v;   /**< RMS of the EMG-shaped noise, volts, >= 0 (default 5e-6) */
    double white_rms_v; /**< RMS of the white noise, volts, >= 0 (default 1e-6) */
    double fl_hz;       /**< lower corner of the EMG spectrum, Hz, > 0 (default 60) */
    double fh_hz;       /**< upper corner of the EMG spectrum, Hz, > fl_hz (default 120) */
} etw_synth_background;

/** Twitch bursts. */
typedef struct etw_synth_twitch {
    int enabled;              /**< nonzero: generate twitches */
    double rate_per_min;      /**< spontaneous twitches per minute, >= 0 (default 20); marker-
                                   evoked twitches come on top */
    double snr_min_db;        /**< SNR drawn uniformly in [snr_min_db, snr_max_db] (default 10) */
    double snr_max_db;        /**< upper SNR bound, >= snr_min_db (default 10) */
    double min_duration_ms;   /**< shortest burst, ms, >= 2 (default 10) */
    double max_duration_ms;   /**< longest burst, ms, <= 1000 (default 250) */
    int isolated;             /**< nonzero (default): keep twitches away from distractors */
    double isolation_s;       /**< minimum gap to another twitch and (when isolated) to
                                   contractions, motion and saturation events, s (default 0.5) */
    double ecg_guard_s;       /**< minimum gap to QRS complexes and spikes when isolated, s
                                   (default 0.05) */
    double margin_s;          /**< no twitch within this time of either end, s (default 1) */
    int spread_channels;      /**< neighbours each side that also carry it, >= 0 (default 1) */
    double delay_ms_per_channel; /**< delay per channel of distance, ms, >= 0 (default 1.5) */
    double attenuation_per_channel; /**< amplitude factor per channel of distance, 0..1
                                         (default 0.6) */
} etw_synth_twitch;

/** Sustained voluntary contractions. */
typedef struct etw_synth_contraction {
    int enabled;          /**< nonzero: generate them */
    double rate_per_min;  /**< contractions per minute, >= 0 (default 2) */
    double level_rms_v;   /**< plateau RMS, volts (default 5e-5) */
    double ramp_min_s;    /**< shortest ramp (up or down), s, > 0 (default 0.3) */
    double ramp_max_s;    /**< longest ramp, s (default 1.0) */
    double plateau_min_s; /**< shortest plateau, s, >= 0 (default 1) */
    double plateau_max_s; /**< longest plateau, s (default 4) */
} etw_synth_contraction;

/** ECG contamination. */
typedef struct etw_synth_ecg {
    int enabled;            /**< nonzero: generate it */
    double hr_min_bpm;      /**< heart rate drawn in [hr_min_bpm, hr_max_bpm] per recording,
                                 30..200 (default 50) */
    double hr_max_bpm;      /**< (default 100) */
    double hrv;             /**< relative SD of the RR interval, 0..0.2 (default 0.03) */
    double qrs_min_ms;      /**< QRS width drawn per beat in [qrs_min_ms, qrs_max_ms],
                                 40..200 (default 80) */
    double qrs_max_ms;      /**< (default 120) */
    double r_amplitude_v;   /**< R-wave amplitude on the strongest channel, volts
                                 (default 1.5e-4) */
} etw_synth_ecg;

/** Powerline hum. */
typedef struct etw_synth_powerline {
    int enabled;         /**< nonzero: generate it */
    double mains_hz;     /**< fundamental, Hz, 40..70 (default 50) */
    double amplitude_v;  /**< fundamental amplitude on the strongest channel, volts
                              (default 2e-5) */
    int harmonics;       /**< highest harmonic number, 1..20 (default 5); harmonics at or
                              above fs/2 are left out */
} etw_synth_powerline;

/** Baseline wander: three slow sinusoids per channel. */
typedef struct etw_synth_wander {
    int enabled;        /**< nonzero: generate it */
    double amplitude_v; /**< total amplitude, volts (default 1e-4) */
    double max_freq_hz; /**< highest frequency, Hz, > 0.01 (default 0.5) */
} etw_synth_wander;

/** Motion artifacts: slow large transients on every channel. */
typedef struct etw_synth_motion {
    int enabled;         /**< nonzero: generate them */
    double rate_per_min; /**< artifacts per minute (default 3) */
    double amplitude_v;  /**< peak amplitude, volts (default 1e-3) */
    double tau_min_ms;   /**< alpha-function time to peak, ms (default 30) */
    double tau_max_ms;   /**< (default 150); the event lasts 8 tau */
} etw_synth_motion;

/** Single-sample spikes. */
typedef struct etw_synth_spikes {
    int enabled;         /**< nonzero: generate them */
    double rate_per_min; /**< spikes per minute (default 6) */
    double amplitude_v;  /**< absolute amplitude, volts (default 5e-4); sign random */
} etw_synth_spikes;

/** Amplifier saturation. While enabled, the whole output is clipped to +-rail_v. */
typedef struct etw_synth_saturation {
    int enabled;           /**< nonzero: generate episodes and clip the output */
    double rate_per_min;   /**< episodes per minute (default 0.5) */
    double rail_v;         /**< amplifier rail, volts, > 0 (default 5e-3) */
    double min_duration_ms; /**< shortest episode (clipping + recovery), ms (default 50) */
    double max_duration_ms; /**< longest episode, ms (default 300) */
} etw_synth_saturation;

/** Stimulus markers. Evoked twitches take their SNR, duration, spread and isolation from
 * ::etw_synth_twitch and exist only while etw_synth_twitch::enabled is set; markers are placed
 * only where such a twitch would fit, whether or not one follows. */
typedef struct etw_synth_markers {
    int enabled;                 /**< nonzero: generate markers */
    double rate_per_min;         /**< markers per minute (default 6) */
    double response_probability; /**< chance that a twitch follows, 0..1 (default 0.7) */
    double latency_min_ms;       /**< twitch onset latency after the marker, ms, >= 0
                                      (default 5) */
    double latency_max_ms;       /**< (default 50) */
} etw_synth_markers;

/** Everything that defines a synthetic recording. */
typedef struct etw_synth_config {
    double fs_hz;       /**< sample rate, Hz, 500 .. 20000 */
    size_t nch;         /**< channels, 1 .. 1024 */
    double duration_s;  /**< length, s, > 0 and <= 86400 (rounded to whole samples) */
    uint64_t seed;      /**< everything follows from it */
    etw_synth_background background;   /**< background noise */
    etw_synth_twitch twitch;           /**< twitch bursts */
    etw_synth_contraction contraction; /**< voluntary contractions */
    etw_synth_ecg ecg;                 /**< ECG */
    etw_synth_powerline powerline;     /**< powerline hum */
    etw_synth_wander wander;           /**< baseline wander */
    etw_synth_motion motion;           /**< motion artifacts */
    etw_synth_spikes spikes;           /**< spikes */
    etw_synth_saturation saturation;   /**< saturation and clipping */
    etw_synth_markers markers;         /**< stimulus markers */
} etw_synth_config;

/** Counts describing a planned recording. */
typedef struct etw_synth_stats {
    int64_t nframes;                      /**< frames per channel */
    size_t nevents;                       /**< events in etw_synth_events() */
    size_t count[ETW_SYNTH_KIND_COUNT];   /**< events per ::etw_synth_kind */
    size_t twitches_requested;            /**< spontaneous twitches asked for
                                               (round(rate * duration / 60)) */
    size_t twitches_placed;               /**< of those, placed (fewer when the isolation
                                               rules left no room; never silently: compare) */
    size_t nmarkers;                      /**< markers */
    size_t markers_requested;             /**< markers asked for */
    double reference_rms_v;               /**< the SNR reference B, volts */
} etw_synth_stats;

/** Opaque generator. */
typedef struct etw_synth etw_synth;

/**
 * Default configuration: background and twitches (10 dB, 10-250 ms, 20 per minute) only,
 * every distractor off but carrying its documented default parameters.
 * @param fs_hz      sample rate, Hz.
 * @param nch        channels.
 * @param duration_s length, s.
 * @param seed       seed.
 * @return the configuration (not validated; etw_synth_create() validates).
 */
ETW_EXPORT etw_synth_config etw_synth_config_default(double fs_hz, size_t nch, double duration_s,
                                                     uint64_t seed);

/**
 * Switches the components of a named preset on `config`, keeping its fs, channels,
 * duration, seed and parameters. Presets: "clean" (background + twitches), "rest"
 * (background only), "powerline", "ecg", "contractions", "motion" (motion artifacts and
 * spikes), "all" (every distractor: the five sets plus baseline wander and saturation),
 * "demo" (all + stimulus markers, twitches at 6-20 dB). Each preset first switches every
 * component off, then the background, the twitches (except "rest") and its distractors on.
 * @param name    preset name (see etw_synth_preset_name()).
 * @param config  configuration to modify.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_NOT_FOUND for an unknown name (config
 *         unchanged).
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_synth_config_preset(const char *name,
                                                            etw_synth_config *config);

/**
 * Name of the i-th preset, for listing them.
 * @param i 0-based index.
 * @return a static string, or NULL when i is past the last preset.
 */
ETW_EXPORT const char *etw_synth_preset_name(size_t i);

/**
 * Short lower-case name of an event kind ("twitch", "contraction", "ecg", "motion",
 * "spike", "saturation"), suitable as a BIDS `trial_type`.
 * @param kind the kind.
 * @return a static string; "unknown" for an invalid kind.
 */
ETW_EXPORT const char *etw_synth_kind_name(etw_synth_kind kind);

/**
 * Parses a kind name written by etw_synth_kind_name().
 * @param name  the name (case-sensitive).
 * @param kind  out: the kind.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_NOT_FOUND.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_synth_kind_from_name(const char *name,
                                                             etw_synth_kind *kind);

/**
 * Validates a configuration, plans every event and allocates the generator. Planning is
 * O(events^2) in the worst case and allocates; not real-time safe.
 * @param config  the configuration (copied).
 * @param out     out: the generator, NULL on error.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_RANGE for a parameter outside its documented
 *         range (including twitches enabled with a zero reference RMS); ::ETW_ERR_NYQUIST if
 *         fh_hz is not below fs/2; ::ETW_ERR_NONFINITE for a NaN or infinite parameter;
 *         ::ETW_ERR_OVERFLOW if more than 10 million events would be planned;
 *         ::ETW_ERR_NOMEM.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_synth_create(const etw_synth_config *config,
                                                     etw_synth **out);

/**
 * Frees a generator. NULL is ignored.
 * @param synth the generator.
 */
ETW_EXPORT void etw_synth_destroy(etw_synth *synth);

/**
 * Rewinds to sample 0; the next samples are the same as after create. Real-time safe.
 * @param synth the generator (NULL ignored).
 */
ETW_EXPORT void etw_synth_reset(etw_synth *synth);

/**
 * Produces the next frames of the recording into planar buffers, in volts. Output is
 * bit-identical however the recording is cut into blocks. Real-time safe: no allocation.
 * @param synth     the generator.
 * @param out       nch pointers to at least nframes floats each.
 * @param nframes   frames wanted per channel (0 allowed).
 * @param produced  out: frames written, min(nframes, frames left); 0 at the end.
 * @return ::ETW_OK; ::ETW_ERR_NULL.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_synth_generate(etw_synth *synth, float *const *out,
                                                       size_t nframes, size_t *produced);

/**
 * Convenience: rewinds and writes the whole recording (etw_synth_stats::nframes frames).
 * @param synth     the generator.
 * @param out       nch pointers to at least `capacity` floats each.
 * @param capacity  frames each buffer holds.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_SIZE if capacity is smaller than the
 *         recording (nothing written).
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_synth_generate_all(etw_synth *synth, float *const *out,
                                                           size_t capacity);

/**
 * The ground truth: every planned event, sorted by onset (ties by kind). The array belongs
 * to the generator and lives until etw_synth_destroy(); nothing is ever dropped.
 * @param synth  the generator.
 * @param count  out: number of events (0 when synth is NULL).
 * @return the events, or NULL when there are none or synth is NULL.
 */
ETW_EXPORT const etw_synth_event *etw_synth_events(const etw_synth *synth, size_t *count);

/**
 * The stimulus markers, sorted by time. Same lifetime rules as etw_synth_events().
 * @param synth  the generator.
 * @param count  out: number of markers.
 * @return the markers, or NULL when there are none.
 */
ETW_EXPORT const etw_synth_marker *etw_synth_markers_get(const etw_synth *synth, size_t *count);

/**
 * Counts describing the planned recording (frames, events per kind, requested versus
 * placed twitches, SNR reference).
 * @param synth  the generator.
 * @param stats  out: the counts.
 * @return ::ETW_OK; ::ETW_ERR_NULL.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_synth_get_stats(const etw_synth *synth,
                                                        etw_synth_stats *stats);

/**
 * The configuration the generator was made from.
 * @param synth the generator (not NULL).
 * @return a pointer valid until etw_synth_destroy().
 */
ETW_EXPORT const etw_synth_config *etw_synth_get_config(const etw_synth *synth);

#ifdef __cplusplus
}
#endif

#endif /* EMGTWITCH_SYNTH_H */
