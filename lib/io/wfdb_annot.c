/* WFDB annotation files in MIT format (reference: WFDB annot(5), "MIT format"): a sequence of
 * 16-bit little-endian words, 6 bits of annotation type A and 10 bits I; A = 59 (SKIP) is
 * followed by a 32-bit interval (high 16-bit word first), A = 60..62 (NUM, SUB, CHN) set
 * fields of what follows, A = 63 (AUX) is followed by I bytes of text (padded to even), and
 * A = 0, I = 0 ends the file. Other A are annotation codes, I the samples since the previous
 * one. The record's "<name>.atr" file, when present, becomes the reader's annotations: text =
 * the code's mnemonic, followed by the auxiliary text if any; no duration. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "io/reader_internal.h"
#include "io/wfdb_annot.h"

#define ANNOT_MAX_BYTES (64L << 20)

static const char *mnemonic(int code)
{
    static const char *const table[50] = {
        NULL, "N", "L", "R", "a", "V", "F", "J", "A", "S", "E", "j", "/", "Q", "~", NULL,
        "|",  NULL, "s", "T", "*", "D", "\"", "=", "p", "B", "^", "t", "+", "u", "?", "!",
        "[",  "]", "e", "n", "@", "x", "f", "(", ")", "r", NULL, NULL, NULL, NULL, NULL,
        NULL, NULL, NULL};
    return code > 0 && code < 50 && table[code] != NULL ? table[code] : NULL;
}

static etw_status parse(etw_reader *r, const unsigned char *b, size_t n, const char *name,
                        double fs)
{
    long long t = 0;
    size_t at = 0;
    int pending = 0;
    long long pending_t = 0;
    char text[300];
    size_t text_len = 0;
    etw_status st = ETW_OK;
    while (st == ETW_OK) {
        if (at + 2 > n) {
            return etw_reader_fail(r, ETW_ERR_TRUNCATED, "%s: ends at byte %zu without the "
                                   "end marker", name, at);
        }
        unsigned w = b[at] | (unsigned)(b[at + 1] << 8);
        int a = (int)(w >> 10), i = (int)(w & 0x3ff);
        size_t word_at = at;
        at += 2;
        if (a == 0 && i == 0) {
            break;
        }
        if (a == 59) { /* SKIP: 32-bit interval, high word first */
            if (at + 4 > n) {
                return etw_reader_fail(r, ETW_ERR_TRUNCATED, "%s: byte %zu: SKIP without its "
                                       "interval", name, word_at);
            }
            long v = (long)((uint32_t)(b[at + 2] | (b[at + 3] << 8)) |
                            ((uint32_t)(b[at] | (b[at + 1] << 8)) << 16));
            t += (int32_t)v;
            at += 4;
            continue;
        }
        if (a == 63) { /* AUX text of the annotation just read */
            if (at + (size_t)i > n) {
                return etw_reader_fail(r, ETW_ERR_TRUNCATED, "%s: byte %zu: auxiliary text "
                                       "runs past the end", name, word_at);
            }
            if (pending && i > 0) {
                size_t len = (size_t)i;
                while (len > 0 && b[at + len - 1] == '\0') {
                    len--;
                }
                len = len > sizeof text - text_len - 2 ? sizeof text - text_len - 2 : len;
                text[text_len++] = ' ';
                memcpy(text + text_len, b + at, len);
                text_len += len;
            }
            at += (size_t)i + ((size_t)i & 1);
            continue;
        }
        if (a >= 60) { /* NUM, SUB, CHN: fields we do not report */
            continue;
        }
        if (pending) {
            st = etw_reader_add_annotation(r, (double)pending_t / fs, -1.0, text, text_len);
        }
        t += i;
        if (t < 0) {
            return etw_reader_fail(r, ETW_ERR_FORMAT, "%s: byte %zu: negative time", name,
                                   word_at);
        }
        const char *m = mnemonic(a);
        text_len = m != NULL ? (size_t)snprintf(text, sizeof text, "%s", m)
                             : (size_t)snprintf(text, sizeof text, "code %d", a);
        pending = 1;
        pending_t = t;
    }
    if (st == ETW_OK && pending) {
        st = etw_reader_add_annotation(r, (double)pending_t / fs, -1.0, text, text_len);
    }
    return st;
}

etw_status etw_wfdb_read_annotations(etw_reader *r, double fs)
{
    size_t n = strlen(r->path);
    if (n < 4) {
        return ETW_OK;
    }
    char *path = malloc(n + 1);
    if (path == NULL) {
        return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory");
    }
    memcpy(path, r->path, n - 4);
    memcpy(path + n - 4, ".atr", 5);
    FILE *f = fopen(path, "rb");
    const char *name = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
    etw_status st = ETW_OK;
    struct stat sb;
    unsigned char *b = NULL;
    if (f == NULL) {
        st = errno == ENOENT ? ETW_OK
                             : etw_reader_fail(r, ETW_ERR_OPEN, "cannot open %s: %s", name,
                                               strerror(errno));
    } else if (fstat(fileno(f), &sb) != 0 || sb.st_size > ANNOT_MAX_BYTES) {
        st = etw_reader_fail(r, ETW_ERR_OVERFLOW, "%s is larger than %ld bytes", name,
                             ANNOT_MAX_BYTES);
    } else if ((b = malloc((size_t)sb.st_size + 1)) == NULL) {
        st = etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory for %s", name);
    } else if (fread(b, 1, (size_t)sb.st_size, f) != (size_t)sb.st_size) {
        st = etw_reader_fail(r, ETW_ERR_IO, "cannot read %s", name);
    } else {
        st = parse(r, b, (size_t)sb.st_size, name, fs);
    }
    if (f != NULL) {
        fclose(f);
    }
    free(b);
    free(path);
    return st;
}
