/* libFuzzer target: the WFDB reader. Input = header text, a line "--DAT--", the bytes of the
 * signal file (which the header reaches as "f.dat"), optionally a line "--ATR--" and the
 * bytes of the annotation file f.atr. */
#include <stdio.h>
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Offset of sep in data[from..size), or size when absent. */
static size_t find(const uint8_t *data, size_t from, size_t size, const char *sep)
{
    size_t n = strlen(sep);
    for (size_t i = from; i + n <= size; i++) {
        if (memcmp(data + i, sep, n) == 0) {
            return i;
        }
    }
    return size;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char dat_sep[] = "\n--DAT--\n", atr_sep[] = "\n--ATR--\n";
    size_t hlen = find(data, 0, size, dat_sep);
    size_t dat = hlen + strlen(dat_sep) <= size ? hlen + strlen(dat_sep) : size;
    size_t dlen = find(data, dat, size, atr_sep) - dat;
    size_t atr = dat + dlen + strlen(atr_sep);
    const char *atr_path = fuzz_path("f.atr");
    if (atr <= size) {
        if (fuzz_write(atr_path, data + atr, size - atr) != 0) {
            return 0;
        }
    } else {
        remove(atr_path);
    }
    if (fuzz_write(fuzz_path("f.dat"), data + dat, dlen) != 0) {
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
