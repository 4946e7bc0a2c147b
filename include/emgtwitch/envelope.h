/**
 * @file envelope.h
 * @brief Amplitude envelopes of EMG: full-wave rectification, moving average (ARV), moving
 *        RMS, the Teager–Kaiser energy operator (TKEO) and the linear envelope, as streaming
 *        multi-channel objects and as one-shot calls on whole buffers.
 *
 * Every envelope is causal: output sample `n` depends on input samples `0 .. n` only (TKEO
 * needs one sample of look-ahead and is therefore delayed by one sample). The delay of the
 * envelope's centre of mass is reported by etw_envelope_get_latency() so detectors can
 * subtract it from event times.
 *
 * @section etw_envelope_exact Long recordings
 * The moving windows keep running sums in double and recompute each sum from its window
 * buffer every window length (at fixed absolute sample positions, so the output stays
 * independent of block sizes). Rounding therefore never accumulates beyond one window: after
 * 24 h at 4 kHz the moving RMS equals a direct computation over the last window to float
 * precision (tested).
 *
 * @section etw_envelope_nonfinite Non-finite input
 * A NaN or infinite input sample makes exactly the outputs that depend on it NaN: for ARV and
 * RMS the outputs whose window contains it, for TKEO the three outputs that use it, for
 * rectification the sample itself. For the linear envelope the sample is fed to the low-pass
 * as 0 and that one output is NaN. State is never poisoned: once the sample has left the
 * window, outputs are exactly what they would have been had the sample been 0.
 */
#ifndef EMGTWITCH_ENVELOPE_H
#define EMGTWITCH_ENVELOPE_H

#include "emgtwitch/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Kind of envelope. */
typedef enum etw_envelope_kind {
    ETW_ENV_RECTIFY = 0, /**< full-wave rectification |x[n]| */
    ETW_ENV_ARV = 1,     /**< average rectified value: mean of |x| over the last window */
    ETW_ENV_RMS = 2,     /**< root mean square of x over the last window */
    ETW_ENV_TKEO = 3,    /**< Teager–Kaiser energy x[n]^2 - x[n-1] x[n+1] (may be negative),
                              output one sample late */
    ETW_ENV_LINEAR = 4   /**< linear envelope: Butterworth low-pass of |x| */
} etw_envelope_kind;

/** Parameters of an envelope. Fill with etw_envelope_config_default() and adjust. */
typedef struct etw_envelope_config {
    etw_envelope_kind kind; /**< which envelope */
    double fs_hz;           /**< sample rate in Hz, > 0 */
    size_t nch;             /**< channels, 1 .. 4096 */
    double window_ms;       /**< ARV/RMS window length in ms (rounded to whole samples, at
                                 least 1 sample); ignored by the other kinds. Default 50. */
    double lowpass_hz;      /**< LINEAR: low-pass cutoff (-3 dB) in Hz, 0 < f < fs/2.
                                 Default 6. */
    int lowpass_order;      /**< LINEAR: Butterworth order 1 .. 8. Default 4. */
} etw_envelope_config;

/**
 * Default parameters for an envelope kind: 50 ms window for ARV/RMS, 4th-order 6 Hz
 * low-pass for the linear envelope.
 * @param kind  envelope kind.
 * @param fs_hz sample rate in Hz.
 * @param nch   channels.
 * @return the configuration (not validated; etw_envelope_create() checks it).
 */
ETW_EXPORT etw_envelope_config etw_envelope_config_default(etw_envelope_kind kind,
                                                           double fs_hz, size_t nch);

/**
 * Window length in samples that a configuration gives for ARV/RMS:
 * round(window_ms * fs_hz / 1000), at least 1.
 * @param config the configuration (NULL gives 0).
 * @return the window length in samples, 0 if the configuration is invalid.
 */
ETW_EXPORT size_t etw_envelope_window_samples(const etw_envelope_config *config);

/** Streaming multi-channel envelope (opaque). */
typedef struct etw_envelope etw_envelope;

/**
 * Creates an envelope object. All memory is allocated here.
 * @param config parameters (copied).
 * @param out    out: the object; NULL on error.
 * @return ::ETW_OK; ::ETW_ERR_NULL if an argument is NULL; ::ETW_ERR_RANGE for an unknown
 *         kind, fs <= 0, nch outside 1 .. 4096, window_ms <= 0 (ARV/RMS), an order outside
 *         1 .. 8 or cutoff <= 0 (LINEAR); ::ETW_ERR_NYQUIST for lowpass_hz >= fs/2;
 *         ::ETW_ERR_NONFINITE for a NaN/infinite parameter; ::ETW_ERR_OVERFLOW if the
 *         window would exceed 2^31 samples; ::ETW_ERR_NOMEM.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_envelope_create(const etw_envelope_config *config,
                                                        etw_envelope **out);

/**
 * Frees an envelope object. NULL is ignored.
 * @param env the object.
 */
ETW_EXPORT void etw_envelope_destroy(etw_envelope *env);

/**
 * Returns the object to its state just after creation (zero history). Real-time safe.
 * @param env the object (NULL ignored).
 */
ETW_EXPORT void etw_envelope_reset(etw_envelope *env);

/**
 * Computes the envelope of one block. Output is bit-identical however the stream is cut into
 * blocks. Real-time safe: no allocation, cost linear in nch * nframes.
 * @param env     the object.
 * @param in      nch pointers to nframes input samples (physical units).
 * @param out     nch pointers to nframes output samples: the envelope in the input's unit
 *                (RECTIFY, ARV, RMS, LINEAR) or its square (TKEO). `out[c]` may equal
 *                `in[c]`.
 * @param nframes frames per channel, 0 allowed.
 * @return ::ETW_OK; ::ETW_ERR_NULL if env, in or out (or a channel pointer when
 *         nframes > 0) is NULL.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_envelope_process(etw_envelope *env,
                                                         const float *const *in,
                                                         float *const *out, size_t nframes);

/**
 * Delay of the envelope relative to its input, in samples (may be fractional): (N-1)/2 for
 * an N-sample ARV/RMS window, 1 for TKEO, 0 for rectification, and the group delay at 0 Hz
 * of the low-pass for the linear envelope.
 * @param env the object (NULL gives 0).
 * @return the latency in samples.
 */
ETW_EXPORT double etw_envelope_get_latency(const etw_envelope *env);

/**
 * One-shot envelope of whole buffers: creates an object, processes the buffers as one block
 * and destroys it, so the result equals streaming. Allocates; not real-time safe.
 * @param config  parameters.
 * @param in      config->nch pointers to nframes samples.
 * @param out     config->nch pointers to nframes samples (may equal in).
 * @param nframes frames per channel.
 * @return as etw_envelope_create() and etw_envelope_process().
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_envelope_compute(const etw_envelope_config *config,
                                                         const float *const *in,
                                                         float *const *out, size_t nframes);

#ifdef __cplusplus
}
#endif

#endif /* EMGTWITCH_ENVELOPE_H */
