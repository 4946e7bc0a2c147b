/* The floor tracker's one-pass sorted replacement (AVX2 kernel) against a binary search and
 * a move of the values in between, bit for bit: random ascending arrays with repeated
 * values, the leaving value anywhere in them, the entering one below, between, equal to a
 * repeat of, or above them. */
#include <stdlib.h>
#include <string.h>

#include "etw_test.h"
#include "segment/sorted.h"
#include "test_segment.h"

#define SORTED_MAX 83

static int ascending(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

static size_t lower_bound(const float *s, size_t n, float v)
{
    size_t k = 0;
    while (k < n && s[k] < v) {
        k++;
    }
    return k;
}

/* Removes s[ko] (ko: lower bound of out) and inserts in at its lower bound. */
static void reference(float *s, size_t n, float out, float in)
{
    size_t ko = lower_bound(s, n, out);
    memmove(s + ko, s + ko + 1, (n - ko - 1) * sizeof *s);
    size_t ki = lower_bound(s, n - 1, in);
    memmove(s + ki + 1, s + ki, (n - 1 - ki) * sizeof *s);
    s[ki] = in;
}

void sorted_replace_matches_search_and_move(void **state)
{
    (void)state;
    etw_sorted_replace_fn replace = etw_sorted_replace_avx2();
    if (replace == NULL) {
        skip();
    }
    srand(11);
    size_t checked = 0;
    for (int trial = 0; trial < 4000; trial++) {
        size_t n = 1 + (size_t)rand() % SORTED_MAX;
        float s[SORTED_MAX], ref[SORTED_MAX], got[SORTED_MAX];
        /* few distinct values, so repeats are common */
        for (size_t i = 0; i < n; i++) {
            s[i] = (float)(rand() % 12) * 0.25f;
        }
        qsort(s, n, sizeof *s, ascending);
        float out = s[(size_t)rand() % n];
        float in = (float)(rand() % 14 - 1) * 0.25f;
        if (in == out) {
            continue;
        }
        memcpy(ref, s, n * sizeof *s);
        memcpy(got, s, n * sizeof *s);
        reference(ref, n, out, in);
        replace(got, n, out, in);
        assert_memory_equal(got, ref, n * sizeof *s);
        checked++;
    }
    assert_true(checked > 3000);
}
