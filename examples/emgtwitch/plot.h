/* A figure of stacked panels over a common time axis, drawn with cairo into PNG, SVG or PDF:
 * signal traces (min/max per pixel column when there are more samples than pixels),
 * horizontal levels (noise floor, thresholds), shaded and numbered time spans (events),
 * grid, ticks, labels and units with SI prefixes. The x axis is time unless the figure names
 * another quantity (spectra: frequency). */
#ifndef ETW_CLI_PLOT_H
#define ETW_CLI_PLOT_H

#include <stddef.h>
#include <stdio.h>

#include "cli_output.h"

struct plot_rgb {
    double r, g, b;
};

/* One sampled signal: sample i is at time t0_s + i / fs_hz. */
struct plot_trace {
    const float *y;
    size_t n;
    double t0_s;
    double fs_hz;
    struct plot_rgb color;
    double line_width; /* pixels */
    int dashed;
    const char *name; /* legend entry, NULL for none */
};

/* A constant level across the panel. */
struct plot_level {
    double y;
    struct plot_rgb color;
    int dashed;
    const char *name;
};

/* A shaded time interval; numbered (label "n") when number > 0. */
struct plot_span {
    double t0_s, t1_s;
    int number;
};

struct plot_panel {
    const char *title; /* top-left, e.g. "EMG1  raw" */
    const char *unit;  /* physical unit of y, e.g. "V"; SI prefixes are chosen from it */
    const struct plot_trace *traces;
    size_t ntraces;
    const struct plot_level *levels;
    size_t nlevels;
    const struct plot_span *spans;
    size_t nspans;
    int number_spans; /* write span numbers in this panel */
    const double *marks; /* times (s) of markers drawn as dashed vertical lines with a tick */
    size_t nmarks;
    int y_from_zero;  /* y axis starts at 0 (envelopes) */
    double y_limit;   /* > 0: the y axis ends at most here (larger values are clipped) */
    double weight;    /* relative height, > 0 */
    int group_start;  /* first panel of a channel: a wider gap above it */
};

struct plot_figure {
    const char *title;
    const char *x_label; /* NULL = "time (s)"; the x values are t0_s + i / fs_hz */
    double t_start_s, t_end_s;
    const struct plot_panel *panels;
    size_t npanels;
    int width, height; /* pixels (points for SVG/PDF) */
};

/* Renders the figure as PNG, SVG or PDF to `out`. Returns 0, or -1 with a reason in `err`. */
int plot_render(const struct plot_figure *fig, enum cli_format fmt, FILE *out, char *err,
                size_t errlen);

/* Renders the figure into `path` ("-" = stdout) atomically (see cli_output.h). Returns 0, or
 * -1 after printing "emgtwitch CMD: PATH: reason". */
int plot_save(const char *cmd, const char *path, int force, const struct plot_figure *fig,
              enum cli_format fmt);

#endif
