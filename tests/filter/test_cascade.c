/* The streaming cascade: SciPy sosfilt/sosfilt_zi golden vectors on both kernels, block
 * partition invariance and the NaN/Inf policy (both precisions), interleaved blocks equal to
 * planar ones, in-place, steady state, retune, denormal regression, every error path and an
 * allocation-failure sweep. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "emgtwitch/filter.h"
#include "filter/cascade.h"
#include "golden.h"
#include "tests.h"

enum { PORTABLE, NATIVE };

static etw_cascade *make_in(const etw_sos *sos, size_t nsec, size_t nch, int kernel,
                            etw_precision precision)
{
    etw_cascade *c = NULL;
    assert_int_equal(etw_cascade_create(sos, nsec, nch, &c), ETW_OK);
    assert_non_null(c);
    if (kernel == PORTABLE) {
        etw_cascade_force_portable(c);
    }
    assert_int_equal(etw_cascade_set_precision(c, precision), ETW_OK);
    return c;
}

static etw_cascade *make(const etw_sos *sos, size_t nsec, size_t nch, int kernel)
{
    return make_in(sos, nsec, nch, kernel, ETW_PRECISION_DOUBLE);
}

/* nch copies of x (channel c scaled by (c+1)*(-1)^c), filtered in one block. */
static float *filter_copies(etw_cascade *c, const float *x, size_t n, size_t nch)
{
    float *buf = malloc(nch * n * sizeof *buf);
    assert_non_null(buf);
    float *ptr[16];
    for (size_t ch = 0; ch < nch; ch++) {
        ptr[ch] = buf + ch * n;
        float scale = (float)(ch + 1) * (ch % 2 ? -1.0f : 1.0f);
        for (size_t i = 0; i < n; i++) {
            ptr[ch][i] = x[i] * scale;
        }
    }
    assert_int_equal(etw_cascade_process(c, (const float *const *)ptr, ptr, n), ETW_OK);
    return buf;
}

static double peak_of(const double *v, size_t n)
{
    double p = 0.0;
    for (size_t i = 0; i < n; i++) {
        p = fmax(p, fabs(v[i]));
    }
    return p;
}

static void cascade_matches_scipy_sosfilt(void **state)
{
    (void)state;
    golden_run runs[4];
    float *x;
    size_t n;
    size_t nruns = golden_runs(&x, &n, runs, 4);
    assert_int_equal(nruns, 3);
    for (size_t r = 0; r < nruns; r++) {
        double peak = peak_of(runs[r].sosfilt, n);
        for (int kernel = PORTABLE; kernel <= NATIVE; kernel++) {
            for (size_t nch = 1; nch <= 6; nch += 5) {
                etw_cascade *c = make((const etw_sos *)runs[r].sos, runs[r].nsec, nch, kernel);
                float *y = filter_copies(c, x, n, nch);
                double worst = 0.0;
                for (size_t ch = 0; ch < nch; ch++) {
                    double scale = (double)(ch + 1) * (ch % 2 ? -1.0 : 1.0);
                    for (size_t i = 0; i < n; i++) {
                        double err = fabs(y[ch * n + i] / scale - runs[r].sosfilt[i]);
                        worst = fmax(worst, err / peak);
                    }
                }
                print_message("sosfilt %-16s %s nch=%zu: max error %.3g of peak\n",
                              runs[r].name, kernel == PORTABLE ? "portable" : "native  ", nch,
                              worst);
                assert_true(worst < 1e-6);
                free(y);
                etw_cascade_destroy(c);
            }
        }
    }
    golden_runs_free(x, runs, nruns);
}

static void steady_state_matches_sosfilt_zi(void **state)
{
    (void)state;
    golden_run runs[4];
    float *x;
    size_t n;
    size_t nruns = golden_runs(&x, &n, runs, 4);
    for (size_t r = 0; r < nruns; r++) {
        double zi[8][2];
        etw_sos_zi((const etw_sos *)runs[r].sos, runs[r].nsec, zi);
        double scale = peak_of(&runs[r].zi[0][0], 2 * runs[r].nsec);
        for (size_t s = 0; s < runs[r].nsec; s++) {
            assert_close(zi[s][0], runs[r].zi[s][0], 0, 1e-9 * scale);
            assert_close(zi[s][1], runs[r].zi[s][1], 0, 1e-9 * scale);
        }
        /* a constant input started from its steady state has no transient (2 channels and
         * 1, which keeps a direct form I history) */
        for (int run = 0; run < 4; run++) {
            int kernel = run % 2 ? NATIVE : PORTABLE;
            size_t nch = 2 - (size_t)(run / 2);
            etw_cascade *c = make((const etw_sos *)runs[r].sos, runs[r].nsec, nch, kernel);
            const float x0[2] = {0.75f, -2.0f};
            assert_int_equal(etw_cascade_set_steady_state(c, x0), ETW_OK);
            double dc = 1.0;
            for (size_t s = 0; s < runs[r].nsec; s++) {
                const double *q = runs[r].sos[s];
                dc *= (q[0] + q[1] + q[2]) / (q[3] + q[4] + q[5]);
            }
            float a[64], b[64];
            for (int i = 0; i < 64; i++) {
                a[i] = x0[0];
                b[i] = x0[1];
            }
            float *io[2] = {a, b};
            assert_int_equal(etw_cascade_process(c, (const float *const *)io, io, 64), ETW_OK);
            for (int i = 0; i < 64; i++) {
                assert_close(a[i], dc * x0[0], 0, 1e-5);
                assert_close(b[i], nch == 2 ? dc * x0[1] : x0[1], 0, 1e-5);
            }
            etw_cascade_destroy(c);
        }
    }
    golden_runs_free(x, runs, nruns);
}

static void fill_noise(etw_test_rng *rng, float *v, size_t n, double amp)
{
    for (size_t i = 0; i < n; i++) {
        v[i] = (float)(amp * etw_test_rng_normal(rng));
    }
}

static const etw_sos *workload_w(size_t *nsec)
{
    static etw_sos sos[5];
    size_t n;
    assert_int_equal(etw_butter(ETW_BANDPASS, 4, 20, 450, 2048, sos, 5, &n), ETW_OK);
    assert_int_equal(etw_iirnotch(50, 30, 2048, sos[n]), ETW_OK);
    *nsec = n + 1;
    return (const etw_sos *)sos;
}

/* Filters nch x n planar input in random blocks (0- and 1-frame blocks included) */
static void process_in_blocks(etw_cascade *c, float *const *in, float *const *out, size_t nch,
                              size_t n, etw_test_rng *rng)
{
    size_t pos = 0;
    while (pos < n) {
        size_t kind = etw_test_rng_below(rng, 4);
        size_t len = kind == 0 ? 0 : kind == 1 ? 1 : etw_test_rng_below(rng, 400);
        len = len > n - pos ? n - pos : len;
        const float *ip[16];
        float *op[16];
        for (size_t ch = 0; ch < nch; ch++) {
            ip[ch] = in[ch] + pos;
            op[ch] = out[ch] + pos;
        }
        assert_int_equal(etw_cascade_process(c, ip, op, len), ETW_OK);
        pos += len;
    }
}

/* Whole stream against random blocks, then in place: both precisions, 9 channels (in float
 * precision one 8-channel group and a single-channel group) and 1 channel (the paths of a
 * single channel), W and a 10-section band-pass (beyond the compiled-in section counts). */
static void output_is_identical_however_the_stream_is_cut(void **state)
{
    (void)state;
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 42);
    enum { NCH = 9, N = 3000 };
    size_t nsecs[2];
    etw_sos bp5[10];
    const etw_sos *designs[2] = {workload_w(&nsecs[0]), bp5};
    assert_int_equal(etw_butter(ETW_BANDPASS, 5, 20, 450, 2048, bp5, 10, &nsecs[1]), ETW_OK);
    float *in[NCH], *whole[NCH], *cut[NCH];
    for (size_t ch = 0; ch < NCH; ch++) {
        in[ch] = malloc(N * sizeof(float));
        whole[ch] = malloc(N * sizeof(float));
        cut[ch] = malloc(N * sizeof(float));
        assert_true(in[ch] && whole[ch] && cut[ch]);
        fill_noise(&rng, in[ch], N, 1e-3);
    }
    in[3][1234] = NAN; /* the non-finite path must be partition-invariant too */
    in[8][77] = INFINITY;
    const etw_precision precisions[2] = {ETW_PRECISION_DOUBLE, ETW_PRECISION_FLOAT};
    for (int p = 0; p < 2; p++) {
        for (int d = 0; d < 2; d++) {
            for (size_t nch = 1; nch <= NCH; nch += NCH - 1) {
                for (int kernel = PORTABLE; kernel <= NATIVE; kernel++) {
                    float **src = nch == 1 ? in + 8 : in;
                    etw_cascade *a = make_in(designs[d], nsecs[d], nch, kernel, precisions[p]);
                    etw_cascade *b = make_in(designs[d], nsecs[d], nch, kernel, precisions[p]);
                    assert_int_equal(
                        etw_cascade_process(a, (const float *const *)src, whole, N), ETW_OK);
                    process_in_blocks(b, src, cut, nch, N, &rng);
                    for (size_t ch = 0; ch < nch; ch++) {
                        assert_memory_equal(whole[ch], cut[ch], N * sizeof(float));
                    }
                    /* in place gives the same output */
                    for (size_t ch = 0; ch < nch; ch++) {
                        memcpy(cut[ch], src[ch], N * sizeof(float));
                    }
                    etw_cascade_reset(b);
                    process_in_blocks(b, cut, cut, nch, N, &rng);
                    for (size_t ch = 0; ch < nch; ch++) {
                        assert_memory_equal(whole[ch], cut[ch], N * sizeof(float));
                    }
                    etw_cascade_destroy(a);
                    etw_cascade_destroy(b);
                }
            }
        }
    }
    for (size_t ch = 0; ch < NCH; ch++) {
        free(in[ch]);
        free(whole[ch]);
        free(cut[ch]);
    }
}

/* Interleaved blocks give the bits of planar ones and share the state: a stream cut into
 * random blocks, each sent through one call or the other at random (in place for the
 * interleaved ones), equals the planar whole; both precisions, both kernels, 1, 3 and 9
 * channels (partial groups, single-channel groups), with non-finite samples. */
static void interleaved_blocks_equal_planar_ones(void **state)
{
    (void)state;
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 48);
    enum { NCH = 9, N = 2500 };
    size_t nsec;
    const etw_sos *sos = workload_w(&nsec);
    float *in[NCH], *whole[NCH], *cut[NCH], *inter = malloc(NCH * N * sizeof(float));
    assert_non_null(inter);
    for (size_t ch = 0; ch < NCH; ch++) {
        in[ch] = malloc(N * sizeof(float));
        whole[ch] = malloc(N * sizeof(float));
        cut[ch] = malloc(N * sizeof(float));
        assert_true(in[ch] && whole[ch] && cut[ch]);
        fill_noise(&rng, in[ch], N, 1.0);
    }
    in[2][100] = NAN;
    in[8][2000] = -INFINITY;
    /* finite, but their sum overflows: the check of a planar float load raises a false
     * alarm (the chunk is loaded again, masked), which must not change the output */
    in[5][600] = 1.8e38f;
    in[6][600] = 1.8e38f;
    const size_t counts[3] = {1, 3, 9};
    for (int run = 0; run < 12; run++) {
        size_t nch = counts[run % 3];
        int kernel = run / 3 % 2 ? NATIVE : PORTABLE;
        etw_precision p = run < 6 ? ETW_PRECISION_DOUBLE : ETW_PRECISION_FLOAT;
        float **src = in + (NCH - nch);
        etw_cascade *a = make_in(sos, nsec, nch, kernel, p);
        etw_cascade *b = make_in(sos, nsec, nch, kernel, p);
        assert_int_equal(etw_cascade_process(a, (const float *const *)src, whole, N), ETW_OK);
        size_t pos = 0;
        while (pos < N) {
            size_t len = etw_test_rng_below(&rng, 3) == 0 ? etw_test_rng_below(&rng, 2)
                                                           : etw_test_rng_below(&rng, 1500);
            len = len > N - pos ? N - pos : len;
            if (etw_test_rng_below(&rng, 2)) {
                float *frame = inter + pos * nch;
                for (size_t i = 0; i < len * nch; i++) {
                    frame[i] = src[i % nch][pos + i / nch];
                }
                assert_int_equal(etw_cascade_process_interleaved(b, frame, frame, len), ETW_OK);
                for (size_t i = 0; i < len * nch; i++) {
                    cut[i % nch][pos + i / nch] = frame[i];
                }
            } else {
                const float *ip[NCH];
                float *op[NCH];
                for (size_t ch = 0; ch < nch; ch++) {
                    ip[ch] = src[ch] + pos;
                    op[ch] = cut[ch] + pos;
                }
                assert_int_equal(etw_cascade_process(b, ip, op, len), ETW_OK);
            }
            pos += len;
        }
        for (size_t ch = 0; ch < nch; ch++) {
            assert_memory_equal(whole[ch], cut[ch], N * sizeof(float));
        }
        etw_cascade_destroy(a);
        etw_cascade_destroy(b);
    }
    float x = 0.0f;
    etw_cascade *c = make(sos, nsec, 1, NATIVE);
    assert_int_equal(etw_cascade_process_interleaved(NULL, &x, &x, 1), ETW_ERR_NULL);
    assert_int_equal(etw_cascade_process_interleaved(c, NULL, &x, 1), ETW_ERR_NULL);
    assert_int_equal(etw_cascade_process_interleaved(c, &x, NULL, 1), ETW_ERR_NULL);
    assert_int_equal(etw_cascade_process_interleaved(c, &x, &x, 0), ETW_OK);
    etw_cascade_destroy(c);
    for (size_t ch = 0; ch < NCH; ch++) {
        free(in[ch]);
        free(whole[ch]);
        free(cut[ch]);
    }
    free(inter);
}

/* Filters the same nch x n noise through a and b; *ya, *yb get the outputs (malloc'd
 * per channel, freed with free_outputs). */
static void filter_noise_twice(etw_cascade *a, etw_cascade *b, size_t nch, size_t n,
                               etw_test_rng *rng, float **ya, float **yb)
{
    float *in[16];
    for (size_t ch = 0; ch < nch; ch++) {
        in[ch] = malloc(n * sizeof(float));
        ya[ch] = malloc(n * sizeof(float));
        yb[ch] = malloc(n * sizeof(float));
        assert_true(in[ch] && ya[ch] && yb[ch]);
        fill_noise(rng, in[ch], n, 1.0);
    }
    assert_int_equal(etw_cascade_process(a, (const float *const *)in, ya, n), ETW_OK);
    assert_int_equal(etw_cascade_process(b, (const float *const *)in, yb, n), ETW_OK);
    for (size_t ch = 0; ch < nch; ch++) {
        free(in[ch]);
    }
}

static void free_outputs(float **ya, float **yb, size_t nch)
{
    for (size_t ch = 0; ch < nch; ch++) {
        free(ya[ch]);
        free(yb[ch]);
    }
}

static void kernels_agree(void **state)
{
    (void)state;
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 7);
    enum { NCH = 9, N = 3000 };
    size_t nsec;
    const etw_sos *sos = workload_w(&nsec);
    float *ya[NCH], *yb[NCH];
    for (size_t nch = 1; nch <= NCH; nch += NCH - 1) { /* one channel has kernels of its own */
        etw_cascade *a = make(sos, nsec, nch, PORTABLE), *b = make(sos, nsec, nch, NATIVE);
        filter_noise_twice(a, b, nch, N, &rng, ya, yb);
        for (size_t ch = 0; ch < nch; ch++) {
            for (size_t i = 0; i < N; i++) {
                assert_close(ya[ch][i], yb[ch][i], 0, 1e-6);
            }
        }
        free_outputs(ya, yb, nch);
        etw_cascade_destroy(a);
        etw_cascade_destroy(b);
    }
}

/* Sections computed with additions (Butterworth numerators 1, +-2, 1 and 1, 0, -1) give
 * exactly the bits of the general multiply-add form. */
static void special_sections_round_like_general_ones(void **state)
{
    (void)state;
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 9);
    enum { NCH = 5, N = 2000 };
    etw_sos sos[12];
    size_t n1, n2, n3;
    /* order 3 has a section with zeros at +1 and -1 besides the double-zero ones */
    assert_int_equal(etw_butter(ETW_BANDPASS, 3, 20, 450, 2048, sos, 12, &n1), ETW_OK);
    assert_int_equal(etw_butter(ETW_BANDSTOP, 2, 45, 55, 2048, sos + n1, 12 - n1, &n2), ETW_OK);
    /* (band-stop numerators 1, b1, ~1 stay general) */
    assert_int_equal(etw_butter(ETW_LOWPASS, 4, 300, 0, 2048, sos + n1 + n2, 12 - n1 - n2, &n3),
                     ETW_OK);
    size_t n4, nsec = n1 + n2 + n3;
    assert_int_equal(etw_butter(ETW_HIGHPASS, 4, 20, 0, 2048, sos + nsec, 12 - nsec, &n4),
                     ETW_OK);
    nsec += n4;
    float *ya[NCH], *yb[NCH];
    etw_cascade *a = make(sos, nsec, NCH, NATIVE), *b = make(sos, nsec, NCH, NATIVE);
    int seen[4] = {0};
    for (size_t s = 0; s < nsec; s++) {
        seen[a->kinds[s]] = 1;
    }
    for (int k = 0; k < 4; k++) {
        if (!seen[k]) {
            fail_msg("section kind %d not exercised", k);
        }
    }
    memset(b->kinds, ETW_SECTION_GENERIC, sizeof b->kinds);
    filter_noise_twice(a, b, NCH, N, &rng, ya, yb);
    for (size_t ch = 0; ch < NCH; ch++) {
        assert_memory_equal(ya[ch], yb[ch], N * sizeof(float));
    }
    free_outputs(ya, yb, NCH);
    etw_cascade_destroy(a);
    etw_cascade_destroy(b);
}

/* One channel, 2 to 5 sections (the single-channel kernels): the pipelines of skew 4 (long
 * blocks), 3 and 2 (shorter ones) and frame by frame (blocks shorter than the pipeline's
 * delay) give the same bits, for each section count: one whole block against blocks of
 * 3 frames, and against blocks cycling through lengths that take each path. */
static void one_channel_paths_round_alike(void **state)
{
    (void)state;
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 10);
    enum { N = 3000 };
    static const size_t cuts[][12] = {{3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3},
                                       {1, 13, 31, 16, 47, 9, 64, 2, 5, 7, 100, 3}};
    etw_sos sos[8];
    size_t nsec;
    const etw_sos *w = workload_w(&nsec);
    memcpy(sos, w, nsec * sizeof *w);
    float x[N], whole[N], cut[N];
    fill_noise(&rng, x, N, 1.0);
    for (size_t n = 2; n <= 5; n++) { /* W's first n sections */
        etw_cascade *a = make(sos, n, 1, NATIVE);
        const float *ip[1] = {x};
        float *op[1] = {whole};
        assert_int_equal(etw_cascade_process(a, ip, op, N), ETW_OK);
        for (size_t k = 0; k < sizeof cuts / sizeof cuts[0]; k++) {
            etw_cascade *b = make(sos, n, 1, NATIVE);
            for (size_t pos = 0, i = 0; pos < N; i++) {
                size_t len = N - pos < cuts[k][i % 12] ? N - pos : cuts[k][i % 12];
                ip[0] = x + pos;
                op[0] = cut + pos;
                assert_int_equal(etw_cascade_process(b, ip, op, len), ETW_OK);
                pos += len;
            }
            assert_memory_equal(whole, cut, sizeof whole);
            etw_cascade_destroy(b);
        }
        etw_cascade_destroy(a);
    }
}

/* A numerator one ulp away from a pattern is not taken for it: the section stays general
 * (the additions would silently change the filter). */
static void near_patterns_stay_general(void **state)
{
    (void)state;
    const double a1 = -1.5, a2 = 0.7;
    const etw_sos near[] = {
        {1.0, nextafter(2.0, 3.0), 1.0, 1.0, a1, a2},
        {1.0, -2.0, nextafter(1.0, 2.0), 1.0, a1, a2},
        {nextafter(1.0, 0.0), 0.0, -1.0, 1.0, a1, a2},
        {1.0, 1e-300, -1.0, 1.0, a1, a2},
        {2.0, 4.0, 2.0, 1.0, a1, a2}, /* scaled patterns stay general too */
    };
    const etw_sos exact[] = {{1.0, 2.0, 1.0, 1.0, a1, a2},
                             {1.0, -2.0, 1.0, 1.0, a1, a2},
                             {1.0, 0.0, -1.0, 1.0, a1, a2}};
    size_t nnear = sizeof near / sizeof near[0], nexact = sizeof exact / sizeof exact[0];
    etw_cascade *c = make(near, nnear, 1, NATIVE);
    for (size_t s = 0; s < nnear; s++) {
        assert_int_equal(c->kinds[s], ETW_SECTION_GENERIC);
    }
    etw_cascade_destroy(c);
    const unsigned char kinds[] = {ETW_SECTION_1_2_1, ETW_SECTION_1_M2_1, ETW_SECTION_1_0_M1};
    c = make(exact, nexact, 1, NATIVE);
    for (size_t s = 0; s < nexact; s++) {
        assert_int_equal(c->kinds[s], kinds[s]);
    }
    etw_cascade_destroy(c);
}

/* Double-precision references for retune, frame by frame with state z kept across calls:
 * transposed direct form II (z[s][0..1], several channels) and, for one channel, direct
 * form I (z[k][0..1] = u_k(n-1), u_k(n-2), the history of the signal before section k). */
static void reference(const etw_sos *sos, size_t nsec, size_t nch, double (*z)[2],
                      const float *x, double *y, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        double v = x[i];
        for (size_t s = 0; s < nsec; s++) {
            double out;
            if (nch == 1) {
                out = sos[s][0] * v + sos[s][1] * z[s][0] + sos[s][2] * z[s][1] -
                      sos[s][4] * z[s + 1][0] - sos[s][5] * z[s + 1][1];
                z[s][1] = z[s][0];
                z[s][0] = v;
            } else {
                out = sos[s][0] * v + z[s][0];
                z[s][0] = sos[s][1] * v - sos[s][4] * out + z[s][1];
                z[s][1] = sos[s][2] * v - sos[s][5] * out;
            }
            v = out;
        }
        if (nch == 1) {
            z[nsec][1] = z[nsec][0];
            z[nsec][0] = v;
        }
        y[i] = v;
    }
}

/* Filters x[0 .. n) into y0 and y1 (the channels c has, 1 or 2) in two halves, retuned to
 * sos between them. */
static void retune_halfway(etw_cascade *c, const etw_sos *sos, size_t nsec, const float *x,
                           float *y0, float *y1, size_t n)
{
    for (size_t h = 0; h < 2; h++) {
        const float *ip[2] = {x + h * n / 2, x + h * n / 2};
        float *op[2] = {y0 + h * n / 2, y1 + h * n / 2};
        assert_int_equal(etw_cascade_process(c, ip, op, n / 2), ETW_OK);
        if (h == 0) {
            assert_int_equal(etw_cascade_retune(c, sos, nsec), ETW_OK);
        }
    }
}

/* Retune keeps the state: the signal history in direct form I (one channel and 2 to 5
 * sections, as here), the transposed direct form II state otherwise; the stream goes on as
 * the reference does. */
static void retune_keeps_the_state(void **state)
{
    (void)state;
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 3);
    enum { N = 4000 };
    etw_sos a[4], b[4];
    size_t na, nb;
    assert_int_equal(etw_butter(ETW_HIGHPASS, 4, 20, 0, 2048, a, 4, &na), ETW_OK);
    assert_int_equal(etw_butter(ETW_HIGHPASS, 4, 30, 0, 2048, b, 4, &nb), ETW_OK);
    static float x[N], y[2][N], y2[2][N];
    double ref[N];
    fill_noise(&rng, x, N, 1.0);
    for (size_t nch = 1; nch <= 2; nch++) {
        double z[5][2] = {{0}};
        reference(a, na, nch, z, x, ref, N / 2);
        reference(b, nb, nch, z, x + N / 2, ref + N / 2, N / 2);
        for (int kernel = PORTABLE; kernel <= NATIVE; kernel++) {
            etw_cascade *c = make(a, na, nch, kernel), *same = make(a, na, nch, kernel);
            retune_halfway(c, b, nb, x, y[0], y[1], N);
            for (size_t ch = 0; ch < nch; ch++) {
                for (size_t i = 0; i < N; i++) {
                    assert_close(y[ch][i], ref[i], 0, 1e-5);
                }
            }
            /* retuning to the same design changes nothing at all */
            retune_halfway(same, a, na, x, y2[0], y2[1], N);
            etw_cascade *plain = make(a, na, nch, kernel);
            const float *ip[2] = {x, x};
            float *op[2] = {y[0], y[1]};
            assert_int_equal(etw_cascade_process(plain, ip, op, N), ETW_OK);
            for (size_t ch = 0; ch < nch; ch++) {
                assert_memory_equal(y[ch], y2[ch], sizeof y[ch]);
            }
            etw_cascade_destroy(c);
            etw_cascade_destroy(same);
            etw_cascade_destroy(plain);
        }
    }
}

static size_t count_subnormal_state(const etw_cascade *c)
{
    size_t n = 0, total = c->ngroups * c->nsec * 2 * ETW_LANES;
    for (size_t i = 0; i < total; i++) {
        n += fpclassify(c->state[i]) == FP_SUBNORMAL;
    }
    return n;
}

static void silence_after_a_burst_never_reaches_subnormal_state(void **state)
{
    (void)state;
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 11);
    enum { BLOCK = 4096, SILENT_BLOCKS = 100 };
    static float buf[2][BLOCK];
    etw_sos sos[8];
    size_t n;
    const etw_sos *w = workload_w(&n);
    const etw_sos *designs[2] = {w, sos};
    size_t counts[2] = {n, 0};
    assert_int_equal(etw_butter(ETW_HIGHPASS, 8, 10, 0, 10000, sos, 8, &counts[1]), ETW_OK);
    for (int d = 0; d < 2; d++) {
        for (int run = 0; run < 4; run++) { /* both kernels, 1 and 2 channels */
            size_t nch = 1 + (size_t)(run / 2);
            etw_cascade *c = make(designs[d], counts[d], nch, run % 2 ? NATIVE : PORTABLE);
            float *io[2] = {buf[0], buf[1]};
            fill_noise(&rng, buf[0], BLOCK, 1.0);
            fill_noise(&rng, buf[1], BLOCK, 1e-30);
            assert_int_equal(etw_cascade_process(c, (const float *const *)io, io, BLOCK),
                             ETW_OK);
            size_t subnormal = 0, nonzero_out = 0;
            for (int b = 0; b < SILENT_BLOCKS; b++) {
                memset(buf, 0, sizeof buf);
                assert_int_equal(etw_cascade_process(c, (const float *const *)io, io, BLOCK),
                                 ETW_OK);
                subnormal += count_subnormal_state(c);
                if (b == SILENT_BLOCKS - 1) {
                    for (size_t i = 0; i < BLOCK; i++) {
                        nonzero_out += buf[0][i] != 0.0f || buf[1][i] != 0.0f;
                    }
                }
            }
            /* 400k silent samples: far past the point where the decaying state of these
             * designs would be subnormal without the guard; the output is exactly 0 */
            assert_int_equal(subnormal, 0);
            assert_int_equal(nonzero_out, 0);
            etw_cascade_destroy(c);
        }
    }
}

static void nonfinite_samples_give_nan_and_count_as_zero(void **state)
{
    (void)state;
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 5);
    enum { N = 700 };
    size_t nsec;
    const etw_sos *sos = workload_w(&nsec);
    float x[N], zeroed[N], y[N], yz[N];
    fill_noise(&rng, x, N, 1.0);
    memcpy(zeroed, x, sizeof x);
    const size_t bad[3] = {0, 301, 699};
    x[bad[0]] = NAN;
    x[bad[1]] = INFINITY;
    x[bad[2]] = -INFINITY;
    for (int i = 0; i < 3; i++) {
        zeroed[bad[i]] = 0.0f;
    }
    for (int run = 0; run < 4; run++) {
        int kernel = run % 2 ? NATIVE : PORTABLE;
        etw_precision p = run < 2 ? ETW_PRECISION_DOUBLE : ETW_PRECISION_FLOAT;
        etw_cascade *a = make_in(sos, nsec, 1, kernel, p), *b = make_in(sos, nsec, 1, kernel, p);
        const float *ip[1] = {x}, *iz[1] = {zeroed};
        float *op[1] = {y}, *oz[1] = {yz};
        assert_int_equal(etw_cascade_process(a, ip, op, N), ETW_OK);
        assert_int_equal(etw_cascade_process(b, iz, oz, N), ETW_OK);
        for (size_t i = 0; i < N; i++) {
            int is_bad = i == bad[0] || i == bad[1] || i == bad[2];
            if (is_bad) {
                assert_true(isnan(y[i]));
            } else {
                assert_true(y[i] == yz[i]);
            }
        }
        etw_cascade_destroy(a);
        etw_cascade_destroy(b);
    }
}

static void cascade_errors_are_reported(void **state)
{
    (void)state;
    etw_sos sos[2] = {{1, 0, 0, 1, 0.5, 0}, {1, 1, 0, 1, 0, 0}};
    etw_cascade *c = (etw_cascade *)&c;
    assert_int_equal(etw_cascade_get_size(0, 1), 0);
    assert_int_equal(etw_cascade_get_size(65, 1), 0);
    assert_int_equal(etw_cascade_get_size(1, 0), 0);
    assert_int_equal(etw_cascade_get_size(1, 4097), 0);
    assert_int_equal(etw_cascade_create(sos, 2, 0, &c), ETW_ERR_RANGE);
    assert_null(c);
    assert_int_equal(etw_cascade_create(NULL, 2, 1, &c), ETW_ERR_NULL);
    assert_int_equal(etw_cascade_create(sos, 0, 1, &c), ETW_ERR_RANGE);
    assert_int_equal(etw_cascade_create(sos, 2, 1, NULL), ETW_ERR_NULL);
    sos[1][3] = 0.5;
    assert_int_equal(etw_cascade_create(sos, 2, 1, &c), ETW_ERR_RANGE);
    sos[1][3] = 1.0;
    sos[1][1] = NAN;
    assert_int_equal(etw_cascade_create(sos, 2, 1, &c), ETW_ERR_NONFINITE);
    sos[1][1] = 1.0;
    /* init into caller memory */
    size_t size = etw_cascade_get_size(2, 3);
    assert_true(size > 0);
    unsigned char *mem = aligned_alloc(64, size + 64);
    assert_non_null(mem);
    assert_int_equal(etw_cascade_init(mem + 8, size, sos, 2, 3, &c), ETW_ERR_RANGE);
    assert_int_equal(etw_cascade_init(mem, size - 1, sos, 2, 3, &c), ETW_ERR_SIZE);
    assert_int_equal(etw_cascade_init(NULL, size, sos, 2, 3, &c), ETW_ERR_NULL);
    assert_int_equal(etw_cascade_init(mem, size, sos, 2, 3, NULL), ETW_ERR_NULL);
    assert_int_equal(etw_cascade_init(mem, size, sos, 2, 3, &c), ETW_OK);
    size_t nch, nsec;
    etw_cascade_get_shape(c, &nch, &nsec);
    assert_int_equal(nch, 3);
    assert_int_equal(nsec, 2);
    etw_cascade_get_shape(NULL, &nch, NULL);
    assert_int_equal(nch, 0);
    /* process, steady state, retune */
    float a[4] = {1, 2, 3, 4}, b[4], d[4];
    const float *in[3] = {a, a, NULL};
    float *out[3] = {b, d, b};
    assert_int_equal(etw_cascade_process(c, in, out, 4), ETW_ERR_NULL);
    assert_int_equal(etw_cascade_process(NULL, in, out, 4), ETW_ERR_NULL);
    assert_int_equal(etw_cascade_process(c, NULL, out, 4), ETW_ERR_NULL);
    assert_int_equal(etw_cascade_process(c, in, NULL, 4), ETW_ERR_NULL);
    in[2] = a;
    assert_int_equal(etw_cascade_process(c, in, out, 0), ETW_OK);
    const float x0[3] = {1, NAN, 0};
    assert_int_equal(etw_cascade_set_steady_state(c, x0), ETW_ERR_NONFINITE);
    assert_int_equal(etw_cascade_set_steady_state(c, NULL), ETW_ERR_NULL);
    assert_int_equal(etw_cascade_set_steady_state(NULL, x0), ETW_ERR_NULL);
    assert_int_equal(etw_cascade_retune(c, sos, 1), ETW_ERR_MISMATCH);
    assert_int_equal(etw_cascade_retune(c, NULL, 2), ETW_ERR_NULL);
    assert_int_equal(etw_cascade_retune(NULL, sos, 2), ETW_ERR_NULL);
    sos[0][3] = 2.0;
    assert_int_equal(etw_cascade_retune(c, sos, 2), ETW_ERR_RANGE);
    sos[0][3] = 1.0;
    sos[0][0] = INFINITY;
    assert_int_equal(etw_cascade_retune(c, sos, 2), ETW_ERR_NONFINITE);
    /* group delay comes from the current coefficients */
    double gd = -1.0, want = -1.0, f = 100.0;
    assert_int_equal(etw_cascade_get_group_delay(c, 1000.0, 100.0, &gd), ETW_OK);
    sos[0][0] = 1.0;
    assert_int_equal(etw_sos_response(sos, 2, 1000.0, &f, 1, NULL, NULL, &want), ETW_OK);
    assert_close(gd, want, 1e-12, 0);
    assert_int_equal(etw_cascade_get_group_delay(c, 1000.0, 600.0, &gd), ETW_ERR_RANGE);
    assert_int_equal(etw_cascade_get_group_delay(c, NAN, 100.0, &gd), ETW_ERR_NONFINITE);
    assert_int_equal(etw_cascade_get_group_delay(c, 1000.0, 100.0, NULL), ETW_ERR_NULL);
    assert_int_equal(etw_cascade_get_group_delay(NULL, 1000.0, 100.0, &gd), ETW_ERR_NULL);
    /* a pole at z = 1 has no steady state */
    const etw_sos integrator[1] = {{1, 0, 0, 1, -1, 0}};
    etw_cascade *ic = make(integrator, 1, 3, NATIVE);
    const float ones[3] = {1, 1, 1};
    assert_int_equal(etw_cascade_set_steady_state(ic, ones), ETW_ERR_RANGE);
    etw_cascade_destroy(ic);
    etw_cascade_destroy(c); /* made by init: not freed */
    etw_cascade_destroy(NULL);
    etw_cascade_reset(NULL);
    free(mem);
}

static int create_attempt(void *ctx)
{
    (void)ctx;
    etw_sos sos[4];
    size_t n;
    if (etw_butter(ETW_BANDPASS, 2, 20, 450, 2048, sos, 4, &n) != ETW_OK) {
        return 0;
    }
    etw_cascade *c = NULL;
    etw_status st = etw_cascade_create(sos, n, 64, &c);
    if (st != ETW_OK) {
        assert_int_equal(st, ETW_ERR_NOMEM);
        assert_null(c);
        return 0;
    }
    etw_cascade_destroy(c);
    return 1;
}

static void create_survives_allocation_failure(void **state)
{
    (void)state;
    etw_failalloc_sweep(create_attempt, NULL);
}

ETW_TEST_GROUP(cascade_tests)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(cascade_matches_scipy_sosfilt),
        cmocka_unit_test(steady_state_matches_sosfilt_zi),
        cmocka_unit_test(output_is_identical_however_the_stream_is_cut),
        cmocka_unit_test(interleaved_blocks_equal_planar_ones),
        cmocka_unit_test(kernels_agree),
        cmocka_unit_test(special_sections_round_like_general_ones),
        cmocka_unit_test(one_channel_paths_round_alike),
        cmocka_unit_test(near_patterns_stay_general),
        cmocka_unit_test(retune_keeps_the_state),
        cmocka_unit_test(silence_after_a_burst_never_reaches_subnormal_state),
        cmocka_unit_test(nonfinite_samples_give_nan_and_count_as_zero),
        cmocka_unit_test(cascade_errors_are_reported),
        cmocka_unit_test(create_survives_allocation_failure),
    };
    *count = sizeof tests / sizeof tests[0];
    return tests;
}
