/* EDF+D/BDF+D test files, laid out as the EDF+ specification describes (edfplus.info): the
 * 256-byte fixed header, then each per-signal field for all signals in turn, then the data
 * records, each holding every signal's samples and the annotation signal with its TALs. */
#include "edfd_file.h"

#include <stdio.h>
#include <string.h>

#include "etw_test.h"

int edfd_value(int bdf, int i, int rec, int k)
{
    int v = 1000 * i + 100 * rec + 7 * k - 300;
    return bdf ? v * 1000 : v;
}

/* Writes `text` left-aligned in a blank-padded field of `width` bytes. */
static void field(FILE *f, const char *text, size_t width)
{
    size_t n = strlen(text);
    assert_true(n <= width);
    fwrite(text, 1, n, f);
    for (size_t i = n; i < width; i++) {
        fputc(' ', f);
    }
}

/* Each per-signal field for all signals: annotation signal last. */
static void signal_fields(FILE *f, const edfd_spec *s, int ns)
{
    const char *dmin = s->bdf ? "-8388608" : "-32768";
    const char *dmax = s->bdf ? "8388607" : "32767";
    char spr[16];
    for (int i = 0; i < ns; i++) {
        char label[17];
        snprintf(label, sizeof label, "EMG%d", i + 1);
        field(f, i < s->ns ? label : s->bdf ? "BDF Annotations" : "EDF Annotations", 16);
    }
    for (int i = 0; i < ns; i++) {
        field(f, "", 80);
    }
    for (int i = 0; i < ns; i++) {
        field(f, i < s->ns ? "uV" : "", 8);
    }
    const char *const range[4] = {dmin, dmax, dmin, dmax}; /* physical = digital */
    for (int k = 0; k < 4; k++) {
        for (int i = 0; i < ns; i++) {
            field(f, i < s->ns ? range[k] : (const char *[]){"-1", "1", dmin, dmax}[k], 8);
        }
    }
    for (int i = 0; i < ns; i++) {
        field(f, "", 80);
    }
    for (int i = 0; i < ns; i++) {
        snprintf(spr, sizeof spr, "%d", i < s->ns ? s->spr[i] : s->annot_spr);
        field(f, spr, 8);
    }
    for (int i = 0; i < ns; i++) {
        field(f, "", 32);
    }
}

static void record(FILE *f, const edfd_spec *s, int rec)
{
    int bytes = s->bdf ? 3 : 2;
    for (int i = 0; i < s->ns; i++) {
        for (int k = 0; k < s->spr[i]; k++) {
            unsigned v = (unsigned)edfd_value(s->bdf, i, rec, k);
            for (int b = 0; b < bytes; b++) {
                fputc((int)((v >> (8 * b)) & 0xff), f);
            }
        }
    }
    if (!s->with_annotations) {
        return;
    }
    char tal[512];
    int n = snprintf(tal, sizeof tal, "%s\x14\x14", s->onset[rec]);
    const char *more = s->tals != NULL ? s->tals[rec] : "";
    size_t len = (size_t)n + 1 + (*more ? strlen(more) + 1 : 0);
    assert_true(len <= (size_t)(s->annot_spr * bytes) && len < sizeof tal);
    tal[n] = '\0';
    if (*more) {
        memcpy(tal + n + 1, more, strlen(more) + 1);
    }
    fwrite(tal, 1, len, f);
    for (size_t i = len; i < (size_t)(s->annot_spr * bytes); i++) {
        fputc(0, f);
    }
}

void edfd_write(const char *path, const edfd_spec *s)
{
    int ns = s->ns + (s->with_annotations ? 1 : 0);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    char num[16];
    if (s->bdf) {
        fwrite("\xff" "BIOSEMI", 1, 8, f);
    } else {
        field(f, "0", 8);
    }
    field(f, "X X X X", 80);
    field(f, "Startdate 24-NOV-2026 X X X", 80);
    field(f, "24.11.26", 8);
    field(f, "10.20.30", 8);
    snprintf(num, sizeof num, "%d", 256 * (ns + 1));
    field(f, num, 8);
    field(f, s->bdf ? "BDF+D" : "EDF+D", 44);
    snprintf(num, sizeof num, "%d", s->nrec);
    field(f, num, 8);
    field(f, s->record_s, 8);
    snprintf(num, sizeof num, "%d", ns);
    field(f, num, 4);
    signal_fields(f, s, ns);
    for (int rec = 0; rec < s->nrec; rec++) {
        record(f, s, rec);
    }
    assert_int_equal(fclose(f), 0);
}
