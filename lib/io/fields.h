/* Strict parsing of numeric fields of text headers and data (WFDB, delimited text). */
#ifndef ETW_IO_FIELDS_H
#define ETW_IO_FIELDS_H

#include <stddef.h>
#include <stdint.h>

/* A token of a line: start and length (not NUL-terminated). */
typedef struct etw_token {
    const char *s;
    size_t len;
} etw_token;

/* Splits at runs of blanks (space, tab) into at most max tokens; returns the count. The
 * remaining text after the last token is not split further when the count reaches max. */
size_t etw_split_blanks(const char *line, size_t len, etw_token *tok, size_t max);

/* Whole token is a decimal integer (optional sign). 1 on success. */
int etw_parse_i64(const char *s, size_t len, int64_t *v);

/* Whole token is a finite decimal number ("1", "-2.5", "1e-3", ".5"). Returns 1 on success,
 * 0 when not a number, -1 when it is NaN or infinite ("nan", "inf", "1e999"). */
int etw_parse_double(const char *s, size_t len, double *v);

/* As etw_parse_double() with `decimal` ('.' or ',') as the decimal separator. */
int etw_parse_decimal(const char *s, size_t len, char decimal, double *v);

#endif
