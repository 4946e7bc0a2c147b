/* Bounded buffered line reader (see linereader.h). */
#include "io/linereader.h"

#include <stdlib.h>
#include <string.h>

int etw_linereader_open(etw_linereader *lr, const char *path)
{
    memset(lr, 0, sizeof *lr);
    lr->f = fopen(path, "rb");
    if (lr->f == NULL) {
        return -1;
    }
    lr->buf = malloc(2 * ETW_LINE_MAX);
    if (lr->buf == NULL) {
        fclose(lr->f);
        lr->f = NULL;
        return -2;
    }
    return 0;
}

void etw_linereader_close(etw_linereader *lr)
{
    if (lr->f != NULL) {
        fclose(lr->f);
    }
    free(lr->buf);
    memset(lr, 0, sizeof *lr);
}

int etw_linereader_next(etw_linereader *lr, char **line, size_t *len)
{
    for (;;) {
        char *s = lr->buf + lr->start;
        size_t avail = lr->len - lr->start;
        char *nl = memchr(s, '\n', avail);
        if (nl != NULL || (lr->eof && avail > 0)) {
            size_t n = nl != NULL ? (size_t)(nl - s) : avail;
            if (n > ETW_LINE_MAX) {
                return ETW_LINE_TOO_LONG;
            }
            lr->line_offset = lr->base + (int64_t)lr->start;
            lr->start += n + (nl != NULL);
            if (n > 0 && s[n - 1] == '\r') {
                n--;
            }
            *line = s;
            *len = n;
            return ETW_LINE_OK;
        }
        if (lr->eof) {
            return ETW_LINE_EOF;
        }
        if (avail > ETW_LINE_MAX) {
            return ETW_LINE_TOO_LONG;
        }
        memmove(lr->buf, s, avail);
        lr->base += (int64_t)lr->start;
        lr->start = 0;
        lr->len = avail;
        size_t got = fread(lr->buf + avail, 1, 2 * ETW_LINE_MAX - avail, lr->f);
        lr->len += got;
        if (got == 0) {
            if (ferror(lr->f)) {
                return ETW_LINE_IO;
            }
            lr->eof = 1;
        }
    }
}

int etw_linereader_seek(etw_linereader *lr, int64_t offset)
{
    if (fseeko(lr->f, (off_t)offset, SEEK_SET) != 0) {
        return -1;
    }
    clearerr(lr->f);
    lr->base = offset;
    lr->len = lr->start = 0;
    lr->eof = 0;
    return 0;
}
