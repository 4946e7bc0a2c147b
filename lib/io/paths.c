/* File-name helpers (see paths.h). */
#include "io/paths.h"

#include <string.h>
#include <strings.h>

int etw_path_has_ext(const char *path, const char *ext)
{
    size_t n = strlen(path), e = strlen(ext);
    return n > e && strcasecmp(path + n - e, ext) == 0;
}
