/* Test cases of test_segment, one declaration per case (defined in the test_*.c files). */
#ifndef ETW_TEST_SEGMENT_H
#define ETW_TEST_SEGMENT_H

void quantiles_match_sorting(void **state);
void floor_from_rest_gives_robust_statistics(void **state);
void floor_auto_finds_the_quiet_windows(void **state);
void tracker_ignores_bursts_and_follows_slow_changes(void **state);
void tracker_relearns_after_a_step_and_honours_freeze(void **state);
void tracker_is_block_invariant_and_ignores_nonfinite(void **state);
void floor_api_contract(void **state);

#endif
