/* Accuracy of the onset detectors on synthetic bursts with known onsets (the generator of
 * tests/segment/onset_eval.c, fixed seeds): detection rate, false alarms per minute, onset
 * bias and SD in ms, per SNR. Usage: bench_segmentation [--quick] [--json FILE]. Prints the
 * Markdown table of docs/segmentation.md. Deterministic: same output on every run. */
#include <stdio.h>
#include <string.h>

#include "emgtwitch/emgtwitch.h"
#include "onset_eval.h"

#define SEED 1000

int main(int argc, char **argv)
{
    int nrecords = 25;
    FILE *json = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) {
            nrecords = 5;
        } else if (strcmp(argv[i], "--json") == 0 && i + 1 < argc) {
            json = fopen(argv[++i], "w");
            if (json == NULL) {
                fprintf(stderr, "bench_segmentation: cannot write %s\n", argv[i]);
                return 1;
            }
        } else {
            fprintf(stderr, "usage: bench_segmentation [--quick] [--json FILE]\n");
            return 2;
        }
    }
    printf("Synthetic bursts: %d records x %d bursts (200-400 ms) per SNR, %g Hz, %d s each, "
           "seeds %d..%d; detectors with their default parameters.\n\n",
           nrecords, ONSET_EVAL_BURSTS, ONSET_EVAL_FS, ONSET_EVAL_SECONDS, SEED,
           SEED + nrecords - 1);
    printf("| detector | SNR (dB) | detected | false alarms / min | onset bias (ms) | "
           "onset SD (ms) |\n|---|---:|---:|---:|---:|---:|\n");
    if (json != NULL) {
        fprintf(json, "{\"records\": %d, \"results\": [", nrecords);
    }
    int first = 1;
    for (int m = 0; m < ETW_ONSET_NMETHODS; m++) {
        etw_onset_config c = etw_onset_config_default((etw_onset_method)m, ONSET_EVAL_FS);
        for (int snr = 0; snr <= 20; snr += 5) {
            onset_quality q;
            etw_status st = onset_evaluate(&c, snr, SEED, nrecords, &q);
            if (st != ETW_OK) {
                fprintf(stderr, "bench_segmentation: %s\n", etw_strerror(st));
                return 1;
            }
            printf("| %s | %d | %.2f | %.1f | %+.1f | %.1f |\n", etw_onset_method_name(c.method),
                   snr, q.detection_rate, q.false_per_min, q.bias_ms, q.sd_ms);
            if (json != NULL) {
                fprintf(json,
                        "%s{\"detector\": \"%s\", \"snr_db\": %d, \"detected\": %.4f, "
                        "\"false_per_min\": %.3f, \"bias_ms\": %.3f, \"sd_ms\": %.3f}",
                        first ? "" : ", ", etw_onset_method_name(c.method), snr,
                        q.detection_rate, q.false_per_min, q.bias_ms, q.sd_ms);
            }
            first = 0;
        }
    }
    if (json != NULL) {
        fprintf(json, "]}\n");
        fclose(json);
    }
    return 0;
}
