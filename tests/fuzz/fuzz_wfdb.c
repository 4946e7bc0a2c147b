/* libFuzzer target: the WFDB reader. Input = header text, a line "--DAT--", then the bytes of
 * the signal file, which the header reaches as "f.dat". */
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char sep[] = "\n--DAT--\n";
    size_t hlen = size;
    for (size_t i = 0; i + sizeof sep - 1 <= size; i++) {
        if (memcmp(data + i, sep, sizeof sep - 1) == 0) {
            hlen = i;
            break;
        }
    }
    size_t dat = hlen + sizeof sep - 1 <= size ? hlen + sizeof sep - 1 : size;
    if (fuzz_write(fuzz_path("f.dat"), data + dat, size - dat) != 0) {
        return 0;
    }
    const char *path = fuzz_path("f.hea");
    if (fuzz_write(path, data, hlen) != 0) {
        return 0;
    }
    etw_open_options o;
    etw_open_options_default(&o);
    o.format = ETW_FORMAT_WFDB;
    fuzz_read_all(path, &o);
    return 0;
}
