/* Spectral features of a PSD in a band, and per window of a recording. */
#include "emgtwitch/spectrum.h"

#include <math.h>
#include <stdlib.h>

etw_status etw_spectral_features_compute(const double *freqs_hz, const double *psd, size_t nfreq,
                                         double lo_hz, double hi_hz, etw_spectral_features *out)
{
    if (freqs_hz == NULL || psd == NULL || out == NULL) {
        return ETW_ERR_NULL;
    }
    if (!isfinite(lo_hz) || !isfinite(hi_hz)) {
        return ETW_ERR_NONFINITE;
    }
    if (nfreq < 2 || lo_hz < 0.0 || hi_hz <= lo_hz) {
        return ETW_ERR_RANGE;
    }
    double df = freqs_hz[1] - freqs_hz[0];
    double total = 0.0;
    double moment = 0.0;
    size_t first = nfreq;
    size_t last = 0;
    size_t peak = nfreq;
    for (size_t k = 0; k < nfreq; k++) {
        if (!isfinite(psd[k]) || !isfinite(freqs_hz[k])) {
            return ETW_ERR_NONFINITE;
        }
        if (freqs_hz[k] < lo_hz || freqs_hz[k] > hi_hz) {
            continue;
        }
        first = first == nfreq ? k : first;
        last = k;
        total += psd[k];
        moment += freqs_hz[k] * psd[k];
        if (peak == nfreq || psd[k] > psd[peak]) {
            peak = k;
        }
    }
    if (first == nfreq) {
        return ETW_ERR_RANGE;
    }
    out->band_power = total * df;
    out->peak_hz = freqs_hz[peak];
    out->peak_psd = psd[peak];
    if (!(total > 0.0)) {
        out->mean_hz = NAN;
        out->median_hz = NAN;
        return ETW_OK;
    }
    out->mean_hz = moment / total;
    double half = 0.5 * total;
    double cum = 0.0;
    out->median_hz = freqs_hz[last];
    for (size_t k = first; k <= last; k++) {
        if (cum + psd[k] >= half) {
            out->median_hz = k == first ? freqs_hz[k]
                                        : freqs_hz[k - 1] + (half - cum) / psd[k] * df;
            break;
        }
        cum += psd[k];
    }
    return ETW_OK;
}

etw_status etw_spectral_features_windows(const etw_welch_config *config, const float *x,
                                         size_t n, double window_s, double hop_s, double lo_hz,
                                         double hi_hz, etw_spectral_features *out,
                                         size_t capacity, size_t *nwindows)
{
    if (config == NULL || x == NULL || nwindows == NULL || (out == NULL && capacity > 0)) {
        return ETW_ERR_NULL;
    }
    *nwindows = 0;
    if (!isfinite(window_s) || !isfinite(hop_s) || !isfinite(config->fs_hz)) {
        return ETW_ERR_NONFINITE;
    }
    if (window_s <= 0.0 || hop_s <= 0.0 || config->fs_hz <= 0.0) {
        return ETW_ERR_RANGE;
    }
    double fs = config->fs_hz;
    double wd = round(window_s * fs);
    if (wd < (double)config->nperseg || wd > 1e15) {
        return ETW_ERR_RANGE;
    }
    size_t win = (size_t)wd;
    size_t count = 0;
    while (round((double)count * hop_s * fs) + (double)win <= (double)n) {
        count++;
    }
    *nwindows = count;
    if (count > capacity) {
        return ETW_ERR_SIZE;
    }
    etw_welch *w = NULL;
    etw_status st = etw_welch_create(config, &w);
    if (st != ETW_OK) {
        *nwindows = 0;
        return st;
    }
    size_t nf = etw_welch_nfreq(w);
    double *freqs = malloc(nf * sizeof *freqs);
    double *psd = malloc(nf * sizeof *psd);
    st = freqs == NULL || psd == NULL ? ETW_ERR_NOMEM : etw_welch_frequencies(w, freqs, nf);
    for (size_t i = 0; i < count && st == ETW_OK; i++) {
        size_t start = (size_t)round((double)i * hop_s * fs);
        st = etw_welch_compute(w, x + start, win, psd, nf);
        if (st == ETW_OK) {
            st = etw_spectral_features_compute(freqs, psd, nf, lo_hz, hi_hz, &out[i]);
        }
    }
    free(freqs);
    free(psd);
    etw_welch_destroy(w);
    if (st != ETW_OK) {
        *nwindows = 0;
    }
    return st;
}
