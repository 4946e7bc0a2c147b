/**
 * @file filter.h
 * @brief IIR filter design (Butterworth, notch, peak, powerline comb), frequency responses,
 *        the streaming multi-channel biquad cascade and offline zero-phase filtering.
 *
 * @section etw_sos_convention Second-order sections
 * A design is an array of sections, each `{b0, b1, b2, a0, a1, a2}` with `a0 = 1`, in the
 * layout and sign convention of `scipy.signal` (`output='sos'`):
 *
 *     H(z) = prod_k (b0 + b1 z^-1 + b2 z^-2) / (1 + a1 z^-1 + a2 z^-2)
 *
 * so arrays can be exchanged with SciPy unchanged. Butterworth designs reproduce
 * `scipy.signal.butter(N, Wn, btype, fs=fs, output='sos')` section for section (same pairing
 * and order) to 1e-9 relative.
 */
#ifndef EMGTWITCH_FILTER_H
#define EMGTWITCH_FILTER_H

#include "emgtwitch/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One second-order section: b0, b1, b2, a0 (= 1), a1, a2 (SciPy's layout and signs). */
typedef double etw_sos[6];

/** Highest Butterworth order accepted by etw_butter(). */
#define ETW_BUTTER_MAX_ORDER 16

/** Kind of frequency-selective design. */
typedef enum etw_filter_type {
    ETW_LOWPASS = 0,  /**< passes below the cutoff */
    ETW_HIGHPASS = 1, /**< passes above the cutoff */
    ETW_BANDPASS = 2, /**< passes between low and high cutoff */
    ETW_BANDSTOP = 3  /**< rejects between low and high cutoff */
} etw_filter_type;

/**
 * Number of sections a Butterworth design of this type and order has:
 * ceil(order/2) for low/high-pass, order for band-pass/band-stop. Pure, real-time safe.
 * @param type  design type.
 * @param order 1 .. ::ETW_BUTTER_MAX_ORDER.
 * @return the count, or 0 when type or order is invalid.
 */
ETW_EXPORT size_t etw_butter_sections(etw_filter_type type, int order);

/**
 * Digital Butterworth design (bilinear transform with pre-warping), as SOS.
 * Equal to `scipy.signal.butter(order, Wn, btype, fs=fs_hz, output='sos')`.
 * Pure and real-time safe (no allocation; works on the stack).
 *
 * @param type       ::ETW_LOWPASS, ::ETW_HIGHPASS, ::ETW_BANDPASS or ::ETW_BANDSTOP.
 * @param order      1 .. ::ETW_BUTTER_MAX_ORDER (for band designs, the order of the
 *                   prototype: the filter has 2*order poles, like SciPy).
 * @param low_hz     cutoff (-3 dB) for low/high-pass; lower edge for band designs.
 *                   0 < low_hz < fs_hz/2.
 * @param high_hz    upper edge for band designs (low_hz < high_hz < fs_hz/2); ignored
 *                   for low/high-pass.
 * @param fs_hz      sample rate in Hz, > 0.
 * @param sos        out: etw_butter_sections(type, order) sections.
 * @param capacity   number of sections `sos` can hold.
 * @param nsections  out: number of sections written.
 * @return ::ETW_OK; ::ETW_ERR_NULL if sos or nsections is NULL; ::ETW_ERR_RANGE for an
 *         invalid type, order, fs or non-positive cutoff, or low_hz >= high_hz;
 *         ::ETW_ERR_NYQUIST for a cutoff at or above fs/2; ::ETW_ERR_NONFINITE for a NaN or
 *         infinite argument; ::ETW_ERR_SIZE if capacity is too small. On error nothing is
 *         written to `sos`.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_butter(etw_filter_type type, int order, double low_hz,
                                               double high_hz, double fs_hz, etw_sos *sos,
                                               size_t capacity, size_t *nsections);

/**
 * Second-order IIR notch at f0 with quality factor Q (-3 dB width f0/Q), equal to
 * `scipy.signal.iirnotch(f0, Q, fs)` written as one section. Pure, real-time safe.
 * @param f0_hz  notch frequency, 0 < f0_hz < fs_hz/2.
 * @param q      quality factor, > 0.
 * @param fs_hz  sample rate in Hz, > 0.
 * @param sos    out: one section.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_RANGE; ::ETW_ERR_NYQUIST; ::ETW_ERR_NONFINITE.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_iirnotch(double f0_hz, double q, double fs_hz,
                                                 etw_sos sos);

/**
 * Second-order IIR peak (resonator) at f0, equal to `scipy.signal.iirpeak(f0, Q, fs)`.
 * Parameters and statuses as etw_iirnotch(). Pure, real-time safe.
 * @param f0_hz  peak frequency, 0 < f0_hz < fs_hz/2.
 * @param q      quality factor, > 0.
 * @param fs_hz  sample rate in Hz, > 0.
 * @param sos    out: one section.
 * @return as etw_iirnotch().
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_iirpeak(double f0_hz, double q, double fs_hz,
                                                etw_sos sos);

/**
 * Powerline comb: a cascade of etw_iirnotch() sections at mains_hz and its harmonics
 * k*mains_hz (k = 1 .. max_harmonics) that lie below the Nyquist frequency (harmonics at
 * or above 0.98 * fs/2 are left out). Pure, real-time safe.
 * @param mains_hz       fundamental, typically 50 or 60; 0 < mains_hz < fs_hz/2.
 * @param q              quality factor of every notch, > 0.
 * @param max_harmonics  1 .. 64 (1 = fundamental only).
 * @param fs_hz          sample rate in Hz.
 * @param sos            out: one section per notch.
 * @param capacity       sections `sos` can hold.
 * @param nsections      out: sections written.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_RANGE; ::ETW_ERR_NYQUIST;
 *         ::ETW_ERR_NONFINITE; ::ETW_ERR_SIZE.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_powerline_comb(double mains_hz, double q,
                                                       int max_harmonics, double fs_hz,
                                                       etw_sos *sos, size_t capacity,
                                                       size_t *nsections);

/**
 * Frequency response of a cascade at given frequencies. Pure, real-time safe (cost linear
 * in nsections * nfreq).
 * @param sos        sections (SciPy layout).
 * @param nsections  >= 1.
 * @param fs_hz      sample rate, > 0.
 * @param freqs_hz   nfreq frequencies in Hz (0 .. fs_hz/2).
 * @param nfreq      number of frequencies (0 allowed).
 * @param magnitude  out (may be NULL): |H| (linear).
 * @param phase_rad  out (may be NULL): arg H in radians, in (-pi, pi].
 * @param group_delay_s out (may be NULL): group delay in seconds.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_RANGE; ::ETW_ERR_NONFINITE.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_sos_response(const etw_sos *sos, size_t nsections,
                                                     double fs_hz, const double *freqs_hz,
                                                     size_t nfreq, double *magnitude,
                                                     double *phase_rad,
                                                     double *group_delay_s);

/** Streaming cascade of second-order sections over several channels (opaque). */
typedef struct etw_cascade etw_cascade;

/**
 * Bytes needed for a cascade of `nsections` sections over `nch` channels, for
 * etw_cascade_init() into caller memory. Pure, real-time safe.
 * @param nsections 1 .. 64.
 * @param nch       1 .. 4096.
 * @return the size, or 0 when an argument is out of range.
 */
ETW_EXPORT size_t etw_cascade_get_size(size_t nsections, size_t nch);

/**
 * Initialises a cascade in caller memory (no allocation, real-time safe). State starts at
 * zero.
 * @param mem   at least etw_cascade_get_size() bytes, aligned to 64 bytes.
 * @param size  bytes available at mem.
 * @param sos   sections, copied.
 * @param nsections 1 .. 64.
 * @param nch   1 .. 4096.
 * @param out   out: the cascade (points into mem).
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_RANGE (counts, misaligned mem, a0 != 1);
 *         ::ETW_ERR_SIZE; ::ETW_ERR_NONFINITE.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_cascade_init(void *mem, size_t size, const etw_sos *sos,
                                                     size_t nsections, size_t nch,
                                                     etw_cascade **out);

/**
 * Allocates and initialises a cascade (not real-time safe: allocates once). Statuses as
 * etw_cascade_init() plus ::ETW_ERR_NOMEM.
 * @param sos        sections, copied.
 * @param nsections  1 .. 64.
 * @param nch        1 .. 4096.
 * @param out        out: the cascade, NULL on error.
 * @return as etw_cascade_init(), or ::ETW_ERR_NOMEM.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_cascade_create(const etw_sos *sos, size_t nsections,
                                                       size_t nch, etw_cascade **out);

/**
 * Frees a cascade made by etw_cascade_create(); one made by etw_cascade_init() is left
 * alone (its memory is the caller's). NULL is ignored. Not real-time safe (frees).
 * @param cascade the cascade.
 */
ETW_EXPORT void etw_cascade_destroy(etw_cascade *cascade);

/**
 * Sets every channel's state to zero. Real-time safe.
 * @param cascade the cascade (NULL ignored).
 */
ETW_EXPORT void etw_cascade_reset(etw_cascade *cascade);

/**
 * Sets each channel's state to the steady state for a constant input (like
 * `scipy.signal.sosfilt_zi` scaled by the value), so a signal starting at x0 gives no
 * start transient. Real-time safe.
 * @param cascade the cascade.
 * @param x0      nch values, one per channel (finite).
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_NONFINITE; ::ETW_ERR_RANGE when the design
 *         has no steady state (a pole at z = 1); the state is unchanged on error.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_cascade_set_steady_state(etw_cascade *cascade,
                                                                 const float *x0);

/**
 * Replaces the coefficients keeping the state (e.g. a cutoff changed while streaming):
 * the transposed-form state of each section, or where the cascade keeps a direct form I
 * history (one channel and 2 to 5 sections in double precision, any cascade in float
 * precision) the last two samples of the signal before and after each section. The number
 * of sections must not change. Real-time safe (with ::ETW_PRECISION_AUTO in float
 * precision it runs the probe of etw_cascade_set_precision(), which may switch the cascade
 * to double precision).
 * @param cascade   the cascade.
 * @param sos       new sections, copied.
 * @param nsections must equal the cascade's section count.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_MISMATCH (section count);
 *         ::ETW_ERR_RANGE (a0 != 1); ::ETW_ERR_NONFINITE.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_cascade_retune(etw_cascade *cascade,
                                                       const etw_sos *sos, size_t nsections);

/**
 * Arithmetic precision of a cascade's state (see etw_cascade_set_precision()).
 */
typedef enum etw_precision {
    ETW_PRECISION_DOUBLE = 0, /**< double state and arithmetic (the default) */
    ETW_PRECISION_FLOAT = 1,  /**< float state and arithmetic: about twice the speed, but
                                   round-off grows as poles approach z = 1 */
    ETW_PRECISION_AUTO = 2    /**< float where its predicted error is below
                                   ::ETW_FLOAT_AUTO_LIMIT, double elsewhere */
} etw_precision;

/**
 * Largest float-precision error, relative to the peak output, for which
 * ::ETW_PRECISION_AUTO chooses float: a tenth of the 1e-5 accuracy requirement.
 */
#define ETW_FLOAT_AUTO_LIMIT 1e-6

/**
 * Chooses the arithmetic of a cascade and resets its state (call it before streaming).
 * Double precision (the default) is transposed direct form II with double state and
 * coefficients (a cascade of one channel and 2 to 5 sections: direct form I, its sections
 * pipelined, see etw_cascade_process()). Float precision is direct form I with float state
 * and float coefficients, 8 channels per AVX2 vector instead of 4 and the sections of a
 * chunk of frames filtered one after the other: 1.3x (8 channels) to 1.8x (64 and more) the
 * speed, but its round-off error grows as poles approach z = 1 and with the input's DC
 * offset: 3e-6 of the peak on
 * workload W with a 20 mV offset on 1 mV of EMG, 1.6e-4 on an 8th-order 10 Hz high-pass at
 * 10 kHz (the requirement is 1e-5). ::ETW_PRECISION_AUTO measures the deviation of float
 * from double precision on a probe signal (white noise with a DC offset 20 times its rms,
 * 16384 frames, with the float arithmetic of the kernel in use) and chooses float only when
 * it is below ::ETW_FLOAT_AUTO_LIMIT (W stays in double). When a cascade that AUTO put in
 * float precision is retuned (etw_cascade_retune()) to a design that fails the probe, it
 * goes back to double precision, converting the state, so the stream continues; AUTO never
 * switches from double to float after this call. The probe costs about 0.13 ms per section;
 * this call allocates nothing. In float precision the output of digital silence is below
 * 1e-20 instead of exactly 0 (denormal guard of 1e-30).
 * @param cascade   the cascade.
 * @param precision ::ETW_PRECISION_DOUBLE, ::ETW_PRECISION_FLOAT or ::ETW_PRECISION_AUTO.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_RANGE for another value (nothing changes).
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_cascade_set_precision(etw_cascade *cascade,
                                                              etw_precision precision);

/**
 * Precision a cascade computes in now: ::ETW_PRECISION_DOUBLE or ::ETW_PRECISION_FLOAT
 * (what ::ETW_PRECISION_AUTO chose). Real-time safe.
 * @param cascade the cascade (NULL gives ::ETW_PRECISION_DOUBLE).
 * @return the precision in use.
 */
ETW_EXPORT etw_precision etw_cascade_get_precision(const etw_cascade *cascade);

/**
 * Filters one block of planar samples. `out[c]` may equal `in[c]` (in place, per channel;
 * other overlaps are not allowed). Output is bit-identical however a stream is cut into
 * blocks. Real-time safe: no allocation, no locks, cost linear in nch * nframes.
 *
 * Arithmetic: by default transposed direct form II per section in double precision (state
 * and coefficients double, samples float), except for a cascade of one channel and 2 to 5
 * sections, which runs direct form I in double precision (the history of the signal between
 * sections in double, the sections of successive frames overlapping; docs/filters.md); with
 * etw_cascade_set_precision() float precision, direct form I with float state and
 * coefficients. AVX2/FMA when the CPU has it and a
 * portable kernel otherwise (chosen at init; the two may differ in the last bits). A
 * constant (1e-200 in double, 1e-30 in float precision) enters each section so that silence
 * after a burst never drives the state into the slow subnormal range (its effect on the
 * output is below float resolution in double precision, below 1e-20 in float precision); no
 * floating-point control register is touched.
 *
 * Non-finite input: a NaN or infinite sample produces a NaN output at that position and
 * enters the filter as 0, so the state stays finite and the following samples are exactly
 * those of the same stream with 0 in place of the bad sample.
 *
 * @param cascade the cascade.
 * @param in      nch pointers to nframes input samples each.
 * @param out     nch pointers to nframes output samples each.
 * @param nframes frames per channel, 0 allowed.
 * @return ::ETW_OK; ::ETW_ERR_NULL (cascade, in, out or one of their pointers).
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_cascade_process(etw_cascade *cascade,
                                                        const float *const *in,
                                                        float *const *out, size_t nframes);

/**
 * Filters one block of interleaved samples (frame-major: sample n of channel c at
 * `in[n * nch + c]`), as etw_cascade_process() does for planar data: same arithmetic, the
 * same output bits, the same state, so both calls can be mixed on one stream. `out` may
 * equal `in` (in place); other overlaps are not allowed. The kernels read a frame of 4
 * (double precision) or 8 (float precision) adjacent channels with one load, so there are
 * no transposes; real-time safe (no allocation, no locks, cost linear in nch * nframes).
 * @param cascade the cascade.
 * @param in      nframes * nch input samples, interleaved.
 * @param out     nframes * nch output samples, interleaved.
 * @param nframes frames, 0 allowed.
 * @return ::ETW_OK; ::ETW_ERR_NULL (cascade, in or out).
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_cascade_process_interleaved(etw_cascade *cascade,
                                                                    const float *in,
                                                                    float *out, size_t nframes);

/**
 * Number of channels and sections of a cascade (0 and 0 for NULL). Real-time safe.
 * @param cascade    the cascade.
 * @param nch        out (may be NULL): channels.
 * @param nsections  out (may be NULL): sections.
 */
ETW_EXPORT void etw_cascade_get_shape(const etw_cascade *cascade, size_t *nch,
                                      size_t *nsections);

/**
 * Group delay of a cascade at one frequency, from its current coefficients: the latency of
 * the filter for signal content near that frequency (see etw_sos_response()). Real-time
 * safe (no allocation).
 * @param cascade the cascade.
 * @param fs_hz   sample rate in Hz, > 0.
 * @param f_hz    frequency in Hz, 0 .. fs_hz/2.
 * @param delay_s out: group delay in seconds.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_RANGE (fs or frequency out of range);
 *         ::ETW_ERR_NONFINITE.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_cascade_get_group_delay(const etw_cascade *cascade,
                                                                double fs_hz, double f_hz,
                                                                double *delay_s);

/**
 * Zero-phase (forward-backward) filtering of whole signals, equal to
 * `scipy.signal.sosfiltfilt(sos, x, padtype='odd', padlen=3*(2*nsections+1 - (zeros at
 * z=0)))`: odd extension at both ends and steady-state initial conditions. Offline only:
 * allocates working memory. The magnitude response is squared and the phase is zero.
 * @param sos       sections.
 * @param nsections 1 .. 64.
 * @param in        nch pointers to nframes samples.
 * @param out       nch pointers to nframes samples (may equal in).
 * @param nch       channels, >= 1.
 * @param nframes   frames per channel; must exceed the padding length.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_RANGE (nch = 0, signal not longer than the
 *         padding, invalid sections); ::ETW_ERR_NONFINITE (a NaN/Inf coefficient or
 *         sample: nothing is written); ::ETW_ERR_NOMEM.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_sosfiltfilt(const etw_sos *sos, size_t nsections,
                                                    const float *const *in, float *const *out,
                                                    size_t nch, size_t nframes);

#ifdef __cplusplus
}
#endif

#endif /* EMGTWITCH_FILTER_H */
