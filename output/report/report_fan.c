/*
 * Fan charts as hand-written SVG: the 90 % band (5-95 %) and the 50 %
 * band (25-75 %) as shaded polygons in two tints of one colour, the
 * median as a line, each target on the variable as a dashed line at its
 * threshold with a marker at its year and a label, axes on 1-2-5 ticks,
 * a legend.  No external tools and no clock: the same summary gives the
 * same bytes.  Text is left to the viewer's fonts; the font list names
 * the usual CJK fonts of Linux, Windows and macOS so Chinese renders.
 */
#include "report_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plansim_output/report.h"

#define FONT_FAMILY                                                          \
    "'Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Micro Hei',"        \
    "'Microsoft YaHei','PingFang SC',sans-serif"

enum { WIDTH = 800, HEIGHT = 480, FONT = 12, TITLE_FONT = 18 };

static const char band90_fill[] = "#c6dbef";
static const char band50_fill[] = "#6baed6";
static const char median_stroke[] = "#08519c";
static const char target_stroke[] = "#c0392b";
static const char grid_stroke[] = "#e3e3e3";
static const char axis_stroke[] = "#444444";
static const char text_fill[] = "#222222";
static const char muted_fill[] = "#555555";

/* The plot area in pixels and the data range it shows. */
typedef struct frame {
    double left, right, top, bottom;
    double x0, x1, y0, y1;
} frame;

static double px(const frame *f, double x)
{
    if (!(f->x1 > f->x0))
        return (f->left + f->right) / 2;
    return f->left + (x - f->x0) / (f->x1 - f->x0) * (f->right - f->left);
}

static double py(const frame *f, double y)
{
    return f->bottom - (y - f->y0) / (f->y1 - f->y0) * (f->bottom - f->top);
}

char *ps_report_fan_file_name(const ps_h5_var_summary *v, char *buf,
                              size_t size)
{
    if (!v->element || !*v->element) {
        snprintf(buf, size, "fan_%s.svg", v->name);
        return buf;
    }
    /* an element's chart: its names after the variable's, each ASCII
       character other than a letter or a digit made '_' */
    int n = snprintf(buf, size, "fan_%s_", v->name);
    size_t o = n > 0 && (size_t)n < size ? (size_t)n : 0;
    for (const char *p = v->element; *p && o + 1 < size; p++) {
        unsigned char c = (unsigned char)*p;
        int keep = c >= 0x80 || (c >= '0' && c <= '9') ||
                   (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        buf[o++] = keep ? (char)c : '_';
    }
    if (o < size)
        buf[o] = '\0';
    snprintf(buf + o, size > o ? size - o : 0, ".svg");
    return buf;
}

/* A tick label with the ticks' decimals; never "-0". */
static void tick_label(char *buf, size_t size, double v, int decimals)
{
    snprintf(buf, size, "%.*f", decimals, v);
    int zero = 1;
    for (const char *p = buf; *p; p++)
        if (*p >= '1' && *p <= '9')
            zero = 0;
    if (zero && buf[0] == '-')
        memmove(buf, buf + 1, strlen(buf));
}

/* ---- the numbers to draw -------------------------------------------------- */

typedef struct series {
    size_t n;
    const double *t;
    double *p05, *p25, *p50, *p75, *p95; /* [n] each */
} series;

static void series_free(series *s)
{
    free(s->p05);
    free(s->p25);
    free(s->p50);
    free(s->p75);
    free(s->p95);
}

static int series_make(series *sr, const ps_h5_summary *s,
                       const ps_h5_var_summary *v)
{
    size_t n = s->ntimes ? s->ntimes : 1;
    double **cols[5] = {&sr->p05, &sr->p25, &sr->p50, &sr->p75, &sr->p95};
    static const double levels[5] = {0.05, 0.25, 0.50, 0.75, 0.95};
    memset(sr, 0, sizeof *sr);
    sr->n = s->ntimes;
    sr->t = s->times;
    for (int c = 0; c < 5; c++) {
        *cols[c] = malloc(n * sizeof(double));
        if (!*cols[c]) {
            series_free(sr);
            return -1;
        }
        for (size_t k = 0; k < s->ntimes; k++)
            (*cols[c])[k] = rp_quantile(s, v, levels[c], k);
    }
    return 0;
}

/* The thresholds of a target: one, or two for a band. */
static size_t thresholds(const ps_h5_target_summary *t, double out[2])
{
    switch (t->compare) {
    case PS_H5_AT_LEAST:
        out[0] = t->lo;
        return isfinite(t->lo) ? 1 : 0;
    case PS_H5_AT_MOST:
        out[0] = t->hi;
        return isfinite(t->hi) ? 1 : 0;
    case PS_H5_BETWEEN: {
        size_t n = 0;
        if (isfinite(t->hi))
            out[n++] = t->hi;
        if (isfinite(t->lo))
            out[n++] = t->lo;
        return n;
    }
    }
    return 0;
}

static int targets_this(const ps_h5_target_summary *t,
                        const ps_h5_var_summary *v)
{
    return strcmp(t->variable, v->model_name) == 0;
}

static void widen(double *lo, double *hi, double x)
{
    if (!isfinite(x))
        return;
    if (x < *lo)
        *lo = x;
    if (x > *hi)
        *hi = x;
}

/* ---- drawing ---------------------------------------------------------------- */

static void text(FILE *out, double x, double y, const char *anchor,
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

/* Polygons of a band over each run of times where both edges are
   finite; a run of one time is drawn as a narrow bar. */
static void band(FILE *out, const frame *f, const series *sr, const double *lo,
                 const double *hi, const char *fill)
{
    size_t k = 0;
    while (k < sr->n) {
        if (!isfinite(lo[k]) || !isfinite(hi[k])) {
            k++;
            continue;
        }
        size_t end = k;
        while (end + 1 < sr->n && isfinite(lo[end + 1]) && isfinite(hi[end + 1]))
            end++;
        if (end == k) {
            fprintf(out,
                    "<rect x=\"%.2f\" y=\"%.2f\" width=\"8\" height=\"%.2f\" "
                    "fill=\"%s\"/>\n",
                    px(f, sr->t[k]) - 4, py(f, hi[k]),
                    py(f, lo[k]) - py(f, hi[k]), fill);
        } else {
            fprintf(out, "<polygon fill=\"%s\" stroke=\"none\" points=\"", fill);
            for (size_t i = k; i <= end; i++)
                fprintf(out, "%s%.2f,%.2f", i > k ? " " : "", px(f, sr->t[i]),
                        py(f, hi[i]));
            for (size_t i = end + 1; i-- > k;)
                fprintf(out, " %.2f,%.2f", px(f, sr->t[i]), py(f, lo[i]));
            fputs("\"/>\n", out);
        }
        k = end + 1;
    }
}

static void median_line(FILE *out, const frame *f, const series *sr)
{
    size_t k = 0;
    while (k < sr->n) {
        if (!isfinite(sr->p50[k])) {
            k++;
            continue;
        }
        size_t end = k;
        while (end + 1 < sr->n && isfinite(sr->p50[end + 1]))
            end++;
        if (end == k) {
            fprintf(out,
                    "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"3\" fill=\"%s\"/>\n",
                    px(f, sr->t[k]), py(f, sr->p50[k]), median_stroke);
        } else {
            fprintf(out,
                    "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\" "
                    "stroke-linejoin=\"round\" points=\"",
                    median_stroke);
            for (size_t i = k; i <= end; i++)
                fprintf(out, "%s%.2f,%.2f", i > k ? " " : "", px(f, sr->t[i]),
                        py(f, sr->p50[i]));
            fputs("\"/>\n", out);
        }
        k = end + 1;
    }
}

static void y_axis(FILE *out, const frame *f, const ps_report_ticks *yt,
                   const char *units)
{
    fputs("<g class=\"y-axis\">\n", out);
    for (size_t i = 0; i <= yt->intervals; i++) {
        double v = ps_report_tick(yt, i), y = py(f, v);
        char label[64];
        tick_label(label, sizeof label, v, yt->decimals);
        fprintf(out,
                "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" "
                "stroke=\"%s\"/>\n",
                f->left, y, f->right, y, grid_stroke);
        fprintf(out, "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\">%s</text>\n",
                f->left - 8, y + 4, label);
    }
    fprintf(out,
            "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" "
            "stroke=\"%s\"/>\n",
            f->left, f->top, f->left, f->bottom, axis_stroke);
    if (units && *units)
        text(out, f->left - 8, f->top - 14, "end", "", units);
    fputs("</g>\n", out);
}

static void x_axis(FILE *out, const frame *f, const ps_h5_summary *s)
{
    fputs("<g class=\"x-axis\">\n", out);
    fprintf(out,
            "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" "
            "stroke=\"%s\"/>\n",
            f->left, f->bottom, f->right, f->bottom, axis_stroke);
    ps_report_ticks xt;
    size_t most = s->ntimes > 1 ? s->ntimes - 1 : 1;
    if (most > 10)
        most = 10;
    double lo = f->x0, hi = f->x1;
    if (s->ntimes == 1) {
        /* One saved time: one tick, at the middle. */
        char label[RP_NUM_MAX];
        fprintf(out,
                "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">%s"
                "</text>\n",
                px(f, lo), f->bottom + 20, rp_time(lo, label));
    } else if (ps_report_nice_ticks(lo, hi, most, &xt) == 0) {
        double tol = 1e-9 * (fabs(hi) > 1 ? fabs(hi) : 1);
        for (size_t i = 0; i <= xt.intervals; i++) {
            double v = ps_report_tick(&xt, i);
            if (v < lo - tol || v > hi + tol)
                continue; /* the x axis spans the saved times only */
            char label[64];
            tick_label(label, sizeof label, v, xt.decimals);
            double x = px(f, v);
            fprintf(out,
                    "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" "
                    "stroke=\"%s\"/>\n",
                    x, f->bottom, x, f->bottom + 5, axis_stroke);
            fprintf(out,
                    "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">%s"
                    "</text>\n",
                    x, f->bottom + 20, label);
        }
    }
    const char *name = rp_time_is_year(s) ? "年份" : s->time_units;
    if (name && *name)
        text(out, f->right, f->bottom + 38, "end", "", name);
    fputs("</g>\n", out);
}

/* The targets on this variable: dashed lines at the thresholds, a marker
   at the target's year, a label with the probability. */
static void targets(FILE *out, const frame *f, const ps_h5_summary *s,
                    const ps_h5_var_summary *v)
{
    double used[64];
    size_t nused = 0;
    for (size_t i = 0; i < s->ntargets; i++) {
        const ps_h5_target_summary *t = &s->targets[i];
        double thr[2];
        size_t n = targets_this(t, v) ? thresholds(t, thr) : 0;
        if (!n)
            continue;
        fputs("<g class=\"target\">\n", out);
        double x = px(f, t->time);
        for (size_t j = 0; j < n; j++)
            fprintf(out,
                    "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" "
                    "stroke=\"%s\" stroke-width=\"1.5\" "
                    "stroke-dasharray=\"6 4\"/>\n",
                    f->left, py(f, thr[j]), f->right, py(f, thr[j]),
                    target_stroke);
        if (n == 2)
            fprintf(out,
                    "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" "
                    "stroke=\"%s\" stroke-width=\"2\"/>\n",
                    x, py(f, thr[0]), x, py(f, thr[1]), target_stroke);
        for (size_t j = 0; j < n; j++)
            fprintf(out,
                    "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"4.5\" fill=\"#ffffff\" "
                    "stroke=\"%s\" stroke-width=\"2\"/>\n",
                    x, py(f, thr[j]), target_stroke);

        /* Label above the (upper) line at the left, where a growing fan
           usually leaves room; below it when at the top.  Labels of
           nearby targets are moved apart. */
        double y = py(f, thr[0]) - 7;
        if (y < f->top + 14)
            y = py(f, thr[0]) + 17;
        for (int moved = 1; moved;) {
            moved = 0;
            for (size_t u = 0; u < nused; u++)
                if (fabs(used[u] - y) < 15) {
                    y += 15;
                    moved = 1;
                }
        }
        if (nused < sizeof used / sizeof used[0])
            used[nused++] = y;
        char rule[128], time[RP_NUM_MAX], p[RP_NUM_MAX], label[1024];
        rp_rule(rule, sizeof rule, t);
        snprintf(label, sizeof label, "%s（%s，%s，%s）达成概率 %s",
                 *t->label ? t->label : t->name, rule,
                 rp_time(t->time, time), rp_kind_zh(t->binding),
                 rp_pct(t->probability, p));
        char fitted[1024];
        rp_fit_text(label, (f->right - f->left - 16) / FONT, fitted,
                    sizeof fitted);
        fprintf(out, "<text x=\"%.2f\" y=\"%.2f\" fill=\"%s\" ", f->left + 8, y,
                target_stroke);
        fputs("stroke=\"#ffffff\" stroke-width=\"4\" stroke-linejoin=\"round\" "
              "paint-order=\"stroke\">",
              out);
        rp_xml(out, fitted);
        fputs("</text>\n</g>\n", out);
    }
}

static void legend(FILE *out, const frame *f, int has_targets)
{
    double x = f->left, y = HEIGHT - 18;
    fputs("<g class=\"legend\">\n", out);
    const char *labels[4] = {"90% 区间（5%–95%）", "50% 区间（25%–75%）",
                             "中位数", "目标"};
    for (int i = 0; i < (has_targets ? 4 : 3); i++) {
        switch (i) {
        case 0:
        case 1:
            fprintf(out,
                    "<rect x=\"%.2f\" y=\"%.2f\" width=\"22\" height=\"12\" "
                    "fill=\"%s\"/>\n",
                    x, y - 10, i == 0 ? band90_fill : band50_fill);
            break;
        case 2:
            fprintf(out,
                    "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" "
                    "stroke=\"%s\" stroke-width=\"2.5\"/>\n",
                    x, y - 4, x + 22, y - 4, median_stroke);
            break;
        default:
            fprintf(out,
                    "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" "
                    "stroke=\"%s\" stroke-width=\"1.5\" "
                    "stroke-dasharray=\"6 4\"/>\n",
                    x, y - 4, x + 22, y - 4, target_stroke);
        }
        text(out, x + 28, y, NULL, "", labels[i]);
        x += 28 + rp_text_em(labels[i]) * FONT + 24;
    }
    fputs("</g>\n", out);
}

/* ---- the chart ---------------------------------------------------------------- */

static void chart(FILE *out, const ps_h5_summary *s, const ps_h5_var_summary *v,
                  const series *sr)
{
    /* The y range: the 90 % band (or whatever quantiles there are) and
       every threshold, so the target lines are inside the plot. */
    double lo = INFINITY, hi = -INFINITY;
    for (size_t k = 0; k < sr->n; k++) {
        const double *cols[5] = {sr->p05, sr->p25, sr->p50, sr->p75, sr->p95};
        for (int c = 0; c < 5; c++)
            widen(&lo, &hi, cols[c][k]);
    }
    int has_targets = 0;
    for (size_t i = 0; i < s->ntargets; i++) {
        double thr[2];
        size_t n = targets_this(&s->targets[i], v)
                       ? thresholds(&s->targets[i], thr)
                       : 0;
        for (size_t j = 0; j < n; j++)
            widen(&lo, &hi, thr[j]);
        has_targets |= n > 0;
    }
    int empty = !(lo <= hi);
    if (empty)
        lo = 0, hi = 1;
    ps_report_ticks yt;
    ps_report_nice_ticks(lo, hi, 6, &yt);

    /* Room on the left for the widest tick label. */
    double widest = 0;
    for (size_t i = 0; i <= yt.intervals; i++) {
        char label[64];
        tick_label(label, sizeof label, ps_report_tick(&yt, i), yt.decimals);
        double w = rp_text_em(label) * FONT;
        if (w > widest)
            widest = w;
    }
    frame f;
    f.left = 24 + widest + 10;
    if (f.left < 60)
        f.left = 60;
    f.right = WIDTH - 28;
    f.top = 92;
    f.bottom = HEIGHT - 84;
    f.x0 = s->ntimes ? s->times[0] : 0;
    f.x1 = s->ntimes ? s->times[s->ntimes - 1] : 1;
    f.y0 = ps_report_tick(&yt, 0);
    f.y1 = ps_report_tick(&yt, yt.intervals);

    const char *title = rp_var_title(v);
    fprintf(out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
            "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"%s\" "
            "font-size=\"%d\" fill=\"%s\">\n",
            WIDTH, HEIGHT, WIDTH, HEIGHT, FONT_FAMILY, FONT, text_fill);
    fputs("<title>", out);
    rp_xml(out, title);
    fputs("</title>\n", out);
    fprintf(out, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", WIDTH,
            HEIGHT);
    /* Long descriptions are cut to the chart's width (the <title> above
       keeps them whole). */
    char attrs[64], fitted[1024];
    snprintf(attrs, sizeof attrs, "font-size=\"%d\" font-weight=\"bold\"",
             TITLE_FONT);
    text(out, 24, 34, NULL, attrs,
         rp_fit_text(title, (WIDTH - 48.0) / TITLE_FONT, fitted, sizeof fitted));

    char sub[1024];
    int n = snprintf(sub, sizeof sub, "%s", v->model_name);
    if (*v->units && n >= 0 && (size_t)n < sizeof sub)
        n += snprintf(sub + n, sizeof sub - (size_t)n, "，单位：%s", v->units);
    if (n >= 0 && (size_t)n < sizeof sub)
        snprintf(sub + n, sizeof sub - (size_t)n,
                 "；中位数与 50%%、90%% 区间，基于 %lld 次成功的模拟",
                 s->runs_ok);
    snprintf(attrs, sizeof attrs, "fill=\"%s\"", muted_fill);
    text(out, 24, 58, NULL, attrs,
         rp_fit_text(sub, (WIDTH - 48.0) / FONT, fitted, sizeof fitted));

    y_axis(out, &f, &yt, v->units);
    fputs("<g class=\"fan\">\n", out);
    band(out, &f, sr, sr->p05, sr->p95, band90_fill);
    band(out, &f, sr, sr->p25, sr->p75, band50_fill);
    median_line(out, &f, sr);
    fputs("</g>\n", out);
    if (empty)
        text(out, (f.left + f.right) / 2, (f.top + f.bottom) / 2, "middle",
             "", "无有效数据");
    x_axis(out, &f, s);
    targets(out, &f, s, v);
    legend(out, &f, has_targets);
    fputs("</svg>\n", out);
}

ps_status ps_report_fan_svg(FILE *out, const ps_h5_summary *s, size_t var,
                            ps_error *err)
{
    if (var >= s->nvars)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "no saved variable %zu (the file has %zu)", var,
                            s->nvars);
    series sr;
    if (series_make(&sr, s, &s->vars[var]) < 0)
        return rp_nomem(err);
    chart(out, s, &s->vars[var], &sr);
    series_free(&sr);
    return rp_finish(out, err);
}
