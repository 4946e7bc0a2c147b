/* test_filter: runs the design, cascade, precision and zero-phase groups. */
#include "tests.h"

int main(void)
{
    int failed = 0;
    size_t n;
    const struct CMUnitTest *t;
    t = design_tests(&n);
    failed |= _cmocka_run_group_tests("design", t, n, NULL, NULL);
    t = cascade_tests(&n);
    failed |= _cmocka_run_group_tests("cascade", t, n, NULL, NULL);
    t = precision_tests(&n);
    failed |= _cmocka_run_group_tests("precision", t, n, NULL, NULL);
    t = filtfilt_tests(&n);
    failed |= _cmocka_run_group_tests("filtfilt", t, n, NULL, NULL);
    return failed;
}
