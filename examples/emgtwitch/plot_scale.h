/* Axis helpers for plots: "nice" tick steps and SI-prefixed units. */
#ifndef ETW_CLI_PLOT_SCALE_H
#define ETW_CLI_PLOT_SCALE_H

/* A tick step of 1, 2 or 5 times a power of ten giving about `target` ticks over `range`. */
double plot_nice_step(double range, int target);

/* Chooses an SI prefix for values up to |max_abs| in `unit` (e.g. 3e-4 V -> "µV", factor
 * 1e6; 0.3 mV -> "µV", factor 1e3; "uV" is written "µV") and writes the prefixed unit into
 * `label` (size `cap`). Returns the factor. Units other than (prefixed) V, A and s, and empty
 * units, get factor 1 and keep their name. */
double plot_si_scale(double max_abs, const char *unit, char *label, int cap);

/* Formats a value with 3 significant digits and an SI-prefixed unit ("3.96 µV"). */
void plot_format_value(double value, const char *unit, char *buf, int cap);

/* Formats a tick value with just enough decimals for `step`. */
void plot_format_tick(double value, double step, char *buf, int cap);

#endif
