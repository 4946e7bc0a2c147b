/* Conditioning options and cascade design (see cli_condition.h). */
#include "cli_condition.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli_args.h"
#include "cli_signal.h"
#include "emgtwitch/spectrum.h"

void cli_condition_defaults(struct cli_condition *c)
{
    c->low_hz = 20.0;
    c->high_hz = 450.0;
    c->high_default = 1;
    c->order = 4;
    c->notch_hz = 0.0;
    c->comb = 0;
    c->q = 30.0;
    c->zero_phase = 0;
}

int cli_condition_option(const char *cmd, int opt, const char *arg, struct cli_condition *c)
{
    long order;
    if (opt == CLI_OPT_BAND || opt == CLI_OPT_HIGHPASS || opt == CLI_OPT_LOWPASS ||
        opt == CLI_OPT_RAW) {
        c->high_default = 0;
    }
    switch (opt) {
    case CLI_OPT_BAND:
        return cli_parse_pair(cmd, "--band", arg, 1e-6, 1e7, &c->low_hz, &c->high_hz) == 0 ? 1
                                                                                          : -1;
    case CLI_OPT_HIGHPASS:
        c->high_hz = NAN;
        return cli_parse_double(cmd, "--highpass", arg, 1e-6, 1e7, &c->low_hz) == 0 ? 1 : -1;
    case CLI_OPT_LOWPASS:
        c->low_hz = NAN;
        return cli_parse_double(cmd, "--lowpass", arg, 1e-6, 1e7, &c->high_hz) == 0 ? 1 : -1;
    case CLI_OPT_ORDER:
        if (cli_parse_long(cmd, "--order", arg, 1, 8, &order) != 0) {
            return -1;
        }
        c->order = (int)order;
        return 1;
    case CLI_OPT_NOTCH:
    case CLI_OPT_COMB:
        c->comb = opt == CLI_OPT_COMB;
        if (strcmp(arg, "off") == 0 || strcmp(arg, "auto") == 0) {
            c->notch_hz = strcmp(arg, "auto") == 0 ? CLI_NOTCH_AUTO : 0.0;
            return 1;
        }
        return cli_parse_double(cmd, opt == CLI_OPT_COMB ? "--comb" : "--notch", arg, 1e-3, 1e6,
                                &c->notch_hz) == 0
                   ? 1
                   : -1;
    case CLI_OPT_Q:
        return cli_parse_double(cmd, "--q", arg, 0.1, 1000.0, &c->q) == 0 ? 1 : -1;
    case CLI_OPT_ZERO_PHASE:
        c->zero_phase = 1;
        return 1;
    case CLI_OPT_RAW:
        c->low_hz = NAN;
        c->high_hz = NAN;
        c->notch_hz = 0.0;
        return 1;
    default:
        return 0;
    }
}

int cli_condition_design(const char *cmd, const char *file, const struct cli_condition *c,
                         double fs_hz, etw_sos *sos, size_t *nsections, char *desc,
                         size_t desc_size)
{
    double nyq = 0.5 * fs_hz;
    double lo = c->low_hz, hi = c->high_hz;
    if (c->high_default && hi >= 0.9 * nyq) {
        hi = floor(0.9 * nyq); /* the default 450 Hz edge at low rates */
    }
    size_t n = 0;
    desc[0] = '\0';
    etw_status st = ETW_OK;
    if (!isnan(lo) && !isnan(hi)) {
        st = etw_butter(ETW_BANDPASS, c->order, lo, hi, fs_hz, sos, CLI_CONDITION_MAX_SECTIONS,
                        &n);
        snprintf(desc, desc_size, "band-pass %g-%g Hz (Butterworth order %d)", lo, hi, c->order);
    } else if (!isnan(lo)) {
        st = etw_butter(ETW_HIGHPASS, c->order, lo, 0.0, fs_hz, sos, CLI_CONDITION_MAX_SECTIONS,
                        &n);
        snprintf(desc, desc_size, "high-pass %g Hz (Butterworth order %d)", lo, c->order);
    } else if (!isnan(hi)) {
        st = etw_butter(ETW_LOWPASS, c->order, hi, 0.0, fs_hz, sos, CLI_CONDITION_MAX_SECTIONS,
                        &n);
        snprintf(desc, desc_size, "low-pass %g Hz (Butterworth order %d)", hi, c->order);
    }
    if (st != ETW_OK) {
        cli_fail(cmd, file, "cannot design the filter at fs %g Hz: %s", fs_hz, etw_strerror(st));
        return -1;
    }
    if (c->notch_hz > 0) {
        size_t m = 0;
        if (c->comb) {
            /* harmonics up to the low-pass edge (there is nothing left to notch above it) */
            int harmonics = isnan(hi) ? 64 : (int)(hi / c->notch_hz);
            int room = (int)(CLI_CONDITION_MAX_SECTIONS - n);
            harmonics = harmonics < 1 ? 1 : harmonics > room ? room : harmonics;
            st = etw_powerline_comb(c->notch_hz, c->q, harmonics, fs_hz, sos + n,
                                    CLI_CONDITION_MAX_SECTIONS - n, &m);
        } else {
            st = etw_iirnotch(c->notch_hz, c->q, fs_hz, sos[n]);
            m = 1;
        }
        if (st != ETW_OK) {
            cli_fail(cmd, file, "cannot design a notch at %g Hz for fs %g Hz: %s", c->notch_hz,
                     fs_hz, etw_strerror(st));
            return -1;
        }
        size_t len = strlen(desc);
        snprintf(desc + len, desc_size - len, "%s%s %g Hz (Q %g%s)", len ? ", " : "",
                 c->comb ? "comb" : "notch", c->notch_hz, c->q, c->comb ? ", with harmonics" : "");
        n += m;
    }
    if (n == 0) {
        snprintf(desc, desc_size, "no filter");
    } else if (c->zero_phase) {
        size_t len = strlen(desc);
        snprintf(desc + len, desc_size - len, ", zero-phase");
    }
    *nsections = n;
    return 0;
}

int cli_condition_resolve(const char *cmd, const char *file, struct cli_condition *c,
                          etw_reader *r, char *note, size_t note_size)
{
    note[0] = '\0';
    if (c->notch_hz != CLI_NOTCH_AUTO) {
        return 0;
    }
    double fs = 0.0;
    int64_t total = 0;
    etw_reader_selection(r, NULL, &fs, &total);
    int64_t probe = (int64_t)(fs * 10.0) < total ? (int64_t)(fs * 10.0) : total;
    struct cli_block b;
    if (cli_read_range(cmd, file, r, 0, probe, (size_t)1 << 30, &b) != 0) {
        return -1;
    }
    /* the strongest decision over the channels */
    double best = -INFINITY;
    c->notch_hz = 0.0;
    for (size_t ch = 0; ch < b.nch; ch++) {
        etw_powerline pl;
        if (etw_powerline_detect(b.ch[ch], b.n, fs, 10.0, &pl) != ETW_OK) {
            continue;
        }
        double score = pl.mains_hz == 60.0 ? pl.score60_db : pl.score50_db;
        if (pl.mains_hz > 0 && score > best) {
            best = score;
            c->notch_hz = pl.mains_hz;
        }
    }
    cli_block_free(&b);
    if (etw_reader_seek(r, 0) != ETW_OK) {
        cli_fail(cmd, file, "cannot rewind after the powerline probe");
        return -1;
    }
    if (c->notch_hz > 0) {
        snprintf(note, note_size, "powerline %g Hz found (%.1f dB)", c->notch_hz, best);
    } else {
        snprintf(note, note_size, "no powerline interference found");
    }
    return 0;
}
