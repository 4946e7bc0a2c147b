/* Temporary file + rename (see atomic_file.h). */
#include "io/atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

etw_status etw_atomic_begin(etw_atomic_file *a, const char *final_path, int overwrite, int *fd,
                            char *detail, size_t detail_size)
{
    memset(a, 0, sizeof *a);
    a->overwrite = overwrite;
    struct stat st;
    if (!overwrite && stat(final_path, &st) == 0) {
        snprintf(detail, detail_size, "%s: exists (overwriting was not requested)", final_path);
        return ETW_ERR_EXISTS;
    }
    size_t n = strlen(final_path);
    const char *slash = strrchr(final_path, '/');
    size_t dir = slash != NULL ? (size_t)(slash - final_path + 1) : 0;
    a->final_path = malloc(n + 1);
    a->tmp_path = malloc(n + 16);
    if (a->final_path == NULL || a->tmp_path == NULL) {
        etw_atomic_abort(a);
        snprintf(detail, detail_size, "%s: out of memory", final_path);
        return ETW_ERR_NOMEM;
    }
    memcpy(a->final_path, final_path, n + 1);
    /* "dir/.name.XXXXXX": hidden, same folder (so rename is atomic) */
    snprintf(a->tmp_path, n + 16, "%.*s.%s.XXXXXX", (int)dir, final_path, final_path + dir);
    int f = mkstemp(a->tmp_path);
    if (f < 0) {
        snprintf(detail, detail_size, "%s: cannot create a file in its folder: %s", final_path,
                 strerror(errno));
        free(a->tmp_path);
        a->tmp_path = NULL;
        etw_atomic_abort(a);
        return ETW_ERR_OPEN;
    }
    (void)fchmod(f, 0644); /* mkstemp makes 0600; results are meant to be shared */
    if (fd != NULL) {
        *fd = f;
    } else {
        close(f);
    }
    return ETW_OK;
}

etw_status etw_atomic_commit(etw_atomic_file *a, char *detail, size_t detail_size)
{
    etw_status st = ETW_OK;
    if (a->overwrite) {
        if (rename(a->tmp_path, a->final_path) != 0) {
            snprintf(detail, detail_size, "%s: cannot move into place: %s", a->final_path,
                     strerror(errno));
            st = ETW_ERR_IO;
        }
    } else if (link(a->tmp_path, a->final_path) != 0) { /* fails if the file appeared */
        int e = errno;
        struct stat sb;
        if (e != EEXIST && stat(a->final_path, &sb) != 0 &&
            rename(a->tmp_path, a->final_path) == 0) { /* no hard links on this filesystem */
            free(a->tmp_path);
            a->tmp_path = NULL;
            return ETW_OK;
        }
        snprintf(detail, detail_size, "%s: %s", a->final_path,
                 e == EEXIST ? "exists (overwriting was not requested)" : strerror(e));
        st = e == EEXIST ? ETW_ERR_EXISTS : ETW_ERR_IO;
    } else {
        unlink(a->tmp_path);
    }
    if (st == ETW_OK) {
        free(a->tmp_path);
        a->tmp_path = NULL;
    }
    return st;
}

void etw_atomic_abort(etw_atomic_file *a)
{
    if (a->tmp_path != NULL) {
        unlink(a->tmp_path);
    }
    free(a->tmp_path);
    free(a->final_path);
    a->tmp_path = a->final_path = NULL;
}
