/* Fixed windows with a hop, and epochs around markers. */
#include "emgtwitch/segment.h"

#include <math.h>

etw_status etw_windows_fixed(int64_t nframes, double fs_hz, double window_ms, double hop_ms,
                             etw_span *out, size_t capacity, size_t *count)
{
    if (count == NULL || (out == NULL && capacity > 0)) {
        return ETW_ERR_NULL;
    }
    *count = 0;
    if (!isfinite(fs_hz) || !isfinite(window_ms) || !isfinite(hop_ms)) {
        return ETW_ERR_NONFINITE;
    }
    if (fs_hz <= 0.0 || nframes < 0 || window_ms <= 0.0 || hop_ms <= 0.0 ||
        window_ms * fs_hz / 1000.0 > 9e15 || hop_ms * fs_hz / 1000.0 > 9e15) {
        return ETW_ERR_RANGE;
    }
    double lend = round(window_ms * fs_hz / 1000.0);
    int64_t len = lend < 1.0 ? 1 : (int64_t)lend;
    double hop = hop_ms * fs_hz / 1000.0;
    size_t k = 0;
    for (;; k++) {
        int64_t start = (int64_t)round((double)k * hop);
        if (start + len > nframes) {
            break;
        }
        if (k < capacity) {
            out[k].start = start;
            out[k].stop = start + len;
        }
    }
    *count = k;
    return k > capacity ? ETW_ERR_SIZE : ETW_OK;
}

etw_status etw_epochs(const int64_t *markers, size_t nmarkers, double fs_hz, double pre_ms,
                      double post_ms, etw_span *out)
{
    if (nmarkers > 0 && (markers == NULL || out == NULL)) {
        return ETW_ERR_NULL;
    }
    if (!isfinite(fs_hz) || !isfinite(pre_ms) || !isfinite(post_ms)) {
        return ETW_ERR_NONFINITE;
    }
    int64_t pre = (int64_t)round(pre_ms * fs_hz / 1000.0);
    int64_t post = (int64_t)round(post_ms * fs_hz / 1000.0);
    if (fs_hz <= 0.0 || fabs(pre_ms * fs_hz) > 9e15 || fabs(post_ms * fs_hz) > 9e15 ||
        pre + post <= 0) {
        return ETW_ERR_RANGE;
    }
    for (size_t i = 0; i < nmarkers; i++) {
        out[i].start = markers[i] - pre;
        out[i].stop = markers[i] + post;
    }
    return ETW_OK;
}
