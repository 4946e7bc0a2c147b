/* Status codes, their names and messages, and the version queries. */
#include "etw_test.h"

#include <stdio.h>
#include <string.h>

#include "emgtwitch/emgtwitch.h"

static void every_status_has_a_distinct_name_and_message(void **state)
{
    (void)state;
    static const etw_status all[] = {
#define ETW_TEST_ALL_(name, value, message) ETW_##name,
        ETW_STATUS_LIST(ETW_TEST_ALL_)
#undef ETW_TEST_ALL_
    };
    size_t n = sizeof all / sizeof all[0];
    for (size_t i = 0; i < n; i++) {
        assert_true(i == 0 ? all[i] == ETW_OK : all[i] < 0);
        assert_non_null(strstr(etw_status_name(all[i]), "ETW_"));
        assert_true(strlen(etw_strerror(all[i])) > 5);
        for (size_t j = 0; j < i; j++) {
            assert_int_not_equal(all[i], all[j]);
            assert_string_not_equal(etw_status_name(all[i]), etw_status_name(all[j]));
            assert_string_not_equal(etw_strerror(all[i]), etw_strerror(all[j]));
        }
    }
    assert_string_equal(etw_status_name(ETW_ERR_NYQUIST), "ETW_ERR_NYQUIST");
}

static void unknown_status_is_named_unknown(void **state)
{
    (void)state;
    assert_string_equal(etw_status_name((etw_status)12345), "ETW_UNKNOWN");
    assert_string_equal(etw_strerror((etw_status)-9999), "unknown emgtwitch status");
}

static void version_of_library_matches_header(void **state)
{
    (void)state;
    char expected[32];
    snprintf(expected, sizeof expected, "%d.%d.%d", ETW_VERSION_MAJOR, ETW_VERSION_MINOR,
             ETW_VERSION_PATCH);
    assert_string_equal(etw_version_string(), expected);
    assert_int_equal(etw_version_number(), ETW_VERSION_NUMBER);
    const char *fft = etw_fft_backend();
    assert_true(strcmp(fft, "kissfft") == 0 || strcmp(fft, "fftw") == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_status_has_a_distinct_name_and_message),
        cmocka_unit_test(unknown_status_is_named_unknown),
        cmocka_unit_test(version_of_library_matches_header),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
