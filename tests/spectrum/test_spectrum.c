/* Spectrum: the FFT wrapper against a direct DFT, Welch against SciPy's golden spectra,
 * spectral features, per-window features, powerline detection, API contract. */
#include "etw_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emgtwitch/emgtwitch.h"
#include "spectrum/fft.h"

#define PI 3.14159265358979323846
#define GOLDEN_N 5000

#if defined(ETW_FFT_FFTW)
/* double-precision backend: the bound */
#define WELCH_REL_TOL 1e-6
#define FFT_REL_TOL 1e-12
#else
/* single-precision KissFFT: measured 1.6e-7 on the golden signal (see docs/spectrum.md) */
#define WELCH_REL_TOL 1e-6
#define FFT_REL_TOL 1e-5
#endif

/* The signal of gen_golden.py, bit for bit. */
static void golden_signal(float *x)
{
    uint32_t state = 12345;
    for (int i = 0; i < GOLDEN_N; i++) {
        state = state * 1664525u + 1013904223u;
        int noise = (int)(state >> 16) - 32768;
        int tri = abs(i % 20 - 10) - 5;
        x[i] = (float)(noise * 0x1p-15 + tri * 0x1p-4 + 0.25);
    }
}

static void fft_matches_direct_dft(void **state)
{
    (void)state;
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 31);
    static double x[97];
    for (size_t n = 1; n <= 97; n += (n < 20 ? 1 : 11)) {
        etw_fft *f = NULL;
        assert_int_equal(etw_fft_create(n, &f), ETW_OK);
        etw_fft_real *in = etw_fft_input(f);
        double energy = 0.0;
        for (size_t i = 0; i < n; i++) {
            x[i] = etw_test_rng_normal(&rng);
            in[i] = (etw_fft_real)x[i];
            x[i] = (double)in[i];
            energy += x[i] * x[i];
        }
        etw_fft_execute(f);
        const etw_fft_real *out = etw_fft_output(f);
        for (size_t k = 0; k <= n / 2; k++) {
            double re = 0.0;
            double im = 0.0;
            for (size_t i = 0; i < n; i++) {
                double a = -2.0 * PI * (double)((k * i) % n) / (double)n;
                re += x[i] * cos(a);
                im += x[i] * sin(a);
            }
            double tol = FFT_REL_TOL * sqrt(energy * (double)n);
            assert_close(out[2 * k], re, 0, tol);
            assert_close(out[2 * k + 1], im, 0, tol);
        }
        etw_fft_destroy(f);
    }
    etw_fft *f = (etw_fft *)&f;
    assert_int_equal(etw_fft_create(0, &f), ETW_ERR_RANGE);
    assert_null(f);
}

static void welch_matches_scipy(void **state)
{
    (void)state;
    static float x[GOLDEN_N];
    golden_signal(x);
    FILE *fp = fopen(ETW_TEST_DATA_DIR "/golden_welch.txt", "r");
    assert_non_null(fp);
    char line[512];
    int blocks = 0;
    static double psd[512];
    static double freqs[512];
    while (fgets(line, sizeof line, fp) != NULL) {
        if (line[0] == '#') {
            continue;
        }
        unsigned nperseg, noverlap, nfft, detrend, scaling, nfreq;
        assert_int_equal(sscanf(line, "%u %u %u %u %u %u", &nperseg, &noverlap, &nfft, &detrend,
                                &scaling, &nfreq),
                         6);
        etw_welch_config cfg = etw_welch_config_default(1000.0);
        cfg.nperseg = nperseg;
        cfg.noverlap = noverlap;
        cfg.nfft = nfft;
        cfg.detrend = detrend ? ETW_DETREND_CONSTANT : ETW_DETREND_NONE;
        cfg.scaling = scaling ? ETW_PSD_SPECTRUM : ETW_PSD_DENSITY;
        assert_int_equal(etw_welch_psd(&cfg, x, GOLDEN_N, freqs, psd, 512), ETW_OK);
        double ref[512];
        double max_ref = 0.0;
        for (unsigned k = 0; k < nfreq; k++) {
            assert_int_equal(fscanf(fp, "%lf", &ref[k]), 1);
            max_ref = ref[k] > max_ref ? ref[k] : max_ref;
        }
        if (fgets(line, sizeof line, fp) == NULL) { /* rest of the last line */
            line[0] = '\0';
        }
        double worst = 0.0;
        for (unsigned k = 0; k < nfreq; k++) {
            assert_close(freqs[k], k * 1000.0 / nfft, 1e-15, 0);
            /* relative per bin; bins 1e-9 below the peak (the detrended DC) absolutely */
            double e = fabs(psd[k] - ref[k]) / (fabs(ref[k]) + 1e-9 * max_ref);
            worst = e > worst ? e : worst;
        }
        printf("# welch nperseg %u noverlap %u nfft %u: max relative error vs SciPy %.3g (%s)\n",
               nperseg, noverlap, nfft, worst, etw_fft_backend());
        assert_true(worst <= WELCH_REL_TOL);
        blocks++;
    }
    fclose(fp);
    assert_int_equal(blocks, 4);
}

static void features_of_known_spectra(void **state)
{
    (void)state;
    double f[101];
    double p[101];
    for (int k = 0; k <= 100; k++) {
        f[k] = 5.0 * k; /* 0 .. 500 Hz, df 5 */
        p[k] = 2.0;
    }
    etw_spectral_features s;
    assert_int_equal(etw_spectral_features_compute(f, p, 101, 20.0, 450.0, &s), ETW_OK);
    assert_close(s.band_power, 2.0 * 5.0 * 87, 1e-12, 0); /* bins 20..450: 87 */
    assert_close(s.mean_hz, 235.0, 1e-12, 0);
    assert_close(s.median_hz, 235.0, 0, 5.0);
    p[40] = 100.0; /* a line at 200 Hz */
    assert_int_equal(etw_spectral_features_compute(f, p, 101, 20.0, 450.0, &s), ETW_OK);
    assert_close(s.peak_hz, 200.0, 0, 0);
    assert_close(s.peak_psd, 100.0, 0, 0);
    assert_true(s.mean_hz < 235.0 && s.median_hz <= 200.0 && s.median_hz > 190.0);
    /* power only above 300 Hz: the median lies there */
    for (int k = 0; k <= 100; k++) {
        p[k] = f[k] > 300.0 ? 1.0 : 0.0;
    }
    assert_int_equal(etw_spectral_features_compute(f, p, 101, 0.0, 500.0, &s), ETW_OK);
    assert_close(s.median_hz, 402.5, 0, 5.0);
    memset(p, 0, sizeof p);
    assert_int_equal(etw_spectral_features_compute(f, p, 101, 0.0, 500.0, &s), ETW_OK);
    assert_true(isnan(s.mean_hz) && isnan(s.median_hz));
    assert_int_equal(etw_spectral_features_compute(f, p, 101, 501.0, 600.0, &s), ETW_ERR_RANGE);
    assert_int_equal(etw_spectral_features_compute(f, p, 101, 50.0, 40.0, &s), ETW_ERR_RANGE);
    assert_int_equal(etw_spectral_features_compute(NULL, p, 101, 0, 1, &s), ETW_ERR_NULL);
    p[3] = NAN;
    assert_int_equal(etw_spectral_features_compute(f, p, 101, 0, 100, &s), ETW_ERR_NONFINITE);
}

/* A sine whose frequency steps from 100 Hz to 200 Hz halfway, in a little noise. */
static void features_per_window_follow_the_signal(void **state)
{
    (void)state;
    enum { FS = 1000, N = 10 * FS };
    static float x[N];
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 32);
    for (int i = 0; i < N; i++) {
        double f0 = i < N / 2 ? 100.0 : 200.0;
        x[i] = (float)(sin(2 * PI * f0 * i / FS) + 0.01 * etw_test_rng_normal(&rng));
    }
    etw_welch_config cfg = etw_welch_config_default(FS);
    etw_spectral_features s[32];
    size_t nw = 0;
    assert_int_equal(etw_spectral_features_windows(&cfg, x, N, 1.0, 0.5, 10.0, 450.0, s, 2, &nw),
                     ETW_ERR_SIZE);
    assert_int_equal(nw, 19);
    assert_int_equal(etw_spectral_features_windows(&cfg, x, N, 1.0, 0.5, 10.0, 450.0, s, 32, &nw),
                     ETW_OK);
    assert_int_equal(nw, 19);
    for (size_t w = 0; w < nw; w++) {
        double expect = w < 9 ? 100.0 : w > 9 ? 200.0 : NAN;
        if (!isnan(expect)) {
            assert_close(s[w].peak_hz, expect, 0, 4.0);
            assert_close(s[w].median_hz, expect, 0, 4.0);
            assert_close(s[w].band_power, 0.5, 0.05, 0); /* a unit sine has power 1/2 */
        }
    }
    assert_int_equal(etw_spectral_features_windows(&cfg, x, 100, 1.0, 0.5, 10, 450, s, 32, &nw),
                     ETW_OK);
    assert_int_equal(nw, 0);
    assert_int_equal(etw_spectral_features_windows(&cfg, x, N, 0.1, 0.5, 10, 450, s, 32, &nw),
                     ETW_ERR_RANGE); /* window shorter than nperseg */
}

static void make_mains(float *x, size_t n, double fs, double mains, double amp,
                       etw_test_rng *rng)
{
    for (size_t i = 0; i < n; i++) {
        double t = (double)i / fs;
        double line = amp * (sin(2 * PI * mains * t) + 0.3 * sin(2 * PI * 3 * mains * t + 1.0));
        x[i] = (float)(line + etw_test_rng_normal(rng));
    }
}

static void powerline_is_detected(void **state)
{
    (void)state;
    enum { N = 20000 };
    static float x[N];
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 33);
    const double rates[] = {1000.0, 2048.0, 500.0};
    for (size_t r = 0; r < 3; r++) {
        double fs = rates[r];
        size_t n = (size_t)(5 * fs) < N ? (size_t)(5 * fs) : N;
        etw_powerline pl;
        make_mains(x, n, fs, 50.0, 1.0, &rng);
        assert_int_equal(etw_powerline_detect(x, n, fs, 10.0, &pl), ETW_OK);
        assert_close(pl.mains_hz, 50.0, 0, 0);
        assert_true(pl.harmonic_db[0] > 15.0);
        assert_true(pl.harmonic_db[2] > pl.harmonic_db[1] + 5.0); /* 3rd present, 2nd not */
        assert_true(pl.nharmonics >= 4);
        make_mains(x, n, fs, 60.0, 1.0, &rng);
        assert_int_equal(etw_powerline_detect(x, n, fs, 10.0, &pl), ETW_OK);
        assert_close(pl.mains_hz, 60.0, 0, 0);
        assert_true(pl.score60_db > pl.score50_db + 10.0);
        make_mains(x, n, fs, 60.0, 0.0, &rng);
        assert_int_equal(etw_powerline_detect(x, n, fs, 10.0, &pl), ETW_OK);
        assert_close(pl.mains_hz, 0.0, 0, 0);
        assert_int_equal(pl.nharmonics, 0);
        assert_true(pl.score50_db < 6.0 && pl.score60_db < 6.0);
    }
    etw_powerline pl;
    assert_int_equal(etw_powerline_detect(x, 100, 1000.0, 10.0, &pl), ETW_ERR_RANGE);
    assert_int_equal(etw_powerline_detect(x, N, 100.0, 10.0, &pl), ETW_ERR_RANGE);
    assert_int_equal(etw_powerline_detect(NULL, N, 1000.0, 10.0, &pl), ETW_ERR_NULL);
    x[10] = NAN;
    assert_int_equal(etw_powerline_detect(x, N, 1000.0, 10.0, &pl), ETW_ERR_NONFINITE);
}

static int welch_attempt(void *ctx)
{
    (void)ctx;
    static float x[1000];
    double psd[129];
    etw_welch_config cfg = etw_welch_config_default(1000.0);
    etw_status st = etw_welch_psd(&cfg, x, 1000, NULL, psd, 129);
    if (st == ETW_OK) {
        etw_powerline pl;
        st = etw_powerline_detect(x, 1000, 500.0, 10.0, &pl);
    }
    if (st == ETW_OK) {
        etw_spectral_features s[4];
        size_t nw;
        st = etw_spectral_features_windows(&cfg, x, 1000, 0.5, 0.25, 0, 400, s, 4, &nw);
    }
    if (st != ETW_OK) {
        assert_int_equal(st, ETW_ERR_NOMEM);
        return 0;
    }
    return 1;
}

static void welch_api_contract(void **state)
{
    (void)state;
    etw_welch_config cfg = etw_welch_config_default(1000.0);
    etw_welch *w = (etw_welch *)&w;
    assert_int_equal(etw_welch_create(NULL, &w), ETW_ERR_NULL);
    assert_null(w);
    etw_welch_config c = cfg;
    c.noverlap = c.nperseg;
    assert_int_equal(etw_welch_create(&c, &w), ETW_ERR_RANGE);
    c = cfg;
    c.nfft = 100;
    assert_int_equal(etw_welch_create(&c, &w), ETW_ERR_RANGE);
    c = cfg;
    c.nperseg = 1;
    c.noverlap = 0;
    assert_int_equal(etw_welch_create(&c, &w), ETW_ERR_RANGE);
    c = cfg;
    c.fs_hz = INFINITY;
    assert_int_equal(etw_welch_create(&c, &w), ETW_ERR_NONFINITE);
    c = cfg;
    c.scaling = (etw_psd_scaling)7;
    assert_int_equal(etw_welch_create(&c, &w), ETW_ERR_RANGE);
    assert_int_equal(etw_welch_create(&cfg, &w), ETW_OK);
    assert_int_equal(etw_welch_nfreq(w), 129);
    assert_int_equal(etw_welch_nfreq(NULL), 0);
    static float x[300];
    double psd[129];
    assert_int_equal(etw_welch_compute(w, x, 255, psd, 129), ETW_ERR_RANGE);
    assert_int_equal(etw_welch_compute(w, x, 300, psd, 128), ETW_ERR_SIZE);
    assert_int_equal(etw_welch_frequencies(w, psd, 128), ETW_ERR_SIZE);
    x[299] = NAN; /* beyond the last whole segment: ignored, as SciPy does */
    assert_int_equal(etw_welch_compute(w, x, 300, psd, 129), ETW_OK);
    x[200] = NAN;
    assert_int_equal(etw_welch_compute(w, x, 300, psd, 129), ETW_ERR_NONFINITE);
    assert_int_equal(etw_welch_compute(NULL, x, 300, psd, 129), ETW_ERR_NULL);
    etw_welch_destroy(w);
    etw_welch_destroy(NULL);
    etw_failalloc_sweep(welch_attempt, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fft_matches_direct_dft),
        cmocka_unit_test(welch_matches_scipy),
        cmocka_unit_test(features_of_known_spectra),
        cmocka_unit_test(features_per_window_follow_the_signal),
        cmocka_unit_test(powerline_is_detected),
        cmocka_unit_test(welch_api_contract),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
