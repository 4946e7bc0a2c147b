/* Helpers of the fuzz targets (see fuzz_common.h). */
#include "fuzz_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *fuzz_path(const char *name)
{
    static char dir[64];
    static char path[256];
    if (dir[0] == '\0') {
        snprintf(dir, sizeof dir, "/tmp/etw_fuzz_XXXXXX");
        if (mkdtemp(dir) == NULL) {
            abort();
        }
    }
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

int fuzz_write(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        return -1;
    }
    size_t n = fwrite(data, 1, size, f);
    return fclose(f) != 0 || n != size ? -1 : 0;
}

void fuzz_read_all(const char *path, const etw_open_options *options)
{
    etw_reader *r = NULL;
    char detail[256];
    if (etw_reader_open(path, options, &r, detail, sizeof detail) != ETW_OK) {
        if (r != NULL || strlen(detail) == 0) {
            abort(); /* a failed open must return no reader and explain why */
        }
        return;
    }
    etw_recording_info info;
    if (etw_reader_info(r, &info) != ETW_OK) {
        abort();
    }
    for (size_t i = 0; i < info.nannotations; i++) {
        etw_annotation a;
        if (etw_reader_annotation(r, i, &a) != ETW_OK || a.text == NULL) {
            abort();
        }
    }
    enum { BLOCK = 257, MAXSEL = 16 };
    size_t nsel;
    int64_t nframes;
    etw_reader_selection(r, &nsel, NULL, &nframes);
    if (nsel > MAXSEL) {
        size_t first[MAXSEL];
        for (size_t j = 0; j < MAXSEL; j++) {
            first[j] = j;
        }
        if (etw_reader_select(r, first, MAXSEL) != ETW_OK) {
            nsel = 0;
        } else {
            nsel = MAXSEL;
        }
    }
    static float buf[MAXSEL][BLOCK];
    float *out[MAXSEL];
    for (size_t j = 0; j < MAXSEL; j++) {
        out[j] = buf[j];
    }
    size_t got = 1, total = 0;
    while (nsel > 0 && got > 0 && total < 100000) {
        if (etw_reader_read(r, out, BLOCK, &got) != ETW_OK) {
            break;
        }
        total += got;
    }
    if (nframes > 2 && etw_reader_seek(r, nframes / 2) == ETW_OK) {
        (void)etw_reader_read(r, out, 3, &got);
    }
    etw_reader_close(r);
}
