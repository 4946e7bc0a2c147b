/* The groups of test_filter, one per source file. */
#ifndef ETW_TEST_FILTER_TESTS_H
#define ETW_TEST_FILTER_TESTS_H

#include "etw_test.h"

#define ETW_TEST_GROUP(name)                                                             \
    const struct CMUnitTest *name(size_t *count)

ETW_TEST_GROUP(design_tests);
ETW_TEST_GROUP(cascade_tests);
ETW_TEST_GROUP(filtfilt_tests);
ETW_TEST_GROUP(precision_tests);

#endif
