/* Event tables: TSV (BIDS events.tsv style), CSV (RFC 4180), JSON with parameters and the
 * library version. Rows are streamed to a temporary file renamed into place on commit. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "emgtwitch/writer.h"
#include "io/atomic_file.h"
#include "io/paths.h"

#define TABLE_MAX_COLS 1024
#define ERR_MAX 512

struct etw_table_writer {
    etw_table_format format;
    etw_atomic_file file;
    FILE *f;
    char **columns;
    size_t ncol;
    size_t nrows, nparams;
    int committed, failed;
    char err[ERR_MAX];
};

etw_cell etw_cell_number(double x)
{
    etw_cell c = {ETW_CELL_NUMBER, x, 0, NULL};
    return c;
}

etw_cell etw_cell_int(int64_t x)
{
    etw_cell c = {ETW_CELL_INT, 0.0, x, NULL};
    return c;
}

etw_cell etw_cell_text(const char *text)
{
    etw_cell c = {ETW_CELL_TEXT, 0.0, 0, text};
    return c;
}

etw_cell etw_cell_none(void)
{
    etw_cell c = {ETW_CELL_NONE, 0.0, 0, NULL};
    return c;
}

etw_status etw_table_format_from_path(const char *path, etw_table_format *format)
{
    if (path == NULL || format == NULL) {
        return ETW_ERR_NULL;
    }
    if (etw_path_has_ext(path, ".tsv")) {
        *format = ETW_TABLE_TSV;
    } else if (etw_path_has_ext(path, ".csv")) {
        *format = ETW_TABLE_CSV;
    } else if (etw_path_has_ext(path, ".json")) {
        *format = ETW_TABLE_JSON;
    } else {
        return ETW_ERR_UNSUPPORTED;
    }
    return ETW_OK;
}

static void put_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            fputc('\\', f);
            fputc(c, f);
        } else if (c < 0x20) {
            fprintf(f, "\\u%04x", c);
        } else {
            fputc(c, f);
        }
    }
    fputc('"', f);
}

/* Text in TSV: tabs and line breaks would break the table; they become blanks. */
static void put_text(const etw_table_writer *w, const char *s)
{
    FILE *f = w->f;
    if (w->format == ETW_TABLE_JSON) {
        put_json_string(f, s);
    } else if (w->format == ETW_TABLE_CSV) {
        if (strpbrk(s, ",\"\r\n") == NULL) {
            fputs(s, f);
            return;
        }
        fputc('"', f);
        for (; *s; s++) {
            if (*s == '"') {
                fputc('"', f);
            }
            fputc(*s, f);
        }
        fputc('"', f);
    } else {
        for (; *s; s++) {
            fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, f);
        }
    }
}

static void put_cell(const etw_table_writer *w, const etw_cell *c)
{
    const char *missing = w->format == ETW_TABLE_TSV ? "n/a" : w->format == ETW_TABLE_JSON ? "null" : "";
    switch (c->type) {
    case ETW_CELL_NUMBER:
        if (isfinite(c->number)) {
            fprintf(w->f, "%.9g", c->number);
        } else {
            fputs(missing, w->f);
        }
        break;
    case ETW_CELL_INT:
        fprintf(w->f, "%" PRId64, c->integer);
        break;
    case ETW_CELL_TEXT:
        if (c->text != NULL) {
            put_text(w, c->text);
        } else {
            fputs(missing, w->f);
        }
        break;
    default:
        fputs(missing, w->f);
        break;
    }
}

static etw_status fail(etw_table_writer *w, etw_status st, const char *what)
{
    snprintf(w->err, sizeof w->err, "%s: %s",
             w->file.final_path != NULL ? w->file.final_path : "table", what);
    w->failed |= st == ETW_ERR_IO;
    return st;
}

static etw_status check_io(etw_table_writer *w)
{
    return ferror(w->f) ? fail(w, ETW_ERR_IO, "write failed (disk full?)") : ETW_OK;
}

etw_status etw_table_writer_create(const char *path, etw_table_format format,
                                   const char *const *columns, size_t ncol, int overwrite,
                                   etw_table_writer **writer, char *detail, size_t detail_size)
{
    char dummy[1];
    if (detail == NULL || detail_size == 0) {
        detail = dummy;
        detail_size = sizeof dummy;
    }
    detail[0] = '\0';
    if (writer == NULL || path == NULL || columns == NULL) {
        snprintf(detail, detail_size, "NULL argument");
        return ETW_ERR_NULL;
    }
    *writer = NULL;
    if (ncol == 0 || ncol > TABLE_MAX_COLS || (int)format < 0 || format > ETW_TABLE_JSON) {
        snprintf(detail, detail_size, "%s: %zu columns or format %d out of range", path, ncol,
                 (int)format);
        return ETW_ERR_RANGE;
    }
    for (size_t k = 0; k < ncol; k++) {
        if (columns[k] == NULL) {
            snprintf(detail, detail_size, "%s: column %zu has no name", path, k);
            return ETW_ERR_NULL;
        }
    }
    etw_table_writer *w = calloc(1, sizeof *w);
    if (w == NULL || (w->columns = calloc(ncol, sizeof *w->columns)) == NULL) {
        free(w);
        snprintf(detail, detail_size, "%s: out of memory", path);
        return ETW_ERR_NOMEM;
    }
    w->format = format;
    w->ncol = ncol;
    for (size_t k = 0; k < ncol; k++) {
        size_t n = strlen(columns[k]);
        if ((w->columns[k] = malloc(n + 1)) == NULL) {
            etw_table_writer_destroy(w);
            snprintf(detail, detail_size, "%s: out of memory", path);
            return ETW_ERR_NOMEM;
        }
        memcpy(w->columns[k], columns[k], n + 1);
    }
    int fd;
    etw_status st = etw_atomic_begin(&w->file, path, overwrite, &fd, detail, detail_size);
    if (st != ETW_OK) {
        etw_table_writer_destroy(w);
        return st;
    }
    w->f = fdopen(fd, "wb");
    if (w->f == NULL) {
        close(fd);
        etw_table_writer_destroy(w);
        snprintf(detail, detail_size, "%s: out of memory", path);
        return ETW_ERR_NOMEM;
    }
    if (format == ETW_TABLE_JSON) {
        fprintf(w->f, "{\n  \"software\": \"emgtwitch\",\n  \"version\": \"%s\",\n"
                      "  \"parameters\": {",
                etw_version_string());
    } else {
        for (size_t k = 0; k < ncol; k++) {
            if (k > 0) {
                fputc(format == ETW_TABLE_TSV ? '\t' : ',', w->f);
            }
            put_text(w, w->columns[k]);
        }
        fputc('\n', w->f);
    }
    if ((st = check_io(w)) != ETW_OK) {
        snprintf(detail, detail_size, "%s", w->err);
        etw_table_writer_destroy(w);
        return st;
    }
    *writer = w;
    return ETW_OK;
}

etw_status etw_table_writer_param(etw_table_writer *w, const char *name, etw_cell value)
{
    if (w == NULL || name == NULL) {
        return ETW_ERR_NULL;
    }
    if (w->committed || w->nrows > 0) {
        return fail(w, ETW_ERR_STATE, "parameters must precede the first row");
    }
    if (w->format != ETW_TABLE_JSON) {
        return ETW_OK;
    }
    fputs(w->nparams++ ? ",\n    " : "\n    ", w->f);
    put_json_string(w->f, name);
    fputs(": ", w->f);
    put_cell(w, &value);
    return check_io(w);
}

static void json_columns(etw_table_writer *w)
{
    fprintf(w->f, "%s},\n  \"columns\": [", w->nparams ? "\n  " : "");
    for (size_t k = 0; k < w->ncol; k++) {
        if (k > 0) {
            fputs(", ", w->f);
        }
        put_json_string(w->f, w->columns[k]);
    }
    fputs("],\n  \"rows\": [", w->f);
}

etw_status etw_table_writer_row(etw_table_writer *w, const etw_cell *cells)
{
    if (w == NULL || cells == NULL) {
        return ETW_ERR_NULL;
    }
    if (w->committed) {
        return fail(w, ETW_ERR_STATE, "row after commit");
    }
    if (w->format == ETW_TABLE_JSON) {
        if (w->nrows == 0) {
            json_columns(w);
        }
        fputs(w->nrows ? ",\n    {" : "\n    {", w->f);
        for (size_t k = 0; k < w->ncol; k++) {
            if (k > 0) {
                fputs(", ", w->f);
            }
            put_json_string(w->f, w->columns[k]);
            fputs(": ", w->f);
            put_cell(w, &cells[k]);
        }
        fputc('}', w->f);
    } else {
        for (size_t k = 0; k < w->ncol; k++) {
            if (k > 0) {
                fputc(w->format == ETW_TABLE_TSV ? '\t' : ',', w->f);
            }
            put_cell(w, &cells[k]);
        }
        fputc('\n', w->f);
    }
    w->nrows++;
    return check_io(w);
}

etw_status etw_table_writer_commit(etw_table_writer *w)
{
    if (w == NULL) {
        return ETW_ERR_NULL;
    }
    if (w->committed) {
        return fail(w, ETW_ERR_STATE, "already committed");
    }
    if (w->failed) {
        return ETW_ERR_IO;
    }
    if (w->format == ETW_TABLE_JSON) {
        if (w->nrows == 0) {
            json_columns(w);
        }
        fputs(w->nrows ? "\n  ]\n}\n" : "]\n}\n", w->f);
    }
    int bad = fflush(w->f) != 0 || ferror(w->f) || fsync(fileno(w->f)) != 0;
    bad |= fclose(w->f) != 0;
    w->f = NULL;
    if (bad) {
        etw_atomic_abort(&w->file);
        snprintf(w->err, sizeof w->err, "write failed (disk full?)");
        return ETW_ERR_IO;
    }
    etw_status st = etw_atomic_commit(&w->file, w->err, sizeof w->err);
    if (st != ETW_OK) {
        return st;
    }
    w->committed = 1;
    return ETW_OK;
}

void etw_table_writer_destroy(etw_table_writer *w)
{
    if (w == NULL) {
        return;
    }
    if (w->f != NULL) {
        fclose(w->f);
    }
    etw_atomic_abort(&w->file);
    for (size_t k = 0; w->columns != NULL && k < w->ncol; k++) {
        free(w->columns[k]);
    }
    free(w->columns);
    free(w);
}

const char *etw_table_writer_error(const etw_table_writer *w)
{
    return w != NULL ? w->err : "";
}
