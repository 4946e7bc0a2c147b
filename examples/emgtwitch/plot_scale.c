/* Axis helpers for plots (see plot_scale.h). */
#include "plot_scale.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

double plot_nice_step(double range, int target)
{
    if (!(range > 0) || target < 1) {
        return 1.0;
    }
    double raw = range / target;
    double mag = pow(10.0, floor(log10(raw)));
    double f = raw / mag;
    double nice = f < 1.5 ? 1.0 : f < 3.5 ? 2.0 : f < 7.5 ? 5.0 : 10.0;
    return nice * mag;
}

double plot_si_scale(double max_abs, const char *unit, char *label, int cap)
{
    static const struct {
        double factor;
        const char *prefix;
    } prefixes[] = {{1e9, "n"}, {1e6, "\xc2\xb5"}, {1e3, "m"}, {1.0, ""}, {1e-3, "k"}};
    const char *u = unit ? unit : "";
    int scalable = strcmp(u, "V") == 0 || strcmp(u, "A") == 0 || strcmp(u, "s") == 0;
    if (!scalable || !(max_abs > 0) || !isfinite(max_abs)) {
        snprintf(label, (size_t)cap, "%s", u);
        return 1.0;
    }
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        if (max_abs * prefixes[i].factor < 1000.0 || i + 1 == sizeof prefixes / sizeof prefixes[0]) {
            snprintf(label, (size_t)cap, "%s%s", prefixes[i].prefix, u);
            return prefixes[i].factor;
        }
    }
    return 1.0; /* not reached */
}

void plot_format_tick(double value, double step, char *buf, int cap)
{
    int decimals = step >= 1.0 ? 0 : (int)ceil(-log10(step) - 1e-9);
    if (decimals > 6) {
        decimals = 6;
    }
    if (fabs(value) < step * 1e-6) {
        value = 0.0; /* no "-0" */
    }
    snprintf(buf, (size_t)cap, "%.*f", decimals, value);
}
