/* Stimulus-locked mode: did a twitch follow each marker inside a latency window? */
#include <math.h>

#include "emgtwitch/twitch.h"

etw_status etw_twitch_match_markers(const etw_twitch_event *events, size_t nevents,
                                    const int64_t *markers, size_t nmarkers, double fs_hz,
                                    double min_latency_ms, double max_latency_ms,
                                    etw_twitch_response *results)
{
    if ((nevents > 0 && !events) || (nmarkers > 0 && (!markers || !results))) {
        return ETW_ERR_NULL;
    }
    if (!isfinite(fs_hz) || !isfinite(min_latency_ms) || !isfinite(max_latency_ms)) {
        return ETW_ERR_NONFINITE;
    }
    if (fs_hz <= 0.0 || max_latency_ms < min_latency_ms) {
        return ETW_ERR_RANGE;
    }
    int64_t lo = (int64_t)ceil(min_latency_ms * fs_hz / 1000.0);
    int64_t hi = (int64_t)floor(max_latency_ms * fs_hz / 1000.0);
    for (size_t m = 0; m < nmarkers; m++) {
        etw_twitch_response r = {markers[m], 0, 0, 0.0};
        /* first event with onset >= marker + lo (binary search; events sorted by onset) */
        size_t a = 0, b = nevents;
        while (a < b) {
            size_t mid = a + (b - a) / 2;
            if (events[mid].onset < markers[m] + lo) {
                a = mid + 1;
            } else {
                b = mid;
            }
        }
        for (size_t i = a; i < nevents && events[i].onset <= markers[m] + hi; i++) {
            if (events[i].flags & ETW_TWITCH_FLAG_TWITCH) {
                r.responded = 1;
                r.event_index = i;
                r.latency_s = (double)(events[i].onset - markers[m]) / fs_hz;
                break;
            }
        }
        results[m] = r;
    }
    return ETW_OK;
}
