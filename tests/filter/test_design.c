/* Filter design: Butterworth, notch and peak against SciPy golden vectors, spectral masks,
 * the powerline comb, frequency responses and every argument error. */
#include <math.h>
#include <string.h>

#include "emgtwitch/filter.h"
#include "golden.h"
#include "tests.h"

static etw_filter_type type_named(const char *name)
{
    static const char *const names[] = {"lowpass", "highpass", "bandpass", "bandstop"};
    for (int i = 0; i < 4; i++) {
        if (strcmp(name, names[i]) == 0) {
            return (etw_filter_type)i;
        }
    }
    fail_msg("unknown filter type %s", name);
    return ETW_LOWPASS;
}

/* Each coefficient within 1e-9 of the largest magnitude in its numerator/denominator;
 * returns the largest such relative deviation. */
static double assert_section(const double *got, const double *want)
{
    double worst = 0.0;
    for (int half = 0; half < 2; half++) {
        double scale = 0.0;
        for (int i = 0; i < 3; i++) {
            scale = fmax(scale, fabs(want[3 * half + i]));
        }
        for (int i = 0; i < 3; i++) {
            assert_close(got[3 * half + i], want[3 * half + i], 0.0, 1e-9 * scale);
            worst = fmax(worst, fabs(got[3 * half + i] - want[3 * half + i]) / scale);
        }
    }
    return worst;
}

static void butter_matches_scipy_section_for_section(void **state)
{
    (void)state;
    golden *g = golden_open();
    const char *w;
    int designs = 0;
    double worst = 0.0;
    while ((w = golden_word(g)) != NULL) {
        if (strcmp(w, "butter") != 0) {
            continue;
        }
        etw_filter_type type = type_named(golden_word(g));
        int order = (int)golden_number(g);
        double lo = golden_number(g), hi = golden_number(g), fs = golden_number(g);
        size_t nsec = (size_t)golden_number(g);
        double want[ETW_BUTTER_MAX_ORDER][6];
        golden_numbers(g, &want[0][0], 6 * nsec);
        etw_sos sos[ETW_BUTTER_MAX_ORDER];
        size_t got = 0;
        assert_int_equal(etw_butter(type, order, lo, hi, fs, sos, ETW_BUTTER_MAX_ORDER, &got),
                         ETW_OK);
        assert_int_equal(got, nsec);
        assert_int_equal(etw_butter_sections(type, order), nsec);
        for (size_t s = 0; s < nsec; s++) {
            worst = fmax(worst, assert_section(sos[s], want[s]));
        }
        designs++;
    }
    golden_close(g);
    print_message("butter: %d designs, largest deviation %.3g (relative to the section)\n",
                  designs, worst);
    assert_true(designs > 200);
}

static void notch_and_peak_match_scipy(void **state)
{
    (void)state;
    golden *g = golden_open();
    const char *w;
    int designs = 0;
    while ((w = golden_word(g)) != NULL) {
        int notch = strcmp(w, "notch") == 0;
        if (!notch && strcmp(w, "peak") != 0) {
            continue;
        }
        double f0 = golden_number(g), q = golden_number(g), fs = golden_number(g);
        double want[6];
        golden_numbers(g, want, 6);
        etw_sos sos;
        assert_int_equal(notch ? etw_iirnotch(f0, q, fs, sos) : etw_iirpeak(f0, q, fs, sos),
                         ETW_OK);
        for (int i = 0; i < 6; i++) {
            assert_close(sos[i], want[i], 1e-12, 1e-15);
        }
        designs++;
    }
    golden_close(g);
    assert_int_equal(designs, 10);
}

static double gain_db(const etw_sos *sos, size_t n, double fs, double f)
{
    double mag;
    assert_int_equal(etw_sos_response(sos, n, fs, &f, 1, &mag, NULL, NULL), ETW_OK);
    return 20.0 * log10(mag);
}

static void butterworth_masks_hold(void **state)
{
    (void)state;
    const double fs = 2048.0;
    for (int order = 1; order <= ETW_BUTTER_MAX_ORDER; order++) {
        etw_sos sos[ETW_BUTTER_MAX_ORDER];
        size_t n;
        /* low-pass 200 Hz: -3 dB at the cutoff, flat passband, falls beyond */
        assert_int_equal(etw_butter(ETW_LOWPASS, order, 200, 0, fs, sos, 16, &n), ETW_OK);
        assert_close(gain_db(sos, n, fs, 200.0), -3.0103, 0, 1e-3);
        assert_close(gain_db(sos, n, fs, 0.0), 0.0, 0, 1e-9);
        /* |H|^2 = 1 / (1 + (tan(pi f/fs) / tan(pi fc/fs))^(2N)) everywhere */
        for (double f = 25.0; f < fs / 2.0; f += 100.0) {
            double r = tan(3.14159265358979323846 * f / fs) /
                       tan(3.14159265358979323846 * 200.0 / fs);
            assert_close(gain_db(sos, n, fs, f), -10.0 * log10(1.0 + pow(r, 2.0 * order)), 0,
                         1e-6);
        }
        /* high-pass 20 Hz */
        assert_int_equal(etw_butter(ETW_HIGHPASS, order, 20, 0, fs, sos, 16, &n), ETW_OK);
        assert_close(gain_db(sos, n, fs, 20.0), -3.0103, 0, 1e-3);
        assert_close(gain_db(sos, n, fs, fs / 2.0), 0.0, 0, 1e-9);
        /* band-pass 20-450: -3 dB at both edges, ~0 dB inside */
        assert_int_equal(etw_butter(ETW_BANDPASS, order, 20, 450, fs, sos, 16, &n), ETW_OK);
        assert_close(gain_db(sos, n, fs, 20.0), -3.0103, 0, 1e-3);
        assert_close(gain_db(sos, n, fs, 450.0), -3.0103, 0, 1e-3);
        assert_close(gain_db(sos, n, fs, sqrt(20.0 * 450.0) * 1.0), 0.0, 0, 0.5);
        /* band-stop 45-55 */
        assert_int_equal(etw_butter(ETW_BANDSTOP, order, 45, 55, fs, sos, 16, &n), ETW_OK);
        assert_close(gain_db(sos, n, fs, 45.0), -3.0103, 0, 1e-3);
        assert_close(gain_db(sos, n, fs, 5.0), 0.0, 0, 0.5);
        /* the zeros sit at the warped geometric centre of the band */
        double pi = 3.14159265358979323846;
        double centre = fs / pi * atan(sqrt(tan(pi * 45.0 / fs) * tan(pi * 55.0 / fs)));
        assert_true(gain_db(sos, n, fs, centre) < -100.0);
        assert_true(gain_db(sos, n, fs, 50.0) < -6.0);
    }
}

static void notch_is_deep_and_narrow(void **state)
{
    (void)state;
    etw_sos sos;
    assert_int_equal(etw_iirnotch(50.0, 30.0, 2048.0, sos), ETW_OK);
    assert_true(gain_db((const etw_sos *)&sos, 1, 2048.0, 50.0) < -40.0);
    /* -3 dB points at f0 -+ f0/(2Q) */
    assert_close(gain_db((const etw_sos *)&sos, 1, 2048.0, 50.0 + 50.0 / 60.0), -3.0103, 0,
                 0.05);
    assert_close(gain_db((const etw_sos *)&sos, 1, 2048.0, 20.0), 0.0, 0, 0.05);
    assert_int_equal(etw_iirpeak(50.0, 30.0, 2048.0, sos), ETW_OK);
    assert_close(gain_db((const etw_sos *)&sos, 1, 2048.0, 50.0), 0.0, 0, 1e-9);
    assert_true(gain_db((const etw_sos *)&sos, 1, 2048.0, 100.0) < -20.0);
}

static void comb_notches_every_harmonic_below_nyquist(void **state)
{
    (void)state;
    etw_sos sos[64];
    size_t n = 0;
    assert_int_equal(etw_powerline_comb(50.0, 30.0, 64, 1000.0, sos, 64, &n), ETW_OK);
    assert_int_equal(n, 9); /* 50 .. 450 Hz; 490 Hz is the edge */
    for (size_t h = 1; h <= n; h++) {
        assert_true(gain_db(sos, n, 1000.0, 50.0 * (double)h) < -40.0);
    }
    assert_close(gain_db(sos, n, 1000.0, 75.0), 0.0, 0, 0.5);
    assert_int_equal(etw_powerline_comb(60.0, 30.0, 3, 2048.0, sos, 64, &n), ETW_OK);
    assert_int_equal(n, 3);
    assert_int_equal(etw_powerline_comb(60.0, 30.0, 3, 2048.0, sos, 2, &n), ETW_ERR_SIZE);
    assert_int_equal(etw_powerline_comb(60.0, 30.0, 0, 2048.0, sos, 64, &n), ETW_ERR_RANGE);
    assert_int_equal(etw_powerline_comb(60.0, 30.0, 65, 2048.0, sos, 64, &n), ETW_ERR_RANGE);
    assert_int_equal(etw_powerline_comb(500.0, 30.0, 3, 1000.0, sos, 64, &n), ETW_ERR_NYQUIST);
    assert_int_equal(etw_powerline_comb(NAN, 30.0, 3, 1000.0, sos, 64, &n), ETW_ERR_NONFINITE);
    assert_int_equal(etw_powerline_comb(50.0, 30.0, 3, 1000.0, NULL, 64, &n), ETW_ERR_NULL);
    assert_int_equal(etw_powerline_comb(50.0, 30.0, 3, 1000.0, sos, 64, NULL), ETW_ERR_NULL);
}

static void response_phase_and_group_delay(void **state)
{
    (void)state;
    /* a pure delay of one sample: b = [0 1 0] */
    const etw_sos delay[1] = {{0, 1, 0, 1, 0, 0}};
    double f[3] = {0.0, 256.0, 1000.0}, mag[3], ph[3], gd[3];
    assert_int_equal(etw_sos_response(delay, 1, 2048.0, f, 3, mag, ph, gd), ETW_OK);
    for (int i = 0; i < 3; i++) {
        assert_close(mag[i], 1.0, 0, 1e-12);
        assert_close(gd[i], 1.0 / 2048.0, 1e-12, 0);
        assert_close(ph[i], -2.0 * 3.14159265358979323846 * f[i] / 2048.0, 0, 1e-12);
    }
    /* Butterworth low-pass: group delay at DC from the numerical phase slope */
    etw_sos sos[4];
    size_t n;
    assert_int_equal(etw_butter(ETW_LOWPASS, 4, 100, 0, 2048, sos, 4, &n), ETW_OK);
    double fq[2] = {10.0, 10.001}, p2[2], g2[2];
    assert_int_equal(etw_sos_response(sos, n, 2048.0, fq, 2, NULL, p2, g2), ETW_OK);
    double slope = -(p2[1] - p2[0]) / (2.0 * 3.14159265358979323846 * 0.001);
    assert_close(g2[0], slope, 1e-4, 0);
    assert_int_equal(etw_sos_response(sos, n, 2048.0, NULL, 0, NULL, NULL, NULL), ETW_OK);
}

static void design_errors_are_reported(void **state)
{
    (void)state;
    etw_sos sos[16];
    size_t n = 99;
    /* order range */
    assert_int_equal(etw_butter(ETW_LOWPASS, 0, 10, 0, 1000, sos, 16, &n), ETW_ERR_RANGE);
    assert_int_equal(etw_butter(ETW_LOWPASS, 17, 10, 0, 1000, sos, 16, &n), ETW_ERR_RANGE);
    assert_int_equal(etw_butter((etw_filter_type)7, 2, 10, 0, 1000, sos, 16, &n),
                     ETW_ERR_RANGE);
    assert_int_equal(etw_butter_sections((etw_filter_type)7, 2), 0);
    assert_int_equal(etw_butter_sections(ETW_LOWPASS, 0), 0);
    /* NaN / Inf */
    assert_int_equal(etw_butter(ETW_LOWPASS, 2, NAN, 0, 1000, sos, 16, &n), ETW_ERR_NONFINITE);
    assert_int_equal(etw_butter(ETW_LOWPASS, 2, 10, 0, INFINITY, sos, 16, &n),
                     ETW_ERR_NONFINITE);
    assert_int_equal(etw_butter(ETW_BANDPASS, 2, 10, NAN, 1000, sos, 16, &n),
                     ETW_ERR_NONFINITE);
    /* the upper edge of low/high-pass designs is ignored, even when NaN */
    assert_int_equal(etw_butter(ETW_HIGHPASS, 2, 10, NAN, 1000, sos, 16, &n), ETW_OK);
    n = 99;
    /* cutoffs */
    assert_int_equal(etw_butter(ETW_LOWPASS, 2, 0, 0, 1000, sos, 16, &n), ETW_ERR_RANGE);
    assert_int_equal(etw_butter(ETW_LOWPASS, 2, -5, 0, 1000, sos, 16, &n), ETW_ERR_RANGE);
    assert_int_equal(etw_butter(ETW_LOWPASS, 2, 10, 0, 0, sos, 16, &n), ETW_ERR_RANGE);
    assert_int_equal(etw_butter(ETW_LOWPASS, 2, 500, 0, 1000, sos, 16, &n), ETW_ERR_NYQUIST);
    assert_int_equal(etw_butter(ETW_HIGHPASS, 2, 600, 0, 1000, sos, 16, &n), ETW_ERR_NYQUIST);
    assert_int_equal(etw_butter(ETW_BANDPASS, 2, 10, 500, 1000, sos, 16, &n),
                     ETW_ERR_NYQUIST);
    assert_int_equal(etw_butter(ETW_BANDPASS, 2, 100, 100, 1000, sos, 16, &n), ETW_ERR_RANGE);
    assert_int_equal(etw_butter(ETW_BANDSTOP, 2, 200, 100, 1000, sos, 16, &n), ETW_ERR_RANGE);
    assert_int_equal(etw_butter(ETW_BANDPASS, 2, 10, 0, 1000, sos, 16, &n), ETW_ERR_RANGE);
    /* buffers */
    assert_int_equal(etw_butter(ETW_BANDPASS, 4, 10, 100, 1000, sos, 3, &n), ETW_ERR_SIZE);
    assert_int_equal(etw_butter(ETW_LOWPASS, 2, 10, 0, 1000, NULL, 16, &n), ETW_ERR_NULL);
    assert_int_equal(etw_butter(ETW_LOWPASS, 2, 10, 0, 1000, sos, 16, NULL), ETW_ERR_NULL);
    assert_int_equal(n, 99); /* nothing written on error */
    /* notch / peak */
    assert_int_equal(etw_iirnotch(50, 30, 1000, NULL), ETW_ERR_NULL);
    assert_int_equal(etw_iirnotch(NAN, 30, 1000, sos[0]), ETW_ERR_NONFINITE);
    assert_int_equal(etw_iirnotch(50, 0, 1000, sos[0]), ETW_ERR_RANGE);
    assert_int_equal(etw_iirnotch(0, 30, 1000, sos[0]), ETW_ERR_RANGE);
    assert_int_equal(etw_iirnotch(50, 30, -1, sos[0]), ETW_ERR_RANGE);
    assert_int_equal(etw_iirpeak(500, 30, 1000, sos[0]), ETW_ERR_NYQUIST);
    assert_int_equal(etw_iirpeak(50, INFINITY, 1000, sos[0]), ETW_ERR_NONFINITE);
    /* response */
    double f = 10.0, bad = 600.0, nan = NAN, mag;
    assert_int_equal(etw_butter(ETW_LOWPASS, 2, 10, 0, 1000, sos, 16, &n), ETW_OK);
    assert_int_equal(etw_sos_response(NULL, 1, 1000, &f, 1, &mag, NULL, NULL), ETW_ERR_NULL);
    assert_int_equal(etw_sos_response(sos, 0, 1000, &f, 1, &mag, NULL, NULL), ETW_ERR_RANGE);
    assert_int_equal(etw_sos_response(sos, 1, 1000, NULL, 1, &mag, NULL, NULL), ETW_ERR_NULL);
    assert_int_equal(etw_sos_response(sos, 1, 0, &f, 1, &mag, NULL, NULL), ETW_ERR_RANGE);
    assert_int_equal(etw_sos_response(sos, 1, NAN, &f, 1, &mag, NULL, NULL),
                     ETW_ERR_NONFINITE);
    assert_int_equal(etw_sos_response(sos, 1, 1000, &bad, 1, &mag, NULL, NULL), ETW_ERR_RANGE);
    assert_int_equal(etw_sos_response(sos, 1, 1000, &nan, 1, &mag, NULL, NULL),
                     ETW_ERR_NONFINITE);
    sos[0][3] = 2.0;
    assert_int_equal(etw_sos_response(sos, 1, 1000, &f, 1, &mag, NULL, NULL), ETW_ERR_RANGE);
    sos[0][3] = 1.0;
    sos[0][4] = NAN;
    assert_int_equal(etw_sos_response(sos, 1, 1000, &f, 1, &mag, NULL, NULL),
                     ETW_ERR_NONFINITE);
}

ETW_TEST_GROUP(design_tests)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(butter_matches_scipy_section_for_section),
        cmocka_unit_test(notch_and_peak_match_scipy),
        cmocka_unit_test(butterworth_masks_hold),
        cmocka_unit_test(notch_is_deep_and_narrow),
        cmocka_unit_test(comb_notches_every_harmonic_below_nyquist),
        cmocka_unit_test(response_phase_and_group_delay),
        cmocka_unit_test(design_errors_are_reported),
    };
    *count = sizeof tests / sizeof tests[0];
    return tests;
}
