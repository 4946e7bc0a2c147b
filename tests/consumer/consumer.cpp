// The umbrella header must compile as C++ and link without name mangling trouble.
#include <cstdio>
#include <cstring>

#include <emgtwitch/emgtwitch.h>

int main()
{
    if (std::strcmp(etw_version_string(), ETW_VERSION_STRING) != 0) {
        return 1;
    }
    std::printf("emgtwitch %s linked from C++ (%s)\n", etw_version_string(),
                etw_strerror(ETW_ERR_NOMEM));
    return 0;
}
