/* A false-alarm-rate-controlled peak threshold (a CFAR threshold in radar terms: Rohling
 * 1983, for the principle; here from the tail of the observed excursions).
 *
 * Every burst the start threshold opens is an excursion of the envelope; most are background
 * noise. Above the start threshold the number of excursions whose peak exceeds x dB falls
 * off about exponentially, N(> x) = N0 exp(-lambda x): steeply for Gaussian background
 * (lambda ~1.4 per dB for the synthetic surface-EMG background with a 5 ms window, 60 per
 * minute above 6 dB, almost none above 9), slowly for a heavy-tailed real background
 * (lambda ~0.7 for a BITalino rest recording, 250 per minute above 6 dB, some up to 13 dB).
 * lambda is the maximum-likelihood rate of an exponential truncated to the first
 * ETW_EXCURSION_BAND_DB over the start threshold (Deemer & Votaw 1955: the mean excess
 * determines it), N0 from the count in that band. The threshold is the level at which
 * N(> x) equals the target rate. Counts and sums forget with a time constant of
 * ETW_EXCURSION_TAU_S; a prior of ETW_EXCURSION_PRIOR_N excursions at the Gaussian rate
 * keeps the first seconds from swinging.
 *
 * The band is 3 dB wide. The Fisher information about lambda of one excursion from an
 * exponential truncated to [0, L) is I = 1/lambda^2 - L^2 e^(lambda L) / (e^(lambda L) - 1)^2;
 * it vanishes as lambda L -> 0, where the truncated exponential becomes uniform. Just over
 * the start threshold the tail of a Gaussian background is shallow (the hysteresis merges
 * neighbouring crossings, and the log-rate of a Gaussian envelope's maxima steepens with
 * the level): white noise at 2048 Hz measures lambda ~1 in a 2 dB band, lambda L = 2, where
 * I = 0.28 per excursion, so the 60 excursions of the first 20 s fix lambda only to +-0.25
 * and a near-uniform draw (lambda -> 0) raised the threshold 5-13 dB. At L = 3, I = 0.50
 * (1.8 times). The band still ends 1 dB under the default plain peak criterion
 * (min_peak_db - on_db = 4 dB), so bursts that could be twitches stay out of the fit. */
#include "twitch/excursion.h"

#include <math.h>

/* Band over the start threshold whose excursions are counted, dB. */
#define ETW_EXCURSION_BAND_DB 3.0
/* Forgetting time constant, s (hundreds of excursions at typical rates). */
#define ETW_EXCURSION_TAU_S 120.0
/* Prior: this many pseudo-excursions with the tail rate of Gaussian background. */
#define ETW_EXCURSION_PRIOR_N 20.0
#define ETW_EXCURSION_PRIOR_LAMBDA 1.5

/* Mean excess of an exponential of rate lambda truncated to [0, L). */
static double mean_excess(double lambda, double L)
{
    return 1.0 / lambda - L / expm1(lambda * L);
}

void etw_excursions_reset(etw_excursions *x)
{
    x->n = 0.0;
    x->sum = 0.0;
    x->last = 0;
}

static double decay(const etw_excursions *x, int64_t t, double fs_hz)
{
    return exp(-(double)(t - x->last) / (ETW_EXCURSION_TAU_S * fs_hz));
}

void etw_excursions_add(etw_excursions *x, int64_t t, double excess_db, double fs_hz)
{
    if (!(excess_db >= 0.0 && excess_db < ETW_EXCURSION_BAND_DB) || t < x->last) {
        return;
    }
    double k = decay(x, t, fs_hz);
    x->n = x->n * k + 1.0;
    x->sum = x->sum * k + excess_db;
    x->last = t;
}

double etw_excursions_threshold_db(const etw_excursions *x, int64_t t, double fs_hz,
                                   double target_per_min)
{
    const double L = ETW_EXCURSION_BAND_DB;
    double k = t > x->last ? decay(x, t, fs_hz) : 1.0;
    double n = x->n * k;
    double seen_s = ETW_EXCURSION_TAU_S * -expm1(-(double)t / (ETW_EXCURSION_TAU_S * fs_hz));
    if (!(n > 0.0) || !(seen_s > 0.0) || !(target_per_min > 0.0)) {
        return 0.0;
    }
    /* mean excess with the prior, then lambda by bisection (the mean excess falls with
     * lambda from L/2 towards 0) */
    double m = (x->sum * k + ETW_EXCURSION_PRIOR_N * mean_excess(ETW_EXCURSION_PRIOR_LAMBDA, L)) /
               (n + ETW_EXCURSION_PRIOR_N);
    double lo = 1e-3, hi = 50.0;
    for (int i = 0; i < 60; i++) {
        double mid = 0.5 * (lo + hi);
        if (mean_excess(mid, L) > m) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    double lambda = 0.5 * (lo + hi);
    double per_min = 60.0 * n / -expm1(-lambda * L) / seen_s;
    return per_min > target_per_min ? log(per_min / target_per_min) / lambda : 0.0;
}
