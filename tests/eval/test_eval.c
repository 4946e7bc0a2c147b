/* Scoring: the matching rule (optimal, tolerance edges, order independence, brute-force
 * agreement), the metrics on hand-computed examples, aggregation, arguments, allocation. */
#include "etw_test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "emgtwitch/eval.h"

static etw_eval_summary score(const etw_eval_interval *t, size_t nt, const etw_eval_interval *d,
                              size_t nd, double tol_s, int64_t *tm, int64_t *dm)
{
    etw_eval_config cfg = {tol_s};
    etw_eval_tally tally;
    memset(&tally, 0, sizeof tally);
    assert_int_equal(etw_eval_match(&cfg, t, nt, d, nd, 1000.0, 60000, &tally, tm, dm), ETW_OK);
    etw_eval_summary s;
    assert_int_equal(etw_eval_summarise(&tally, &s), ETW_OK);
    return s;
}

static void metrics_of_a_hand_computed_example(void **state)
{
    (void)state;
    const etw_eval_interval t[] = {{1000, 1100}, {3000, 3050}, {5000, 5200}};
    const etw_eval_interval d[] = {{1010, 1120}, {2990, 3040}, {7000, 7010}};
    int64_t tm[3], dm[3];
    etw_eval_summary s = score(t, 3, d, 3, 0.05, tm, dm);
    assert_int_equal(s.tp, 2);
    assert_int_equal(s.fp, 1);
    assert_int_equal(s.fn, 1);
    assert_close(s.sensitivity, 2.0 / 3.0, 1e-12, 0);
    assert_close(s.precision, 2.0 / 3.0, 1e-12, 0);
    assert_close(s.f1, 2.0 / 3.0, 1e-12, 0);
    assert_close(s.fa_per_min, 1.0, 1e-12, 0);
    assert_close(s.onset_bias_ms, 0.0, 0, 1e-9);
    assert_close(s.onset_sd_ms, sqrt(200.0), 1e-9, 0);
    assert_close(s.duration_bias_ms, 5.0, 1e-9, 0);
    assert_close(s.duration_sd_ms, sqrt(50.0), 1e-9, 0);
    assert_int_equal(tm[0], 0);
    assert_int_equal(tm[1], 1);
    assert_int_equal(tm[2], -1);
    assert_int_equal(dm[2], -1);
}

static void matching_maximises_pairs_before_closeness(void **state)
{
    (void)state;
    /* greedy closest-first would pair t1-d0 (11 ms) and leave two events unpaired */
    const etw_eval_interval t[] = {{0, 10}, {60, 70}};
    const etw_eval_interval d[] = {{49, 59}, {110, 120}};
    int64_t tm[2];
    etw_eval_summary s = score(t, 2, d, 2, 0.05, tm, NULL);
    assert_int_equal(s.tp, 2);
    assert_int_equal(tm[0], 0);
    assert_int_equal(tm[1], 1);
}

static void matching_prefers_the_closest_detection(void **state)
{
    (void)state;
    const etw_eval_interval t[] = {{100, 150}};
    const etw_eval_interval d[] = {{60, 90}, {110, 150}, {140, 150}};
    int64_t tm[1], dm[3];
    etw_eval_summary s = score(t, 1, d, 3, 0.05, tm, dm);
    assert_int_equal(s.tp, 1);
    assert_int_equal(s.fp, 2);
    assert_int_equal(tm[0], 1);
    assert_int_equal(dm[0], -1);
    assert_int_equal(dm[2], -1);
}

static void tolerance_is_inclusive(void **state)
{
    (void)state;
    const etw_eval_interval t[] = {{1000, 1010}, {5000, 5010}};
    const etw_eval_interval d[] = {{1050, 1060}, {4949, 4960}};
    etw_eval_summary s = score(t, 2, d, 2, 0.05, NULL, NULL);
    assert_int_equal(s.tp, 1); /* 50 ms in, 51 ms out */
    s = score(t, 2, d, 2, 0.0, NULL, NULL);
    assert_int_equal(s.tp, 0);
}

static void empty_inputs_give_nan_where_undefined(void **state)
{
    (void)state;
    const etw_eval_interval d[] = {{10, 20}};
    etw_eval_summary s = score(NULL, 0, d, 1, 0.05, NULL, NULL);
    assert_true(isnan(s.sensitivity));
    assert_close(s.precision, 0.0, 0, 0);
    assert_close(s.f1, 0.0, 0, 0);
    assert_close(s.fa_per_min, 1.0, 1e-12, 0);
    assert_true(isnan(s.onset_bias_ms) && isnan(s.onset_sd_ms));
    s = score(NULL, 0, NULL, 0, 0.05, NULL, NULL);
    assert_true(isnan(s.f1) && isnan(s.precision));
    assert_close(s.fa_per_min, 0.0, 0, 0);
    s = score(d, 1, NULL, 0, 0.05, NULL, NULL);
    assert_close(s.sensitivity, 0.0, 0, 0);
    assert_true(isnan(s.precision));
}

/* Exhaustive optimum: best (pairs, -cost) over all one-to-one pairings. */
static void brute(const etw_eval_interval *t, size_t nt, const etw_eval_interval *d, size_t nd,
                  int64_t tol, size_t i, unsigned used, size_t pairs, int64_t cost,
                  size_t *best_pairs, int64_t *best_cost)
{
    if (i == nt) {
        if (pairs > *best_pairs || (pairs == *best_pairs && cost < *best_cost)) {
            *best_pairs = pairs;
            *best_cost = cost;
        }
        return;
    }
    brute(t, nt, d, nd, tol, i + 1, used, pairs, cost, best_pairs, best_cost);
    for (size_t j = 0; j < nd; j++) {
        int64_t diff = llabs(t[i].onset - d[j].onset);
        if (!(used & (1u << j)) && diff <= tol)
            brute(t, nt, d, nd, tol, i + 1, used | (1u << j), pairs + 1, cost + diff,
                  best_pairs, best_cost);
    }
}

static void matching_agrees_with_exhaustive_search(void **state)
{
    (void)state;
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 5);
    for (int round = 0; round < 400; round++) {
        etw_eval_interval t[7], d[7];
        size_t nt = etw_test_rng_below(&rng, 7), nd = etw_test_rng_below(&rng, 7);
        for (size_t i = 0; i < nt; i++) {
            t[i].onset = (int64_t)etw_test_rng_below(&rng, 300);
            t[i].offset = t[i].onset + (int64_t)etw_test_rng_below(&rng, 40);
        }
        for (size_t j = 0; j < nd; j++) {
            d[j].onset = (int64_t)etw_test_rng_below(&rng, 300);
            d[j].offset = d[j].onset + (int64_t)etw_test_rng_below(&rng, 40);
        }
        size_t bp = 0;
        int64_t bc = 0;
        brute(t, nt, d, nd, 50, 0, 0, 0, 0, &bp, &bc);
        int64_t tm[7], dm[7];
        etw_eval_summary s = score(t, nt, d, nd, 0.05, tm, dm);
        assert_int_equal(s.tp, bp);
        int64_t cost = 0;
        for (size_t i = 0; i < nt; i++) {
            if (tm[i] < 0)
                continue;
            assert_int_equal(dm[tm[i]], (int64_t)i);
            assert_true(llabs(t[i].onset - d[tm[i]].onset) <= 50);
            cost += llabs(t[i].onset - d[tm[i]].onset);
        }
        assert_int_equal(cost, bc);
    }
}

static void input_order_does_not_matter(void **state)
{
    (void)state;
    const etw_eval_interval t[] = {{5000, 5200}, {1000, 1100}, {3000, 3050}};
    const etw_eval_interval d[] = {{7000, 7010}, {2990, 3040}, {1010, 1120}};
    int64_t tm[3];
    etw_eval_summary s = score(t, 3, d, 3, 0.05, tm, NULL);
    assert_int_equal(s.tp, 2);
    assert_int_equal(tm[0], -1);
    assert_int_equal(tm[1], 2);
    assert_int_equal(tm[2], 1);
}

static void tallies_aggregate_recordings(void **state)
{
    (void)state;
    const etw_eval_interval t[] = {{1000, 1100}, {3000, 3050}};
    const etw_eval_interval d1[] = {{1010, 1120}};
    const etw_eval_interval d2[] = {{2990, 3040}, {9000, 9100}};
    etw_eval_tally a, b, both;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    memset(&both, 0, sizeof both);
    assert_int_equal(etw_eval_match(NULL, t, 2, d1, 1, 1000.0, 60000, &a, NULL, NULL), ETW_OK);
    assert_int_equal(etw_eval_match(NULL, t, 2, d2, 2, 1000.0, 120000, &b, NULL, NULL), ETW_OK);
    assert_int_equal(etw_eval_match(NULL, t, 2, d1, 1, 1000.0, 60000, &both, NULL, NULL), ETW_OK);
    assert_int_equal(etw_eval_match(NULL, t, 2, d2, 2, 1000.0, 120000, &both, NULL, NULL),
                     ETW_OK);
    assert_int_equal(etw_eval_tally_add(&a, &b), ETW_OK);
    assert_int_equal(a.recordings, 2);
    assert_true(memcmp(&a, &both, sizeof a) == 0);
    etw_eval_summary s;
    assert_int_equal(etw_eval_summarise(&a, &s), ETW_OK);
    assert_int_equal(s.tp, 2);
    assert_int_equal(s.fn, 2);
    assert_int_equal(s.fp, 1);
    assert_close(s.fa_per_min, 1.0 / 3.0, 1e-12, 0);
}

static void bad_arguments_are_reported(void **state)
{
    (void)state;
    etw_eval_tally tally;
    memset(&tally, 0, sizeof tally);
    const etw_eval_interval bad[] = {{10, 5}};
    const etw_eval_interval ok[] = {{10, 15}};
    etw_eval_config cfg = etw_eval_config_default();
    assert_close(cfg.tolerance_s, 0.05, 0, 0);
    assert_int_equal(etw_eval_match(NULL, ok, 1, ok, 1, 1000, 10, NULL, NULL, NULL), ETW_ERR_NULL);
    assert_int_equal(etw_eval_match(NULL, NULL, 1, ok, 1, 1000, 10, &tally, NULL, NULL),
                     ETW_ERR_NULL);
    assert_int_equal(etw_eval_match(NULL, bad, 1, ok, 1, 1000, 10, &tally, NULL, NULL),
                     ETW_ERR_RANGE);
    assert_int_equal(etw_eval_match(NULL, ok, 1, ok, 1, 0.0, 10, &tally, NULL, NULL),
                     ETW_ERR_RANGE);
    assert_int_equal(etw_eval_match(NULL, ok, 1, ok, 1, NAN, 10, &tally, NULL, NULL),
                     ETW_ERR_NONFINITE);
    assert_int_equal(etw_eval_match(NULL, ok, 1, ok, 1, 1000, -1, &tally, NULL, NULL),
                     ETW_ERR_RANGE);
    cfg.tolerance_s = -1.0;
    assert_int_equal(etw_eval_match(&cfg, ok, 1, ok, 1, 1000, 10, &tally, NULL, NULL),
                     ETW_ERR_RANGE);
    assert_int_equal(tally.recordings, 0);
    assert_int_equal(etw_eval_summarise(NULL, NULL), ETW_ERR_NULL);
    assert_int_equal(etw_eval_tally_add(&tally, NULL), ETW_ERR_NULL);
}

static void synth_events_become_intervals(void **state)
{
    (void)state;
    etw_synth_config c = etw_synth_config_default(1000.0, 4, 60.0, 3);
    etw_synth *s;
    assert_int_equal(etw_synth_create(&c, &s), ETW_OK);
    size_t n, count;
    const etw_synth_event *ev = etw_synth_events(s, &n);
    assert_int_equal(etw_eval_intervals_from_synth(ev, n, ETW_SYNTH_TWITCH, -1, NULL, 0, &count),
                     ETW_ERR_SIZE);
    assert_int_equal(count, 20);
    etw_eval_interval iv[20];
    assert_int_equal(etw_eval_intervals_from_synth(ev, n, ETW_SYNTH_TWITCH, -1, iv, 20, &count),
                     ETW_OK);
    assert_int_equal(iv[3].onset, ev[3].onset);
    size_t on0;
    assert_int_equal(etw_eval_intervals_from_synth(ev, n, ETW_SYNTH_TWITCH, 0, iv, 20, &on0),
                     ETW_OK);
    assert_true(on0 > 0 && on0 < 20);
    /* the ground truth scored against itself is perfect */
    etw_eval_tally tally;
    memset(&tally, 0, sizeof tally);
    assert_int_equal(etw_eval_match(NULL, iv, on0, iv, on0, 1000, 60000, &tally, NULL, NULL),
                     ETW_OK);
    etw_eval_summary sum;
    assert_int_equal(etw_eval_summarise(&tally, &sum), ETW_OK);
    assert_close(sum.f1, 1.0, 0, 0);
    assert_close(sum.onset_sd_ms, 0.0, 0, 0);
    etw_synth_destroy(s);
}

static int match_once(void *ctx)
{
    (void)ctx;
    const etw_eval_interval t[] = {{1000, 1100}, {3000, 3050}, {5000, 5200}};
    const etw_eval_interval d[] = {{1010, 1120}, {2990, 3040}, {7000, 7010}};
    etw_eval_tally tally;
    memset(&tally, 0, sizeof tally);
    etw_status st = etw_eval_match(NULL, t, 3, d, 3, 1000, 60000, &tally, NULL, NULL);
    if (st != ETW_OK) {
        assert_int_equal(st, ETW_ERR_NOMEM);
        assert_int_equal(tally.recordings, 0);
        return 0;
    }
    return 1;
}

static void allocation_failures_are_reported(void **state)
{
    (void)state;
    etw_failalloc_sweep(match_once, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(metrics_of_a_hand_computed_example),
        cmocka_unit_test(matching_maximises_pairs_before_closeness),
        cmocka_unit_test(matching_prefers_the_closest_detection),
        cmocka_unit_test(tolerance_is_inclusive),
        cmocka_unit_test(empty_inputs_give_nan_where_undefined),
        cmocka_unit_test(matching_agrees_with_exhaustive_search),
        cmocka_unit_test(input_order_does_not_matter),
        cmocka_unit_test(tallies_aggregate_recordings),
        cmocka_unit_test(bad_arguments_are_reported),
        cmocka_unit_test(synth_events_become_intervals),
        cmocka_unit_test(allocation_failures_are_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
