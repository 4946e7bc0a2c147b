/* Channel selection: by indices, by labels and case-insensitive globs, by specification. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "io/reader_internal.h"

/* Case-insensitive glob: '*' matches any run, '?' one character. Iterative with one
 * backtracking point, so linear-ish and never recursive. */
static int glob_match(const char *pat, size_t plen, const char *s)
{
    size_t p = 0, star = (size_t)-1, mark = 0, i = 0;
    size_t slen = strlen(s);
    while (i < slen) {
        if (p < plen && (pat[p] == '?' ||
                         tolower((unsigned char)pat[p]) == tolower((unsigned char)s[i]))) {
            p++;
            i++;
        } else if (p < plen && pat[p] == '*') {
            star = p++;
            mark = i;
        } else if (star != (size_t)-1) {
            p = star + 1;
            i = ++mark;
        } else {
            return 0;
        }
    }
    while (p < plen && pat[p] == '*') {
        p++;
    }
    return p == plen;
}

etw_status etw_reader_select(etw_reader *r, const size_t *indices, size_t count)
{
    if (r == NULL || indices == NULL) {
        return ETW_ERR_NULL;
    }
    if (count == 0 || count > ETW_MAX_CHANNELS) {
        return etw_reader_fail(r, ETW_ERR_RANGE, "select %zu channels (1..%d)", count,
                               ETW_MAX_CHANNELS);
    }
    for (size_t j = 0; j < count; j++) {
        if (indices[j] >= r->info.nch) {
            return etw_reader_fail(r, ETW_ERR_NOT_FOUND, "channel index %zu (file has %zu)",
                                   indices[j], r->info.nch);
        }
    }
    const etw_channel_info *first = &r->ch[indices[0]];
    int64_t nframes = first->nframes;
    for (size_t j = 1; j < count; j++) {
        const etw_channel_info *c = &r->ch[indices[j]];
        if (c->fs_hz != first->fs_hz) {
            return etw_reader_fail(r, ETW_ERR_MISMATCH,
                                   "channels '%s' (%g Hz) and '%s' (%g Hz) have different "
                                   "sample rates; select channels of one rate",
                                   first->label, first->fs_hz, c->label, c->fs_hz);
        }
        if (c->nframes < nframes) {
            nframes = c->nframes;
        }
    }
    size_t *sel = malloc(count * sizeof *sel);
    if (sel == NULL) {
        return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory for the selection");
    }
    memcpy(sel, indices, count * sizeof *sel);
    free(r->sel);
    r->sel = sel;
    r->nsel = count;
    r->sel_fs = first->fs_hz;
    r->sel_nframes = nframes;
    r->pos = 0;
    return ETW_OK;
}

static int parse_index(const char *s, size_t len, size_t *index)
{
    if (len == 0 || len > 9) {
        return 0;
    }
    size_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (!isdigit((unsigned char)s[i])) {
            return 0;
        }
        v = 10 * v + (size_t)(s[i] - '0');
    }
    *index = v;
    return 1;
}

/* Appends one index to a growing list, bounded by ETW_MAX_CHANNELS. */
static etw_status push_index(etw_reader *r, size_t **idx, size_t *n, size_t *cap, size_t c)
{
    if (*n == ETW_MAX_CHANNELS) {
        return etw_reader_fail(r, ETW_ERR_RANGE, "more than %d channels selected",
                               ETW_MAX_CHANNELS);
    }
    if (*n == *cap) {
        size_t grown_cap = *cap ? 2 * *cap : 16;
        size_t *grown = realloc(*idx, grown_cap * sizeof *grown);
        if (grown == NULL) {
            return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory for the selection");
        }
        *idx = grown;
        *cap = grown_cap;
    }
    (*idx)[(*n)++] = c;
    return ETW_OK;
}

etw_status etw_reader_select_spec(etw_reader *r, const char *spec)
{
    if (r == NULL) {
        return ETW_ERR_NULL;
    }
    size_t nch = r->info.nch;
    if (spec == NULL || spec[0] == '\0') {
        spec = "*";
    }
    size_t *idx = NULL, n = 0, cap = 0;
    etw_status st = ETW_OK;
    const char *item = spec;
    while (st == ETW_OK) {
        const char *end = strchr(item, ',');
        size_t len = end != NULL ? (size_t)(end - item) : strlen(item);
        while (len > 0 && isspace((unsigned char)*item)) {
            item++;
            len--;
        }
        while (len > 0 && isspace((unsigned char)item[len - 1])) {
            len--;
        }
        size_t matched = 0, index;
        for (size_t c = 0; c < nch && st == ETW_OK; c++) {
            if (glob_match(item, len, r->ch[c].label)) {
                st = push_index(r, &idx, &n, &cap, c);
                matched++;
            }
        }
        if (st == ETW_OK && matched == 0) {
            if (parse_index(item, len, &index) && index < nch) {
                st = push_index(r, &idx, &n, &cap, index);
            } else {
                st = etw_reader_fail(r, ETW_ERR_NOT_FOUND,
                                     "no channel matches '%.*s' (labels are case-insensitive, "
                                     "globs allowed, or a 0-based index below %zu)",
                                     (int)len, item, nch);
            }
        }
        if (end == NULL) {
            break;
        }
        item = end + 1;
    }
    if (st == ETW_OK) {
        st = etw_reader_select(r, idx, n);
    }
    free(idx);
    return st;
}
