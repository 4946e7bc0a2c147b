/**
 * @file spectrum.h
 * @brief Welch power spectral density (equal to `scipy.signal.welch`), spectral features
 *        (mean/median/peak frequency, band power), features per window of a recording, and
 *        powerline detection (50 Hz, 60 Hz or none, with the harmonics' strength).
 *
 * The FFT backend (KissFFT or FFTW) is chosen when the library is configured; see
 * etw_fft_backend(). No backend type appears here. With FFTW the transforms run in double
 * precision; Debian's KissFFT is single precision, which limits how closely very weak bins
 * of a spectrum with a large dynamic range match a double-precision reference (see
 * docs/spectrum.md for the measured agreement of each backend).
 *
 * @section etw_spectrum_nonfinite Non-finite input
 * Spectra of input containing NaN or infinity are not computed: the functions return
 * ::ETW_ERR_NONFINITE and leave their outputs unspecified.
 */
#ifndef EMGTWITCH_SPECTRUM_H
#define EMGTWITCH_SPECTRUM_H

#include "emgtwitch/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Detrending of each Welch segment before windowing. */
typedef enum etw_detrend {
    ETW_DETREND_NONE = 0,    /**< no detrending (`detrend=False`) */
    ETW_DETREND_CONSTANT = 1 /**< subtract the segment mean (`detrend='constant'`, default) */
} etw_detrend;

/** Scaling of a Welch spectrum. */
typedef enum etw_psd_scaling {
    ETW_PSD_DENSITY = 0, /**< power spectral density, unit^2/Hz (`scaling='density'`) */
    ETW_PSD_SPECTRUM = 1 /**< power spectrum, unit^2 (`scaling='spectrum'`) */
} etw_psd_scaling;

/** Parameters of a Welch estimate (Hann window, one-sided, mean of the segments). */
typedef struct etw_welch_config {
    double fs_hz;            /**< sample rate in Hz, > 0 */
    size_t nperseg;          /**< segment length in samples, >= 2 (default 256) */
    size_t noverlap;         /**< overlap in samples, < nperseg (default nperseg/2) */
    size_t nfft;             /**< FFT length >= nperseg (zero-padding); 0 = nperseg */
    etw_detrend detrend;     /**< default ::ETW_DETREND_CONSTANT */
    etw_psd_scaling scaling; /**< default ::ETW_PSD_DENSITY */
} etw_welch_config;

/**
 * Default Welch parameters, as `scipy.signal.welch(x, fs)`: nperseg 256, noverlap 128,
 * nfft = nperseg, constant detrend, density scaling.
 * @param fs_hz sample rate in Hz.
 * @return the configuration (validated by etw_welch_create()).
 */
ETW_EXPORT etw_welch_config etw_welch_config_default(double fs_hz);

/** A planned Welch estimator (opaque): window, FFT plan and scratch are made at create. */
typedef struct etw_welch etw_welch;

/**
 * Creates a Welch estimator; plans the FFT. Not real-time safe (allocates, plans).
 * @param config parameters (copied).
 * @param out    out: the estimator; NULL on error.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_RANGE (fs <= 0, nperseg < 2, noverlap >=
 *         nperseg, nfft < nperseg, nfft > 2^28, unknown enum); ::ETW_ERR_NONFINITE (fs);
 *         ::ETW_ERR_NOMEM.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_welch_create(const etw_welch_config *config,
                                                     etw_welch **out);

/**
 * Frees an estimator. NULL is ignored.
 * @param welch the estimator.
 */
ETW_EXPORT void etw_welch_destroy(etw_welch *welch);

/**
 * Number of frequency bins of the one-sided spectrum: nfft/2 + 1.
 * @param welch the estimator (NULL gives 0).
 * @return the bin count.
 */
ETW_EXPORT size_t etw_welch_nfreq(const etw_welch *welch);

/**
 * Frequencies of the bins: k * fs / nfft for k = 0 .. nfreq-1.
 * @param welch    the estimator.
 * @param freqs_hz out: etw_welch_nfreq() values in Hz.
 * @param capacity values freqs_hz can hold.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_SIZE if capacity < nfreq.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_welch_frequencies(const etw_welch *welch,
                                                          double *freqs_hz, size_t capacity);

/**
 * Welch PSD of one signal: the mean over segments of length nperseg, hop
 * nperseg - noverlap, each detrended, Hann-windowed (periodic, as
 * `scipy.signal.get_window('hann', nperseg)`) and transformed; one-sided (interior bins
 * doubled). Equal to `scipy.signal.welch(x, fs, 'hann', nperseg, noverlap, nfft, detrend,
 * return_onesided=True, scaling, average='mean')`. Trailing samples that do not fill a
 * segment are ignored, as SciPy does. Real-time safe: no allocation.
 * @param welch    the estimator.
 * @param x        n samples.
 * @param n        >= nperseg.
 * @param psd      out: etw_welch_nfreq() values, unit^2/Hz (density) or unit^2 (spectrum).
 * @param capacity values psd can hold.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_RANGE if n < nperseg; ::ETW_ERR_SIZE if
 *         capacity < nfreq; ::ETW_ERR_NONFINITE if x contains NaN or infinity.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_welch_compute(etw_welch *welch, const float *x,
                                                      size_t n, double *psd, size_t capacity);

/**
 * One-shot Welch PSD: create, compute, destroy. Allocates.
 * @param config   parameters.
 * @param x        n samples.
 * @param n        >= nperseg.
 * @param freqs_hz out (may be NULL): bin frequencies.
 * @param psd      out: the PSD.
 * @param capacity values freqs_hz and psd can each hold (>= nfft/2 + 1).
 * @return as etw_welch_create() and etw_welch_compute().
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_welch_psd(const etw_welch_config *config,
                                                  const float *x, size_t n, double *freqs_hz,
                                                  double *psd, size_t capacity);

/** Features of a power spectrum within a band. */
typedef struct etw_spectral_features {
    double band_power; /**< sum of psd[k] * df over the bins in the band (unit^2 for a
                            density) */
    double mean_hz;    /**< mean (centroid) frequency: sum f P / sum P */
    double median_hz;  /**< frequency below which half the band's power lies (linear
                            interpolation of the cumulative power between bin centres) */
    double peak_hz;    /**< frequency of the largest bin */
    double peak_psd;   /**< value of the largest bin */
} etw_spectral_features;

/**
 * Spectral features over the bins with lo_hz <= f <= hi_hz.
 * @param freqs_hz nfreq increasing, equally spaced bin frequencies (as from
 *                 etw_welch_frequencies()).
 * @param psd      nfreq non-negative values.
 * @param nfreq    >= 2.
 * @param lo_hz    lower band edge in Hz (>= 0).
 * @param hi_hz    upper band edge in Hz (> lo_hz).
 * @param out      out: the features. With zero power in the band the frequencies are NaN.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_RANGE (nfreq < 2, bad band, or no bin in the
 *         band); ::ETW_ERR_NONFINITE.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_spectral_features_compute(const double *freqs_hz,
                                                                  const double *psd,
                                                                  size_t nfreq, double lo_hz,
                                                                  double hi_hz,
                                                                  etw_spectral_features *out);

/**
 * Spectral features per window of a recording: windows of window_s every hop_s; each
 * window's Welch PSD (config) gives one etw_spectral_features over [lo_hz, hi_hz] (e.g. the
 * fatigue trend of the median frequency). Window w starts at sample round(w * hop_s * fs).
 * Allocates; not real-time safe.
 * @param config    Welch parameters (nperseg must fit in a window).
 * @param x         n samples.
 * @param n         samples.
 * @param window_s  window length in s (> 0).
 * @param hop_s     hop in s (> 0).
 * @param lo_hz     band lower edge.
 * @param hi_hz     band upper edge.
 * @param out       out: one entry per whole window.
 * @param capacity  entries out can hold.
 * @param nwindows  out: windows written (floor((n - window) / hop) + 1, or 0 when the
 *                  recording is shorter than a window).
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_RANGE; ::ETW_ERR_SIZE when capacity is too
 *         small (nwindows then holds the count needed); ::ETW_ERR_NONFINITE; ::ETW_ERR_NOMEM.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_spectral_features_windows(
    const etw_welch_config *config, const float *x, size_t n, double window_s, double hop_s,
    double lo_hz, double hi_hz, etw_spectral_features *out, size_t capacity,
    size_t *nwindows);

/** Highest harmonic reported by etw_powerline_detect(). */
#define ETW_POWERLINE_MAX_HARMONICS 16

/** Result of powerline detection. */
typedef struct etw_powerline {
    double mains_hz;   /**< 50, 60, or 0 when no powerline interference was found */
    double score50_db; /**< prominence of 50 Hz and its harmonics (see etw_powerline_detect()) */
    double score60_db; /**< the same for 60 Hz */
    int nharmonics;    /**< harmonics of mains_hz whose 10 Hz neighbourhood lies below fs/2
                           (0 when mains_hz is 0) */
    double harmonic_db[ETW_POWERLINE_MAX_HARMONICS]; /**< prominence of harmonic k+1 of
                                                        mains_hz in dB (0 = fundamental) */
} etw_powerline;

/**
 * Decides whether a signal carries 50 Hz or 60 Hz interference. A Welch PSD with about 0.5 Hz
 * resolution is computed; the prominence of a line at f is the power of the strongest bin
 * within 1 Hz of f over the median PSD from f - 10 Hz to f + 10 Hz (bins within 3 Hz of f
 * excluded), in dB. The score of a candidate is the largest prominence among its first three
 * harmonics whose 10 Hz neighbourhood lies below fs/2. The candidate with the higher score
 * wins if that score is at least threshold_db, else mains_hz is 0. Allocates; not
 * real-time safe.
 * @param x            n samples.
 * @param n            at least 2 s of signal.
 * @param fs_hz        sample rate in Hz, > 130 (60 Hz + the 10 Hz neighbourhood must lie
 *                     below Nyquist).
 * @param threshold_db decision threshold, e.g. 10 dB.
 * @param out          out: the decision and the harmonics' prominence.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_RANGE (fs, or n shorter than 2 s);
 *         ::ETW_ERR_NONFINITE; ::ETW_ERR_NOMEM.
 */
ETW_EXPORT ETW_NODISCARD etw_status etw_powerline_detect(const float *x, size_t n,
                                                         double fs_hz, double threshold_db,
                                                         etw_powerline *out);

#ifdef __cplusplus
}
#endif

#endif /* EMGTWITCH_SPECTRUM_H */
