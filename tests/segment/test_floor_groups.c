/* Floor tracker over many channels (summed four per vector where the CPU allows) against one
 * single-channel tracker per channel (always the per-channel loop): bit-identical levels and
 * spreads under random block partitions and non-finite input; and without the spread
 * (config.spread 0): the same levels, the spread NaN. */
#include "etw_test.h"

#include <math.h>

#include "emgtwitch/emgtwitch.h"
#include "test_segment.h"

void tracker_channels_match_single_channel_trackers(void **state)
{
    (void)state;
    enum { FS = 1000, N = 8 * FS, NCH = 9 };
    static float x[NCH][N];
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 31);
    for (size_t c = 0; c < NCH; c++) {
        for (size_t i = 0; i < N; i++) {
            double gain = (i / 700) % 5 == 3 ? 6.0 : 1.0;
            x[c][i] = (float)(gain * (1.0 + 0.1 * (double)c) *
                              (1.0 + 0.3 * fabs(etw_test_rng_normal(&rng))));
        }
    }
    for (size_t i = 2000; i < 2030; i++) {
        x[1][i] = NAN;
    }
    for (size_t i = 4000; i < 4200; i++) {
        x[4][i] = INFINITY;
    }
    x[8][5000] = -INFINITY;
    etw_floor_tracker_config cfg = etw_floor_tracker_config_default(FS, NCH);
    cfg.window_ms = 37.0;
    cfg.horizon_s = 2.0;
    etw_floor_tracker *all = NULL;
    etw_floor_tracker *one[NCH];
    etw_floor_tracker *lean = NULL; /* without the spread: the same levels */
    assert_int_equal(etw_floor_tracker_create(&cfg, &all), ETW_OK);
    cfg.spread = 0;
    assert_int_equal(etw_floor_tracker_create(&cfg, &lean), ETW_OK);
    cfg.spread = 1;
    cfg.nch = 1;
    for (size_t c = 0; c < NCH; c++) {
        assert_int_equal(etw_floor_tracker_create(&cfg, &one[c]), ETW_OK);
    }
    for (size_t pos = 0; pos < N;) {
        size_t m = etw_test_rng_block(&rng, 120);
        m = m > N - pos ? N - pos : m;
        const float *in[NCH];
        for (size_t c = 0; c < NCH; c++) {
            in[c] = x[c] + pos;
            assert_int_equal(etw_floor_tracker_process(one[c], in + c, m), ETW_OK);
        }
        assert_int_equal(etw_floor_tracker_process(all, in, m), ETW_OK);
        assert_int_equal(etw_floor_tracker_process(lean, in, m), ETW_OK);
        for (size_t c = 0; c < NCH; c++) {
            double a[2] = {0.0, 0.0};
            double b[2] = {0.0, 0.0};
            double l[2] = {0.0, 0.0};
            assert_int_equal(etw_floor_tracker_get(all, c, &a[0], &a[1]),
                             etw_floor_tracker_get(one[c], 0, &b[0], &b[1]));
            assert_memory_equal(a, b, sizeof a);
            assert_int_equal(etw_floor_tracker_get(lean, c, &l[0], &l[1]),
                             etw_floor_tracker_get(all, c, &b[0], NULL));
            assert_memory_equal(&l[0], &a[0], sizeof l[0]);
            assert_true(isnan(l[1]));
        }
        pos += m;
    }
    double level = NAN;
    assert_int_equal(etw_floor_tracker_get(all, 4, &level, NULL), ETW_OK);
    assert_close(level, 1.4 * (1.0 + 0.3 * sqrt(2.0 / 3.14159265358979)), 0.05, 0);
    etw_floor_tracker_destroy(all);
    etw_floor_tracker_destroy(lean);
    for (size_t c = 0; c < NCH; c++) {
        etw_floor_tracker_destroy(one[c]);
    }
}
