/* Strict numeric field parsing. Numbers are parsed by hand (not strtod) so that the result
 * does not depend on the process locale and so that the text reader stays fast. */
#include "io/fields.h"

#include <math.h>

size_t etw_split_blanks(const char *line, size_t len, etw_token *tok, size_t max)
{
    size_t n = 0, i = 0;
    while (n < max) {
        while (i < len && (line[i] == ' ' || line[i] == '\t')) {
            i++;
        }
        if (i == len) {
            break;
        }
        size_t start = i;
        while (i < len && line[i] != ' ' && line[i] != '\t') {
            i++;
        }
        tok[n++] = (etw_token){line + start, i - start};
    }
    return n;
}

int etw_parse_i64(const char *s, size_t len, int64_t *v)
{
    size_t i = 0;
    int neg = 0;
    if (i < len && (s[i] == '+' || s[i] == '-')) {
        neg = s[i] == '-';
        i++;
    }
    if (i == len) {
        return 0;
    }
    uint64_t acc = 0;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
        if (acc > (UINT64_MAX - 9) / 10) {
            return 0;
        }
        acc = acc * 10 + (uint64_t)(s[i] - '0');
    }
    if (acc > (uint64_t)INT64_MAX + (uint64_t)neg) {
        return 0;
    }
    *v = neg ? (int64_t)(0 - acc) : (int64_t)acc;
    return 1;
}

static int word_is(const char *s, size_t len, const char *w)
{
    size_t i = 0;
    for (; i < len && w[i] != '\0'; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') {
            c = (char)(c - 'A' + 'a');
        }
        if (c != w[i]) {
            return 0;
        }
    }
    return i == len && w[i] == '\0';
}

int etw_parse_double(const char *s, size_t len, double *v)
{
    return etw_parse_decimal(s, len, '.', v);
}

int etw_parse_decimal(const char *s, size_t len, char decimal, double *v)
{
    size_t i = 0;
    int neg = 0;
    if (i < len && (s[i] == '+' || s[i] == '-')) {
        neg = s[i] == '-';
        i++;
    }
    if (i < len && (s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z' &&
        (word_is(s + i, len - i, "nan") || word_is(s + i, len - i, "inf") ||
         word_is(s + i, len - i, "infinity"))) { /* letters only: skip the common case */
        return -1;
    }
    uint64_t mant = 0;
    int exp10 = 0, digits = 0, any = 0;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, any = 1) {
        if (digits < 19) {
            mant = mant * 10 + (uint64_t)(s[i] - '0');
            digits += mant != 0;
        } else {
            exp10++;
        }
    }
    if (i < len && s[i] == decimal) {
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, any = 1) {
            if (digits < 19) {
                mant = mant * 10 + (uint64_t)(s[i] - '0');
                digits += mant != 0;
                exp10--;
            }
        }
    }
    if (!any) {
        return 0;
    }
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        int eneg = 0, e = 0, edigits = 0;
        if (i < len && (s[i] == '+' || s[i] == '-')) {
            eneg = s[i] == '-';
            i++;
        }
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, edigits++) {
            if (e < 100000) {
                e = e * 10 + (s[i] - '0');
            }
        }
        if (edigits == 0) {
            return 0;
        }
        exp10 += eneg ? -e : e;
    }
    if (i != len) {
        return 0;
    }
    static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    double x = (double)mant;
    if (mant == 0) {
        x = 0.0;
    } else if (exp10 >= 0 && exp10 <= 22) {
        x *= p10[exp10];
    } else if (exp10 < 0 && exp10 >= -22) {
        x /= p10[-exp10];
    } else {
        x *= pow(10.0, exp10);
    }
    if (!isfinite(x)) {
        return -1;
    }
    *v = neg ? -x : x;
    return 1;
}
