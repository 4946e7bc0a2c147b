/* Zero-phase filtering against scipy.signal.sosfiltfilt, several channels, in place, errors
 * and an allocation-failure sweep. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "emgtwitch/filter.h"
#include "golden.h"
#include "tests.h"

static void filtfilt_matches_scipy(void **state)
{
    (void)state;
    golden_run runs[4];
    float *x;
    size_t n;
    size_t nruns = golden_runs(&x, &n, runs, 4);
    assert_int_equal(nruns, 3);
    float *y0 = malloc(n * sizeof *y0), *y1 = malloc(n * sizeof *y1);
    float *neg = malloc(n * sizeof *neg);
    assert_true(y0 && y1 && neg);
    for (size_t i = 0; i < n; i++) {
        neg[i] = -2.0f * x[i];
    }
    for (size_t r = 0; r < nruns; r++) {
        double peak = 0.0, worst = 0.0;
        for (size_t i = 0; i < n; i++) {
            peak = fmax(peak, fabs(runs[r].filtfilt[i]));
        }
        const float *in[2] = {x, neg};
        float *out[2] = {y0, y1};
        assert_int_equal(etw_sosfiltfilt((const etw_sos *)runs[r].sos, runs[r].nsec, in, out, 2,
                                         n),
                         ETW_OK);
        for (size_t i = 0; i < n; i++) {
            worst = fmax(worst, fabs(y0[i] - runs[r].filtfilt[i]) / peak);
            worst = fmax(worst, fabs(y1[i] / -2.0 - runs[r].filtfilt[i]) / peak);
        }
        print_message("sosfiltfilt %-16s max error %.3g of peak\n", runs[r].name, worst);
        assert_true(worst < 1e-6);
        /* in place */
        memcpy(y1, x, n * sizeof *x);
        out[0] = y1;
        assert_int_equal(etw_sosfiltfilt((const etw_sos *)runs[r].sos, runs[r].nsec,
                                         (const float *const *)out, out, 1, n),
                         ETW_OK);
        assert_memory_equal(y0, y1, n * sizeof *y0);
    }
    free(y0);
    free(y1);
    free(neg);
    golden_runs_free(x, runs, nruns);
}

static void filtfilt_errors_are_reported(void **state)
{
    (void)state;
    etw_sos sos[2];
    size_t nsec;
    assert_int_equal(etw_butter(ETW_LOWPASS, 4, 100, 0, 1000, sos, 2, &nsec), ETW_OK);
    float x[40] = {0}, y[40];
    const float *in[1] = {x};
    float *out[1] = {y};
    /* padlen = 3 * (2 * 2 + 1) = 15 */
    assert_int_equal(etw_sosfiltfilt(sos, nsec, in, out, 1, 15), ETW_ERR_RANGE);
    assert_int_equal(etw_sosfiltfilt(sos, nsec, in, out, 1, 16), ETW_OK);
    assert_int_equal(etw_sosfiltfilt(sos, nsec, in, out, 0, 16), ETW_ERR_RANGE);
    assert_int_equal(etw_sosfiltfilt(NULL, nsec, in, out, 1, 40), ETW_ERR_NULL);
    assert_int_equal(etw_sosfiltfilt(sos, 0, in, out, 1, 40), ETW_ERR_RANGE);
    assert_int_equal(etw_sosfiltfilt(sos, nsec, NULL, out, 1, 40), ETW_ERR_NULL);
    assert_int_equal(etw_sosfiltfilt(sos, nsec, in, NULL, 1, 40), ETW_ERR_NULL);
    const float *nin[1] = {NULL};
    assert_int_equal(etw_sosfiltfilt(sos, nsec, nin, out, 1, 40), ETW_ERR_NULL);
    x[7] = NAN;
    assert_int_equal(etw_sosfiltfilt(sos, nsec, in, out, 1, 40), ETW_ERR_NONFINITE);
    x[7] = 0.0f;
    sos[1][3] = 3.0;
    assert_int_equal(etw_sosfiltfilt(sos, nsec, in, out, 1, 40), ETW_ERR_RANGE);
}

static int filtfilt_attempt(void *ctx)
{
    (void)ctx;
    etw_sos sos[2];
    size_t nsec;
    float x[100], y[100];
    for (int i = 0; i < 100; i++) {
        x[i] = (float)(i % 7);
    }
    const float *in[1] = {x};
    float *out[1] = {y};
    assert_int_equal(etw_butter(ETW_LOWPASS, 4, 100, 0, 1000, sos, 2, &nsec), ETW_OK);
    etw_status st = etw_sosfiltfilt(sos, nsec, in, out, 1, 100);
    if (st != ETW_OK) {
        assert_int_equal(st, ETW_ERR_NOMEM);
        return 0;
    }
    return 1;
}

static void filtfilt_survives_allocation_failure(void **state)
{
    (void)state;
    etw_failalloc_sweep(filtfilt_attempt, NULL);
}

ETW_TEST_GROUP(filtfilt_tests)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(filtfilt_matches_scipy),
        cmocka_unit_test(filtfilt_errors_are_reported),
        cmocka_unit_test(filtfilt_survives_allocation_failure),
    };
    *count = sizeof tests / sizeof tests[0];
    return tests;
}
