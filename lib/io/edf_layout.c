/* Hand-parsed EDF/BDF fixed header (see edf_layout.h). Layout: 256 bytes for the file, then
 * per-signal fields of 16, 80, 8, 8, 8, 8, 8, 80, 8 and 32 bytes, each stored for all signals
 * in turn; data records follow, each holding every signal's samples one signal after another.
 * Reference: Kemp et al., Electroenceph. clin. Neurophysiol. 82:391-393 (1992), edfplus.info. */
#include "io/edf_layout.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_RECORD_BYTES (64LL << 20)

/* Integer in a blank-padded ASCII header field; -1 when it is not one. */
static long long header_int(const unsigned char *b, size_t len)
{
    long long v = 0;
    size_t i = 0, digits = 0;
    while (i < len && b[i] == ' ') {
        i++;
    }
    for (; i < len && b[i] >= '0' && b[i] <= '9' && digits < 15; i++, digits++) {
        v = 10 * v + (b[i] - '0');
    }
    while (i < len && b[i] == ' ') {
        i++;
    }
    return digits > 0 && i == len ? v : -1;
}

static etw_status fixed_part(etw_reader *r, FILE *f, edf_layout *l)
{
    unsigned char b[256];
    size_t n = fread(b, 1, sizeof b, f);
    if (n == 0) {
        return etw_reader_fail(r, ETW_ERR_FORMAT, "empty file");
    }
    if (n < 8 || (memcmp(b, "0       ", 8) != 0 && memcmp(b, "\xff" "BIOSEMI", 8) != 0)) {
        return etw_reader_fail(r, ETW_ERR_FORMAT, "byte 0: wrong magic (EDF starts with "
                               "\"0\" and 7 blanks, BDF with 0xFF \"BIOSEMI\")");
    }
    if (n < 256) {
        return etw_reader_fail(r, ETW_ERR_TRUNCATED, "%zu bytes, shorter than the 256-byte "
                               "EDF header", n);
    }
    l->bytes = b[0] == 0xff ? 3 : 2;
    l->discontinuous = memcmp(b + 192, l->bytes == 2 ? "EDF+D" : "BDF+D", 5) == 0;
    l->header_bytes = header_int(b + 184, 8);
    l->nrec = header_int(b + 236, 8);
    long long ns = header_int(b + 252, 4);
    if (ns < 0) {
        return etw_reader_fail(r, ETW_ERR_FORMAT, "byte 252: number of signals is not a "
                               "number");
    }
    if (ns == 0 || ns > EDFLIB_MAXSIGNALS) {
        return etw_reader_fail(r, ns == 0 ? ETW_ERR_FORMAT : ETW_ERR_OVERFLOW,
                               "byte 252: %lld signals (1..%d)", ns, EDFLIB_MAXSIGNALS);
    }
    l->ns = (int)ns;
    if (l->header_bytes != 256 * (ns + 1)) {
        return etw_reader_fail(r, ETW_ERR_FORMAT, "byte 184: header size %lld, but %lld "
                               "signals need %lld", l->header_bytes, ns, 256 * (ns + 1));
    }
    if (l->nrec < 0) {
        return etw_reader_fail(r, ETW_ERR_FORMAT, "byte 236: number of data records is not "
                               "a number");
    }
    return ETW_OK;
}

static etw_status signal_part(etw_reader *r, FILE *f, edf_layout *l)
{
    unsigned char field[16];
    l->record_bytes = 0;
    for (int i = 0; i < l->ns; i++) {
        long long at = 256 + 16LL * i;
        if (fseeko(f, (off_t)at, SEEK_SET) != 0 || fread(field, 1, 16, f) != 16) {
            return etw_reader_fail(r, ETW_ERR_TRUNCATED, "byte %lld: header ends in the label "
                                   "of signal %d", at, i);
        }
        etw_copy_trimmed(l->label[i], sizeof l->label[i], (const char *)field, 16);
        at = 256 + 216LL * l->ns + 8LL * i;
        long long v = -1;
        if (fseeko(f, (off_t)at, SEEK_SET) == 0 && fread(field, 1, 8, f) == 8) {
            v = header_int(field, 8);
        }
        if (v < 1 || v > 100000000) {
            return etw_reader_fail(r, v < 0 ? ETW_ERR_FORMAT : ETW_ERR_OVERFLOW,
                                   "byte %lld: samples per record of signal %d", at, i);
        }
        l->spr[i] = (int)v;
        l->offset[i] = l->record_bytes;
        l->record_bytes += v * l->bytes;
    }
    if (l->record_bytes > MAX_RECORD_BYTES) {
        return etw_reader_fail(r, ETW_ERR_OVERFLOW, "data records of %lld bytes (at most "
                               "%lld)", l->record_bytes, MAX_RECORD_BYTES);
    }
    return ETW_OK;
}

int etw_edf_start_unknown(const etw_datetime *t)
{
    return t->year == 1985 && t->month == 1 && t->day == 1 && t->hour == 0 && t->minute == 0 &&
           t->second == 0.0;
}

etw_status etw_edf_layout(etw_reader *r, edf_layout *l)
{
    FILE *f = fopen(r->path, "rb");
    if (f == NULL) {
        return etw_reader_fail(r, ETW_ERR_OPEN, "cannot open: %s", strerror(errno));
    }
    struct stat st;
    etw_status status = fixed_part(r, f, l);
    if (status == ETW_OK) {
        status = signal_part(r, f, l);
    }
    if (status == ETW_OK && fstat(fileno(f), &st) != 0) {
        status = etw_reader_fail(r, ETW_ERR_IO, "cannot query the file size");
    }
    if (status == ETW_OK) {
        long long size = (long long)st.st_size;
        if (l->nrec > (LLONG_MAX - l->header_bytes) / l->record_bytes) {
            status = etw_reader_fail(r, ETW_ERR_OVERFLOW, "byte 236: %lld records is absurd",
                                     l->nrec);
        } else if (l->header_bytes + l->nrec * l->record_bytes > size) {
            status = etw_reader_fail(r, ETW_ERR_TRUNCATED, "%lld bytes, but the header's %lld "
                                     "records need %lld", size, l->nrec,
                                     l->header_bytes + l->nrec * l->record_bytes);
        } else if (l->header_bytes + l->nrec * l->record_bytes < size) {
            status = etw_reader_fail(r, ETW_ERR_MISMATCH, "%lld bytes, more than the header's "
                                     "%lld records need (%lld)", size, l->nrec,
                                     l->header_bytes + l->nrec * l->record_bytes);
        }
    }
    fclose(f);
    return status;
}
