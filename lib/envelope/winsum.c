#include "envelope/winsum.h"

void etw_winsum_init(etw_winsum *w, double *ring, size_t len, size_t stride)
{
    w->ring = ring;
    w->len = len;
    w->stride = stride;
    etw_winsum_reset(w);
}

void etw_winsum_reset(etw_winsum *w)
{
    for (size_t i = 0; i < w->len; i++) {
        w->ring[i * w->stride] = 0.0;
    }
    w->pos = 0;
    w->nbad = 0;
    w->sum = 0.0;
    w->part = 0.0;
    w->part_ok = 1;
}

void etw_winsum_recompute(etw_winsum *w)
{
    double sum = 0.0;
    size_t nbad = 0;
    for (size_t i = 0; i < w->len; i++) {
        double v = w->ring[i * w->stride];
        if (isfinite(v)) {
            sum += v;
        } else {
            nbad++;
        }
    }
    w->sum = sum;
    w->nbad = nbad;
}
