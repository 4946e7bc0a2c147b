/* test_segment: noise floor and (later) the onset/offset detectors. */
#include "etw_test.h"

#include "test_segment.h"

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quantiles_match_sorting),
        cmocka_unit_test(floor_from_rest_gives_robust_statistics),
        cmocka_unit_test(floor_auto_finds_the_quiet_windows),
        cmocka_unit_test(tracker_ignores_bursts_and_follows_slow_changes),
        cmocka_unit_test(tracker_relearns_after_a_step_and_honours_freeze),
        cmocka_unit_test(tracker_is_block_invariant_and_ignores_nonfinite),
        cmocka_unit_test(floor_api_contract),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
