/* Block-median noise floor. */
#include "twitch/floor.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

size_t etw_floor_array_bytes(size_t capacity)
{
    return 2 * capacity * sizeof(double);
}

void etw_floor_init(etw_floor *f, void *mem, size_t capacity, int64_t block_len,
                    int update_every)
{
    f->ring = mem;
    f->scratch = f->ring + capacity;
    f->capacity = capacity;
    f->block_len = block_len;
    f->update_every = update_every;
    etw_floor_reset(f);
}

void etw_floor_reset(etw_floor *f)
{
    f->count = 0;
    f->pos = 0;
    f->filled = 0;
    f->acc = 0.0;
    f->active = 0;
    f->excluded_run = 0;
    f->since_update = 0;
    f->value = 0.0;
}

double etw_select_kth(double *a, size_t n, size_t k)
{
    /* Wirth's selection (Hoare partitioning, narrowing to the side holding k). */
    ptrdiff_t l = 0, m = (ptrdiff_t)n - 1, kk = (ptrdiff_t)k;
    while (l < m) {
        double x = a[kk];
        ptrdiff_t i = l, j = m;
        do {
            while (a[i] < x) {
                i++;
            }
            while (x < a[j]) {
                j--;
            }
            if (i <= j) {
                double t = a[i];
                a[i] = a[j];
                a[j] = t;
                i++;
                j--;
            }
        } while (i <= j);
        if (j < kk) {
            l = i;
        }
        if (kk < i) {
            m = j;
        }
    }
    return a[kk];
}

void etw_floor_close_block(etw_floor *f)
{
    double ms = f->acc / (double)f->block_len;
    int marks = f->active;
    f->acc = 0.0;
    f->filled = 0;
    f->active = 0;
    if (marks & ETW_FLOOR_BLANK) {
        return;
    }
    if ((marks & ETW_FLOOR_BURST) && f->excluded_run < f->capacity) {
        f->excluded_run++;
        return;
    }
    f->excluded_run = 0;
    f->ring[f->pos] = ms;
    f->pos = (f->pos + 1) % f->capacity;
    if (f->count < f->capacity) {
        f->count++;
    }
    if (++f->since_update >= f->update_every || f->count <= (size_t)f->update_every) {
        f->since_update = 0;
        memcpy(f->scratch, f->ring, f->count * sizeof(double));
        f->value = sqrt(etw_select_kth(f->scratch, f->count, f->count / 2));
    }
}
