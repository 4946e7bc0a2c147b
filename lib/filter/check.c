/* Validation of caller-supplied second-order sections. */
#include "filter/check.h"

#include <math.h>

etw_status etw_sos_check(const etw_sos *sos, size_t nsections)
{
    if (sos == NULL) {
        return ETW_ERR_NULL;
    }
    if (nsections == 0 || nsections > ETW_MAX_SECTIONS) {
        return ETW_ERR_RANGE;
    }
    for (size_t s = 0; s < nsections; s++) {
        for (int i = 0; i < 6; i++) {
            if (!isfinite(sos[s][i])) {
                return ETW_ERR_NONFINITE;
            }
        }
        if (sos[s][3] != 1.0) {
            return ETW_ERR_RANGE;
        }
    }
    return ETW_OK;
}
