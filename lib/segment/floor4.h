/* Window sums of the floor tracker for four channels side by side (internal).
 *
 * Each channel still adds its own shifted values and their squares in time order, with the
 * same roundings as the per-channel loop, so the sums are bit-identical; only the channels'
 * dependency chains overlap in one vector instead of running one after the other. */
#ifndef ETW_SEGMENT_FLOOR4_H
#define ETW_SEGMENT_FLOOR4_H

#include <stddef.h>

/* Adds (x[k][i] - shift[k]) to sum[k] and, with `squares`, its square to sumsq[k] for
 * i = 0 .. n-1 and the four channels k, and returns 1 if every x value was finite (else the
 * sums are to be discarded: the caller passes copies and keeps them only then). */
typedef int (*etw_floor4_fn)(const float *const *x, size_t n, const double *shift,
                             double *sum, double *sumsq, int squares);

/* The AVX2 kernel, or NULL when the CPU (or the compiler's target) has no AVX2. */
etw_floor4_fn etw_floor4_avx2(void);

#endif
