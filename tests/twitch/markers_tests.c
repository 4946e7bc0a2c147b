/* Stimulus-locked matching. */
#include <math.h>
#include <string.h>

#include "emgtwitch/twitch.h"
#include "etw_test.h"
#include "twitch_tests.h"

static etw_twitch_event at(int64_t onset, unsigned flags)
{
    etw_twitch_event e;
    memset(&e, 0, sizeof e);
    e.onset = onset;
    e.flags = flags;
    return e;
}

void markers_latency_window(void **state)
{
    (void)state;
    const unsigned T = ETW_TWITCH_FLAG_TWITCH;
    etw_twitch_event ev[] = {at(100, T), at(1050, 0), at(1080, T), at(3000, T), at(5020, T)};
    const int64_t markers[] = {1000, 0, 2900, 5000, 4000};
    etw_twitch_response r[5];
    /* window 10 .. 200 ms at 1000 Hz */
    assert_int_equal(etw_twitch_match_markers(ev, 5, markers, 5, 1000.0, 10.0, 200.0, r),
                     ETW_OK);
    assert_int_equal(r[0].responded, 1); /* 1050 is not a twitch, 1080 is */
    assert_int_equal(r[0].event_index, 2);
    assert_close(r[0].latency_s, 0.080, 0, 1e-12);
    assert_int_equal(r[1].responded, 1); /* 100 ms after 0 */
    assert_int_equal(r[1].event_index, 0);
    assert_int_equal(r[2].responded, 1);
    assert_close(r[2].latency_s, 0.100, 0, 1e-12);
    assert_int_equal(r[3].responded, 1); /* 20 ms: inside */
    assert_int_equal(r[4].responded, 0);
    assert_int_equal(r[4].marker, 4000);
    assert_close(r[4].latency_s, 0.0, 0, 0);
    /* window edges are inclusive; a window starting after the event misses it */
    assert_int_equal(etw_twitch_match_markers(ev, 5, markers, 1, 1000.0, 80.0, 80.0, r),
                     ETW_OK);
    assert_int_equal(r[0].responded, 1);
    assert_int_equal(etw_twitch_match_markers(ev, 5, markers, 1, 1000.0, 81.0, 150.0, r),
                     ETW_OK);
    assert_int_equal(r[0].responded, 0);
    /* no events, no markers */
    assert_int_equal(etw_twitch_match_markers(NULL, 0, markers, 2, 1000.0, 0.0, 1.0, r),
                     ETW_OK);
    assert_int_equal(r[1].responded, 0);
    assert_int_equal(etw_twitch_match_markers(ev, 5, NULL, 0, 1000.0, 0.0, 1.0, NULL),
                     ETW_OK);
}

void markers_errors(void **state)
{
    (void)state;
    etw_twitch_event ev[1];
    memset(ev, 0, sizeof ev);
    int64_t m[1] = {0};
    etw_twitch_response r[1];
    assert_int_equal(etw_twitch_match_markers(NULL, 1, m, 1, 1000.0, 0, 1, r), ETW_ERR_NULL);
    assert_int_equal(etw_twitch_match_markers(ev, 1, NULL, 1, 1000.0, 0, 1, r), ETW_ERR_NULL);
    assert_int_equal(etw_twitch_match_markers(ev, 1, m, 1, 1000.0, 0, 1, NULL), ETW_ERR_NULL);
    assert_int_equal(etw_twitch_match_markers(ev, 1, m, 1, 0.0, 0, 1, r), ETW_ERR_RANGE);
    assert_int_equal(etw_twitch_match_markers(ev, 1, m, 1, 1000.0, 5, 1, r), ETW_ERR_RANGE);
    assert_int_equal(etw_twitch_match_markers(ev, 1, m, 1, NAN, 0, 1, r), ETW_ERR_NONFINITE);
    assert_int_equal(etw_twitch_match_markers(ev, 1, m, 1, 1000.0, 0, INFINITY, r),
                     ETW_ERR_NONFINITE);
}
