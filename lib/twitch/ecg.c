/* QRS-train membership test (see ecg.h). Beats of a sinus rhythm repeat at nearly equal RR
 * intervals with nearly equal amplitude; isolated twitches fall at random times. Four beats
 * (three intervals) are required so that a twitch halfway between two beats, whose two
 * intervals are equal by chance, is not taken for one. */
#include "twitch/ecg.h"

#include <math.h>

/* One RR interval of a run: rr itself, or half of it when it spans one missed beat (a QRS
 * that measured too high a mean frequency to count as one, or fell under the start
 * threshold). At most one such gap per run; 0 when rr fits neither. */
static int64_t beat_interval(int64_t rr, int *gaps, const etw_ecg_params *p)
{
    if (rr >= p->rr_min && rr <= p->rr_max) {
        return rr;
    }
    if (*gaps == 0 && rr > p->rr_max && rr <= 2 * p->rr_max) {
        *gaps = 1;
        return rr / 2;
    }
    return 0;
}

static int regular(const int64_t *peaks, const double *amps, const double *freqs, size_t first,
                   const etw_ecg_params *p)
{
    int64_t lo = INT64_MAX, hi = 0, sum = 0;
    double alo = INFINITY, ahi = 0.0, flo = INFINITY, fhi = 0.0;
    int gaps = 0;
    for (size_t k = first; k < first + 4; k++) {
        if (k > first) {
            int64_t rr = beat_interval(peaks[k] - peaks[k - 1], &gaps, p);
            if (rr == 0) {
                return 0;
            }
            lo = rr < lo ? rr : lo;
            hi = rr > hi ? rr : hi;
            sum += rr;
        }
        alo = fmin(alo, amps[k]);
        ahi = fmax(ahi, amps[k]);
        flo = fmin(flo, freqs[k]);
        fhi = fmax(fhi, freqs[k]);
    }
    double mean = (double)sum / 3.0;
    return (double)(hi - lo) <= p->tolerance * mean && ahi <= p->amp_ratio * alo &&
           fhi <= p->freq_ratio * flo;
}

int etw_ecg_in_train(const int64_t *peaks, const double *amps, const double *freqs, size_t n,
                     size_t i, const etw_ecg_params *p)
{
    for (size_t first = i >= 3 ? i - 3 : 0; first <= i && first + 4 <= n; first++) {
        if (regular(peaks, amps, freqs, first, p)) {
            return 1;
        }
    }
    return 0;
}
