/* libFuzzer target: the delimited-text / OpenSignals reader. The first byte picks options. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    const char *path = fuzz_path("input.csv");
    if (fuzz_write(path, data + 1, size - 1) != 0) {
        return 0;
    }
    etw_open_options o;
    etw_open_options_default(&o);
    o.format = ETW_FORMAT_TEXT;
    o.fs_hz = (data[0] & 1) ? 1000.0 : 0.0;
    static const int event_column[4] = {0, -1, 1, 2}; /* none, last, first, second */
    o.event_column = event_column[(data[0] >> 1) & 3];
    fuzz_read_all(path, &o);
    return 0;
}
