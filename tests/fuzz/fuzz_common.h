/* Shared by the libFuzzer targets: the input is written to a scratch file (the readers work on
 * paths), opened with a forced format, read to the end through random-size blocks and seeks,
 * and closed. Any crash, leak, overflow or unbounded allocation is a finding. */
#ifndef ETW_FUZZ_COMMON_H
#define ETW_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "emgtwitch/io.h"

/* A path "<scratch dir>/<name>" in a folder made once per process. */
const char *fuzz_path(const char *name);

/* Writes data to path; returns 0 on success. */
int fuzz_write(const char *path, const uint8_t *data, size_t size);

/* Opens path with the options, reads everything in blocks, seeks, closes. */
void fuzz_read_all(const char *path, const etw_open_options *options);

#endif
