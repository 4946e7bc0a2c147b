/* Tallies and the metrics computed from them (see eval.h). */
#include "emgtwitch/eval.h"

#include <math.h>

etw_status etw_eval_tally_add(etw_eval_tally *dst, const etw_eval_tally *src)
{
    if (!dst || !src)
        return ETW_ERR_NULL;
    dst->recordings += src->recordings;
    dst->truths += src->truths;
    dst->detections += src->detections;
    dst->matched += src->matched;
    dst->minutes += src->minutes;
    dst->onset_sum_s += src->onset_sum_s;
    dst->onset_sq_s2 += src->onset_sq_s2;
    dst->dur_sum_s += src->dur_sum_s;
    dst->dur_sq_s2 += src->dur_sq_s2;
    return ETW_OK;
}

static double ratio(double num, double den)
{
    return den > 0.0 ? num / den : NAN;
}

/* Mean and sample SD (ms) from a sum and a sum of squares (s, s^2) over n values. */
static void mean_sd(double sum, double sq, size_t n, double *mean_ms, double *sd_ms)
{
    *mean_ms = n > 0 ? 1e3 * sum / (double)n : NAN;
    if (n < 2) {
        *sd_ms = NAN;
        return;
    }
    double var = (sq - sum * sum / (double)n) / (double)(n - 1);
    *sd_ms = 1e3 * sqrt(var > 0.0 ? var : 0.0);
}

etw_status etw_eval_summarise(const etw_eval_tally *t, etw_eval_summary *out)
{
    if (!t || !out)
        return ETW_ERR_NULL;
    out->tp = t->matched;
    out->fp = t->detections - t->matched;
    out->fn = t->truths - t->matched;
    double tp = (double)out->tp, fp = (double)out->fp, fn = (double)out->fn;
    out->sensitivity = ratio(tp, tp + fn);
    out->precision = ratio(tp, tp + fp);
    out->f1 = ratio(2.0 * tp, 2.0 * tp + fp + fn);
    out->fa_per_min = ratio(fp, t->minutes);
    mean_sd(t->onset_sum_s, t->onset_sq_s2, t->matched, &out->onset_bias_ms, &out->onset_sd_ms);
    mean_sd(t->dur_sum_s, t->dur_sq_s2, t->matched, &out->duration_bias_ms,
            &out->duration_sd_ms);
    return ETW_OK;
}

etw_status etw_eval_intervals_from_synth(const etw_synth_event *events, size_t nevents,
                                         etw_synth_kind kind, int32_t channel,
                                         etw_eval_interval *out, size_t capacity, size_t *count)
{
    if (!count || (nevents > 0 && !events) || (capacity > 0 && !out))
        return ETW_ERR_NULL;
    size_t n = 0;
    for (size_t i = 0; i < nevents; i++) {
        const etw_synth_event *e = &events[i];
        if (e->kind != kind)
            continue;
        if (channel >= 0 && (channel < e->first_channel || channel > e->last_channel))
            continue;
        if (n < capacity)
            out[n] = (etw_eval_interval){e->onset, e->offset};
        n++;
    }
    *count = n;
    return n > capacity ? ETW_ERR_SIZE : ETW_OK;
}
