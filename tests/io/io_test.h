/* Shared declarations of the emgtwitch_io tests. */
#ifndef ETW_IO_TEST_H
#define ETW_IO_TEST_H

#include "emgtwitch/io.h"
#include "etw_test.h"

/* A fresh scratch folder for this test run (static storage) and a path inside it. */
const char *io_test_dir(void);
const char *io_test_path(const char *name, char *buf, size_t cap);
/* Loads the recording at path ctx (options: event column last, 100 Hz for text without a
 * rate) and frees it; returns 1 on success. For etw_failalloc_sweep(): every allocation
 * failure during open and load must be reported, never a crash or leak. */
int io_test_load_attempt(void *ctx);
/* Writes bytes to a file. */
void io_test_write_file(const char *path, const void *data, size_t n);

extern const struct CMUnitTest io_real_tests[];
extern const size_t io_real_count;
extern const struct CMUnitTest io_write_tests[];
extern const size_t io_write_count;
extern const struct CMUnitTest io_corpus_tests[];
extern const size_t io_corpus_count;
extern const struct CMUnitTest io_multiseg_tests[];
extern const size_t io_multiseg_count;
extern const struct CMUnitTest io_edfd_tests[];
extern const size_t io_edfd_count;
extern const struct CMUnitTest io_contract_tests[];
extern const size_t io_contract_count;

#endif
