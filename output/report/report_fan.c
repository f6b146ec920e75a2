/*
 * Fan charts as hand-written SVG: the 90 % band (5-95 %) and the 50 %
 * band (25-75 %) as shaded polygons in two tints of one colour, the
 * median as a line, each target on the variable as a dashed line at its
 * threshold with a marker at its year and a label, axes on 1-2-5 ticks,
 * a legend.  No external tools and no clock: the same summary gives the
 * same bytes.  Text is left to the viewer's fonts; the font list names
 * the usual CJK fonts of Linux, Windows and macOS so Chinese renders.
 * The drawing pieces are report_svg.c's; the safe file names that every
 * chart of the report uses are made here.
 */
#include "report_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/utf8.h"
#include "plansim_output/report.h"

size_t rp_name_append(char *buf, size_t size, size_t o, const char *s)
{
    if (size == 0)
        return 0;
    if (o >= size)
        o = size - 1;
    size_t len = strlen(s);
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        /* a whole UTF-8 character or nothing */
        unsigned cp;
        size_t n = ps_utf8_next((const char *)p, len, &cp);
        if (o + n >= size)
            break;
        for (size_t i = 0; i < n; i++) {
            unsigned char c = p[i];
            int keep = c >= 0x80 || (c >= '0' && c <= '9') ||
                       (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            buf[o++] = keep ? (char)c : '_';
        }
        p += n, len -= n;
    }
    buf[o] = '\0';
    return o;
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
    o = rp_name_append(buf, size, o, v->element);
    snprintf(buf + o, size > o ? size - o : 0, ".svg");
    return buf;
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

/* The quantiles in display units (rp_display). */
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
            (*cols[c])[k] = rp_display(v, rp_quantile(s, v, levels[c], k));
    }
    return 0;
}

/* The thresholds of a target in display units: one, or two for a
   band. */
static size_t thresholds_raw(const ps_h5_target_summary *t, double out[2]);
static size_t thresholds(const ps_h5_target_summary *t,
                         const ps_h5_var_summary *v, double out[2])
{
    size_t n = thresholds_raw(t, out);
    for (size_t j = 0; j < n; j++)
        out[j] = rp_display(v, out[j]);
    return n;
}

static size_t thresholds_raw(const ps_h5_target_summary *t, double out[2])
{
    switch (t->compare) {
    case PS_SC_AT_LEAST:
        out[0] = t->lo;
        return isfinite(t->lo) ? 1 : 0;
    case PS_SC_AT_MOST:
        out[0] = t->hi;
        return isfinite(t->hi) ? 1 : 0;
    case PS_SC_BETWEEN: {
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

/* Pixel height of what the fan draws over [xa, xb]: the top of the
   highest band and the bottom of the lowest, the median included. */
static rp_span fan_span(const rp_frame *f, const series *sr, double xa,
                        double xb)
{
    rp_span sp = {INFINITY, -INFINITY};
    const double *cols[5] = {sr->p05, sr->p25, sr->p50, sr->p75, sr->p95};
    for (size_t k = 0; k < sr->n; k++) {
        /* a point counts when it or a segment from it reaches into
           [xa, xb]: the band between two points spans both ends */
        double x = rp_px(f, sr->t[k]);
        int in = x >= xa && x <= xb;
        for (int side = -1; side <= 1 && !in; side += 2) {
            if ((side < 0 && k == 0) || (side > 0 && k + 1 >= sr->n))
                continue;
            double y = rp_px(f, sr->t[side < 0 ? k - 1 : k + 1]);
            in = fmin(x, y) <= xb && fmax(x, y) >= xa;
        }
        if (!in)
            continue;
        for (int c = 0; c < 5; c++) {
            if (!isfinite(cols[c][k]))
                continue;
            double y = rp_py(f, cols[c][k]);
            if (y < sp.top)
                sp.top = y;
            if (y > sp.bottom)
                sp.bottom = y;
        }
    }
    return sp;
}

enum { LABEL_HEIGHT = 16, LABEL_GAP = 4, MAX_BUSY = 96 };

/* The targets on this variable: dashed lines at the thresholds, a marker
   at the target's year, a label with the probability where nothing else
   is drawn (rp_label_place). */
static void targets(FILE *out, const rp_frame *f, const ps_h5_summary *s,
                    const ps_h5_var_summary *v, const series *sr,
                    const ps_report_options *o)
{
    rp_span busy[MAX_BUSY];
    size_t nbusy = 0;
    /* every threshold line of this chart is busy for every label */
    for (size_t i = 0; i < s->ntargets; i++) {
        double thr[2];
        size_t n = targets_this(&s->targets[i], v)
                       ? thresholds(&s->targets[i], v, thr)
                       : 0;
        for (size_t j = 0; j < n && nbusy < MAX_BUSY; j++) {
            double y = rp_py(f, thr[j]);
            busy[nbusy++] = (rp_span){y - 2, y + 2};
        }
    }
    for (size_t i = 0; i < s->ntargets; i++) {
        const ps_h5_target_summary *t = &s->targets[i];
        double thr[2];
        size_t n = targets_this(t, v) ? thresholds(t, v, thr) : 0;
        if (!n)
            continue;
        fputs("<g class=\"target\">\n", out);
        double x = rp_px(f, t->time);
        for (size_t j = 0; j < n; j++)
            fprintf(out,
                    "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" "
                    "stroke=\"%s\" stroke-width=\"1.5\" "
                    "stroke-dasharray=\"6 4\"/>\n",
                    f->left, rp_py(f, thr[j]), f->right, rp_py(f, thr[j]),
                    RP_TARGET_STROKE);
        if (n == 2)
            fprintf(out,
                    "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" "
                    "stroke=\"%s\" stroke-width=\"2\"/>\n",
                    x, rp_py(f, thr[0]), x, rp_py(f, thr[1]), RP_TARGET_STROKE);
        for (size_t j = 0; j < n; j++)
            fprintf(
                out,
                "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"4.5\" fill=\"#ffffff\" "
                "stroke=\"%s\" stroke-width=\"2\"/>\n",
                x, rp_py(f, thr[j]), RP_TARGET_STROKE);

        char rule[128], time[RP_NUM_MAX], p[RP_NUM_MAX], label[1024];
        rp_rule_shown(rule, sizeof rule, t, v);
        snprintf(label, sizeof label,
                 RP_T(o, "%s（%s，%s，%s）达成概率 %s",
                      "%s (%s, %s, %s): probability %s"),
                 rp_target_label(t, o), rule, rp_time(t->time, time),
                 RP_T(o, rp_kind_zh(t->binding),
                      t->binding ? "binding" : "expected"),
                 rp_pct(t->probability, p));
        char fitted[1024];
        rp_fit_text(label, (f->right - f->left - 16) / RP_SVG_FONT, fitted,
                    sizeof fitted);
        /* The label's width, then where over it nothing is drawn: the fan
           and the markers are busy, so are the labels placed before. */
        double xa = f->left + 8;
        double xb = xa + rp_text_em(fitted) * RP_SVG_FONT;
        rp_span all[MAX_BUSY + 2];
        size_t nall = 0;
        for (size_t u = 0; u < nbusy; u++)
            all[nall++] = busy[u];
        rp_span fan = fan_span(f, sr, xa, xb);
        if (fan.top <= fan.bottom)
            all[nall++] = (rp_span){fan.top - 2, fan.bottom + 2};
        if (x >= xa - 6 && x <= xb + 6) /* the marker */
            for (size_t j = 0; j < n && nall < MAX_BUSY + 2; j++)
                all[nall++] =
                    (rp_span){rp_py(f, thr[j]) - 6, rp_py(f, thr[j]) + 6};
        double base = rp_label_place(rp_py(f, thr[0]), LABEL_HEIGHT, LABEL_GAP,
                                     f->top, f->bottom, all, nall) -
                      4;
        if (nbusy < MAX_BUSY)
            busy[nbusy++] = (rp_span){base - LABEL_HEIGHT + 4, base + 4};
        fprintf(out, "<text x=\"%.2f\" y=\"%.2f\" fill=\"%s\" ", xa, base,
                RP_TARGET_STROKE);
        fputs("stroke=\"#ffffff\" stroke-width=\"4\" stroke-linejoin=\"round\" "
              "paint-order=\"stroke\">",
              out);
        rp_xml(out, fitted);
        fputs("</text>\n</g>\n", out);
    }
}

static void legend(FILE *out, const rp_frame *f, int has_targets,
                   const ps_report_options *o)
{
    const rp_key keys[4] = {
        {RP_KEY_BOX, RP_BAND90_FILL, 0, NULL,
         RP_T(o, "5%–95%结果区间", "5–95% range of outcomes")},
        {RP_KEY_BOX, RP_BAND50_FILL, 0, NULL,
         RP_T(o, "25%–75%结果区间", "25–75% range of outcomes")},
        {RP_KEY_LINE, RP_MEDIAN_STROKE, 2.5, NULL, RP_T(o, "中位数", "Median")},
        {RP_KEY_LINE, RP_TARGET_STROKE, 1.5, "6 4", RP_T(o, "目标", "Target")},
    };
    rp_svg_legend(out, f, keys, has_targets ? 4 : 3);
}

/* ---- the chart ---------------------------------------------------------------- */

static void chart(FILE *out, const ps_h5_summary *s, const ps_h5_var_summary *v,
                  const series *sr, const ps_report_options *o)
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
                       ? thresholds(&s->targets[i], v, thr)
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

    rp_frame f;
    f.left = rp_svg_left(&yt);
    f.right = RP_SVG_WIDTH - 28;
    f.top = 92;
    f.bottom = RP_SVG_HEIGHT - 84;
    f.x0 = s->ntimes ? s->times[0] : 0;
    f.x1 = s->ntimes ? s->times[s->ntimes - 1] : 1;
    f.y0 = ps_report_tick(&yt, 0);
    f.y1 = ps_report_tick(&yt, yt.intervals);

    char lbuf[1024];
    const char *units = rp_var_units(v, o);
    rp_svg_begin(out, rp_var_label(s, v, o, lbuf, sizeof lbuf));
    char sub[1024];
    int n = 0;
    if (*units)
        n = snprintf(sub, sizeof sub, RP_T(o, "单位：%s；", "Units: %s; "),
                     units);
    if (n >= 0 && (size_t)n < sizeof sub)
        snprintf(sub + n, sizeof sub - (size_t)n,
                 RP_T(o, "中位数与结果区间，基于 %lld 次成功的模拟",
                      "median and range of outcomes over %lld successful "
                      "runs"),
                 s->runs_ok);
    rp_svg_subtitle(out, 58, sub);

    rp_svg_y_axis(out, &f, &yt, units);
    fputs("<g class=\"fan\">\n", out);
    rp_svg_band(out, &f, sr->n, sr->t, sr->p05, sr->p95, RP_BAND90_FILL);
    rp_svg_band(out, &f, sr->n, sr->t, sr->p25, sr->p75, RP_BAND50_FILL);
    rp_svg_line(out, &f, sr->n, sr->t, sr->p50, RP_MEDIAN_STROKE, NULL);
    fputs("</g>\n", out);
    if (empty)
        rp_svg_text(out, (f.left + f.right) / 2, (f.top + f.bottom) / 2,
                    "middle", "", RP_T(o, "无有效数据", "No valid data"));
    /* One tick per saved time at most, ten at most; one saved time gets
       one label. */
    size_t most = s->ntimes > 1 ? s->ntimes - 1 : 1;
    if (most > 10)
        most = 10;
    if (s->ntimes == 1)
        most = 0;
    rp_svg_x_axis(out, &f, most,
                  rp_time_is_year(s) ? RP_T(o, "年份", "Year") : s->time_units);
    targets(out, &f, s, v, sr, o);
    legend(out, &f, has_targets, o);
    fputs("</svg>\n", out);
}

ps_status ps_report_fan_svg(FILE *out, const ps_h5_summary *s, size_t var,
                            const ps_report_options *o, ps_error *err)
{
    if (var >= s->nvars)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "no saved variable %zu (the file has %zu)", var,
                            s->nvars);
    series sr;
    if (series_make(&sr, s, &s->vars[var]) < 0)
        return rp_nomem(err);
    chart(out, s, &s->vars[var], &sr, o);
    series_free(&sr);
    return rp_finish(out, err);
}
