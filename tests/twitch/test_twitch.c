/* The twitch detector's test executable. */
#include "etw_test.h"
#include "twitch_tests.h"

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(config_defaults_are_valid),
        cmocka_unit_test(config_every_parameter_error_path),
        cmocka_unit_test(config_set_by_name),
        cmocka_unit_test(config_table_is_complete),
        cmocka_unit_test(burst_hysteresis_and_merge),
        cmocka_unit_test(burst_min_duration_and_refractory),
        cmocka_unit_test(burst_blank_and_finish),
        cmocka_unit_test(burst_run_active_equals_steps),
        cmocka_unit_test(emphasis_kernels_match_formula),
        cmocka_unit_test(input_kernels_match_copies),
        cmocka_unit_test(excursions_threshold_of_exponential_tail),
        cmocka_unit_test(excursions_band_and_low_rate),
        cmocka_unit_test(stream_finds_bursts_in_noise),
        cmocka_unit_test(stream_white_noise_keeps_clear_bursts),
        cmocka_unit_test(stream_floor_from_the_start),
        cmocka_unit_test(stream_floor_getter),
        cmocka_unit_test(stream_block_partition_invariance),
        cmocka_unit_test(stream_partition_invariance_with_comb),
        cmocka_unit_test(stream_capacity_resume),
        cmocka_unit_test(stream_detect_capacity_counts),
        cmocka_unit_test(stream_api_errors),
        cmocka_unit_test(stream_allocation_failure_sweep),
        cmocka_unit_test(stream_reset_repeats),
        cmocka_unit_test(stream_multichannel_coincidence),
        cmocka_unit_test(hostile_silence_and_dc),
        cmocka_unit_test(hostile_nonfinite_runs),
        cmocka_unit_test(hostile_clipping),
        cmocka_unit_test(hostile_spikes_and_steps),
        cmocka_unit_test(hostile_spike_pairs),
        cmocka_unit_test(hostile_sample_rates),
        cmocka_unit_test(hostile_periodic_qrs_like),
        cmocka_unit_test(hostile_qrs_train_with_sharp_beats),
        cmocka_unit_test(hostile_heavy_tailed_background),
        cmocka_unit_test(markers_latency_window),
        cmocka_unit_test(markers_errors),
        cmocka_unit_test(accuracy_f1_and_onset_at_10db),
        cmocka_unit_test(accuracy_f1_at_6db),
        cmocka_unit_test(accuracy_short_bursts_at_6db_and_3db),
        cmocka_unit_test(accuracy_other_sample_rates),
        cmocka_unit_test(accuracy_false_alarms_on_distractors),
        cmocka_unit_test(accuracy_eight_channels),
        cmocka_unit_test(real_rest_has_no_twitch),
        cmocka_unit_test(real_contractions_are_not_twitches),
        cmocka_unit_test(real_needle_records_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
