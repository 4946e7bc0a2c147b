/* The pre-emphasis loop: the run-time choice (AVX2 where present) and the portable build
 * against the formula, bit for bit, across random block splits. */
#include <stdlib.h>
#include <string.h>

#include "etw_test.h"
#include "twitch/emphasis.h"
#include "twitch_tests.h"

#define EMPH_N 1000

static void run_split(etw_emphasis_fn fn, const float *x, float *y, const float *b,
                      unsigned seed)
{
    float h[2] = {0.0f, 0.0f};
    srand(seed);
    for (size_t at = 0; at < EMPH_N;) {
        size_t n = 1 + (size_t)rand() % 40;
        n = n < EMPH_N - at ? n : EMPH_N - at;
        fn(x + at, y + at, n, b, h);
        at += n;
    }
}

void emphasis_kernels_match_formula(void **state)
{
    (void)state;
    static float x[EMPH_N], ref[EMPH_N], a[EMPH_N], p[EMPH_N];
    const float b[3] = {0.93f, -1.81f, 0.88f};
    srand(7);
    for (size_t i = 0; i < EMPH_N; i++) {
        x[i] = (float)(rand() % 20001 - 10000) * 1e-3f + (i % 97 == 0 ? 1e4f : 0.0f);
    }
    for (size_t i = 0; i < EMPH_N; i++) {
        float x1 = i >= 1 ? x[i - 1] : 0.0f, x2 = i >= 2 ? x[i - 2] : 0.0f;
        ref[i] = b[0] * x[i] + b[1] * x1 + b[2] * x2;
    }
    for (unsigned seed = 1; seed <= 5; seed++) {
        run_split(etw_emphasis_kernel(), x, a, b, seed);
        run_split(etw_emphasis_portable(), x, p, b, seed + 100);
        assert_memory_equal(a, ref, sizeof ref);
        assert_memory_equal(p, ref, sizeof ref);
    }
}
