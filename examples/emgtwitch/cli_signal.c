/* Sample buffers and signal writers with the input's metadata (see cli_signal.h). */
#include "cli_signal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_args.h"
#include "cli_progress.h"

int cli_block_alloc(const char *cmd, const char *file, size_t nch, size_t cap,
                    struct cli_block *b)
{
    memset(b, 0, sizeof *b);
    b->ch = calloc(nch, sizeof *b->ch);
    if (!b->ch) {
        cli_fail(cmd, file, "out of memory");
        return -1;
    }
    b->nch = nch;
    b->cap = cap;
    for (size_t c = 0; c < nch; c++) {
        b->ch[c] = malloc((cap ? cap : 1) * sizeof(float));
        if (!b->ch[c]) {
            cli_block_free(b);
            cli_fail(cmd, file, "out of memory for %zu channels x %zu frames", nch, cap);
            return -1;
        }
    }
    return 0;
}

void cli_block_free(struct cli_block *b)
{
    for (size_t c = 0; b->ch && c < b->nch; c++) {
        free(b->ch[c]);
    }
    free(b->ch);
    memset(b, 0, sizeof *b);
}

int cli_read_range(const char *cmd, const char *file, etw_reader *r, int64_t start,
                   int64_t count, size_t max_bytes, struct cli_block *b)
{
    size_t nsel = 0;
    int64_t total = 0;
    etw_reader_selection(r, &nsel, NULL, &total);
    if (start < 0 || start > total) {
        cli_fail(cmd, file, "start frame %lld is outside the recording (0 .. %lld)",
                 (long long)start, (long long)total);
        return -1;
    }
    if (count > total - start) {
        count = total - start;
    }
    if ((double)count * (double)nsel * sizeof(float) > (double)max_bytes) {
        cli_fail(cmd, file, "%lld frames x %zu channels exceed the %zu MB this command holds "
                 "in memory; choose a shorter --start/--end range or fewer --channels",
                 (long long)count, nsel, max_bytes >> 20);
        return -1;
    }
    if (cli_block_alloc(cmd, file, nsel, (size_t)count, b) != 0) {
        return -1;
    }
    etw_status st = etw_reader_seek(r, start);
    size_t got = 0;
    while (st == ETW_OK && got < (size_t)count) {
        float *dst[ETW_MAX_CHANNELS];
        for (size_t c = 0; c < nsel; c++) {
            dst[c] = b->ch[c] + got;
        }
        size_t n = 0;
        st = etw_reader_read(r, dst, (size_t)count - got, &n);
        if (n == 0) {
            break;
        }
        got += n;
    }
    if (st != ETW_OK) {
        const char *d = etw_reader_error(r);
        cli_fail(cmd, file, "%s%s%s", etw_strerror(st), d[0] ? ": " : "", d);
        cli_block_free(b);
        return -1;
    }
    b->n = got;
    return 0;
}

double cli_signal_range(const etw_reader *r)
{
    size_t nsel = 0;
    const size_t *sel = etw_reader_selection(r, &nsel, NULL, NULL);
    double range = 0.0;
    for (size_t k = 0; k < nsel; k++) {
        etw_channel_info ci;
        if (etw_reader_channel(r, sel[k], &ci) == ETW_OK) {
            if (isfinite(ci.phys_min) && fabs(ci.phys_min) > range) {
                range = fabs(ci.phys_min);
            }
            if (isfinite(ci.phys_max) && fabs(ci.phys_max) > range) {
                range = fabs(ci.phys_max);
            }
        }
    }
    return range > 0 ? range : 1.0;
}

int cli_signal_writer_open(const char *cmd, const char *path, etw_reader *r,
                           enum cli_format fmt, double range, int force, struct cli_writer *w)
{
    size_t nsel = 0;
    double fs = 0.0;
    const size_t *sel = etw_reader_selection(r, &nsel, &fs, NULL);
    char(*labels)[ETW_LABEL_MAX] = calloc(nsel, ETW_LABEL_MAX);
    const char **names = calloc(nsel, sizeof *names);
    if (!labels || !names) {
        free(labels);
        free(names);
        cli_fail(cmd, path, "out of memory");
        return -1;
    }
    char unit[ETW_UNIT_MAX] = "";
    for (size_t k = 0; k < nsel; k++) {
        etw_channel_info ci;
        if (etw_reader_channel(r, sel[k], &ci) == ETW_OK) {
            memcpy(labels[k], ci.label, ETW_LABEL_MAX);
            if (k == 0) {
                memcpy(unit, ci.unit, ETW_UNIT_MAX);
            }
        }
        names[k] = labels[k];
    }
    etw_recording_info info;
    etw_signal_spec spec;
    etw_signal_spec_default(&spec);
    spec.nch = nsel;
    spec.fs_hz = fs;
    spec.labels = names;
    spec.unit = unit;
    spec.phys_min = -range;
    spec.phys_max = range;
    spec.full_scale = range;
    spec.overwrite = force;
    if (etw_reader_info(r, &info) == ETW_OK && info.has_start) {
        spec.has_start = 1;
        spec.start = info.start;
    }
    int rc = cli_signal_open(cmd, path, fmt, &spec, w);
    free(labels);
    free(names);
    return rc;
}

int cli_signal_copy_annotations(const char *cmd, const char *path, etw_reader *r,
                                etw_signal_writer *w)
{
    etw_recording_info info;
    if (etw_reader_info(r, &info) != ETW_OK) {
        return 0;
    }
    for (size_t i = 0; i < info.nannotations; i++) {
        etw_annotation a;
        if (etw_reader_annotation(r, i, &a) != ETW_OK || a.onset_s < 0) {
            continue;
        }
        etw_status st = etw_signal_writer_annotate(w, a.onset_s, a.duration_s, a.text);
        if (st != ETW_OK) {
            cli_fail(cmd, path, "annotation %zu: %s", i + 1, etw_strerror(st));
            return -1;
        }
    }
    return 0;
}

int cli_signal_stream(const char *cmd, const char *in_path, etw_reader *r, etw_cascade *cas,
                      etw_envelope *env, etw_signal_writer *w, const char *out_path)
{
    size_t nsel = 0;
    int64_t total = 0;
    etw_reader_selection(r, &nsel, NULL, &total);
    struct cli_block b;
    if (cli_block_alloc(cmd, in_path, nsel, CLI_BLOCK_FRAMES, &b) != 0) {
        return CLI_FAILED;
    }
    float x0[ETW_MAX_CHANNELS];
    int first = 1;
    struct cli_progress bar;
    cli_progress_start(&bar, cmd, total);
    int rc = CLI_OK;
    for (;;) {
        size_t n = 0;
        etw_status st = etw_reader_read(r, b.ch, CLI_BLOCK_FRAMES, &n);
        if (st != ETW_OK) {
            const char *d = etw_reader_error(r);
            rc = cli_fail(cmd, in_path, "%s%s%s", etw_strerror(st), d[0] ? ": " : "", d);
            break;
        }
        if (n == 0) {
            break;
        }
        if (cas && first && n > 0) { /* start in the steady state of the first sample */
            for (size_t c = 0; c < nsel; c++) {
                x0[c] = isfinite(b.ch[c][0]) ? b.ch[c][0] : 0.0f;
            }
            if (etw_cascade_set_steady_state(cas, x0) != ETW_OK) {
                rc = cli_fail(cmd, in_path, "filtering failed");
                break;
            }
        }
        first = 0;
        if (cas && etw_cascade_process(cas, (const float *const *)b.ch, b.ch, n) != ETW_OK) {
            rc = cli_fail(cmd, in_path, "filtering failed");
            break;
        }
        if (env && etw_envelope_process(env, (const float *const *)b.ch, b.ch, n) != ETW_OK) {
            rc = cli_fail(cmd, in_path, "envelope failed");
            break;
        }
        st = etw_signal_writer_write(w, (const float *const *)b.ch, n);
        if (st != ETW_OK) {
            rc = cli_fail(cmd, out_path, "%s: %s", etw_strerror(st), etw_signal_writer_error(w));
            break;
        }
        cli_progress_add(&bar, (int64_t)n);
    }
    cli_progress_end(&bar);
    cli_block_free(&b);
    return rc;
}

void cli_selected_channel(const etw_reader *r, size_t k, char *label, char *unit)
{
    size_t nsel = 0;
    const size_t *sel = etw_reader_selection(r, &nsel, NULL, NULL);
    etw_channel_info ci;
    if (!sel || k >= nsel || etw_reader_channel(r, sel[k], &ci) != ETW_OK) {
        snprintf(label, ETW_LABEL_MAX, "ch%zu", k + 1);
        unit[0] = '\0';
        return;
    }
    memcpy(label, ci.label, ETW_LABEL_MAX);
    memcpy(unit, ci.unit, ETW_UNIT_MAX);
}

etw_reader *cli_open_selected(const char *cmd, const char *path, const cli_read_options *o)
{
    etw_reader *r = NULL;
    return cli_open_reader(cmd, path, o, &r) == CLI_OK ? r : NULL;
}

etw_reader *cli_open_continuous(const char *cmd, const char *path, const cli_read_options *o)
{
    etw_reader *r = cli_open_selected(cmd, path, o);
    etw_recording_info info;
    if (r && etw_reader_info(r, &info) == ETW_OK && info.nsegments > 1) {
        cli_fail(cmd, path,
                 "discontinuous recording (EDF+D/BDF+D, %zu segments): `emgtwitch %s` would "
                 "treat the samples as one stream across the gaps, so it refuses; `emgtwitch "
                 "detect` (events tables) handles each segment, `emgtwitch info` lists them",
                 info.nsegments, cmd);
        etw_reader_close(r);
        r = NULL;
    }
    return r;
}

int cli_piece_of(const etw_reader *r, size_t index, int64_t first, int64_t last,
                 struct cli_piece *p)
{
    double fs = 0.0;
    etw_recording_segment seg;
    etw_reader_selection(r, NULL, &fs, NULL);
    if (etw_reader_segment(r, index, &seg) != ETW_OK) {
        return -1;
    }
    p->lo = seg.first_frame > first ? seg.first_frame : first;
    p->hi = seg.first_frame + seg.nframes < last ? seg.first_frame + seg.nframes : last;
    p->t0_s = seg.onset_s + (double)(p->lo - seg.first_frame) / fs;
    return p->hi > p->lo ? 0 : -1;
}
