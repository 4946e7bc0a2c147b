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
    printf("emgtwitch %s (%s) linked from C\n", etw_version_string(), etw_fft_backend());
    return 0;
}
