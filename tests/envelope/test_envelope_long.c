/* The moving-window sums do not drift: 24 hours of 4 kHz data (345.6 million samples) with
 * loud bursts on a quiet floor, pushed through the running sum the RMS and ARV envelopes use.
 * At checkpoints the sum must equal a direct sum over the last window to within the rounding
 * of 2*len additions of the values seen in the last two windows (2*len*eps*sum of them). A plain running
 * sum (add new, subtract old, never recomputed) is run alongside and must break that bound,
 * which shows the test is sensitive to drift. Deterministic, no timing. */
#include "etw_test.h"

#include <float.h>
#include <math.h>
#include <stdio.h>

#include "envelope/winsum.h"

void envelope_rms_exact_over_24h(void **state);

enum { LEN = 400, HIST = 2 * LEN, CHECK_EVERY = 997 };

static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

void envelope_rms_exact_over_24h(void **state)
{
    (void)state;
    const double fs = 4000.0;
    const uint64_t total = (uint64_t)(24.0 * 3600.0 * fs);
    static double ring[LEN];
    static double hist[HIST];
    etw_winsum w;
    etw_winsum_init(&w, ring, LEN, 1);
    double naive = 0.0;
    double worst_ratio = 0.0;       /* our error / bound */
    double naive_worst_ratio = 0.0; /* plain running sum's error / bound */
    uint64_t s = 0x9e3779b97f4a7c15ULL;
    uint64_t checks = 0;
    for (uint64_t n = 0; n < total; n++) {
        /* 10 uV floor; a 1 V burst of 2 s every 10 min */
        double amp = (n % (uint64_t)(600 * fs)) < (uint64_t)(2 * fs) ? 1.0 : 1e-5;
        float x = (float)(amp * ((double)(next(&s) >> 11) * 0x1.0p-52 - 1.0));
        double v = (double)x * (double)x;
        double old = hist[(n + HIST - LEN) % HIST];
        naive += v - old;
        hist[n % HIST] = v;
        double sum = etw_winsum_push(&w, v);
        if (n % CHECK_EVERY == CHECK_EVERY - 1 && n >= HIST) {
            double direct = 0.0;
            double mass = 0.0;
            for (size_t k = 0; k < HIST; k++) {
                double h = hist[(n + HIST - k) % HIST];
                if (k < LEN) {
                    direct += h;
                }
                mass += h;
            }
            double bound = 2.0 * LEN * DBL_EPSILON * mass + DBL_MIN;
            double r = fabs(sum - direct) / bound;
            double rn = fabs(naive - direct) / bound;
            worst_ratio = r > worst_ratio ? r : worst_ratio;
            naive_worst_ratio = rn > naive_worst_ratio ? rn : naive_worst_ratio;
            checks++;
        }
    }
    printf("# 24 h at 4 kHz, %llu checkpoints: running-sum error / bound = %.3g, "
           "plain running sum = %.3g\n",
           (unsigned long long)checks, worst_ratio, naive_worst_ratio);
    assert_true(worst_ratio <= 1.0);
    assert_true(naive_worst_ratio > 10.0);
}
