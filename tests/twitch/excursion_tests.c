/* The false-alarm-controlled peak threshold on hand-made excursion streams with a known
 * exponential tail. */
#include <math.h>

#include "etw_test.h"
#include "twitch/excursion.h"
#include "twitch_tests.h"

#define XS_FS 1000.0

/* Feeds per_min excursions a minute for seconds, with peak excesses over the start
 * threshold drawn from an exponential of rate lambda (per dB) by quantiles in golden-ratio
 * order (no randomness, no drift of the mean in time); returns the end time, samples. */
static int64_t feed(etw_excursions *x, double per_min, double lambda, double seconds)
{
    etw_excursions_reset(x);
    int64_t step = (int64_t)llround(60.0 * XS_FS / per_min), t = 0;
    double u = 0.5;
    for (; t < (int64_t)(seconds * XS_FS); t += step) {
        u = fmod(u + 0.6180339887498949, 1.0);
        etw_excursions_add(x, t, -log1p(-u) / lambda, XS_FS);
    }
    return t;
}

/* N(> x) = R exp(-lambda x) reaches the target rate at ln(R / target) / lambda: Gaussian-like
 * (1.5 per dB) and heavy (0.7 per dB) tails over 5 minutes, at a rate high enough (600 a
 * minute, ~1000 in the forgetting window) for the prior (20 excursions at 1.5 per dB) to
 * weigh little. */
void excursions_threshold_of_exponential_tail(void **state)
{
    (void)state;
    const double lambdas[] = {1.5, 0.7};
    for (size_t i = 0; i < 2; i++) {
        etw_excursions x;
        int64_t t = feed(&x, 600.0, lambdas[i], 300.0);
        double expect = log(600.0 / 0.5) / lambdas[i];
        assert_close(etw_excursions_threshold_db(&x, t, XS_FS, 0.5), expect, 0.03, 0);
    }
}

/* Excursions above the fitted band (twitches) do not move the threshold; a rate under the
 * target gives none. */
void excursions_band_and_low_rate(void **state)
{
    (void)state;
    etw_excursions x;
    int64_t t = feed(&x, 150.0, 1.0, 300.0);
    double base = etw_excursions_threshold_db(&x, t, XS_FS, 0.5);
    assert_true(base > 0.0);
    etw_excursions y = x;
    for (int k = 0; k < 50; k++) {
        etw_excursions_add(&y, t, 8.0 + 0.1 * k, XS_FS);
    }
    assert_close(etw_excursions_threshold_db(&y, t, XS_FS, 0.5), base, 0, 1e-12);
    assert_close(etw_excursions_threshold_db(&x, t, XS_FS, 600.0), 0.0, 0, 0);
}
