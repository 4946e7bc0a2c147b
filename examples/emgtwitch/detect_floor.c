/* Noise floor over a recording (see detect_floor.h). */
#include "detect_floor.h"

#include <math.h>
#include <stdlib.h>

enum { FLOOR_SAMPLES = 1024 };

int floor_samples_init(struct floor_samples *f, size_t nch)
{
    *f = (struct floor_samples){nch, 0, 1, 0, calloc(nch * FLOOR_SAMPLES, sizeof(double))};
    return f->v || nch == 0 ? 0 : -1;
}

/* Keeps every second sample (those at even multiples of the stride) and doubles the stride:
 * with FLOOR_SAMPLES even, the sample due now is the next multiple of the new stride, so the
 * kept ones stay evenly spaced. */
static void thin(struct floor_samples *f)
{
    for (size_t c = 0; c < f->nch; c++) {
        double *v = f->v + c * FLOOR_SAMPLES;
        for (size_t i = 0; 2 * i < f->n; i++) {
            v[i] = v[2 * i];
        }
    }
    f->n = (f->n + 1) / 2;
    f->stride *= 2;
}

void floor_samples_add(struct floor_samples *f, const etw_twitch *det)
{
    if (f->skip > 0) {
        f->skip--;
        return;
    }
    if (f->n == FLOOR_SAMPLES) {
        thin(f);
    }
    for (size_t c = 0; c < f->nch; c++) {
        double fl = NAN;
        f->v[c * FLOOR_SAMPLES + f->n] = etw_twitch_get_floor(det, c, &fl) == ETW_OK ? fl : NAN;
    }
    f->n++;
    f->skip = f->stride - 1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void floor_samples_median(struct floor_samples *f, double *medians)
{
    for (size_t c = 0; c < f->nch; c++) {
        double *v = f->v + c * FLOOR_SAMPLES;
        size_t m = 0;
        for (size_t i = 0; i < f->n; i++) {
            if (isfinite(v[i])) {
                v[m++] = v[i];
            }
        }
        qsort(v, m, sizeof *v, cmp_double);
        medians[c] = m == 0 ? NAN : m % 2 ? v[m / 2] : 0.5 * (v[m / 2 - 1] + v[m / 2]);
    }
}

void floor_samples_free(struct floor_samples *f)
{
    free(f->v);
    f->v = NULL;
}
