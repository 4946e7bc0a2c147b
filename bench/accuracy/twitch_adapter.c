/* The library's twitch detector in the harness: LTR preset, whole-recording helper, events
 * flagged as twitches only. */
#include <stdlib.h>

#include "acc.h"
#include "emgtwitch/twitch.h"

static int detect(const float *const *x, size_t nch, size_t n, double fs, acc_list *out)
{
    etw_twitch_config cfg;
    if (etw_twitch_config_ltr(fs, nch, &cfg) != ETW_OK)
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

static const acc_detector twitch = {"twitch", "emgtwitch etw_twitch, LTR preset (etw_twitch_config_ltr)",
                                    detect};

const acc_detector *acc_twitch_detector(void)
{
    return &twitch;
}
