/* Format detection from content (magic bytes) and name. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "io/paths.h"
#include "io/reader_internal.h"

static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* path with its last extension (if any, of length ext_len) replaced by ".hea". */
static char *with_hea(const char *path, size_t ext_len)
{
    size_t n = strlen(path) - ext_len;
    char *p = malloc(n + 5);
    if (p != NULL) {
        memcpy(p, path, n);
        memcpy(p + n, ".hea", 5);
    }
    return p;
}

/* A WFDB record named by its .dat or by its record name: the .hea beside it. */
static etw_status wfdb_header_of(etw_reader *r, char **resolved)
{
    *resolved = NULL;
    size_t ext = etw_path_has_ext(r->path, ".dat") ? 4 : (!is_file(r->path) ? 0 : (size_t)-1);
    if (ext == (size_t)-1 || etw_path_has_ext(r->path, ".hea")) {
        return ETW_OK;
    }
    char *hea = with_hea(r->path, ext);
    if (hea == NULL) {
        return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory");
    }
    if (is_file(hea)) {
        *resolved = hea;
    } else {
        free(hea);
    }
    return ETW_OK;
}

static int is_text(const unsigned char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (b[i] == 0 || (b[i] < 0x20 && b[i] != '\t' && b[i] != '\n' && b[i] != '\r')) {
            return 0;
        }
    }
    return 1;
}

etw_status etw_detect_format(etw_reader *r, etw_format *format, char **resolved)
{
    etw_status st = wfdb_header_of(r, resolved);
    if (st != ETW_OK) {
        return st;
    }
    if (format == NULL) { /* WFDB forced: only the header path was wanted */
        return ETW_OK;
    }
    if (*resolved != NULL || etw_path_has_ext(r->path, ".hea")) {
        *format = ETW_FORMAT_WFDB;
        return ETW_OK;
    }
    FILE *f = fopen(r->path, "rb");
    if (f == NULL) {
        return etw_reader_fail(r, ETW_ERR_OPEN, "cannot open: %s", strerror(errno));
    }
    unsigned char b[512];
    size_t n = fread(b, 1, sizeof b, f);
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        return etw_reader_fail(r, ETW_ERR_IO, "cannot read the first bytes");
    }
    if (n == 0) {
        return etw_reader_fail(r, ETW_ERR_FORMAT, "empty file");
    }
    static const char *const sound_magic[] = {"RIFF", "RF64", "fLaC", "FORM", "OggS", ".snd"};
    for (size_t i = 0; i < sizeof sound_magic / sizeof sound_magic[0]; i++) {
        if (n >= 4 && memcmp(b, sound_magic[i], 4) == 0) {
            *format = ETW_FORMAT_SOUND;
            return ETW_OK;
        }
    }
    if ((n >= 8 && memcmp(b, "0       ", 8) == 0) || (n >= 8 && memcmp(b, "\xff" "BIOSEMI", 8) == 0) ||
        etw_path_has_ext(r->path, ".edf") || etw_path_has_ext(r->path, ".bdf") || etw_path_has_ext(r->path, ".rec")) {
        *format = ETW_FORMAT_EDF;
        return ETW_OK;
    }
    static const char *const sound_ext[] = {".wav", ".flac", ".ogg", ".aif", ".aiff", ".au"};
    for (size_t i = 0; i < sizeof sound_ext / sizeof sound_ext[0]; i++) {
        if (etw_path_has_ext(r->path, sound_ext[i])) {
            *format = ETW_FORMAT_SOUND;
            return ETW_OK;
        }
    }
    if (is_text(b, n)) {
        *format = ETW_FORMAT_TEXT;
        return ETW_OK;
    }
    return etw_reader_fail(r, ETW_ERR_FORMAT,
                           "unrecognised content (not WFDB, EDF/BDF, sound or text); "
                           "force a format if it is one of them");
}
