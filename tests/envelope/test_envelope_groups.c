/* RMS envelope over many channels (four per vector, two groups of four per loop where the CPU
 * allows; 13 channels = a pair of groups, a single group and a remainder) against one
 * single-channel envelope per channel (always the per-channel loop): bit-identical outputs
 * under random block partitions and non-finite input. */
#include "etw_test.h"

#include <math.h>

#include "emgtwitch/emgtwitch.h"

void envelope_rms_channels_match_single_channel_runs(void **state);
void envelope_rms_channels_match_single_channel_runs(void **state)
{
    (void)state;
    enum { N = 5000, NCH = 13 };
    static float x[NCH][N], y[NCH][N], ref[NCH][N];
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 41);
    for (size_t c = 0; c < NCH; c++) {
        for (size_t i = 0; i < N; i++) {
            double gain = (i / 900) % 3 == 1 ? 10.0 : 1.0;
            x[c][i] = (float)(gain * (double)(c + 1) * etw_test_rng_normal(&rng));
        }
    }
    x[2][1500] = NAN;
    x[5][3000] = INFINITY;
    x[10][4100] = NAN;
    for (size_t i = 3500; i < 3600; i++) {
        x[7][i] = -INFINITY;
    }
    etw_envelope_config cfg = etw_envelope_config_default(ETW_ENV_RMS, 2048.0, NCH);
    cfg.window_ms = 20.0;
    etw_envelope *all = NULL;
    etw_envelope *one[NCH];
    assert_int_equal(etw_envelope_create(&cfg, &all), ETW_OK);
    cfg.nch = 1;
    for (size_t c = 0; c < NCH; c++) {
        assert_int_equal(etw_envelope_create(&cfg, &one[c]), ETW_OK);
    }
    for (size_t pos = 0; pos < N;) {
        size_t m = etw_test_rng_block(&rng, 300);
        m = m > N - pos ? N - pos : m;
        const float *in[NCH];
        float *out[NCH];
        for (size_t c = 0; c < NCH; c++) {
            in[c] = x[c] + pos;
            out[c] = ref[c] + pos;
            assert_int_equal(etw_envelope_process(one[c], in + c, out + c, m), ETW_OK);
            out[c] = y[c] + pos;
        }
        assert_int_equal(etw_envelope_process(all, in, out, m), ETW_OK);
        pos += m;
    }
    assert_memory_equal(y, ref, sizeof y);
    assert_true(isnan(y[2][1500]) && isnan(y[7][3599]) && !isnan(y[6][3599]) &&
                isnan(y[10][4100]) && !isnan(y[11][4100]));
    etw_envelope_destroy(all);
    for (size_t c = 0; c < NCH; c++) {
        etw_envelope_destroy(one[c]);
    }
}
