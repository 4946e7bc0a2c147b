/* A bounded buffered line reader with byte offsets, for text formats: lines longer than
 * ETW_LINE_MAX are an error instead of an unbounded allocation. */
#ifndef ETW_IO_LINEREADER_H
#define ETW_IO_LINEREADER_H

#include <stdint.h>
#include <stdio.h>

#define ETW_LINE_MAX (256 * 1024)

typedef struct etw_linereader {
    FILE *f;
    char *buf;        /* 2 * ETW_LINE_MAX bytes */
    size_t len, start;
    int64_t base;     /* file offset of buf[0] */
    int eof;
    int64_t line_offset; /* file offset of the line last returned */
} etw_linereader;

enum { ETW_LINE_OK = 1, ETW_LINE_EOF = 0, ETW_LINE_TOO_LONG = -1, ETW_LINE_IO = -2 };

/* Opens path; returns 0 on success, -1 (errno set) when it cannot be opened, -2 no memory. */
int etw_linereader_open(etw_linereader *lr, const char *path);
void etw_linereader_close(etw_linereader *lr);
/* Next line without its "\n" or "\r\n"; *line points into the buffer, valid until the next
 * call. Returns one of the ETW_LINE_ values. */
int etw_linereader_next(etw_linereader *lr, char **line, size_t *len);
/* Continues reading at a byte offset. Returns 0 or -1 on a seek error. */
int etw_linereader_seek(etw_linereader *lr, int64_t offset);

#endif
