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

/* Splits a unit like "mV" or "uV" into its base ("V") and the factor to it (1e-3, 1e-6). */
static double unit_base(const char *unit, const char **base)
{
    static const struct {
        const char *prefix;
        double factor;
    } known[] = {{"n", 1e-9}, {"u", 1e-6}, {"\xc2\xb5", 1e-6}, {"m", 1e-3}, {"k", 1e3}};
    *base = unit;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        size_t n = strlen(known[i].prefix);
        const char *rest = unit + n;
        if (strncmp(unit, known[i].prefix, n) == 0 &&
            (strcmp(rest, "V") == 0 || strcmp(rest, "A") == 0 || strcmp(rest, "s") == 0)) {
            *base = rest;
            return known[i].factor;
        }
    }
    return 1.0;
}

double plot_si_scale(double max_abs, const char *unit, char *label, int cap)
{
    static const struct {
        double factor;
        const char *prefix;
    } prefixes[] = {{1e9, "n"}, {1e6, "\xc2\xb5"}, {1e3, "m"}, {1.0, ""}, {1e-3, "k"}};
    const size_t np = sizeof prefixes / sizeof prefixes[0];
    const char *base;
    double to_base = unit_base(unit ? unit : "", &base);
    int scalable = strcmp(base, "V") == 0 || strcmp(base, "A") == 0 || strcmp(base, "s") == 0;
    if (!scalable || !(max_abs > 0) || !isfinite(max_abs)) {
        snprintf(label, (size_t)cap, "%s", unit ? unit : "");
        return 1.0;
    }
    double v = max_abs * to_base;
    size_t i = 0;
    while (i + 1 < np && v * prefixes[i].factor >= 1000.0) {
        i++;
    }
    snprintf(label, (size_t)cap, "%s%s", prefixes[i].prefix, base);
    return to_base * prefixes[i].factor;
}

void plot_format_value(double value, const char *unit, char *buf, int cap)
{
    char label[32];
    double f = plot_si_scale(fabs(value), unit, label, sizeof label);
    snprintf(buf, (size_t)cap, "%.3g %s", value * f, label);
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
