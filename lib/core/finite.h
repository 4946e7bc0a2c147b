/* Finiteness scan shared by the per-sample hot paths (internal). */
#ifndef ETW_CORE_FINITE_H
#define ETW_CORE_FINITE_H

#include <float.h>
#include <math.h>
#include <stddef.h>

/* 1 if every sample of x[0..n) is finite (a loop the compiler vectorises). */
static inline int etw_all_finite(const float *x, size_t n)
{
    int ok = 1;
    for (size_t i = 0; i < n; i++) {
        ok &= fabsf(x[i]) <= FLT_MAX;
    }
    return ok;
}

#endif
