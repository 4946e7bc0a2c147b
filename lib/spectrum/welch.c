/* Welch PSD (Hann window, one-sided, mean over segments), as scipy.signal.welch. */
#include "emgtwitch/spectrum.h"

#include <math.h>
#include <stdlib.h>

#include "spectrum/fft.h"

#define WELCH_MAX_NFFT ((size_t)1 << 28)

struct etw_welch {
    etw_welch_config cfg;
    size_t nfft;
    double *window; /* nperseg: periodic Hann */
    double scale;   /* per-bin scale of |X|^2 (before one-sided doubling) */
    etw_fft *fft;
};

etw_welch_config etw_welch_config_default(double fs_hz)
{
    etw_welch_config c;
    c.fs_hz = fs_hz;
    c.nperseg = 256;
    c.noverlap = 128;
    c.nfft = 0;
    c.detrend = ETW_DETREND_CONSTANT;
    c.scaling = ETW_PSD_DENSITY;
    return c;
}

static etw_status validate(const etw_welch_config *c)
{
    if (!isfinite(c->fs_hz)) {
        return ETW_ERR_NONFINITE;
    }
    size_t nfft = c->nfft == 0 ? c->nperseg : c->nfft;
    if (c->fs_hz <= 0.0 || c->nperseg < 2 || c->noverlap >= c->nperseg || nfft < c->nperseg ||
        nfft > WELCH_MAX_NFFT || (c->detrend != ETW_DETREND_NONE && c->detrend != ETW_DETREND_CONSTANT) ||
        (c->scaling != ETW_PSD_DENSITY && c->scaling != ETW_PSD_SPECTRUM)) {
        return ETW_ERR_RANGE;
    }
    return ETW_OK;
}

etw_status etw_welch_create(const etw_welch_config *config, etw_welch **out)
{
    if (out == NULL) {
        return ETW_ERR_NULL;
    }
    *out = NULL;
    if (config == NULL) {
        return ETW_ERR_NULL;
    }
    etw_status st = validate(config);
    if (st != ETW_OK) {
        return st;
    }
    etw_welch *w = calloc(1, sizeof *w);
    if (w == NULL) {
        return ETW_ERR_NOMEM;
    }
    w->cfg = *config;
    w->nfft = config->nfft == 0 ? config->nperseg : config->nfft;
    size_t m = config->nperseg;
    w->window = malloc(m * sizeof *w->window);
    if (w->window == NULL) {
        etw_welch_destroy(w);
        return ETW_ERR_NOMEM;
    }
    st = etw_fft_create(w->nfft, &w->fft);
    if (st != ETW_OK) {
        etw_welch_destroy(w);
        return st;
    }
    /* periodic Hann: 0.5 - 0.5 cos(2 pi k / m) */
    double sum = 0.0;
    double sumsq = 0.0;
    const double two_pi = 6.283185307179586476925286766559;
    for (size_t k = 0; k < m; k++) {
        double v = 0.5 - 0.5 * cos(two_pi * (double)k / (double)m);
        w->window[k] = v;
        sum += v;
        sumsq += v * v;
    }
    w->scale = config->scaling == ETW_PSD_DENSITY ? 1.0 / (config->fs_hz * sumsq)
                                                  : 1.0 / (sum * sum);
    *out = w;
    return ETW_OK;
}

void etw_welch_destroy(etw_welch *welch)
{
    if (welch == NULL) {
        return;
    }
    etw_fft_destroy(welch->fft);
    free(welch->window);
    free(welch);
}

size_t etw_welch_nfreq(const etw_welch *welch)
{
    return welch == NULL ? 0 : welch->nfft / 2 + 1;
}

etw_status etw_welch_frequencies(const etw_welch *welch, double *freqs_hz, size_t capacity)
{
    if (welch == NULL || freqs_hz == NULL) {
        return ETW_ERR_NULL;
    }
    size_t nf = etw_welch_nfreq(welch);
    if (capacity < nf) {
        return ETW_ERR_SIZE;
    }
    for (size_t k = 0; k < nf; k++) {
        freqs_hz[k] = (double)k * welch->cfg.fs_hz / (double)welch->nfft;
    }
    return ETW_OK;
}

/* Adds the scaled |X|^2 of one segment starting at x to psd. */
static void add_segment(etw_welch *w, const float *x, double *psd)
{
    size_t m = w->cfg.nperseg;
    double mean = 0.0;
    if (w->cfg.detrend == ETW_DETREND_CONSTANT) {
        for (size_t k = 0; k < m; k++) {
            mean += (double)x[k];
        }
        mean /= (double)m;
    }
    etw_fft_real *in = etw_fft_input(w->fft);
    for (size_t k = 0; k < m; k++) {
        in[k] = (etw_fft_real)(((double)x[k] - mean) * w->window[k]);
    }
    for (size_t k = m; k < w->nfft; k++) {
        in[k] = 0;
    }
    etw_fft_execute(w->fft);
    const etw_fft_real *out = etw_fft_output(w->fft);
    size_t nf = w->nfft / 2 + 1;
    for (size_t k = 0; k < nf; k++) {
        double re = (double)out[2 * k];
        double im = (double)out[2 * k + 1];
        psd[k] += re * re + im * im;
    }
}

etw_status etw_welch_compute(etw_welch *welch, const float *x, size_t n, double *psd,
                             size_t capacity)
{
    if (welch == NULL || x == NULL || psd == NULL) {
        return ETW_ERR_NULL;
    }
    size_t m = welch->cfg.nperseg;
    size_t nf = etw_welch_nfreq(welch);
    if (n < m) {
        return ETW_ERR_RANGE;
    }
    if (capacity < nf) {
        return ETW_ERR_SIZE;
    }
    size_t step = m - welch->cfg.noverlap;
    size_t nseg = (n - m) / step + 1;
    for (size_t i = 0; i < (nseg - 1) * step + m; i++) {
        if (!isfinite(x[i])) {
            return ETW_ERR_NONFINITE;
        }
    }
    for (size_t k = 0; k < nf; k++) {
        psd[k] = 0.0;
    }
    for (size_t s = 0; s < nseg; s++) {
        add_segment(welch, x + s * step, psd);
    }
    double scale = welch->scale / (double)nseg;
    /* one-sided: double every bin but DC and, for even nfft, Nyquist */
    size_t last_doubled = welch->nfft % 2 == 0 ? nf - 1 : nf;
    for (size_t k = 0; k < nf; k++) {
        psd[k] *= (k > 0 && k < last_doubled) ? 2.0 * scale : scale;
    }
    return ETW_OK;
}

etw_status etw_welch_psd(const etw_welch_config *config, const float *x, size_t n,
                         double *freqs_hz, double *psd, size_t capacity)
{
    etw_welch *w = NULL;
    etw_status st = etw_welch_create(config, &w);
    if (st != ETW_OK) {
        return st;
    }
    st = etw_welch_compute(w, x, n, psd, capacity);
    if (st == ETW_OK && freqs_hz != NULL) {
        st = etw_welch_frequencies(w, freqs_hz, capacity);
    }
    etw_welch_destroy(w);
    return st;
}
