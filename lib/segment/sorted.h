/* Replacing one value of a sorted array by another in one pass, without a search
 * (internal; the floor tracker's window learning).
 *
 * With ko the first index of s holding a value >= out (the value leaving, present in s) and
 * ki the first index >= in, the result is that of removing s[ko] and inserting `in` at its
 * lower bound, which a test on each element's own value and one neighbour's decides:
 *   in > out: t[i] = s[i] if s[i] < out or s[i] >= in, else s[i+1] if s[i+1] < in, else in;
 *   in < out: t[i] = s[i] if s[i] < in or s[i-1] >= out, else s[i-1] if s[i-1] >= in, else in
 * (s[-1] = -inf, s[n] = +inf). Bit for bit the array a binary search and a move of the
 * values between ko and ki give. */
#ifndef ETW_SEGMENT_SORTED_H
#define ETW_SEGMENT_SORTED_H

#include <stddef.h>

/* Replaces one instance of `out` (present in the ascending s[0 .. n), n >= 1) by `in`,
 * keeping s ascending; in != out, neither a NaN. */
typedef void (*etw_sorted_replace_fn)(float *s, size_t n, float out, float in);

/* The AVX2 kernel, or NULL when the CPU (or the compiler's target) has no AVX2. */
etw_sorted_replace_fn etw_sorted_replace_avx2(void);

#endif
