/* Streaming detection of one recording (see detect_run.h). */
#include "detect_run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "cli_args.h"
#include "cli_signal.h"
#include "detect_floor.h"
#include "detect_markers.h"

enum { BLOCK_FRAMES = 4096, EVENT_CHUNK = 256 };

int detect_configure(const char *cmd, const char *file, const struct detect_opts *o,
                     double fs_hz, size_t nch, etw_twitch_config *cfg)
{
    etw_status st = o->preset_ltr ? etw_twitch_config_ltr(fs_hz, nch, cfg)
                                  : etw_twitch_config_default(fs_hz, nch, cfg);
    if (st != ETW_OK) {
        cli_fail(cmd, file, "the detector cannot run at %g Hz on %zu channels: %s", fs_hz, nch,
                 etw_strerror(st));
        return -1;
    }
    for (size_t i = 0; i < o->nassignments; i++) {
        st = etw_twitch_config_set(cfg, o->assignments[i]);
        if (st != ETW_OK) {
            cli_fail(cmd, file, "detector parameter '%s': %s", o->assignments[i],
                     etw_strerror(st));
            return -1;
        }
    }
    cfg->report_all = o->report_all ? 1 : cfg->report_all;
    st = etw_twitch_config_validate(cfg);
    if (st != ETW_OK) {
        cli_fail(cmd, file, "detector parameters at %g Hz: %s", fs_hz, etw_strerror(st));
        return -1;
    }
    return 0;
}

/* Index of the channel labelled `label` (case-insensitive), or -1. */
static long find_channel(const etw_reader *r, const char *label)
{
    etw_recording_info info;
    if (etw_reader_info(r, &info) != ETW_OK) {
        return -1;
    }
    for (size_t i = 0; i < info.nch; i++) {
        etw_channel_info ci;
        if (etw_reader_channel(r, i, &ci) == ETW_OK && strcasecmp(ci.label, label) == 0) {
            return (long)i;
        }
    }
    return -1;
}

/* Appends the trigger channel to the selection (dropping it from an all-channel selection).
 * Returns the number of EMG channels, or 0 after printing the reason. */
static size_t select_trigger(const char *cmd, const char *path, etw_reader *r,
                             const struct detect_opts *o, struct trigger_state *trig)
{
    long t = find_channel(r, o->marker_arg);
    if (t < 0) {
        cli_fail(cmd, path, "no trigger channel labelled '%s'", o->marker_arg);
        return 0;
    }
    size_t nsel = 0;
    const size_t *sel = etw_reader_selection(r, &nsel, NULL, NULL);
    size_t *idx = malloc((nsel + 1) * sizeof *idx);
    if (!idx) {
        cli_fail(cmd, path, "out of memory");
        return 0;
    }
    size_t n = 0;
    for (size_t k = 0; k < nsel; k++) {
        if (o->in.channels || sel[k] != (size_t)t) {
            idx[n++] = sel[k];
        }
    }
    idx[n] = (size_t)t;
    etw_status st = n ? etw_reader_select(r, idx, n + 1) : ETW_ERR_NOT_FOUND;
    free(idx);
    if (st != ETW_OK) {
        cli_fail(cmd, path, "trigger channel '%s': %s%s%s", o->marker_arg, etw_strerror(st),
                 n ? ": " : " (no EMG channel left)", n ? etw_reader_error(r) : "");
        return 0;
    }
    etw_channel_info ci;
    trig->high = 1; /* a trigger that starts high is not an edge */
    trig->level = o->trigger_level;
    if (isnan(trig->level)) {
        trig->level = etw_reader_channel(r, (size_t)t, &ci) == ETW_OK && isfinite(ci.phys_max)
                          ? 0.5 * ci.phys_max
                          : 0.5;
    }
    return n;
}

static int push_events(struct detect_result *res, size_t *cap, const etw_twitch_event *ev,
                       size_t n)
{
    if (n == 0) {
        return 0;
    }
    if (res->nevents + n > *cap) {
        size_t c = *cap ? *cap : EVENT_CHUNK;
        while (c < res->nevents + n) {
            c *= 2;
        }
        etw_twitch_event *e = realloc(res->events, c * sizeof *e);
        if (!e) {
            return -1;
        }
        res->events = e;
        *cap = c;
    }
    memcpy(res->events + res->nevents, ev, n * sizeof *ev);
    res->nevents += n;
    return 0;
}

/* Pushes `n` frames through the detector, draining events whenever the buffer fills. */
static int feed(etw_twitch *det, float *const *ch, size_t n, etw_twitch_event *buf,
                struct detect_result *res, size_t *cap)
{
    const float *in[ETW_TWITCH_MAX_CHANNELS];
    size_t done = 0;
    for (;;) {
        for (size_t c = 0; c < res->nch; c++) {
            in[c] = ch[c] + done;
        }
        size_t consumed = 0, got = 0;
        etw_status st = n ? etw_twitch_process(det, in, n - done, &consumed, buf, EVENT_CHUNK,
                                               &got)
                          : etw_twitch_flush(det, buf, EVENT_CHUNK, &got);
        if (push_events(res, cap, buf, got) != 0) {
            return -1;
        }
        done += consumed;
        if (st == ETW_OK) {
            return 0;
        }
        if (st != ETW_ERR_CAPACITY) {
            return -1;
        }
    }
}

/* Moves the events from `first` on by `shift` samples (segment start in true time). */
static void shift_events(struct detect_result *res, size_t first, int64_t shift)
{
    double ds = (double)shift / res->fs_hz;
    for (size_t i = first; i < res->nevents; i++) {
        etw_twitch_event *e = &res->events[i];
        e->onset += shift;
        e->offset += shift;
        e->peak += shift;
        e->onset_s += ds;
        e->offset_s += ds;
        e->peak_s += ds;
    }
}

/* What the streaming of one file carries from segment to segment. */
struct stream_ctx {
    const char *cmd, *path;
    etw_reader *r;
    etw_twitch *det;
    struct trigger_state *trig; /* NULL without a trigger channel */
    struct marker_list *markers;
    struct cli_block b;
    etw_twitch_event *buf;
    size_t cap;                 /* capacity of res->events */
    struct cli_progress *bar;
    int shown;                  /* progress shown, per mille */
    struct floor_samples floors;
    struct detect_result *res;
};

/* Streams one contiguous segment (the whole file unless it is EDF+D/BDF+D) through a fresh
 * detector and flushes it, so a gap is never treated as signal; event and trigger sample
 * indices are in true time (segment onset * fs + frame within the segment). */
static int stream_segment(struct stream_ctx *x, const etw_recording_segment *g)
{
    struct detect_result *res = x->res;
    size_t nsel = 0;
    etw_reader_selection(x->r, &nsel, NULL, NULL);
    int64_t shift = llround(g->onset_s * res->fs_hz), pos = g->first_frame;
    size_t first_event = res->nevents;
    etw_twitch_reset(x->det);
    if (x->trig) {
        x->trig->high = 1; /* a trigger already high after a gap is not an edge */
    }
    etw_status st = etw_reader_seek(x->r, g->first_frame);
    for (size_t n = 1; st == ETW_OK && n > 0;) {
        int64_t left = g->first_frame + g->nframes - pos;
        st = etw_reader_read(x->r, x->b.ch, left < BLOCK_FRAMES ? (size_t)left : BLOCK_FRAMES,
                             &n);
        if (st != ETW_OK) {
            break;
        }
        if (x->trig && markers_from_trigger(x->trig, x->b.ch[nsel - 1], n,
                                            shift + pos - g->first_frame, x->markers) != 0) {
            return cli_fail(x->cmd, x->path, "out of memory");
        }
        if (feed(x->det, x->b.ch, n, x->buf, res, &x->cap) != 0) { /* n == 0: flush */
            return cli_fail(x->cmd, x->path, "detection failed (out of memory)");
        }
        if (n > 0) {
            floor_samples_add(&x->floors, x->det);
        }
        pos += (int64_t)n;
        int permille = res->nframes > 0 ? (int)(pos * 1000 / res->nframes) : 1000;
        cli_progress_add(x->bar, permille - x->shown);
        x->shown = permille;
    }
    if (st != ETW_OK) {
        const char *d = etw_reader_error(x->r);
        return cli_fail(x->cmd, x->path, "%s%s%s", etw_strerror(st), d[0] ? ": " : "", d);
    }
    shift_events(res, first_event, shift); /* the reset detector counts from 0 */
    return CLI_OK;
}

static int stream(const char *cmd, const char *path, etw_reader *r, etw_twitch *det,
                  struct trigger_state *trig, struct marker_list *markers,
                  struct cli_progress *bar, struct detect_result *res)
{
    struct stream_ctx x = {cmd, path, r, det, trig, markers, {0}, NULL, 0, bar, 0, {0}, res};
    size_t nsel = 0;
    etw_reader_selection(r, &nsel, NULL, NULL);
    etw_recording_info info;
    (void)etw_reader_info(r, &info);
    x.buf = malloc(EVENT_CHUNK * sizeof *x.buf);
    res->floor = malloc(res->nch * sizeof *res->floor);
    if (!x.buf || !res->floor || floor_samples_init(&x.floors, res->nch) != 0 ||
        cli_block_alloc(cmd, path, nsel, BLOCK_FRAMES, &x.b) != 0) {
        free(x.buf);
        floor_samples_free(&x.floors);
        return cli_fail(cmd, path, "out of memory");
    }
    int rc = CLI_OK;
    for (size_t i = 0; rc == CLI_OK && i < info.nsegments; i++) {
        etw_recording_segment g;
        (void)etw_reader_segment(r, i, &g);
        rc = stream_segment(&x, &g);
    }
    cli_progress_add(bar, 1000 - x.shown);
    floor_samples_median(&x.floors, res->floor);
    floor_samples_free(&x.floors);
    cli_block_free(&x.b);
    free(x.buf);
    return rc;
}

static int collect_markers(const char *cmd, const char *path, etw_reader *r,
                           const struct detect_opts *o, double fs, struct marker_list *m)
{
    char err[512];
    if (o->markers == MARKERS_ANNOTATIONS &&
        markers_from_annotations(r, o->marker_arg, fs, m) != 0) {
        return cli_fail(cmd, path, "out of memory");
    }
    if (o->markers == MARKERS_TSV && markers_from_tsv(o->marker_arg, fs, m, err, sizeof err)) {
        return cli_fail(cmd, NULL, "%s", err);
    }
    return CLI_OK;
}

int detect_run(const char *cmd, const char *path, const struct detect_opts *o,
               struct cli_progress *bar, struct detect_result *res)
{
    memset(res, 0, sizeof *res);
    res->path = path;
    res->status = CLI_FAILED;
    etw_reader *r = cli_open_selected(cmd, path, &o->in);
    if (!r) {
        cli_progress_add(bar, 1000);
        return res->status;
    }
    struct trigger_state trig;
    struct marker_list markers = {0};
    size_t nsel = 0;
    etw_reader_selection(r, &nsel, NULL, NULL);
    res->nch = nsel;
    if (o->markers == MARKERS_TRIGGER) {
        res->nch = select_trigger(cmd, path, r, o, &trig);
    }
    etw_twitch *det = NULL;
    if (res->nch > 0) {
        etw_reader_selection(r, NULL, &res->fs_hz, &res->nframes);
        res->labels = calloc(res->nch, sizeof *res->labels);
        if (!res->labels) {
            res->nch = 0;
            cli_fail(cmd, path, "out of memory");
        }
        char unit[ETW_UNIT_MAX];
        for (size_t c = 0; res->labels && c < res->nch; c++) {
            cli_selected_channel(r, c, res->labels[c], c == 0 ? res->unit : unit);
        }
    }
    if (res->nch > 0 && detect_configure(cmd, path, o, res->fs_hz, res->nch, &res->cfg) == 0 &&
        collect_markers(cmd, path, r, o, res->fs_hz, &markers) == CLI_OK) {
        etw_status st = etw_twitch_create(&res->cfg, &det);
        if (st != ETW_OK) {
            cli_fail(cmd, path, "cannot create the detector: %s", etw_strerror(st));
        } else {
            res->status = stream(cmd, path, r, det,
                                 o->markers == MARKERS_TRIGGER ? &trig : NULL, &markers, bar,
                                 res);
        }
    } else {
        cli_progress_add(bar, 1000);
    }
    if (res->status == CLI_OK && markers.n > 0) {
        res->responses = calloc(markers.n, sizeof *res->responses);
        etw_status st = res->responses
                            ? etw_twitch_match_markers(res->events, res->nevents, markers.t,
                                                       markers.n, res->fs_hz, o->latency_min_ms,
                                                       o->latency_max_ms, res->responses)
                            : ETW_ERR_NOMEM;
        if (st != ETW_OK) {
            res->status = cli_fail(cmd, path, "matching markers: %s", etw_strerror(st));
        }
    }
    res->markers = markers.t;
    res->nmarkers = markers.n;
    etw_twitch_destroy(det);
    etw_reader_close(r);
    return res->status;
}

void detect_result_free(struct detect_result *res)
{
    free(res->labels);
    free(res->events);
    free(res->markers);
    free(res->responses);
    free(res->floor);
    memset(res, 0, sizeof *res);
}
