/* Classical onset detectors used the way a BioSPPy or NeuroKit2 user would for short bursts:
 * zero-phase 4th-order Butterworth band-pass 20-450 Hz (capped at 0.45 fs) with notches at
 * 50 Hz and its harmonics in the band (the user knows the mains frequency), an amplitude
 * envelope, a threshold of rest mean + k SD with the rest found automatically (quietest 10 %
 * of 250 ms windows), gaps up to 20 ms bridged and activations of 5-300 ms kept. Envelope delay is compensated. */
#include <math.h>
#include <stdlib.h>

#include "acc.h"
#include "emgtwitch/envelope.h"
#include "emgtwitch/filter.h"
#include "emgtwitch/segment.h"

typedef struct classical {
    etw_envelope_kind kind;
    double window_ms;  /* ARV/RMS window */
    double lowpass_hz; /* linear envelope */
    double k_sd;       /* threshold: rest mean + k_sd * rest SD */
    int tkeo_first;    /* apply TKEO before the envelope */
} classical;

/* Band-pass, envelope and threshold of one channel into out. */
static int one_channel(const classical *p, const float *x, size_t n, double fs, float *buf,
                       acc_list *out)
{
    etw_sos sos[24];
    size_t ns, nn;
    double top = fmin(450.0, 0.45 * fs);
    if (etw_butter(ETW_BANDPASS, 4, 20.0, top, fs, sos, 8, &ns) != ETW_OK ||
        etw_powerline_comb(50.0, 30.0, (int)(top / 50.0), fs, sos + ns, 16, &nn) != ETW_OK)
        return 1;
    ns += nn;
    const float *in[1] = {x};
    float *o[1] = {buf};
    if (etw_sosfiltfilt(sos, ns, in, o, 1, n) != ETW_OK)
        return 1;
    double latency = 0.0;
    if (p->tkeo_first) {
        etw_envelope_config tk = etw_envelope_config_default(ETW_ENV_TKEO, fs, 1);
        if (etw_envelope_compute(&tk, (const float *const *)o, o, n) != ETW_OK)
            return 1;
        for (size_t i = 0; i < n; i++)
            buf[i] = sqrtf(fabsf(buf[i]));
        latency += 1.0;
    }
    etw_envelope_config ec = etw_envelope_config_default(p->kind, fs, 1);
    ec.window_ms = p->window_ms;
    ec.lowpass_hz = p->lowpass_hz;
    etw_envelope *env;
    if (etw_envelope_create(&ec, &env) != ETW_OK)
        return 1;
    etw_status st = etw_envelope_process(env, (const float *const *)o, o, n);
    latency += etw_envelope_get_latency(env);
    etw_envelope_destroy(env);
    etw_floor_estimate fl;
    if (st != ETW_OK || etw_floor_auto(buf, n, fs, 250.0, 10.0, &fl) != ETW_OK)
        return 1;
    double thr = fl.mean + p->k_sd * fl.sd;
    int64_t shift = (int64_t)llround(latency);
    size_t lo = (size_t)ceil(0.005 * fs), hi = (size_t)floor(0.300 * fs);
    size_t gap = (size_t)llround(0.020 * fs);
    for (size_t i = 0; i < n;) {
        if (!(buf[i] > thr)) {
            i++;
            continue;
        }
        size_t j = i, below = 0; /* end after more than `gap` samples below threshold */
        for (size_t k = i; k < n && below <= gap; k++) {
            below = buf[k] > thr ? 0 : below + 1;
            if (below == 0)
                j = k + 1;
        }
        if (j - i >= lo && j - i <= hi) {
            int64_t on = (int64_t)i - shift, off = (int64_t)j - shift;
            if (!acc_list_push(out, on < 0 ? 0 : on, off < 1 ? 1 : off))
                return 1;
        }
        i = j;
    }
    return 0;
}

static int run(const classical *p, const float *const *x, size_t nch, size_t n, double fs,
               acc_list *out)
{
    float *buf = malloc(n * sizeof *buf);
    if (!buf)
        return 1;
    int err = 0;
    for (size_t c = 0; c < nch && !err; c++)
        err = one_channel(p, x[c], n, fs, buf, out);
    free(buf);
    return err;
}

static int hodges(const float *const *x, size_t nch, size_t n, double fs, acc_list *out)
{
    const classical p = {ETW_ENV_ARV, 25.0, 0.0, 5.0, 0};
    return run(&p, x, nch, n, fs, out);
}

static int tkeo(const float *const *x, size_t nch, size_t n, double fs, acc_list *out)
{
    const classical p = {ETW_ENV_ARV, 10.0, 0.0, 8.0, 1};
    return run(&p, x, nch, n, fs, out);
}

static int linear(const float *const *x, size_t nch, size_t n, double fs, acc_list *out)
{
    const classical p = {ETW_ENV_LINEAR, 0.0, 20.0, 5.0, 0};
    return run(&p, x, nch, n, fs, out);
}

const acc_detector acc_baselines[] = {
    {"hodges", "ARV 25 ms, rest mean + 5 SD (Hodges & Bui 1996; BioSPPy hodges_bui)", hodges},
    {"tkeo", "TKEO, ARV 10 ms, rest mean + 8 SD (Solnik et al. 2010; BioSPPy solnik)", tkeo},
    {"linenv", "linear envelope (20 Hz low-pass), rest mean + 5 SD (NeuroKit2 threshold)",
     linear},
};
const size_t acc_nbaselines = sizeof acc_baselines / sizeof acc_baselines[0];
const char *const acc_baselines_about =
    "Classical baselines (composed in bench/accuracy/baselines.c from the filter, envelope and "
    "segment APIs while segment.h had no onset detectors; used the way a BioSPPy/NeuroKit2 "
    "user would): zero-phase 4th-order Butterworth band-pass 20-450 Hz (capped at 0.45 fs) "
    "and notches (Q 30) at 50 Hz and its harmonics in the band, the envelope named above with "
    "its delay compensated, threshold over the rest found automatically (quietest 10 % of "
    "250 ms windows), gaps up to 20 ms bridged, activations of 5-300 ms kept.";
