/*
 * The pieces every chart of the report is drawn with: the page and its
 * title, the plot frame, axes on 1-2-5 ticks, shaded bands, lines and
 * the legend, as hand-written SVG.  Coordinates print with two decimals
 * and nothing depends on a clock or locale, so a chart's bytes depend on
 * its numbers only.
 */
#include "report_impl.h"

#include <math.h>
#include <string.h>

double rp_px(const rp_frame *f, double x)
{
    if (!(f->x1 > f->x0))
        return (f->left + f->right) / 2;
    return f->left + (x - f->x0) / (f->x1 - f->x0) * (f->right - f->left);
}

double rp_py(const rp_frame *f, double y)
{
    return f->bottom - (y - f->y0) / (f->y1 - f->y0) * (f->bottom - f->top);
}

void rp_tick_label(char *buf, size_t size, double v, int decimals)
{
    snprintf(buf, size, "%.*f", decimals, v);
    int zero = 1;
    for (const char *p = buf; *p; p++)
        if (*p >= '1' && *p <= '9')
            zero = 0;
    if (zero && buf[0] == '-')
        memmove(buf, buf + 1, strlen(buf));
}

void rp_svg_text(FILE *out, double x, double y, const char *anchor,
                 const char *attrs, const char *s)
{
    fprintf(out, "<text x=\"%.2f\" y=\"%.2f\"", x, y);
    if (anchor)
        fprintf(out, " text-anchor=\"%s\"", anchor);
    if (attrs && *attrs)
        fprintf(out, " %s", attrs);
    fputc('>', out);
    rp_xml(out, s);
    fputs("</text>\n", out);
}

void rp_svg_begin(FILE *out, const char *title)
{
    fprintf(out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
            "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"%s\" "
            "font-size=\"%d\" fill=\"%s\">\n",
            RP_SVG_WIDTH, RP_SVG_HEIGHT, RP_SVG_WIDTH, RP_SVG_HEIGHT,
            RP_FONT_FAMILY, RP_SVG_FONT, RP_TEXT_FILL);
    fputs("<title>", out);
    rp_xml(out, title);
    fputs("</title>\n", out);
    fprintf(out, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
            RP_SVG_WIDTH, RP_SVG_HEIGHT);
    /* Long descriptions are cut to the chart's width (the <title> above
       keeps them whole). */
    char attrs[64], fitted[1024];
    snprintf(attrs, sizeof attrs, "font-size=\"%d\" font-weight=\"bold\"",
             RP_SVG_TITLE_FONT);
    rp_svg_text(out, 24, 34, NULL, attrs,
                rp_fit_text(title, (RP_SVG_WIDTH - 48.0) / RP_SVG_TITLE_FONT,
                            fitted, sizeof fitted));
}

void rp_svg_subtitle(FILE *out, double y, const char *s)
{
    char attrs[64], fitted[1024];
    snprintf(attrs, sizeof attrs, "fill=\"%s\"", RP_MUTED_FILL);
    rp_svg_text(out, 24, y, NULL, attrs,
                rp_fit_text(s, (RP_SVG_WIDTH - 48.0) / RP_SVG_FONT, fitted,
                            sizeof fitted));
}

double rp_svg_left(const ps_report_ticks *yt)
{
    double widest = 0;
    for (size_t i = 0; i <= yt->intervals; i++) {
        char label[64];
        rp_tick_label(label, sizeof label, ps_report_tick(yt, i), yt->decimals);
        double w = rp_text_em(label) * RP_SVG_FONT;
        if (w > widest)
            widest = w;
    }
    double left = 24 + widest + 10;
    return left < 60 ? 60 : left;
}

void rp_svg_band(FILE *out, const rp_frame *f, size_t n, const double *t,
                 const double *lo, const double *hi, const char *fill)
{
    size_t k = 0;
    while (k < n) {
        if (!isfinite(lo[k]) || !isfinite(hi[k])) {
            k++;
            continue;
        }
        size_t end = k;
        while (end + 1 < n && isfinite(lo[end + 1]) && isfinite(hi[end + 1]))
            end++;
        if (end == k) {
            fprintf(out,
                    "<rect x=\"%.2f\" y=\"%.2f\" width=\"8\" height=\"%.2f\" "
                    "fill=\"%s\"/>\n",
                    rp_px(f, t[k]) - 4, rp_py(f, hi[k]),
                    rp_py(f, lo[k]) - rp_py(f, hi[k]), fill);
        } else {
            fprintf(out, "<polygon fill=\"%s\" stroke=\"none\" points=\"",
                    fill);
            for (size_t i = k; i <= end; i++)
                fprintf(out, "%s%.2f,%.2f", i > k ? " " : "", rp_px(f, t[i]),
                        rp_py(f, hi[i]));
            for (size_t i = end + 1; i-- > k;)
                fprintf(out, " %.2f,%.2f", rp_px(f, t[i]), rp_py(f, lo[i]));
            fputs("\"/>\n", out);
        }
        k = end + 1;
    }
}

void rp_svg_line(FILE *out, const rp_frame *f, size_t n, const double *t,
                 const double *y, const char *stroke, const char *extra)
{
    size_t k = 0;
    while (k < n) {
        if (!isfinite(y[k])) {
            k++;
            continue;
        }
        size_t end = k;
        while (end + 1 < n && isfinite(y[end + 1]))
            end++;
        if (end == k) {
            fprintf(out,
                    "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"3\" fill=\"%s\"/>\n",
                    rp_px(f, t[k]), rp_py(f, y[k]), stroke);
        } else {
            fprintf(out,
                    "<polyline fill=\"none\" stroke=\"%s\" "
                    "stroke-width=\"2.5\" stroke-linejoin=\"round\"%s%s "
                    "points=\"",
                    stroke, extra ? " " : "", extra ? extra : "");
            for (size_t i = k; i <= end; i++)
                fprintf(out, "%s%.2f,%.2f", i > k ? " " : "", rp_px(f, t[i]),
                        rp_py(f, y[i]));
            fputs("\"/>\n", out);
        }
        k = end + 1;
    }
}

void rp_svg_y_axis(FILE *out, const rp_frame *f, const ps_report_ticks *yt,
                   const char *units)
{
    fputs("<g class=\"y-axis\">\n", out);
    for (size_t i = 0; i <= yt->intervals; i++) {
        double v = ps_report_tick(yt, i), y = rp_py(f, v);
        char label[64];
        rp_tick_label(label, sizeof label, v, yt->decimals);
        fprintf(out,
                "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" "
                "stroke=\"%s\"/>\n",
                f->left, y, f->right, y, RP_GRID_STROKE);
        fprintf(out,
                "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\">%s</text>\n",
                f->left - 8, y + 4, label);
    }
    fprintf(out,
            "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" "
            "stroke=\"%s\"/>\n",
            f->left, f->top, f->left, f->bottom, RP_AXIS_STROKE);
    if (units && *units)
        rp_svg_text(out, f->left - 8, f->top - 14, "end", "", units);
    fputs("</g>\n", out);
}

void rp_svg_x_axis(FILE *out, const rp_frame *f, size_t most, const char *name)
{
    fputs("<g class=\"x-axis\">\n", out);
    fprintf(out,
            "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" "
            "stroke=\"%s\"/>\n",
            f->left, f->bottom, f->right, f->bottom, RP_AXIS_STROKE);
    ps_report_ticks xt;
    double lo = f->x0, hi = f->x1;
    if (most == 0) {
        /* One time: one tick, at the middle. */
        char label[RP_NUM_MAX];
        fprintf(out,
                "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">%s"
                "</text>\n",
                rp_px(f, lo), f->bottom + 20, rp_time(lo, label));
    } else if (ps_report_nice_ticks(lo, hi, most, &xt) == 0) {
        double tol = 1e-9 * (fabs(hi) > 1 ? fabs(hi) : 1);
        for (size_t i = 0; i <= xt.intervals; i++) {
            double v = ps_report_tick(&xt, i);
            if (v < lo - tol || v > hi + tol)
                continue; /* the axis spans the data only */
            char label[64];
            rp_tick_label(label, sizeof label, v, xt.decimals);
            double x = rp_px(f, v);
            fprintf(out,
                    "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" "
                    "stroke=\"%s\"/>\n",
                    x, f->bottom, x, f->bottom + 5, RP_AXIS_STROKE);
            fprintf(out,
                    "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">%s"
                    "</text>\n",
                    x, f->bottom + 20, label);
        }
    }
    if (name && *name)
        rp_svg_text(out, f->right, f->bottom + 38, "end", "", name);
    fputs("</g>\n", out);
}

void rp_svg_legend(FILE *out, const rp_frame *f, const rp_key *keys, size_t n)
{
    double x = f->left, y = RP_SVG_HEIGHT - 18;
    fputs("<g class=\"legend\">\n", out);
    for (size_t i = 0; i < n; i++) {
        const rp_key *k = &keys[i];
        switch (k->shape) {
        case RP_KEY_BOX:
            fprintf(out,
                    "<rect x=\"%.2f\" y=\"%.2f\" width=\"22\" height=\"12\" "
                    "fill=\"%s\"/>\n",
                    x, y - 10, k->colour);
            break;
        case RP_KEY_LINE:
            fprintf(out,
                    "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" "
                    "stroke=\"%s\" stroke-width=\"%g\"",
                    x, y - 4, x + 22, y - 4, k->colour, k->width);
            if (k->dash)
                fprintf(out, " stroke-dasharray=\"%s\"", k->dash);
            fputs("/>\n", out);
            break;
        case RP_KEY_POINT:
            fprintf(out,
                    "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"4.5\" fill=\"%s\" "
                    "stroke=\"#ffffff\" stroke-width=\"1.5\"/>\n",
                    x + 11, y - 4, k->colour);
            break;
        }
        rp_svg_text(out, x + 28, y, NULL, "", k->label);
        x += 28 + rp_text_em(k->label) * RP_SVG_FONT + 24;
    }
    fputs("</g>\n", out);
}
