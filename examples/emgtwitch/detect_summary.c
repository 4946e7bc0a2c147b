/* Summary and annotated-signal output of `emgtwitch detect` (see detect_summary.h). */
#include "detect_summary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_args.h"
#include "cli_signal.h"

void detect_summary(FILE *out, const struct detect_result *res, size_t nres)
{
    for (size_t f = 0; f < nres; f++) {
        const struct detect_result *r = &res[f];
        if (r->status != CLI_OK) {
            fprintf(out, "emgtwitch detect: %s: failed (see above)\n", r->path);
            continue;
        }
        size_t twitches = 0, answered = 0;
        for (size_t i = 0; i < r->nevents; i++) {
            twitches += (r->events[i].flags & ETW_TWITCH_FLAG_TWITCH) != 0;
        }
        for (size_t k = 0; k < r->nmarkers; k++) {
            answered += r->responses[k].responded != 0;
        }
        double minutes = (double)r->nframes / r->fs_hz / 60.0;
        fprintf(out, "emgtwitch detect: %s: %zu twitch%s in %.1f s (%.2f per minute)", r->path,
                twitches, twitches == 1 ? "" : "es", minutes * 60.0,
                minutes > 0 ? (double)twitches / minutes : 0.0);
        if (r->nmarkers) {
            fprintf(out, ", %zu of %zu stimuli answered", answered, r->nmarkers);
        }
        fprintf(out, "\n  detection floor (RMS after pre-emphasis, median over the recording):");
        for (size_t c = 0; c < r->nch; c++) {
            double fl = r->floor ? r->floor[c] : NAN;
            if (isfinite(fl)) {
                fprintf(out, " %s %.3g%s%s%s", r->labels[c], fl, r->unit[0] ? " " : "", r->unit,
                        c + 1 < r->nch ? "," : "");
            } else {
                fprintf(out, " %s n/a (too short to learn)%s", r->labels[c],
                        c + 1 < r->nch ? "," : "");
            }
        }
        fputc('\n', out);
    }
}

int detect_write_annotated(const char *cmd, const char *path, enum cli_format fmt, int force,
                           const struct detect_opts *o, const struct detect_result *res)
{
    etw_reader *r = cli_open_continuous(cmd, res->path, &o->in);
    if (!r) {
        return -1;
    }
    struct cli_writer w;
    if (cli_signal_writer_open(cmd, path, r, fmt, cli_signal_range(r), force, &w) != 0) {
        etw_reader_close(r);
        return -1;
    }
    int rc = cli_signal_stream(cmd, res->path, r, NULL, NULL, w.signal, path);
    if (rc == CLI_OK && cli_signal_copy_annotations(cmd, path, r, w.signal) != 0) {
        rc = CLI_FAILED;
    }
    etw_status st = ETW_OK;
    size_t number = 0;
    for (size_t i = 0; rc == CLI_OK && st == ETW_OK && i < res->nevents; i++) {
        const etw_twitch_event *e = &res->events[i];
        char text[64];
        snprintf(text, sizeof text, "%s %zu",
                 e->flags & ETW_TWITCH_FLAG_TWITCH ? "twitch" : "rejected", ++number);
        st = etw_signal_writer_annotate(w.signal, e->onset_s, e->duration_s, text);
    }
    if (rc == CLI_OK) {
        rc = cli_writer_close(cmd, &w, st);
    } else {
        cli_writer_abandon(cmd, &w);
    }
    etw_reader_close(r);
    return rc == CLI_OK ? 0 : -1;
}
