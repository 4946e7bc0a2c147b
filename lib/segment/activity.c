#include "segment/activity.h"

#include <math.h>

/* Length of the run of value v starting at i. */
static size_t run_length(const uint8_t *mask, size_t n, size_t i, uint8_t v)
{
    size_t j = i;
    while (j < n && mask[j] == v) {
        j++;
    }
    return j - i;
}

void etw_mask_fill_gaps(uint8_t *mask, size_t n, size_t max_gap)
{
    size_t i = 0;
    while (i < n) {
        size_t len = run_length(mask, n, i, mask[i]);
        if (mask[i] == 0 && i > 0 && i + len < n && len <= max_gap) {
            for (size_t k = i; k < i + len; k++) {
                mask[k] = 1;
            }
        }
        i += len;
    }
}

void etw_mask_keep_lengths(uint8_t *mask, size_t n, size_t min_len, size_t max_len)
{
    size_t i = 0;
    while (i < n) {
        size_t len = run_length(mask, n, i, mask[i]);
        if (mask[i] == 1 && (len < min_len || (max_len > 0 && len > max_len))) {
            for (size_t k = i; k < i + len; k++) {
                mask[k] = 0;
            }
        }
        i += len;
    }
}

etw_status etw_mask_to_segments(const uint8_t *mask, const float *y, size_t n, double fs_hz,
                                double rest_power, double min_snr_db, etw_segment *out,
                                size_t capacity, size_t *count)
{
    size_t found = 0;
    size_t i = 0;
    while (i < n) {
        size_t len = run_length(mask, n, i, mask[i]);
        if (mask[i] == 1) {
            double peak = 0.0;
            double power = 0.0;
            for (size_t k = i; k < i + len; k++) {
                double a = fabs((double)y[k]);
                peak = a > peak ? a : peak;
                power += a * a;
            }
            double snr_db = 10.0 * log10(power / (double)len / rest_power);
            if (snr_db >= min_snr_db) {
                if (found < capacity) {
                    etw_segment *s = &out[found];
                    s->onset = (int64_t)i;
                    s->offset = (int64_t)(i + len);
                    s->onset_s = (double)i / fs_hz;
                    s->offset_s = (double)(i + len) / fs_hz;
                    s->peak = peak;
                    s->snr_db = snr_db;
                }
                found++;
            }
        }
        i += len;
    }
    *count = found;
    return found > capacity ? ETW_ERR_CAPACITY : ETW_OK;
}
