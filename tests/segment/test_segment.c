/* test_segment: noise floor, onset/offset detectors, windows and epochs. */
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
        cmocka_unit_test(tracker_counts_learnt_windows),
        cmocka_unit_test(tracker_is_block_invariant_and_ignores_nonfinite),
        cmocka_unit_test(floor_api_contract),
        cmocka_unit_test(tracker_channels_match_single_channel_trackers),
        cmocka_unit_test(sorted_replace_matches_search_and_move),
        cmocka_unit_test(mask_postprocessing),
        cmocka_unit_test(onset_parameters_by_name),
        cmocka_unit_test(windows_and_epochs),
        cmocka_unit_test(detectors_meet_documented_bounds),
        cmocka_unit_test(detectors_on_real_recordings),
        cmocka_unit_test(onset_api_contract),
        cmocka_unit_test(run_stages_equal_offline_mask_operations),
        cmocka_unit_test(onset_stream_detects_bursts_for_any_blocks),
        cmocka_unit_test(onset_stream_queues_and_checks_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
