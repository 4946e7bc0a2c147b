/* The classical onset detectors of segment.h (issue 4) as baselines, used the way a BioSPPy
 * or NeuroKit2 user looking for short bursts would: each method with its documented
 * defaults (band-pass 20-450 Hz, rest found automatically, its own threshold), plus
 * activations of 5-300 ms kept and gaps up to 20 ms merged. */
#include <stdlib.h>

#include "acc.h"
#include "emgtwitch/segment.h"

static int run(etw_onset_method method, const float *const *x, size_t nch, size_t n, double fs,
               acc_list *out)
{
    etw_onset_config cfg = etw_onset_config_default(method, fs);
    cfg.min_duration_ms = 5.0;
    cfg.max_duration_ms = 300.0;
    cfg.merge_gap_ms = 20.0;
    for (size_t c = 0; c < nch; c++) {
        size_t count = 0;
        etw_status st = etw_onset_detect(&cfg, x[c], n, NULL, 0, &count);
        if (st != ETW_OK && st != ETW_ERR_CAPACITY)
            return 1;
        etw_segment *seg = malloc((count ? count : 1) * sizeof *seg);
        if (!seg)
            return 1;
        st = etw_onset_detect(&cfg, x[c], n, seg, count, &count);
        for (size_t i = 0; i < count && st == ETW_OK; i++)
            if (!acc_list_push(out, seg[i].onset, seg[i].offset))
                st = ETW_ERR_NOMEM;
        free(seg);
        if (st != ETW_OK)
            return 1;
    }
    return 0;
}

#define BASELINE(fn, method)                                                                 \
    static int fn(const float *const *x, size_t nch, size_t n, double fs, acc_list *out)     \
    {                                                                                         \
        return run(method, x, nch, n, fs, out);                                               \
    }
BASELINE(hodges, ETW_ONSET_HODGES)
BASELINE(bonato, ETW_ONSET_BONATO)
BASELINE(tkeo, ETW_ONSET_TKEO)
BASELINE(lidierth, ETW_ONSET_LIDIERTH)
BASELINE(cusum, ETW_ONSET_CUSUM)

const acc_detector acc_baselines[] = {
    {"hodges", "etw_onset_detect HODGES defaults (Hodges & Bui 1996; BioSPPy hodges_bui)", hodges, 1},
    {"bonato", "etw_onset_detect BONATO defaults (Bonato et al. 1998; BioSPPy bonato)", bonato, 1},
    {"tkeo", "etw_onset_detect TKEO defaults (Li 2007, Solnik 2010; BioSPPy solnik)", tkeo, 1},
    {"lidierth", "etw_onset_detect LIDIERTH defaults (Lidierth 1986; BioSPPy lidierth)",
     lidierth, 1},
    {"cusum", "etw_onset_detect CUSUM defaults (Page's CUSUM on the variance)", cusum, 1},
};
const size_t acc_nbaselines = sizeof acc_baselines / sizeof acc_baselines[0];
const char *const acc_baselines_about =
    "Classical baselines: the onset detectors of segment.h (etw_onset_detect) with each "
    "method's documented defaults (zero-phase band-pass 20-450 Hz, rest found automatically, "
    "the method's threshold), used the way a BioSPPy/NeuroKit2 user looking for short bursts "
    "would: activations of 5-300 ms kept, gaps up to 20 ms merged, no powerline notch.";
