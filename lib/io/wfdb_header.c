/* WFDB header text: loading and line iteration (see wfdb_header.h). */
#include "io/wfdb_header.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEA_MAX_BYTES (1 << 20)  /* a header larger than 1 MiB is absurd */

char *etw_hea_next_line(etw_hea_cursor *c, size_t *len)
{
    while (c->at < c->len) {
        char *line = c->text + c->at;
        char *nl = memchr(line, '\n', c->len - c->at);
        size_t n = nl != NULL ? (size_t)(nl - line) : c->len - c->at;
        c->at += n + (nl != NULL);
        c->line++;
        line[n] = '\0';
        if (n > 0 && line[n - 1] == '\r') {
            line[--n] = '\0';
        }
        size_t i = 0;
        while (i < n && (line[i] == ' ' || line[i] == '\t')) {
            i++;
        }
        if (i < n && line[i] != '#') {
            *len = n;
            return line;
        }
    }
    return NULL;
}

etw_status etw_hea_load(etw_reader *r, etw_hea_cursor *c)
{
    FILE *f = fopen(r->path, "rb");
    if (f == NULL) {
        return etw_reader_fail(r, ETW_ERR_OPEN, "cannot open the header: %s", strerror(errno));
    }
    c->text = malloc(HEA_MAX_BYTES + 1);
    if (c->text == NULL) {
        fclose(f);
        return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory");
    }
    c->len = fread(c->text, 1, HEA_MAX_BYTES + 1, f);
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        return etw_reader_fail(r, ETW_ERR_IO, "cannot read the header");
    }
    if (c->len > HEA_MAX_BYTES) {
        return etw_reader_fail(r, ETW_ERR_OVERFLOW, "header larger than %d bytes", HEA_MAX_BYTES);
    }
    if (c->len == 0) {
        return etw_reader_fail(r, ETW_ERR_FORMAT, "empty header");
    }
    if (memchr(c->text, '\0', c->len) != NULL) {
        return etw_reader_fail(r, ETW_ERR_FORMAT, "header contains NUL bytes (not a .hea)");
    }
    c->at = 0;
    c->line = 0;
    return ETW_OK;
}
