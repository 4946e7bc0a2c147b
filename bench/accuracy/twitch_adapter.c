/* The library's twitch detector in the harness: whole-recording helper, events flagged as
 * twitches only, with the default configuration (what `emgtwitch detect` uses) and with the
 * LTR preset. */
#include <stdlib.h>

#include "acc.h"
#include "emgtwitch/twitch.h"

typedef etw_status (*config_fn)(double fs_hz, size_t nch, etw_twitch_config *cfg);

static int detect_with(config_fn configure, const float *const *x, size_t nch, size_t n,
                       double fs, acc_list *out)
{
    etw_twitch_config cfg;
    if (configure(fs, nch, &cfg) != ETW_OK)
        return 1;
    size_t cap = 256, found = 0;
    etw_twitch_event *ev = NULL;
    etw_status st;
    do {
        free(ev);
        ev = malloc(cap * sizeof *ev);
        if (!ev)
            return 1;
        st = etw_twitch_detect(&cfg, x, n, ev, cap, &found);
        cap = found > cap ? found : cap;
    } while (st == ETW_ERR_CAPACITY);
    int err = st != ETW_OK;
    for (size_t i = 0; i < found && !err; i++)
        if (ev[i].flags & ETW_TWITCH_FLAG_TWITCH)
            err = !acc_list_push(out, ev[i].onset, ev[i].offset);
    free(ev);
    return err;
}

static int detect_default(const float *const *x, size_t nch, size_t n, double fs, acc_list *out)
{
    return detect_with(etw_twitch_config_default, x, nch, n, fs, out);
}

static int detect_ltr(const float *const *x, size_t nch, size_t n, double fs, acc_list *out)
{
    return detect_with(etw_twitch_config_ltr, x, nch, n, fs, out);
}

static const acc_detector twitch[] = {
    {"twitch", "emgtwitch etw_twitch, default configuration (etw_twitch_config_default; the "
               "CLI's default)",
     detect_default, 0},
    {"twitch-ltr", "emgtwitch etw_twitch, LTR preset (etw_twitch_config_ltr: 16 dB peak "
                   "criterion, chosen so the near-flat BioSPPy rest recording gives no twitch)",
     detect_ltr, 0},
};

const acc_detector *acc_twitch_detectors(size_t *n)
{
    *n = sizeof twitch / sizeof twitch[0];
    return twitch;
}
