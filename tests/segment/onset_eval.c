#include "onset_eval.h"

#include <math.h>
#include <stdlib.h>

#define PI 3.14159265358979323846
#define NSAMP ((size_t)ONSET_EVAL_NSAMP)
#define MAX_FOUND 256

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t next(rng *r)
{
    /* splitmix64 */
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double uniform(rng *r)
{
    return ((double)(next(r) >> 11) + 0.5) * 0x1.0p-53;
}

static double normal(rng *r)
{
    return sqrt(-2.0 * log(uniform(r))) * cos(2.0 * PI * uniform(r));
}

void onset_record_make(onset_record *rec, double snr_db, uint64_t seed)
{
    rng r = {seed};
    for (size_t i = 0; i < NSAMP; i++) {
        rec->x[i] = (float)normal(&r);
    }
    const double fs = ONSET_EVAL_FS;
    const size_t ramp = (size_t)(0.005 * fs);
    /* burst RMS relative to the unit noise; band-limit by a 2-tap average of white noise
     * (EMG-like low-pass tilt), rescaled to unit variance: (a + b) / sqrt(2) */
    const double gain = pow(10.0, snr_db / 20.0);
    for (int b = 0; b < ONSET_EVAL_BURSTS; b++) {
        double start_s = 1.5 + 2.5 * b + 0.5 * (uniform(&r) - 0.5);
        double dur_s = 0.2 + 0.2 * uniform(&r);
        size_t on = (size_t)round(start_s * fs);
        size_t len = (size_t)round(dur_s * fs);
        rec->onset[b] = (int64_t)on;
        rec->offset[b] = (int64_t)(on + len);
        double prev = normal(&r);
        for (size_t k = 0; k < len; k++) {
            double w = 1.0;
            if (k < ramp) {
                w = 0.5 - 0.5 * cos(PI * (double)k / (double)ramp);
            } else if (len - 1 - k < ramp) {
                w = 0.5 - 0.5 * cos(PI * (double)(len - 1 - k) / (double)ramp);
            }
            double cur = normal(&r);
            rec->x[on + k] += (float)(gain * w * (prev + cur) / sqrt(2.0));
            prev = cur;
        }
    }
}

etw_status onset_evaluate(const etw_onset_config *config, double snr_db, uint64_t seed,
                          int nrecords, onset_quality *q)
{
    onset_record *rec = malloc(sizeof *rec);
    etw_segment *found = malloc(MAX_FOUND * sizeof *found);
    etw_status st = rec == NULL || found == NULL ? ETW_ERR_NOMEM : ETW_OK;
    size_t nb = 0;
    size_t nd = 0;
    size_t nf = 0;
    double sum = 0.0;
    double sumsq = 0.0;
    const double fs = ONSET_EVAL_FS;
    for (int r = 0; r < nrecords && st == ETW_OK; r++) {
        onset_record_make(rec, snr_db, seed + (uint64_t)r);
        size_t count = 0;
        st = etw_onset_detect(config, rec->x, NSAMP, found, MAX_FOUND, &count);
        if (st != ETW_OK) {
            break;
        }
        uint8_t used[MAX_FOUND] = {0};
        for (int b = 0; b < ONSET_EVAL_BURSTS; b++) {
            nb++;
            int64_t lo = rec->onset[b] - (int64_t)(0.1 * fs);
            for (size_t k = 0; k < count; k++) {
                if (!used[k] && found[k].onset >= lo && found[k].onset < rec->offset[b]) {
                    used[k] = 1;
                    nd++;
                    double e = (double)(found[k].onset - rec->onset[b]) * 1000.0 / fs;
                    sum += e;
                    sumsq += e * e;
                    break;
                }
            }
        }
        for (size_t k = 0; k < count; k++) {
            /* a second piece of a detected burst is not a false alarm */
            int inside = 0;
            for (int b = 0; b < ONSET_EVAL_BURSTS; b++) {
                inside |= found[k].onset >= rec->onset[b] && found[k].onset < rec->offset[b];
            }
            nf += !used[k] && !inside;
        }
    }
    q->nbursts = nb;
    q->ndetected = nd;
    q->nfalse = nf;
    q->detection_rate = nb > 0 ? (double)nd / (double)nb : 0.0;
    q->false_per_min = (double)nf / (nrecords * ONSET_EVAL_SECONDS / 60.0);
    q->bias_ms = nd > 0 ? sum / (double)nd : NAN;
    q->sd_ms = nd > 1 ? sqrt(fmax(0.0, (sumsq - sum * sum / (double)nd) / (double)(nd - 1))) : NAN;
    free(rec);
    free(found);
    return st;
}
