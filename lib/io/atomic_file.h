/* Files written under a temporary name in the destination folder and moved into place on
 * commit; abandoned or failed writes leave nothing behind. */
#ifndef ETW_IO_ATOMIC_FILE_H
#define ETW_IO_ATOMIC_FILE_H

#include "emgtwitch/common.h"

typedef struct etw_atomic_file {
    char *final_path;
    char *tmp_path;      /* exists on disk until commit or abort */
    int overwrite;
} etw_atomic_file;

/* Creates the temporary file (empty, mode 0644 subject to umask). Fails with
 * ETW_ERR_EXISTS when final_path exists and overwrite is 0. *fd receives an open descriptor
 * (or pass NULL to have it closed, when a library opens tmp_path itself). The detail buffer
 * receives a message on error. */
etw_status etw_atomic_begin(etw_atomic_file *a, const char *final_path, int overwrite, int *fd,
                            char *detail, size_t detail_size);

/* Moves the temporary file into place (no-clobber unless overwrite). On error the temporary
 * file is removed. */
etw_status etw_atomic_commit(etw_atomic_file *a, char *detail, size_t detail_size);

/* Removes the temporary file (if any) and frees the names. Safe after commit. */
void etw_atomic_abort(etw_atomic_file *a);

#endif
