/* Isolation of a burst from its neighbours on the same channel: the decaying tail of a twitch
 * that dips under the off level for longer than the merge gap is part of it, a burst of the
 * same size or one after a longer pause is not. */
#include <math.h>
#include <stdlib.h>

#include "emgtwitch/twitch.h"
#include "etw_test.h"
#include "signals.h"
#include "twitch_tests.h"

#define MAXEV 64

/* Twitches (flag TWITCH) starting within 20 ms of t. */
static size_t twitches_at(const etw_twitch_event *ev, size_t k, double t)
{
    size_t m = 0;
    for (size_t i = 0; i < k; i++) {
        m += (ev[i].flags & ETW_TWITCH_FLAG_TWITCH) && fabs(ev[i].onset_s - t) <= 0.02;
    }
    return m;
}

/* Adds a 300 Hz tone of peak amplitude amp under a half-sine envelope: a burst whose
 * envelope peak is set exactly (a noise burst's scatters by tens of percent). */
static void tone_burst(float *x, size_t n, double fs, double t_s, double duration_s, double amp)
{
    const double pi = 3.14159265358979323846;
    size_t start = (size_t)llround(t_s * fs), len = (size_t)llround(duration_s * fs);
    for (size_t i = 0; i < len && start + i < n; i++) {
        double env = sin(pi * ((double)i + 0.5) / (double)len);
        x[start + i] += (float)(amp * env * sin(2.0 * pi * 300.0 * (double)i / fs));
    }
}

/* White noise of 1 uV at 2048 Hz; at each of three times a burst of 30 uV, a pause of
 * noise only (beyond the 30 ms merge gap, and long enough for noise not to bridge it), then
 * a second burst (the measured offsets scatter by tens of ms where the envelope grazes the
 * off level, hence the margins):
 * - 2 s: 120 ms, pause 80 ms, 20 ms at 15 uV (6 dB weaker, within the 10 dB of a
 *   disturbing neighbour, 220 ms in all): its tail, so one twitch;
 * - 5 s: 100 ms, pause 90 ms, 60 ms as strong: neither is isolated;
 * - 8 s: 15 ms, pause 130 ms (far longer than the burst), 20 ms at 15 uV: not its tail;
 * - 11 s: 150 ms, pause 80 ms, 120 ms at 15 uV: longer than a twitch together (300 ms),
 *   not its tail. */
void isolation_tail_after_a_dip(void **state)
{
    (void)state;
    const double fs = 2048.0;
    size_t n = (size_t)(14 * fs);
    float *x = calloc(n, sizeof *x);
    assert_non_null(x);
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 5);
    sig_noise(&rng, x, n, 1e-6);
    tone_burst(x, n, fs, 2.0, 0.12, 3e-5);
    tone_burst(x, n, fs, 2.2, 0.02, 1.5e-5);
    tone_burst(x, n, fs, 5.0, 0.1, 3e-5);
    tone_burst(x, n, fs, 5.19, 0.06, 3e-5);
    tone_burst(x, n, fs, 8.0, 0.015, 3e-5);
    tone_burst(x, n, fs, 8.145, 0.02, 1.5e-5);
    tone_burst(x, n, fs, 11.0, 0.15, 3e-5);
    tone_burst(x, n, fs, 11.23, 0.12, 1.5e-5);
    etw_twitch_config cfg;
    assert_int_equal(etw_twitch_config_default(fs, 1, &cfg), ETW_OK);
    etw_twitch_event ev[MAXEV];
    size_t k = 0;
    const float *in[1] = {x};
    assert_int_equal(etw_twitch_detect(&cfg, in, n, ev, MAXEV, &k), ETW_OK);
    assert_int_equal(twitches_at(ev, k, 2.0), 1);
    assert_int_equal(twitches_at(ev, k, 2.2), 0);
    assert_int_equal(twitches_at(ev, k, 5.0) + twitches_at(ev, k, 5.19), 0);
    assert_int_equal(twitches_at(ev, k, 8.0) + twitches_at(ev, k, 8.145), 0);
    assert_int_equal(twitches_at(ev, k, 11.0) + twitches_at(ev, k, 11.23), 0);
    free(x);
}
