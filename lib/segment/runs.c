#include "segment/runs.h"

#include <string.h>

void etw_run_stage_init(etw_run_stage *s, int64_t max_gap, int64_t min_len, int64_t max_len)
{
    memset(s, 0, sizeof *s);
    s->max_gap = max_gap;
    s->min_len = min_len;
    s->max_len = max_len;
}

void etw_run_stage_gap(etw_run_stage *s, double power, double peak)
{
    s->gap_power += power;
    s->gap_peak = peak > s->gap_peak ? peak : s->gap_peak;
}

/* Ends the pending run: kept runs go out; a dropped run and the gap before it become part of
 * the gap before whatever comes next. */
static int finish(etw_run_stage *s, etw_run *out)
{
    etw_run p = s->pending;
    s->have = 0;
    int64_t len = p.stop - p.start;
    if (len >= s->min_len && (s->max_len == 0 || len <= s->max_len)) {
        *out = p;
        return 1;
    }
    s->gap_power += p.gap_power + p.power;
    double pk = p.gap_peak > p.peak ? p.gap_peak : p.peak;
    s->gap_peak = pk > s->gap_peak ? pk : s->gap_peak;
    return 0;
}

int etw_run_stage_push(etw_run_stage *s, const etw_run *r, etw_run *out)
{
    double gap_power = s->gap_power + r->gap_power;
    double gap_peak = s->gap_peak > r->gap_peak ? s->gap_peak : r->gap_peak;
    s->gap_power = 0.0;
    s->gap_peak = 0.0;
    if (s->have && r->start - s->pending.stop <= s->max_gap) {
        etw_run *p = &s->pending;
        p->stop = r->stop;
        p->power += gap_power + r->power;
        double pk = gap_peak > r->peak ? gap_peak : r->peak;
        p->peak = pk > p->peak ? pk : p->peak;
        return 0;
    }
    int done = 0;
    if (s->have) {
        done = finish(s, out);
        /* a dropped pending run folded itself into s->gap_*; the gap before r includes it */
        gap_power += s->gap_power;
        gap_peak = s->gap_peak > gap_peak ? s->gap_peak : gap_peak;
        s->gap_power = 0.0;
        s->gap_peak = 0.0;
    }
    s->pending = *r;
    s->pending.gap_power = gap_power;
    s->pending.gap_peak = gap_peak;
    s->have = 1;
    return done;
}

int etw_run_stage_tick(etw_run_stage *s, int64_t now, etw_run *out)
{
    if (s->have && now - s->pending.stop > s->max_gap) {
        /* the gap after the pending run stays accumulated for the next run */
        double gp = s->gap_power;
        double gk = s->gap_peak;
        s->gap_power = 0.0;
        s->gap_peak = 0.0;
        int kept = finish(s, out);
        s->gap_power += gp;
        s->gap_peak = gk > s->gap_peak ? gk : s->gap_peak;
        return kept;
    }
    return 0;
}

int etw_run_stage_flush(etw_run_stage *s, etw_run *out)
{
    return s->have ? finish(s, out) : 0;
}
