/* libFuzzer target: EDF/EDF+/BDF/BDF+ through EDFlib and our header checks. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_path("input.edf");
    if (fuzz_write(path, data, size) != 0) {
        return 0;
    }
    etw_open_options o;
    etw_open_options_default(&o);
    o.format = ETW_FORMAT_EDF;
    fuzz_read_all(path, &o);
    return 0;
}
