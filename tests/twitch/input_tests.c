/* The detector's input copy: the run-time choice (AVX2 where present) and the portable build
 * against plain copies, bit for bit, at every ring position (wrapping or not), with the
 * finiteness answer for finite input and for each kind of non-finite value. */
#include <math.h>
#include <string.h>

#include "etw_test.h"
#include "twitch/input.h"
#include "twitch_tests.h"

#define INPUT_RING 64
#define INPUT_N 41

void input_kernels_match_copies(void **state)
{
    (void)state;
    static const float bad[3] = {NAN, INFINITY, -INFINITY};
    etw_input_fn fns[2] = {etw_input_kernel(), etw_input_portable()};
    float src[INPUT_N];
    for (size_t i = 0; i < INPUT_N; i++) {
        src[i] = (float)((int)(i * 37 % 23) - 11) * 0.37f + (i % 13 == 0 ? 3e38f : 0.0f);
    }
    const float x0 = 1.25f;
    for (int f = 0; f < 2; f++) {
        for (int64_t t = 0; t < INPUT_RING; t++) {
            for (int k = -1; k < 3; k++) {
                float in[INPUT_N], ring[INPUT_RING], out[INPUT_N];
                float want_ring[INPUT_RING], want_out[INPUT_N];
                memcpy(in, src, sizeof in);
                if (k >= 0) {
                    in[(size_t)(t + k * 17) % INPUT_N] = bad[k];
                }
                memset(ring, 0, sizeof ring);
                memset(want_ring, 0, sizeof want_ring);
                for (size_t i = 0; i < INPUT_N; i++) {
                    want_ring[(size_t)(t + (int64_t)i) % INPUT_RING] = in[i];
                    want_out[i] = in[i] - x0;
                }
                int ok = fns[f](ring, INPUT_RING - 1, t, in, INPUT_N, x0, out);
                assert_int_equal(ok, k < 0);
                assert_memory_equal(ring, want_ring, sizeof ring);
                assert_memory_equal(out, want_out, sizeof out);
            }
        }
    }
}
