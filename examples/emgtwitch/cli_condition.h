/* Signal conditioning options shared by `filter`, `plot`, `envelope` and `psd`: high-pass,
 * low-pass or band-pass Butterworth, powerline notch or comb, causal or zero-phase; and the
 * design of the resulting cascade of second-order sections. */
#ifndef ETW_CLI_CONDITION_H
#define ETW_CLI_CONDITION_H

#include <getopt.h>
#include <stddef.h>

#include "emgtwitch/emgtwitch.h"
#include "emgtwitch/io.h"

/* Option codes (outside the char range and the input options' codes). */
enum {
    CLI_OPT_BAND = 1100,
    CLI_OPT_HIGHPASS,
    CLI_OPT_LOWPASS,
    CLI_OPT_ORDER,
    CLI_OPT_NOTCH,
    CLI_OPT_COMB,
    CLI_OPT_Q,
    CLI_OPT_ZERO_PHASE,
    CLI_OPT_RAW
};

#define CLI_CONDITION_LONGOPTS                                       \
    {"band", required_argument, NULL, CLI_OPT_BAND},                 \
        {"highpass", required_argument, NULL, CLI_OPT_HIGHPASS},     \
        {"lowpass", required_argument, NULL, CLI_OPT_LOWPASS},       \
        {"order", required_argument, NULL, CLI_OPT_ORDER},           \
        {"notch", required_argument, NULL, CLI_OPT_NOTCH},           \
        {"comb", required_argument, NULL, CLI_OPT_COMB},             \
        {"q", required_argument, NULL, CLI_OPT_Q},                   \
        {"zero-phase", no_argument, NULL, CLI_OPT_ZERO_PHASE},       \
        {"no-filter", no_argument, NULL, CLI_OPT_RAW}

#define CLI_CONDITION_HELP                                                                   \
    "      --band LOW:HIGH    Butterworth band-pass in Hz (default 20:450, upper edge capped\n" \
    "                         at 0.45 fs); LOW: or :HIGH for high-/low-pass only\n"         \
    "      --highpass HZ      high-pass only (same as --band HZ:)\n"                       \
    "      --lowpass HZ       low-pass only (same as --band :HZ)\n"                        \
    "      --order N          Butterworth order 1..8 (default 4)\n"                         \
    "      --notch HZ         notch at HZ (e.g. 50 or 60), 'auto' (50 or 60 Hz found in the\n" \
    "                         first 10 s, or none) or 'off' (default off)\n"               \
    "      --comb HZ          notches at HZ and its harmonics up to the band's upper edge\n" \
    "                         ('auto' as for --notch)\n"                                   \
    "      --q Q              quality factor of the notches (default 30)\n"                 \
    "      --zero-phase       forward-backward (offline, whole signal in memory)\n"        \
    "      --no-filter        no band-pass, no notch\n"

/* notch_hz value asking for the powerline frequency to be found from the signal. */
#define CLI_NOTCH_AUTO (-1.0)

/* Most sections a conditioning design has. */
#define CLI_CONDITION_MAX_SECTIONS 64

struct cli_condition {
    double low_hz;   /* high-pass corner, NaN = none */
    double high_hz;  /* low-pass corner, NaN = none */
    int high_default; /* high_hz is the default: capped at 0.45 fs instead of an error */
    int order;
    double notch_hz; /* 0 = none, CLI_NOTCH_AUTO = find it */
    int comb;        /* notch harmonics too */
    double q;
    int zero_phase;
};

/* Defaults: band-pass 20-450 Hz order 4, no notch, causal. */
void cli_condition_defaults(struct cli_condition *c);

/* Handles one conditioning option; returns 1 handled, 0 not a conditioning option, -1 after
 * a usage error. */
int cli_condition_option(const char *cmd, int opt, const char *arg, struct cli_condition *c);

/* Designs the cascade for sample rate fs (the upper edge is capped at 0.45 fs; corners at or
 * above Nyquist are an error naming the option). Writes a one-line description ("band-pass
 * 20-450 Hz order 4, notch 50 Hz") into desc. Returns 0, or -1 after printing the reason for
 * `file`. *nsections may be 0 (nothing to do). */
int cli_condition_design(const char *cmd, const char *file, const struct cli_condition *c,
                         double fs_hz, etw_sos *sos, size_t *nsections, char *desc,
                         size_t desc_size);

/* Resolves --notch/--comb auto from the first 10 s of the reader's selection (then rewinds):
 * sets notch_hz to 50, 60 or 0 and describes the decision in `note`. Nothing to do
 * otherwise. Returns 0, or -1 after printing the reason. */
int cli_condition_resolve(const char *cmd, const char *file, struct cli_condition *c,
                          etw_reader *r, char *note, size_t note_size);

#endif
