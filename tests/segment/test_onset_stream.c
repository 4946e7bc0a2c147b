/* Streaming onset detection: the run stages equal the offline mask operations, block
 * invariance, detection of synthetic bursts, queueing and API contract. */
#include "etw_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emgtwitch/emgtwitch.h"
#include "onset_eval.h"
#include "segment/activity.h"
#include "segment/runs.h"
#include "test_segment.h"

enum { MASK_N = 4000 };

/* Feeds mask/y sample by sample through two run stages; writes the kept runs as segments. */
static size_t stream_mask(const uint8_t *mask, const float *y, size_t n, const int64_t p[5],
                          double min_snr_db, etw_segment *out)
{
    etw_run_stage a;
    etw_run_stage b;
    etw_run_stage_init(&a, p[0], p[1], 0);
    etw_run_stage_init(&b, p[2], p[3], p[4]);
    etw_run runs[MASK_N];
    size_t nr = 0;
    etw_run done;
    for (size_t k = 0; k < n; k++) {
        double v = (double)y[k];
        if (mask[k]) {
            etw_run r = {(int64_t)k, (int64_t)k + 1, v * v, fabs(v), 0, 0};
            if (etw_run_stage_push(&a, &r, &done) && etw_run_stage_push(&b, &done, &done)) {
                runs[nr++] = done;
            }
        } else {
            etw_run_stage_gap(&a, v * v, fabs(v));
        }
        if (etw_run_stage_tick(&a, (int64_t)k + 1, &done) &&
            etw_run_stage_push(&b, &done, &done)) {
            runs[nr++] = done;
        }
        if (etw_run_stage_tick(&b, a.have ? a.pending.start : (int64_t)k + 1, &done)) {
            runs[nr++] = done;
        }
    }
    if (etw_run_stage_flush(&a, &done) && etw_run_stage_push(&b, &done, &done)) {
        runs[nr++] = done;
    }
    if (etw_run_stage_flush(&b, &done)) {
        runs[nr++] = done;
    }
    size_t ns = 0;
    for (size_t i = 0; i < nr; i++) {
        double len = (double)(runs[i].stop - runs[i].start);
        double snr = 10.0 * log10(runs[i].power / len);
        if (snr >= min_snr_db) {
            out[ns].onset = runs[i].start;
            out[ns].offset = runs[i].stop;
            out[ns].peak = runs[i].peak;
            out[ns].snr_db = snr;
            ns++;
        }
    }
    return ns;
}

void run_stages_equal_offline_mask_operations(void **state)
{
    (void)state;
    static uint8_t mask[MASK_N];
    static float y[MASK_N];
    static etw_segment off[MASK_N];
    static etw_segment str[MASK_N];
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 51);
    for (int trial = 0; trial < 200; trial++) {
        /* bursty random mask: runs and gaps of random lengths */
        size_t k = 0;
        uint8_t v = (uint8_t)etw_test_rng_below(&rng, 2);
        while (k < MASK_N) {
            size_t len = 1 + etw_test_rng_below(&rng, v ? 40 : 25);
            for (size_t i = 0; i < len && k < MASK_N; i++, k++) {
                mask[k] = v;
                y[k] = (float)((v ? 3.0 : 1.0) * etw_test_rng_normal(&rng));
            }
            v = (uint8_t)!v;
        }
        const int64_t p[5] = {(int64_t)etw_test_rng_below(&rng, 6),
                              (int64_t)etw_test_rng_below(&rng, 30),
                              (int64_t)etw_test_rng_below(&rng, 40),
                              (int64_t)etw_test_rng_below(&rng, 60),
                              trial % 3 ? 0 : (int64_t)(60 + etw_test_rng_below(&rng, 200))};
        double min_snr = trial % 2 ? -100.0 : 6.0;
        size_t ns = stream_mask(mask, y, MASK_N, p, min_snr, str);
        etw_mask_fill_gaps(mask, MASK_N, (size_t)p[0]);
        etw_mask_keep_lengths(mask, MASK_N, (size_t)p[1], 0);
        etw_mask_fill_gaps(mask, MASK_N, (size_t)p[2]);
        etw_mask_keep_lengths(mask, MASK_N, (size_t)p[3], (size_t)p[4]);
        size_t no = 0;
        assert_int_equal(etw_mask_to_segments(mask, y, MASK_N, 1.0, 1.0, min_snr, off, MASK_N,
                                              &no),
                         ETW_OK);
        assert_int_equal(ns, no);
        for (size_t i = 0; i < no; i++) {
            assert_int_equal(str[i].onset, off[i].onset);
            assert_int_equal(str[i].offset, off[i].offset);
            assert_close(str[i].peak, off[i].peak, 0, 0);
            assert_close(str[i].snr_db, off[i].snr_db, 1e-9, 1e-9);
        }
    }
}

/* Runs a streaming detector over x in blocks (sizes cycled from `sizes`), then flushes. */
static size_t run_stream(const etw_onset_config *c, const float *x, size_t n,
                         const size_t *sizes, size_t nsizes, etw_segment *out, size_t cap)
{
    etw_onset_stream *s = NULL;
    assert_int_equal(etw_onset_stream_create(c, &s), ETW_OK);
    size_t total = 0;
    size_t pos = 0;
    size_t k = 0;
    size_t got = 0;
    while (pos < n) {
        size_t m = sizes[k++ % nsizes];
        m = m > n - pos ? n - pos : m;
        assert_int_equal(etw_onset_stream_process(s, x + pos, m, out + total, cap - total, &got),
                         ETW_OK);
        total += got;
        pos += m;
    }
    assert_int_equal(etw_onset_stream_flush(s, out + total, cap - total, &got), ETW_OK);
    total += got;
    etw_onset_stream_destroy(s);
    return total;
}

void onset_stream_detects_bursts_for_any_blocks(void **state)
{
    (void)state;
    static onset_record rec;
    static etw_segment ref[64];
    static etw_segment got[64];
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 52);
    for (int snr = 10; snr <= 20; snr += 10) {
        onset_record_make(&rec, snr, 77);
        for (int m = 0; m < ETW_ONSET_NMETHODS; m++) {
            etw_onset_config c = etw_onset_config_default((etw_onset_method)m, ONSET_EVAL_FS);
            c.rest_len_s = 1.0;
            size_t whole = ONSET_EVAL_NSAMP;
            size_t nref = run_stream(&c, rec.x, ONSET_EVAL_NSAMP, &whole, 1, ref, 64);
            /* every burst has a period starting within 30 ms of its onset, and every period
             * starts inside a burst (Bonato splits bursts at 10 dB, as offline) */
            const double tol = 0.030 * ONSET_EVAL_FS;
            for (int k = 0; k < ONSET_EVAL_BURSTS; k++) {
                int found = 0;
                for (size_t i = 0; i < nref; i++) {
                    found |= fabs((double)(ref[i].onset - rec.onset[k])) <= tol;
                }
                assert_true(found);
            }
            for (size_t i = 0; i < nref; i++) {
                int inside = 0;
                for (int k = 0; k < ONSET_EVAL_BURSTS; k++) {
                    inside |= (double)ref[i].onset >= (double)rec.onset[k] - tol &&
                              ref[i].onset < rec.offset[k];
                }
                assert_true(inside);
            }
            size_t sizes[32];
            for (size_t i = 0; i < 32; i++) {
                sizes[i] = etw_test_rng_block(&rng, 900);
            }
            sizes[0] = sizes[0] == 0 ? 1 : sizes[0];
            size_t ngot = run_stream(&c, rec.x, ONSET_EVAL_NSAMP, sizes, 32, got, 64);
            assert_int_equal(ngot, nref);
            assert_memory_equal(got, ref, nref * sizeof *ref);
        }
    }
}

static int stream_attempt(void *ctx)
{
    const etw_onset_config *c = ctx;
    etw_onset_stream *s = NULL;
    etw_status st = etw_onset_stream_create(c, &s);
    if (st != ETW_OK) {
        assert_int_equal(st, ETW_ERR_NOMEM);
        assert_null(s);
        return 0;
    }
    etw_onset_stream_destroy(s);
    return 1;
}

void onset_stream_queues_and_checks_arguments(void **state)
{
    (void)state;
    static onset_record rec;
    onset_record_make(&rec, 20, 78);
    etw_onset_config c = etw_onset_config_default(ETW_ONSET_HODGES, ONSET_EVAL_FS);
    etw_onset_stream *s = (etw_onset_stream *)&s;
    assert_int_equal(etw_onset_stream_create(&c, &s), ETW_ERR_RANGE); /* no rest given */
    assert_null(s);
    c.rest_len_s = 1.0;
    assert_int_equal(etw_onset_stream_create(NULL, &s), ETW_ERR_NULL);
    assert_int_equal(etw_onset_stream_create(&c, NULL), ETW_ERR_NULL);
    c.k_sd = NAN;
    assert_int_equal(etw_onset_stream_create(&c, &s), ETW_ERR_NONFINITE);
    c.k_sd = 3.0;
    assert_int_equal(etw_onset_stream_create(&c, &s), ETW_OK);
    assert_int_equal(etw_onset_stream_get_latency(s), 25);
    assert_int_equal(etw_onset_stream_get_latency(NULL), 0);
    size_t count = 9;
    etw_segment one[1];
    /* all bursts end inside the block: one comes out, the rest stay queued */
    assert_int_equal(etw_onset_stream_process(s, rec.x, ONSET_EVAL_NSAMP, one, 1, &count),
                     ETW_ERR_CAPACITY);
    assert_int_equal(count, 1);
    size_t seen = 1;
    while (etw_onset_stream_process(s, NULL, 0, one, 1, &count) == ETW_ERR_CAPACITY) {
        seen += count;
    }
    seen += count;
    assert_int_equal(seen, ONSET_EVAL_BURSTS);
    assert_int_equal(etw_onset_stream_process(s, NULL, 5, one, 1, &count), ETW_ERR_NULL);
    assert_int_equal(etw_onset_stream_process(NULL, rec.x, 5, one, 1, &count), ETW_ERR_NULL);
    assert_int_equal(etw_onset_stream_flush(s, NULL, 1, &count), ETW_ERR_NULL);
    etw_onset_stream_reset(s);
    static float flat[4000];
    assert_int_equal(etw_onset_stream_process(s, flat, 4000, one, 1, &count), ETW_ERR_STATE);
    etw_onset_stream_destroy(s);
    etw_onset_stream_destroy(NULL);
    etw_onset_stream_reset(NULL);
    for (int m = 0; m < ETW_ONSET_NMETHODS; m++) {
        c = etw_onset_config_default((etw_onset_method)m, 1000.0);
        c.rest_len_s = 1.0;
        etw_failalloc_sweep(stream_attempt, &c);
    }
}
