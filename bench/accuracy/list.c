/* The detection lists of the accuracy harness. */
#include <stdlib.h>

#include "acc.h"

int acc_list_push(acc_list *l, int64_t onset, int64_t offset)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        etw_eval_interval *iv = realloc(l->iv, cap * sizeof *iv);
        if (!iv)
            return 0;
        l->iv = iv;
        l->cap = cap;
    }
    l->iv[l->n++] = (etw_eval_interval){onset, offset};
    return 1;
}

static int cmp_onset(const void *pa, const void *pb)
{
    const etw_eval_interval *a = pa, *b = pb;
    return (a->onset > b->onset) - (a->onset < b->onset);
}

void acc_list_union(acc_list *l)
{
    if (l->n < 2)
        return;
    qsort(l->iv, l->n, sizeof *l->iv, cmp_onset);
    size_t w = 0;
    for (size_t r = 1; r < l->n; r++) {
        if (l->iv[r].onset <= l->iv[w].offset) {
            if (l->iv[r].offset > l->iv[w].offset)
                l->iv[w].offset = l->iv[r].offset;
        } else {
            l->iv[++w] = l->iv[r];
        }
    }
    l->n = w + 1;
}
