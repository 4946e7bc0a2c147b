/* The events table of `emgtwitch detect` (see detect_table.h). */
#include "detect_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_args.h"
#include "cli_write.h"
#include "emgtwitch/io.h"

static const char *const columns[] = {
    "onset",      "duration",    "trial_type",    "file",      "channel",
    "channels",   "peak_time",   "peak_envelope", "peak_to_peak", "rise_time",
    "area",       "snr_db",      "noise_floor",   "phases",    "turns",
    "mean_freq",  "median_freq", "confidence",    "flags",     "response",
    "latency",
};
enum { NCOL = sizeof columns / sizeof columns[0], COL_FILE = 3, COL_RESPONSE = 19 };

void detect_flag_names(unsigned flags, char *buf, size_t cap)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {
        {ETW_TWITCH_FLAG_CLIPPED, "clipped"},       {ETW_TWITCH_FLAG_TRUNCATED, "truncated"},
        {ETW_TWITCH_FLAG_DURATION, "duration"},     {ETW_TWITCH_FLAG_NOT_ISOLATED, "not_isolated"},
        {ETW_TWITCH_FLAG_LOW_SNR, "low_snr"},       {ETW_TWITCH_FLAG_SLOW_RISE, "slow_rise"},
        {ETW_TWITCH_FLAG_LOW_FREQUENCY, "low_frequency"}, {ETW_TWITCH_FLAG_SPIKE, "spike"},
        {ETW_TWITCH_FLAG_ECG, "ecg"},               {ETW_TWITCH_FLAG_NONFINITE, "nonfinite"},
        {ETW_TWITCH_FLAG_FEW_CHANNELS, "few_channels"},
        {ETW_TWITCH_FLAG_SATURATED, "saturated"},
    };
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (flags & names[i].bit) {
            size_t len = strlen(buf);
            snprintf(buf + len, cap - len, "%s%s", len ? "|" : "", names[i].name);
        }
    }
}

/* Labels of the channels of an event joined by '+'. */
static void channel_list(const struct detect_result *r, const etw_twitch_event *e, char *buf,
                         size_t cap)
{
    buf[0] = '\0';
    for (size_t c = 0; c < r->nch && c < ETW_TWITCH_MAX_CHANNELS; c++) {
        if (e->channel_mask[c / 64] >> (c % 64) & 1u) {
            size_t len = strlen(buf);
            snprintf(buf + len, cap - len, "%s%s", len ? "+" : "", r->labels[c]);
        }
    }
}

/* Text buffers a row's cells point into. */
struct row_text {
    char chans[1024];
    char flags[256];
};

/* All columns of one row: an event, or (when resp is set) a stimulus marker. */
static void fill_row(etw_cell *row, const struct detect_result *r, const etw_twitch_event *e,
                     const etw_twitch_response *resp, struct row_text *t)
{
    if (resp) {
        for (size_t k = 0; k < NCOL; k++) {
            row[k] = etw_cell_none();
        }
        row[0] = etw_cell_number((double)resp->marker / r->fs_hz);
        row[1] = etw_cell_number(0.0);
        row[2] = etw_cell_text("stimulus");
        row[COL_FILE] = etw_cell_text(r->path);
        row[COL_RESPONSE] = etw_cell_text(resp->responded ? "yes" : "no");
        row[COL_RESPONSE + 1] = resp->responded ? etw_cell_number(resp->latency_s)
                                                : etw_cell_none();
        return;
    }
    channel_list(r, e, t->chans, sizeof t->chans);
    detect_flag_names(e->flags, t->flags, sizeof t->flags);
    const etw_cell cells[NCOL] = {
        etw_cell_number(e->onset_s),
        etw_cell_number(e->duration_s),
        etw_cell_text(e->flags & ETW_TWITCH_FLAG_TWITCH ? "twitch" : "rejected"),
        etw_cell_text(r->path),
        etw_cell_text(r->labels[e->channel < r->nch ? e->channel : 0]),
        etw_cell_text(t->chans),
        etw_cell_number(e->peak_s),
        etw_cell_number(e->peak_envelope),
        etw_cell_number(e->peak_to_peak),
        etw_cell_number(e->rise_time_s),
        etw_cell_number(e->area),
        etw_cell_number(e->snr_db),
        etw_cell_number(e->floor),
        etw_cell_int(e->phases),
        etw_cell_int(e->turns),
        etw_cell_number(e->mean_freq_hz),
        etw_cell_number(e->median_freq_hz),
        etw_cell_number(e->confidence),
        etw_cell_text(t->flags[0] ? t->flags : NULL),
        etw_cell_none(),
        etw_cell_none(),
    };
    memcpy(row, cells, sizeof cells);
}

static int cmp_response(const void *a, const void *b)
{
    const etw_twitch_response *x = a, *y = b;
    return (x->marker > y->marker) - (x->marker < y->marker);
}

/* Writes one file's events and markers in order of onset, with the columns in `use`. */
static etw_status write_file_rows(etw_table_writer *w, const struct detect_result *r,
                                  const unsigned char *use, etw_twitch_response *resp)
{
    if (r->nmarkers > 0) {
        memcpy(resp, r->responses, r->nmarkers * sizeof *resp);
        qsort(resp, r->nmarkers, sizeof *resp, cmp_response);
    }
    size_t i = 0, k = 0;
    etw_status st = ETW_OK;
    while (st == ETW_OK && (i < r->nevents || k < r->nmarkers)) {
        etw_cell full[NCOL], row[NCOL];
        struct row_text text;
        int marker_first = k < r->nmarkers &&
                           (i >= r->nevents || resp[k].marker <= r->events[i].onset);
        fill_row(full, r, marker_first ? NULL : &r->events[i], marker_first ? &resp[k] : NULL,
                 &text);
        marker_first ? k++ : i++;
        size_t n = 0;
        for (size_t c = 0; c < NCOL; c++) {
            if (use[c]) {
                row[n++] = full[c];
            }
        }
        st = etw_table_writer_row(w, row);
    }
    return st;
}

static void add_params(etw_table_writer *w, const struct detect_result *r)
{
    double v;
    (void)!etw_table_writer_param(w, "software", etw_cell_text("emgtwitch detect"));
    (void)!etw_table_writer_param(w, "amplitude_unit", etw_cell_text(r->unit));
    (void)!etw_table_writer_param(w, "fs_hz", etw_cell_number(r->fs_hz));
    for (size_t p = 0; p < etw_twitch_param_count(); p++) {
        const etw_twitch_param *info = etw_twitch_param_info(p);
        if (info && etw_twitch_config_get(&r->cfg, info->name, &v) == ETW_OK) {
            (void)!etw_table_writer_param(w, info->name, etw_cell_number(v));
        }
    }
}

int detect_table_write(const char *cmd, const char *path, enum cli_format fmt, int force,
                       const struct detect_result *res, size_t nres, int with_file)
{
    unsigned char use[NCOL];
    const char *names[NCOL];
    size_t ncol = 0, maxmarkers = 0;
    for (size_t f = 0; f < nres; f++) {
        maxmarkers = res[f].nmarkers > maxmarkers ? res[f].nmarkers : maxmarkers;
    }
    for (size_t c = 0; c < NCOL; c++) {
        use[c] = (c != COL_FILE || with_file) && (c < COL_RESPONSE || maxmarkers > 0);
        if (use[c]) {
            names[ncol++] = columns[c];
        }
    }
    struct cli_writer w;
    etw_twitch_response *resp = malloc((maxmarkers ? maxmarkers : 1) * sizeof *resp);
    if (!resp) {
        cli_fail(cmd, path, "out of memory");
        return -1;
    }
    if (cli_table_open(cmd, path, fmt, names, ncol, force, &w) != 0) {
        free(resp);
        return -1;
    }
    etw_status st = ETW_OK;
    int params_done = 0;
    for (size_t f = 0; st == ETW_OK && f < nres; f++) {
        if (res[f].status != CLI_OK) {
            continue;
        }
        if (!params_done) {
            add_params(w.table, &res[f]); /* the parameters of the first file (JSON only) */
            params_done = 1;
        }
        st = write_file_rows(w.table, &res[f], use, resp);
    }
    free(resp);
    return cli_writer_close(cmd, &w, st) == CLI_OK ? 0 : -1;
}
