/* The burst state machine on hand-made envelopes. */
#include <string.h>

#include "etw_test.h"
#include "twitch/burst.h"
#include "twitch_tests.h"

/* Feeds env[0..n) with on = 2, off = 1; collects up to 8 bursts. */
static size_t run(const etw_burst_params *p, const double *env, const int *blank, size_t n,
                  int finish, etw_burst *out)
{
    etw_burst_sm sm;
    etw_burst_init(&sm, p);
    size_t k = 0;
    for (size_t t = 0; t < n; t++) {
        if (etw_burst_step(&sm, (int64_t)t, env[t], 2.0, 1.0, 3.5, blank ? blank[t] : 0,
                           &out[k])) {
            k++;
        }
    }
    if (finish && etw_burst_finish(&sm, (int64_t)n, &out[k])) {
        k++;
    }
    return k;
}

void burst_hysteresis_and_merge(void **state)
{
    (void)state;
    /* rises above on at 2, stays above off (1.5) until 6, dips to 0 for 2 samples
     * (merge_gap 2) then above on again at 9..10; ends */
    const double env[] = {0, 0, 3, 1.5, 1.5, 4, 1.2, 0, 0, 2.5, 2.5, 0, 0, 0, 0, 0};
    etw_burst_params p = {1, 2, 0};
    etw_burst b[8];
    size_t k = run(&p, env, NULL, sizeof env / sizeof env[0], 0, b);
    assert_int_equal(k, 1);
    assert_int_equal(b[0].onset, 2);
    assert_int_equal(b[0].offset, 11);
    assert_int_equal(b[0].peak, 5);
    assert_close(b[0].peak_env, 4.0, 0, 0);
    assert_int_equal(b[0].anchor, 2); /* the first piece reached 3.5 */
    assert_int_equal(b[0].truncated, 0);
    /* no merging: two bursts */
    p.merge_gap = 0;
    k = run(&p, env, NULL, sizeof env / sizeof env[0], 0, b);
    assert_int_equal(k, 2);
    assert_int_equal(b[0].offset, 7);
    assert_int_equal(b[1].onset, 9);
    assert_int_equal(b[1].offset, 11);
    assert_int_equal(b[1].anchor, 9); /* never strong: the onset */
    /* a weak piece merged in front of a strong one: the anchor is the strong piece */
    const double weak_first[] = {0, 2.5, 0, 3, 4, 0, 0, 0, 0};
    p.merge_gap = 2;
    k = run(&p, weak_first, NULL, sizeof weak_first / sizeof weak_first[0], 0, b);
    assert_int_equal(k, 1);
    assert_int_equal(b[0].onset, 1);
    assert_int_equal(b[0].anchor, 3);
    /* between off and on never starts a burst; a gap value between off and on does not
     * resume one */
    const double flat[] = {0, 1.5, 1.9, 1.9, 0, 3, 0.5, 1.5, 1.5, 1.5, 0};
    p.merge_gap = 1;
    k = run(&p, flat, NULL, sizeof flat / sizeof flat[0], 0, b);
    assert_int_equal(k, 1);
    assert_int_equal(b[0].onset, 5);
    assert_int_equal(b[0].offset, 6);
}

void burst_min_duration_and_refractory(void **state)
{
    (void)state;
    const double env[] = {0, 3, 0, 0, 0, 3, 3, 3, 0, 3, 3, 0, 0, 0, 0, 3, 3, 3, 0, 0};
    etw_burst_params p = {2, 0, 3};
    etw_burst b[8];
    size_t k = run(&p, env, NULL, sizeof env / sizeof env[0], 0, b);
    /* the 1-sample blip is ignored and starts no refractory time; the burst at 5..8 is
     * kept; the one at 9..10 falls into its refractory time (until 8 + 3 = 11); the one
     * at 15 is kept */
    assert_int_equal(k, 2);
    assert_int_equal(b[0].onset, 5);
    assert_int_equal(b[0].offset, 8);
    assert_int_equal(b[1].onset, 15);
    assert_int_equal(b[1].offset, 18);
}

void burst_blank_and_finish(void **state)
{
    (void)state;
    const double env[] = {0, 3, 3, 3, 3, 3, 3, 3, 3, 3};
    const int blank[] = {0, 0, 0, 0, 1, 0, 0, 0, 0, 0};
    etw_burst_params p = {2, 0, 0};
    etw_burst b[8];
    size_t k = run(&p, env, blank, 10, 1, b);
    assert_int_equal(k, 2);
    assert_int_equal(b[0].onset, 1);
    assert_int_equal(b[0].offset, 4);
    assert_int_equal(b[0].truncated, 1); /* cut by blanking */
    assert_int_equal(b[1].onset, 5);
    assert_int_equal(b[1].offset, 10);
    assert_int_equal(b[1].truncated, 1); /* cut by the end of the stream */
    /* finish on an idle machine reports nothing */
    const double quiet[] = {0, 0, 0};
    assert_int_equal(run(&p, quiet, NULL, 3, 1, b), 0);
    /* a blip shorter than min_duration at the end is dropped */
    const double end_blip[] = {0, 0, 3};
    assert_int_equal(run(&p, end_blip, NULL, 3, 1, b), 0);
}

void burst_run_active_equals_steps(void **state)
{
    (void)state;
    /* a ring of 8 envelope values read across its wrap: the run stops at the first value
     * below off (0.5 at time 18), with the state the single steps leave */
    const float ring[8] = {2.0f, 3.0f, 0.5f, 1.0f, 1.0f, 2.5f, 4.0f, 1.5f};
    etw_burst_params p = {1, 2, 0};
    etw_burst_sm run_sm, step_sm;
    etw_burst_init(&run_sm, &p);
    etw_burst out;
    assert_int_equal(etw_burst_step(&run_sm, 10, 2.2, 2.0, 1.0, 3.5, 0, &out), 0);
    assert_int_equal(run_sm.state, ETW_BURST_ACTIVE);
    step_sm = run_sm;
    int64_t stop = etw_burst_run_active(&run_sm, ring, 7, 11, 40, 1.0, 3.5);
    assert_int_equal(stop, 18);
    for (int64_t t = 11; t < stop; t++) {
        assert_int_equal(etw_burst_step(&step_sm, t, ring[t & 7], 2.0, 1.0, 3.5, 0, &out), 0);
    }
    assert_int_equal(run_sm.state, ETW_BURST_ACTIVE);
    assert_int_equal(run_sm.state, step_sm.state);
    assert_int_equal(run_sm.last_above, step_sm.last_above);
    assert_int_equal(run_sm.strong_seen, step_sm.strong_seen);
    assert_int_equal(run_sm.cur.peak, step_sm.cur.peak);
    assert_true(run_sm.cur.peak_env == step_sm.cur.peak_env);
    assert_int_equal(run_sm.cur.anchor, step_sm.cur.anchor);
    assert_int_equal(run_sm.cur.onset, step_sm.cur.onset);
    assert_int_equal(run_sm.cur.peak, 14);
    assert_int_equal(run_sm.cur.anchor, 10);
    assert_int_equal(run_sm.last_above, 17);
    assert_int_equal(run_sm.strong_seen, 1);
    /* the value below off is left to a step; a run ending at `to` stops there */
    assert_int_equal(etw_burst_run_active(&run_sm, ring, 7, 18, 40, 1.0, 3.5), 18);
    assert_int_equal(etw_burst_run_active(&run_sm, ring, 7, 12, 14, 1.0, 3.5), 14);
}
