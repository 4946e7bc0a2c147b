/* Test functions of the twitch module, collected by test_twitch.c. */
#ifndef ETW_TWITCH_TESTS_H
#define ETW_TWITCH_TESTS_H

void config_defaults_are_valid(void **state);
void config_every_parameter_error_path(void **state);
void config_set_by_name(void **state);
void config_table_is_complete(void **state);
void burst_hysteresis_and_merge(void **state);
void burst_min_duration_and_refractory(void **state);
void burst_blank_and_finish(void **state);
void burst_run_active_equals_steps(void **state);
void emphasis_kernels_match_formula(void **state);
void input_kernels_match_copies(void **state);
void excursions_threshold_of_exponential_tail(void **state);
void excursions_band_and_low_rate(void **state);
void stream_finds_bursts_in_noise(void **state);
void stream_white_noise_keeps_clear_bursts(void **state);
void stream_floor_from_the_start(void **state);
void stream_floor_getter(void **state);
void stream_block_partition_invariance(void **state);
void stream_partition_invariance_with_comb(void **state);
void stream_capacity_resume(void **state);
void stream_detect_capacity_counts(void **state);
void stream_api_errors(void **state);
void stream_allocation_failure_sweep(void **state);
void stream_reset_repeats(void **state);
void stream_multichannel_coincidence(void **state);
void hostile_silence_and_dc(void **state);
void hostile_nonfinite_runs(void **state);
void hostile_clipping(void **state);
void hostile_spikes_and_steps(void **state);
void hostile_spike_pairs(void **state);
void hostile_heavy_tailed_background(void **state);
void hostile_sample_rates(void **state);
void hostile_periodic_qrs_like(void **state);
void hostile_qrs_train_with_sharp_beats(void **state);
void isolation_tail_after_a_dip(void **state);
void markers_latency_window(void **state);
void markers_errors(void **state);
void accuracy_f1_and_onset_at_10db(void **state);
void accuracy_f1_at_6db(void **state);
void accuracy_short_bursts_at_6db_and_3db(void **state);
void accuracy_other_sample_rates(void **state);
void accuracy_false_alarms_on_distractors(void **state);
void accuracy_eight_channels(void **state);
void real_rest_has_no_twitch(void **state);
void real_contractions_are_not_twitches(void **state);
void real_needle_records_run(void **state);

#endif
