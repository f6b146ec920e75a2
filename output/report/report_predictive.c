/*
 * predictive_<series>.svg: the posterior-predictive check of one
 * observed series, drawn as the fan charts are: the 90 % and 50 %
 * predictive bands as shaded polygons over the observation times, the
 * predictive median as a line, and the observations as points on top.
 * The bands are those of replicate observations (the model under the
 * posterior plus the series' measurement error), as the file holds them.
 */
#include "report_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plansim_output/report.h"

static const char obs_fill[] = "#d95f02";

/* A series' observations by time and their bands. */
typedef struct obs {
    size_t n;
    double *t, *y, *lo90, *lo50, *med, *hi50, *hi90; /* [n] each */
} obs;

static void obs_free(obs *o)
{
    free(o->t); /* one block */
    memset(o, 0, sizeof *o);
}

static int obs_make(obs *o, const ps_h5_posterior *p, size_t s)
{
    memset(o, 0, sizeof *o);
    size_t *idx = malloc((p->nobs ? p->nobs : 1) * sizeof *idx);
    if (!idx)
        return -1;
    size_t n = rp_series_obs(p, s, idx);
    double *block = malloc(7 * (n ? n : 1) * sizeof *block);
    if (!block) {
        free(idx);
        return -1;
    }
    double **cols[7] = {&o->t,   &o->y,    &o->lo90, &o->lo50,
                        &o->med, &o->hi50, &o->hi90};
    for (int c = 0; c < 7; c++)
        *cols[c] = block + (size_t)c * (n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        size_t k = idx[i];
        o->t[i] = p->obs_time[k];
        o->y[i] = p->obs_value[k];
        o->lo90[i] = rp_obs_at(p->pred_lo90, k);
        o->lo50[i] = rp_obs_at(p->pred_lo50, k);
        o->med[i] = rp_obs_at(p->pred_median, k);
        o->hi50[i] = rp_obs_at(p->pred_hi50, k);
        o->hi90[i] = rp_obs_at(p->pred_hi90, k);
    }
    o->n = n;
    free(idx);
    return 0;
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

/* Tick intervals on the (padded) time axis: one label for one time; for
   whole times (years) no ticks between them; about six. */
static size_t time_ticks(const obs *o)
{
    if (o->n == 0)
        return 1;
    double span = o->t[o->n - 1] - o->t[0];
    if (!(span > 0))
        return 0;
    int whole = 1;
    for (size_t i = 0; i < o->n; i++)
        whole &= o->t[i] == floor(o->t[i]);
    if (whole && span < 6)
        return (size_t)span + 2; /* a step of 1 over the padding */
    return 6;
}

static void points(FILE *out, const rp_frame *f, const obs *o)
{
    fputs("<g class=\"observed\">\n", out);
    for (size_t i = 0; i < o->n; i++)
        if (isfinite(o->y[i]))
            fprintf(out,
                    "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"4.5\" fill=\"%s\" "
                    "stroke=\"#ffffff\" stroke-width=\"1.5\"/>\n",
                    rp_px(f, o->t[i]), rp_py(f, o->y[i]), obs_fill);
    fputs("</g>\n", out);
}

static void chart(FILE *out, const ps_h5_posterior *p, size_t s, const obs *o,
                  const ps_report_options *opt)
{
    double lo = INFINITY, hi = -INFINITY;
    int bands = 0;
    for (size_t i = 0; i < o->n; i++) {
        const double v[6] = {o->y[i],   o->lo90[i], o->lo50[i],
                             o->med[i], o->hi50[i], o->hi90[i]};
        for (int c = 0; c < 6; c++)
            widen(&lo, &hi, v[c]);
        bands |= isfinite(o->lo90[i]) || isfinite(o->med[i]);
    }
    int empty = !(lo <= hi);
    if (empty)
        lo = 0, hi = 1;
    ps_report_ticks yt;
    ps_report_nice_ticks(lo, hi, 6, &yt);

    rp_frame f;
    f.left = rp_svg_left(&yt);
    f.right = RP_SVG_WIDTH - 28;
    f.top = 110;
    f.bottom = RP_SVG_HEIGHT - 84;
    f.x0 = o->n ? o->t[0] : 0;
    f.x1 = o->n ? o->t[o->n - 1] : 1;
    /* a little room either side, so the first and last points stand
       clear of the axes */
    double pad = 0.03 * (f.x1 - f.x0);
    f.x0 -= pad;
    f.x1 += pad;
    f.y0 = ps_report_tick(&yt, 0);
    f.y1 = ps_report_tick(&yt, yt.intervals);

    char sub[1024], title[1024];
    rp_svg_begin(out, rp_series_title(p, s, opt, title, sizeof title));
    if (rp_en(opt))
        snprintf(sub, sizeof sub,
                 "%zu observation%s; values in the model's units", o->n,
                 o->n == 1 ? "" : "s");
    else
        snprintf(sub, sizeof sub, "观测 %zu 个；数值为模型单位", o->n);
    rp_svg_subtitle(out, 58, sub);
    if (bands) {
        char a[RP_NUM_MAX], b[RP_NUM_MAX];
        snprintf(sub, sizeof sub,
                 RP_T(opt,
                      "落在 50%% 预测区间内的观测占 %s，落在 90%% 区间内的占 "
                      "%s；区间为按后验重复观测（含测量误差）的分位数",
                      "Inside the 50%% predictive band: %s of the "
                      "observations; inside the 90%% band: %s"),
                 rp_pct(rp_obs_at(p->inside50, s), a),
                 rp_pct(rp_obs_at(p->inside90, s), b));
    } else {
        snprintf(sub, sizeof sub, "%s",
                 RP_T(opt, "文件中没有这一序列的预测区间",
                      "The file has no predictive bands for this series"));
    }
    rp_svg_subtitle(out, 76, sub);

    rp_svg_y_axis(out, &f, &yt, NULL);
    fputs("<g class=\"fan\">\n", out);
    rp_svg_band(out, &f, o->n, o->t, o->lo90, o->hi90, RP_BAND90_FILL);
    rp_svg_band(out, &f, o->n, o->t, o->lo50, o->hi50, RP_BAND50_FILL);
    rp_svg_line(out, &f, o->n, o->t, o->med, RP_MEDIAN_STROKE, NULL);
    fputs("</g>\n", out);
    points(out, &f, o);
    if (empty)
        rp_svg_text(out, (f.left + f.right) / 2, (f.top + f.bottom) / 2,
                    "middle", "", RP_T(opt, "无有效数据", "No valid data"));
    rp_svg_x_axis(out, &f, time_ticks(o), RP_T(opt, "时间", "Time"));
    const rp_key keys[4] = {
        {RP_KEY_BOX, RP_BAND90_FILL, 0, NULL,
         RP_T(opt, "90% 预测区间", "90% predictive band")},
        {RP_KEY_BOX, RP_BAND50_FILL, 0, NULL,
         RP_T(opt, "50% 预测区间", "50% predictive band")},
        {RP_KEY_LINE, RP_MEDIAN_STROKE, 2.5, NULL,
         RP_T(opt, "预测中位数", "Predictive median")},
        {RP_KEY_POINT, obs_fill, 0, NULL, RP_T(opt, "观测值", "Observed")},
    };
    rp_svg_legend(out, &f, bands ? keys : keys + 3, bands ? 4 : 1);
    fputs("</svg>\n", out);
}

ps_status ps_report_predictive_svg(FILE *out, const ps_h5_posterior *p,
                                   size_t series, const ps_report_options *opt,
                                   ps_error *err)
{
    if (series >= p->nseries)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "no observed series %zu (the file has %zu)", series,
                            p->nseries);
    obs o;
    if (obs_make(&o, p, series) < 0)
        return rp_nomem(err);
    chart(out, p, series, &o, opt);
    obs_free(&o);
    return rp_finish(out, err);
}
