/* One-to-one matching of detections to ground truth by onset (see eval.h): maximum number
 * of pairs, then minimum total |onset difference|, by dynamic programming over clusters of
 * events that can reach each other. Costs are integer sample counts, so ties are exact. */
#include "emgtwitch/eval.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* An interval with its position in the caller's array, sorted by onset, offset, index. */
typedef struct key {
    int64_t onset, offset;
    size_t index;
} key;

static int cmp_key(const void *pa, const void *pb)
{
    const key *a = pa, *b = pb;
    if (a->onset != b->onset)
        return a->onset < b->onset ? -1 : 1;
    if (a->offset != b->offset)
        return a->offset < b->offset ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

static key *sort_keys(const etw_eval_interval *iv, size_t n)
{
    key *k = malloc((n ? n : 1) * sizeof *k);
    if (!k)
        return NULL;
    for (size_t i = 0; i < n; i++)
        k[i] = (key){iv[i].onset, iv[i].offset, i};
    qsort(k, n, sizeof *k, cmp_key);
    return k;
}

enum { DIAG = 1, UP = 2, LEFT = 3 };

typedef struct cell {
    size_t pairs;
    int64_t cost;
} cell;

static int better(cell a, cell b)
{
    return a.pairs > b.pairs || (a.pairs == b.pairs && a.cost < b.cost);
}

/* Optimal pairing of truths t[0..a) and detections d[0..b) (both sorted); writes the pairs
 * into tm/dm (sorted positions). */
static etw_status match_cluster(const key *t, size_t a, const key *d, size_t b, int64_t tol,
                                int64_t *tm, int64_t *dm)
{
    if (a == 0 || b == 0)
        return ETW_OK;
    if (a + 1 > SIZE_MAX / (b + 1) / sizeof(cell))
        return ETW_ERR_NOMEM;
    unsigned char *choice = malloc((a + 1) * (b + 1));
    cell *prev = malloc((b + 1) * sizeof *prev), *cur = malloc((b + 1) * sizeof *cur);
    if (!choice || !prev || !cur) {
        free(choice);
        free(prev);
        free(cur);
        return ETW_ERR_NOMEM;
    }
    for (size_t j = 0; j <= b; j++)
        prev[j] = (cell){0, 0};
    for (size_t i = 1; i <= a; i++) {
        cur[0] = (cell){0, 0};
        for (size_t j = 1; j <= b; j++) {
            cell best = prev[j];
            unsigned char ch = UP;
            int64_t diff = llabs(d[j - 1].onset - t[i - 1].onset);
            if (diff <= tol) {
                cell c = {prev[j - 1].pairs + 1, prev[j - 1].cost + diff};
                if (better(c, best) || (c.pairs == best.pairs && c.cost == best.cost)) {
                    best = c;
                    ch = DIAG;
                }
            }
            if (better(cur[j - 1], best)) {
                best = cur[j - 1];
                ch = LEFT;
            }
            cur[j] = best;
            choice[i * (b + 1) + j] = ch;
        }
        cell *swap = prev;
        prev = cur;
        cur = swap;
    }
    for (size_t i = a, j = b; i > 0 && j > 0;) {
        unsigned char ch = choice[i * (b + 1) + j];
        if (ch == DIAG) {
            tm[t[i - 1].index] = (int64_t)d[j - 1].index;
            dm[d[j - 1].index] = (int64_t)t[i - 1].index;
            i--;
            j--;
        } else if (ch == UP) {
            i--;
        } else {
            j--;
        }
    }
    free(choice);
    free(prev);
    free(cur);
    return ETW_OK;
}

/* Pairs everything cluster by cluster. */
static etw_status match_all(const key *t, size_t nt, const key *d, size_t nd, int64_t tol,
                            int64_t *tm, int64_t *dm)
{
    size_t i = 0, j = 0;
    while (i < nt && j < nd) {
        size_t i0 = i, j0 = j;
        int64_t last = t[i].onset < d[j].onset ? t[i].onset : d[j].onset;
        for (;;) {
            int take_t = i < nt && (j >= nd || t[i].onset <= d[j].onset);
            int64_t next = take_t ? t[i].onset : (j < nd ? d[j].onset : INT64_MAX);
            if ((i >= nt && j >= nd) || next - last > tol)
                break;
            last = next;
            if (take_t)
                i++;
            else
                j++;
        }
        etw_status st = match_cluster(t + i0, i - i0, d + j0, j - j0, tol, tm, dm);
        if (st != ETW_OK)
            return st;
    }
    return ETW_OK;
}

static etw_status check(const etw_eval_interval *iv, size_t n)
{
    if (n > 0 && !iv)
        return ETW_ERR_NULL;
    for (size_t i = 0; i < n; i++)
        if (iv[i].offset < iv[i].onset)
            return ETW_ERR_RANGE;
    return ETW_OK;
}

etw_eval_config etw_eval_config_default(void)
{
    etw_eval_config c = {0.05};
    return c;
}

etw_status etw_eval_match(const etw_eval_config *config, const etw_eval_interval *truth,
                          size_t ntruth, const etw_eval_interval *det, size_t ndet, double fs_hz,
                          int64_t nframes, etw_eval_tally *tally, int64_t *truth_match,
                          int64_t *det_match)
{
    etw_eval_config cfg = config ? *config : etw_eval_config_default();
    if (!tally)
        return ETW_ERR_NULL;
    etw_status st = check(truth, ntruth);
    if (st == ETW_OK)
        st = check(det, ndet);
    if (st != ETW_OK)
        return st;
    if (!isfinite(fs_hz) || !isfinite(cfg.tolerance_s))
        return ETW_ERR_NONFINITE;
    if (fs_hz <= 0.0 || cfg.tolerance_s < 0.0 || cfg.tolerance_s * fs_hz > 1e15 || nframes < 0)
        return ETW_ERR_RANGE;
    int64_t tol = (int64_t)floor(cfg.tolerance_s * fs_hz + 1e-9);
    key *t = sort_keys(truth, ntruth), *d = sort_keys(det, ndet);
    int64_t *tm = malloc((ntruth ? ntruth : 1) * sizeof *tm);
    int64_t *dm = malloc((ndet ? ndet : 1) * sizeof *dm);
    st = (t && d && tm && dm) ? ETW_OK : ETW_ERR_NOMEM;
    if (st == ETW_OK) {
        for (size_t i = 0; i < ntruth; i++)
            tm[i] = -1;
        for (size_t j = 0; j < ndet; j++)
            dm[j] = -1;
        st = match_all(t, ntruth, d, ndet, tol, tm, dm);
    }
    if (st == ETW_OK) {
        tally->recordings++;
        tally->truths += ntruth;
        tally->detections += ndet;
        tally->minutes += (double)nframes / fs_hz / 60.0;
        for (size_t i = 0; i < ntruth; i++) {
            if (tm[i] < 0)
                continue;
            const etw_eval_interval *a = &truth[i], *b = &det[tm[i]];
            double eo = (double)(b->onset - a->onset) / fs_hz;
            double ed = (double)((b->offset - b->onset) - (a->offset - a->onset)) / fs_hz;
            tally->matched++;
            tally->onset_sum_s += eo;
            tally->onset_sq_s2 += eo * eo;
            tally->dur_sum_s += ed;
            tally->dur_sq_s2 += ed * ed;
        }
        if (truth_match)
            memcpy(truth_match, tm, ntruth * sizeof *tm);
        if (det_match)
            memcpy(det_match, dm, ndet * sizeof *dm);
    }
    free(t);
    free(d);
    free(tm);
    free(dm);
    return st;
}
