/* Cross-channel coincidence and delivery: decided events wait, sorted by onset, until no
 * other channel can still report one that belongs with them; then twitches of other
 * channels whose onsets lie within coincidence_ms of the first, or inside it, are merged into
 * one event. */
#include <string.h>

#include "twitch/detector.h"

static int before(const etw_twitch_event *a, const etw_twitch_event *b)
{
    return a->onset < b->onset || (a->onset == b->onset && a->channel < b->channel);
}

void etw_output_queue(etw_twitch *d, size_t ci, const etw_twitch_event *ev)
{
    (void)ci;
    if (d->pend_n == d->pend_cap) {
        d->overflow = 1; /* the capacity bound in create makes this unreachable */
        return;
    }
    size_t i = d->pend_n;
    while (i > 0 && before(ev, &d->pend[i - 1])) {
        d->pend[i] = d->pend[i - 1];
        i--;
    }
    d->pend[i] = *ev;
    d->pend_n++;
}

static void remove_at(etw_twitch *d, size_t i)
{
    memmove(&d->pend[i], &d->pend[i + 1], (d->pend_n - i - 1) * sizeof d->pend[0]);
    d->pend_n--;
}

static void absorb(etw_twitch_event *group, const etw_twitch_event *ev)
{
    etw_twitch_event merged = ev->snr_db > group->snr_db ? *ev : *group;
    merged.onset = ev->onset < group->onset ? ev->onset : group->onset;
    merged.offset = ev->offset > group->offset ? ev->offset : group->offset;
    merged.onset_s = ev->onset < group->onset ? ev->onset_s : group->onset_s;
    merged.offset_s = ev->offset > group->offset ? ev->offset_s : group->offset_s;
    merged.duration_s = merged.offset_s - merged.onset_s;
    merged.flags = group->flags | ev->flags;
    merged.nchannels = group->nchannels + ev->nchannels;
    for (size_t w = 0; w < ETW_TWITCH_MASK_WORDS; w++) {
        merged.channel_mask[w] = group->channel_mask[w] | ev->channel_mask[w];
    }
    *group = merged;
}

/* Takes the first pending event and, if it is a twitch, every twitch of another channel
 * starting within the coincidence window; returns 1 if the result is to be delivered. */
static int take_group(etw_twitch *d, etw_twitch_event *out)
{
    *out = d->pend[0];
    remove_at(d, 0);
    if (!(out->flags & ETW_TWITCH_FLAG_TWITCH)) {
        return 1;
    }
    /* other channels' twitches starting within the coincidence window or while this one
     * lasts (a weaker copy on a neighbour is often detected later) */
    int64_t until = out->onset + (out->offset - out->onset > d->coinc ? out->offset - out->onset
                                                                        : d->coinc);
    for (size_t i = 0; i < d->pend_n && d->pend[i].onset <= until;) {
        const etw_twitch_event *ev = &d->pend[i];
        int other = !(out->channel_mask[ev->channel / 64] & ((uint64_t)1 << (ev->channel % 64)));
        if ((ev->flags & ETW_TWITCH_FLAG_TWITCH) && other) {
            absorb(out, ev);
            remove_at(d, i);
        } else {
            i++;
        }
    }
    /* a twitch on one channel while another contracts is part of that contraction */
    int64_t lo = out->onset - d->pre_quiet, hi = out->offset + d->post_quiet;
    for (size_t ci = 0; ci < d->cfg.nch; ci++) {
        if (etw_channel_long_activity(d, ci, lo, hi, out->onset + d->group_delay)) {
            out->flags = (out->flags & ~ETW_TWITCH_FLAG_TWITCH) | ETW_TWITCH_FLAG_NOT_ISOLATED;
            out->confidence = 0.0;
            return d->cfg.report_all;
        }
    }
    if (out->nchannels < (size_t)d->cfg.min_channels) {
        out->flags = (out->flags & ~ETW_TWITCH_FLAG_TWITCH) | ETW_TWITCH_FLAG_FEW_CHANNELS;
        out->confidence = 0.0;
        return d->cfg.report_all;
    }
    return 1;
}

int etw_output_deliver(etw_twitch *d, int all, etw_twitch_event *events, size_t capacity,
                       size_t *n)
{
    int64_t now = d->t - d->h;
    while (d->pend_n > 0 && (all || d->pend[0].onset + d->group_delay < now)) {
        if (*n == capacity) {
            return 1;
        }
        etw_twitch_event ev;
        if (take_group(d, &ev)) {
            events[(*n)++] = ev;
        }
    }
    return 0;
}
