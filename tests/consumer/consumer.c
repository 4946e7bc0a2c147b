/* Links the installed library and checks that it answers. */
#include <stdio.h>
#include <string.h>

#include <emgtwitch/emgtwitch.h>

int main(void)
{
    if (strcmp(etw_version_string(), ETW_VERSION_STRING) != 0) {
        fprintf(stderr, "header %s but library %s\n", ETW_VERSION_STRING, etw_version_string());
        return 1;
    }
    if (strcmp(etw_status_name(ETW_ERR_RANGE), "ETW_ERR_RANGE") != 0) {
        return 1;
    }
    /* design a band-pass and filter a few samples through the streaming cascade */
    etw_sos sos[4];
    size_t nsec = 0;
    etw_cascade *cascade = NULL;
    if (etw_butter(ETW_BANDPASS, 2, 20.0, 450.0, 2048.0, sos, 4, &nsec) != ETW_OK ||
        etw_cascade_create((const etw_sos *)sos, nsec, 1, &cascade) != ETW_OK) {
        fprintf(stderr, "filter design or cascade creation failed\n");
        return 1;
    }
    float block[8] = {1.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};
    float *io[1] = {block};
    etw_status st = etw_cascade_process(cascade, (const float *const *)io, io, 4);
    if (st == ETW_OK) { /* the rest of the stream as interleaved data, precision chosen */
        st = etw_cascade_process_interleaved(cascade, block + 4, block + 4, 4);
    }
    if (st == ETW_OK && (etw_cascade_set_precision(cascade, ETW_PRECISION_AUTO) != ETW_OK ||
                         etw_cascade_get_precision(cascade) == ETW_PRECISION_AUTO)) {
        st = ETW_ERR_RANGE;
    }
    etw_cascade_destroy(cascade);
    if (st != ETW_OK || block[0] == 0.0f || block[0] != block[0]) {
        fprintf(stderr, "filtering failed: %s\n", etw_strerror(st));
        return 1;
    }
    printf("emgtwitch %s (%s) linked from C\n", etw_version_string(), etw_fft_backend());
    return 0;
}
