/* Test cases of test_segment, one declaration per case (defined in the test_*.c files). */
#ifndef ETW_TEST_SEGMENT_H
#define ETW_TEST_SEGMENT_H

void quantiles_match_sorting(void **state);
void floor_from_rest_gives_robust_statistics(void **state);
void floor_auto_finds_the_quiet_windows(void **state);
void tracker_ignores_bursts_and_follows_slow_changes(void **state);
void tracker_relearns_after_a_step_and_honours_freeze(void **state);
void tracker_counts_learnt_windows(void **state);
void tracker_is_block_invariant_and_ignores_nonfinite(void **state);
void floor_api_contract(void **state);
void tracker_channels_match_single_channel_trackers(void **state);
void sorted_replace_matches_search_and_move(void **state);
void mask_postprocessing(void **state);
void onset_parameters_by_name(void **state);
void windows_and_epochs(void **state);
void detectors_meet_documented_bounds(void **state);
void detectors_on_real_recordings(void **state);
void onset_api_contract(void **state);
void run_stages_equal_offline_mask_operations(void **state);
void onset_stream_detects_bursts_for_any_blocks(void **state);
void onset_stream_queues_and_checks_arguments(void **state);

#endif
