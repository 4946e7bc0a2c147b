/* Figure rendering with cairo (see plot.h). */
#include "plot.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli_args.h"
#include "plot_scale.h"

enum {
    MARGIN_LEFT = 78,
    MARGIN_RIGHT = 16,
    MARGIN_TOP = 34,
    MARGIN_BOTTOM = 46,
    PANEL_GAP = 6,
    GROUP_GAP = 18,
    FONT_SIZE = 11
};

static const struct plot_rgb ink = {0.15, 0.15, 0.15};
static const struct plot_rgb grid = {0.88, 0.88, 0.88};
static const struct plot_rgb span_fill = {0.95, 0.55, 0.20};

/* Pixel box of one panel and its data ranges. */
struct box {
    double x, y, w, h;
    double t0, t1;
    double y0, y1;  /* data range (scaled units) */
    double yscale;  /* SI factor applied to data */
};

static double px_of_t(const struct box *b, double t)
{
    return b->x + (t - b->t0) / (b->t1 - b->t0) * b->w;
}

static double py_of_v(const struct box *b, double v)
{
    return b->y + b->h - (v * b->yscale - b->y0) / (b->y1 - b->y0) * b->h;
}

static void set_rgb(cairo_t *cr, struct plot_rgb c, double alpha)
{
    cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha);
}

/* Index range [*i0, *i1) of a trace's samples inside [t0, t1]. */
static void visible_range(const struct plot_trace *tr, double t0, double t1, size_t *i0,
                          size_t *i1)
{
    double a = ceil((t0 - tr->t0_s) * tr->fs_hz);
    double b = floor((t1 - tr->t0_s) * tr->fs_hz) + 1.0;
    a = a < 0 ? 0 : a;
    b = b > (double)tr->n ? (double)tr->n : b;
    *i0 = (size_t)a;
    *i1 = b > a ? (size_t)b : (size_t)a;
}

/* Data range of a panel's visible samples and levels (NaN/Inf samples ignored). */
static void panel_range(const struct plot_panel *p, double t0, double t1, double *lo,
                        double *hi)
{
    double mn = INFINITY, mx = -INFINITY;
    for (size_t k = 0; k < p->ntraces; k++) {
        size_t i0, i1;
        visible_range(&p->traces[k], t0, t1, &i0, &i1);
        for (size_t i = i0; i < i1; i++) {
            double v = p->traces[k].y[i];
            if (isfinite(v)) {
                mn = v < mn ? v : mn;
                mx = v > mx ? v : mx;
            }
        }
    }
    for (size_t k = 0; k < p->nlevels; k++) {
        double v = p->levels[k].y;
        if (isfinite(v)) {
            mn = v < mn ? v : mn;
            mx = v > mx ? v : mx;
        }
    }
    if (!(mn <= mx)) {
        mn = -1.0;
        mx = 1.0;
    }
    if (p->y_from_zero && mn > 0) {
        mn = 0.0;
    }
    if (p->y_limit > 0 && mx > p->y_limit && mn < p->y_limit) {
        mx = p->y_limit;
    }
    if (mx - mn <= fabs(mx) * 1e-9) {
        double d = mx != 0 ? fabs(mx) * 0.5 : 1.0;
        mn -= d;
        mx += d;
    }
    double pad = (mx - mn) * 0.06;
    *lo = (p->y_from_zero && mn >= 0) ? mn : mn - pad;
    *hi = mx + pad;
}

static void draw_text(cairo_t *cr, double x, double y, const char *s, double ax, double ay)
{
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    cairo_move_to(cr, x - e.width * ax - e.x_bearing, y - e.height * ay - e.y_bearing);
    cairo_show_text(cr, s);
}

static void draw_trace(cairo_t *cr, const struct box *b, const struct plot_trace *tr)
{
    size_t i0, i1;
    visible_range(tr, b->t0, b->t1, &i0, &i1);
    if (i1 <= i0) {
        return;
    }
    set_rgb(cr, tr->color, 1.0);
    cairo_set_line_width(cr, tr->line_width > 0 ? tr->line_width : 1.0);
    double dash[] = {6.0, 4.0};
    cairo_set_dash(cr, dash, tr->dashed ? 2 : 0, 0.0);
    double per_px = (double)(i1 - i0) / b->w;
    int started = 0;
    if (per_px <= 2.0) {
        for (size_t i = i0; i < i1; i++) {
            double v = tr->y[i];
            if (!isfinite(v)) {
                started = 0;
                continue;
            }
            double x = px_of_t(b, tr->t0_s + (double)i / tr->fs_hz);
            if (started) {
                cairo_line_to(cr, x, py_of_v(b, v));
            } else {
                cairo_move_to(cr, x, py_of_v(b, v));
                started = 1;
            }
        }
    } else {
        /* One column per pixel: a vertical stroke from min to max, joined to the next. */
        int ncol = (int)ceil(b->w);
        size_t i = i0;
        for (int c = 0; c < ncol && i < i1; c++) {
            double tc = b->t0 + (c + 1) * (b->t1 - b->t0) / b->w;
            double mn = INFINITY, mx = -INFINITY;
            while (i < i1 && tr->t0_s + (double)i / tr->fs_hz < tc) {
                double v = tr->y[i++];
                if (isfinite(v)) {
                    mn = v < mn ? v : mn;
                    mx = v > mx ? v : mx;
                }
            }
            if (!(mn <= mx)) {
                started = 0;
                continue;
            }
            double x = b->x + c + 0.5;
            if (started) {
                cairo_line_to(cr, x, py_of_v(b, mn));
            } else {
                cairo_move_to(cr, x, py_of_v(b, mn));
                started = 1;
            }
            cairo_line_to(cr, x, py_of_v(b, mx) - 0.01);
        }
    }
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0.0);
}

static void draw_spans(cairo_t *cr, const struct box *b, const struct plot_panel *p)
{
    for (size_t k = 0; k < p->nspans; k++) {
        const struct plot_span *s = &p->spans[k];
        if (s->t1_s < b->t0 || s->t0_s > b->t1) {
            continue;
        }
        double x0 = px_of_t(b, s->t0_s > b->t0 ? s->t0_s : b->t0);
        double x1 = px_of_t(b, s->t1_s < b->t1 ? s->t1_s : b->t1);
        if (x1 - x0 < 2.0) {
            double mid = 0.5 * (x0 + x1);
            x0 = mid - 1.0;
            x1 = mid + 1.0;
        }
        set_rgb(cr, span_fill, 0.28);
        cairo_rectangle(cr, x0, b->y, x1 - x0, b->h);
        cairo_fill(cr);
    }
}

static void draw_marks(cairo_t *cr, const struct box *b, const struct plot_panel *p)
{
    double dash[] = {3.0, 3.0};
    for (size_t k = 0; k < p->nmarks; k++) {
        if (p->marks[k] < b->t0 || p->marks[k] > b->t1) {
            continue;
        }
        double x = floor(px_of_t(b, p->marks[k])) + 0.5;
        set_rgb(cr, (struct plot_rgb){0.1, 0.1, 0.1}, 0.8);
        cairo_set_line_width(cr, 1.0);
        cairo_set_dash(cr, dash, 2, 0.0);
        cairo_move_to(cr, x, b->y);
        cairo_line_to(cr, x, b->y + b->h);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0.0);
        cairo_move_to(cr, x - 5.0, b->y + 1.0);
        cairo_line_to(cr, x + 5.0, b->y + 1.0);
        cairo_line_to(cr, x, b->y + 8.0);
        cairo_close_path(cr);
        cairo_fill(cr);
    }
}

static void draw_span_numbers(cairo_t *cr, const struct box *b, const struct plot_panel *p)
{
    double last_x = -1e9;
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    for (size_t k = 0; k < p->nspans; k++) {
        const struct plot_span *s = &p->spans[k];
        if (s->number <= 0 || s->t1_s < b->t0 || s->t0_s > b->t1) {
            continue;
        }
        double x = px_of_t(b, 0.5 * (s->t0_s + s->t1_s));
        char num[16];
        snprintf(num, sizeof num, "%d", s->number);
        cairo_text_extents_t e;
        cairo_text_extents(cr, num, &e);
        if (x - last_x < e.width + 4.0) {
            continue; /* too crowded: skip the label, the shading stays */
        }
        last_x = x;
        set_rgb(cr, (struct plot_rgb){1, 1, 1}, 0.9);
        cairo_rectangle(cr, x - e.x_advance / 2 - 2.0, b->y + 18.0, e.x_advance + 4.0,
                        e.height + 4.0);
        cairo_fill(cr);
        set_rgb(cr, (struct plot_rgb){0.6, 0.2, 0.0}, 1.0);
        draw_text(cr, x, b->y + 20.0, num, 0.5, 0.0);
    }
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
}

static void draw_panel(cairo_t *cr, const struct box *b, const struct plot_panel *p,
                       double tstep, const char *ylabel, int show_time_labels)
{
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, b->x, b->y, b->w, b->h);
    cairo_fill(cr);
    draw_spans(cr, b, p);

    /* grid and ticks */
    cairo_set_line_width(cr, 1.0);
    double ystep = plot_nice_step(b->y1 - b->y0, b->h > 120 ? 5 : 4);
    for (double v = ceil(b->y0 / ystep) * ystep; v <= b->y1 + ystep * 1e-9; v += ystep) {
        double y = b->y + b->h - (v - b->y0) / (b->y1 - b->y0) * b->h;
        set_rgb(cr, grid, 1.0);
        cairo_move_to(cr, b->x, floor(y) + 0.5);
        cairo_line_to(cr, b->x + b->w, floor(y) + 0.5);
        cairo_stroke(cr);
        char buf[32];
        plot_format_tick(v, ystep, buf, sizeof buf);
        set_rgb(cr, ink, 1.0);
        draw_text(cr, b->x - 5.0, y, buf, 1.0, 0.5);
    }
    for (double t = ceil(b->t0 / tstep) * tstep; t <= b->t1 + tstep * 1e-9; t += tstep) {
        double x = floor(px_of_t(b, t)) + 0.5;
        set_rgb(cr, grid, 1.0);
        cairo_move_to(cr, x, b->y);
        cairo_line_to(cr, x, b->y + b->h);
        cairo_stroke(cr);
        if (show_time_labels) {
            char buf[32];
            plot_format_tick(t, tstep, buf, sizeof buf);
            set_rgb(cr, ink, 1.0);
            cairo_move_to(cr, x, b->y + b->h);
            cairo_line_to(cr, x, b->y + b->h + 4.0);
            cairo_stroke(cr);
            draw_text(cr, x, b->y + b->h + 7.0, buf, 0.5, 0.0);
        }
    }

    /* data, clipped to the panel */
    cairo_save(cr);
    cairo_rectangle(cr, b->x, b->y, b->w, b->h);
    cairo_clip(cr);
    for (size_t k = 0; k < p->ntraces; k++) {
        draw_trace(cr, b, &p->traces[k]);
    }
    for (size_t k = 0; k < p->nlevels; k++) {
        const struct plot_level *l = &p->levels[k];
        double y = py_of_v(b, l->y);
        double dash[] = {5.0, 3.0};
        set_rgb(cr, l->color, 1.0);
        cairo_set_line_width(cr, 1.3);
        cairo_set_dash(cr, dash, l->dashed ? 2 : 0, 0.0);
        cairo_move_to(cr, b->x, y);
        cairo_line_to(cr, b->x + b->w, y);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0.0);
    }
    cairo_restore(cr);
    draw_marks(cr, b, p);
    if (p->number_spans) {
        draw_span_numbers(cr, b, p);
    }

    /* frame, title, y label, legend */
    set_rgb(cr, ink, 1.0);
    cairo_set_line_width(cr, 1.0);
    cairo_rectangle(cr, b->x + 0.5, b->y + 0.5, b->w - 1.0, b->h - 1.0);
    cairo_stroke(cr);
    if (p->title) {
        cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                               CAIRO_FONT_WEIGHT_BOLD);
        set_rgb(cr, ink, 1.0);
        draw_text(cr, b->x + 6.0, b->y + 4.0, p->title, 0.0, 0.0);
        cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                               CAIRO_FONT_WEIGHT_NORMAL);
    }
    cairo_save(cr);
    cairo_translate(cr, 14.0, b->y + b->h / 2);
    cairo_rotate(cr, -0.5 * 3.14159265358979323846);
    set_rgb(cr, ink, 1.0);
    draw_text(cr, 0.0, 0.0, ylabel, 0.5, 0.5);
    cairo_restore(cr);

    double lx = b->x + b->w - 6.0;
    for (size_t k = p->nlevels + p->ntraces; k-- > 0;) {
        const char *name = k < p->ntraces ? p->traces[k].name : p->levels[k - p->ntraces].name;
        struct plot_rgb c = k < p->ntraces ? p->traces[k].color : p->levels[k - p->ntraces].color;
        if (!name) {
            continue;
        }
        cairo_text_extents_t e;
        cairo_text_extents(cr, name, &e);
        set_rgb(cr, (struct plot_rgb){1, 1, 1}, 0.8);
        cairo_rectangle(cr, lx - e.x_advance - 22.0, b->y + 2.0, e.x_advance + 24.0, 14.0);
        cairo_fill(cr);
        set_rgb(cr, ink, 1.0);
        draw_text(cr, lx, b->y + 4.0, name, 1.0, 0.0);
        set_rgb(cr, c, 1.0);
        cairo_set_line_width(cr, 2.0);
        cairo_move_to(cr, lx - e.x_advance - 20.0, b->y + 9.5);
        cairo_line_to(cr, lx - e.x_advance - 6.0, b->y + 9.5);
        cairo_stroke(cr);
        lx -= e.x_advance + 30.0;
    }
}

static void draw_figure(cairo_t *cr, const struct plot_figure *fig)
{
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, FONT_SIZE);

    double weights = 0.0, gaps = 0.0;
    for (size_t k = 0; k < fig->npanels; k++) {
        weights += fig->panels[k].weight > 0 ? fig->panels[k].weight : 1.0;
        if (k > 0) {
            gaps += fig->panels[k].group_start ? GROUP_GAP : PANEL_GAP;
        }
    }
    double avail = fig->height - MARGIN_TOP - MARGIN_BOTTOM - gaps;
    double w = fig->width - MARGIN_LEFT - MARGIN_RIGHT;
    double t0 = fig->t_start_s, t1 = fig->t_end_s;
    double tstep = plot_nice_step(t1 - t0, (int)(w / 90.0) > 2 ? (int)(w / 90.0) : 2);

    if (fig->title) {
        cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                               CAIRO_FONT_WEIGHT_BOLD);
        cairo_set_font_size(cr, FONT_SIZE + 3);
        set_rgb(cr, ink, 1.0);
        draw_text(cr, MARGIN_LEFT, MARGIN_TOP / 2.0, fig->title, 0.0, 0.5);
        cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                               CAIRO_FONT_WEIGHT_NORMAL);
        cairo_set_font_size(cr, FONT_SIZE);
    }

    double y = MARGIN_TOP;
    for (size_t k = 0; k < fig->npanels; k++) {
        const struct plot_panel *p = &fig->panels[k];
        if (k > 0) {
            y += p->group_start ? GROUP_GAP : PANEL_GAP;
        }
        struct box b = {.x = MARGIN_LEFT, .y = y, .w = w, .t0 = t0, .t1 = t1};
        b.h = avail * (p->weight > 0 ? p->weight : 1.0) / weights;
        double lo, hi;
        panel_range(p, t0, t1, &lo, &hi);
        char ylabel[32];
        b.yscale = plot_si_scale(fmax(fabs(lo), fabs(hi)), p->unit, ylabel, sizeof ylabel);
        b.y0 = lo * b.yscale;
        b.y1 = hi * b.yscale;
        draw_panel(cr, &b, p, tstep, ylabel, k + 1 == fig->npanels);
        y += b.h;
    }
    set_rgb(cr, ink, 1.0);
    draw_text(cr, MARGIN_LEFT + w / 2.0, fig->height - 6.0,
              fig->x_label ? fig->x_label : "time (s)", 0.5, 1.0);
}

static cairo_status_t write_stream(void *closure, const unsigned char *data, unsigned int len)
{
    return fwrite(data, 1, len, (FILE *)closure) == len ? CAIRO_STATUS_SUCCESS
                                                        : CAIRO_STATUS_WRITE_ERROR;
}

int plot_render(const struct plot_figure *fig, enum cli_format fmt, FILE *out, char *err,
                size_t errlen)
{
    if (fig->npanels == 0 || !(fig->t_end_s > fig->t_start_s) ||
        fig->width < MARGIN_LEFT + MARGIN_RIGHT + 50 ||
        fig->height < MARGIN_TOP + MARGIN_BOTTOM + 20 * (int)fig->npanels) {
        snprintf(err, errlen, "figure too small for %zu panels, or empty time range",
                 fig->npanels);
        return -1;
    }
    cairo_surface_t *surface;
    if (fmt == CLI_FMT_SVG) {
        surface = cairo_svg_surface_create_for_stream(write_stream, out, fig->width, fig->height);
    } else if (fmt == CLI_FMT_PDF) {
        surface = cairo_pdf_surface_create_for_stream(write_stream, out, fig->width, fig->height);
    } else {
        surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, fig->width, fig->height);
    }
    cairo_t *cr = cairo_create(surface);
    draw_figure(cr, fig);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    if (st == CAIRO_STATUS_SUCCESS && fmt == CLI_FMT_PNG) {
        st = cairo_surface_write_to_png_stream(surface, write_stream, out);
    }
    cairo_surface_finish(surface);
    if (st == CAIRO_STATUS_SUCCESS) {
        st = cairo_surface_status(surface);
    }
    cairo_surface_destroy(surface);
    if (st != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errlen, "drawing failed: %s", cairo_status_to_string(st));
        return -1;
    }
    return 0;
}

int plot_save(const char *cmd, const char *path, int force, const struct plot_figure *fig,
              enum cli_format fmt)
{
    struct cli_out out;
    if (cli_out_open(cmd, path, force, &out) != 0) {
        return -1;
    }
    char err[256];
    if (plot_render(fig, fmt, out.fp, err, sizeof err) != 0) {
        cli_fail(cmd, path, "%s", err);
        cli_out_abort(&out);
        return -1;
    }
    return cli_out_commit(cmd, &out);
}
