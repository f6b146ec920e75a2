/*
 * density_<input>.svg: a calibrated input's prior and posterior
 * densities in one chart, so a reader sees at a glance how far the data
 * moved and narrowed it.
 *
 * Both curves are Gaussian kernel density estimates: of the posterior
 * particles with their weights, and of the prior draws kept in the file
 * (equal weights), each with Silverman's rule-of-thumb bandwidth
 *
 *     h = 0.9 min(sd, IQR / 1.34) n^(-1/5)
 *
 * (Silverman 1986, eq. 3.31), with the weighted sd and quartiles and
 * Kish's effective sample size (sum w)^2 / sum w^2 for n.  A
 * maximum-likelihood calibration (optimize) has no particles to smooth:
 * its posterior is drawn as the normal approximation it reports.  A
 * sample without spread is drawn as a vertical line at its value.  The
 * prior's curve comes only from draws the file holds; without them the
 * chart shades the prior's 5-95 % range and says the draws were not
 * kept.
 */
#include "report_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plansim_output/report.h"

enum { GRID = 201 };

static const char prior_stroke[] = "#e6550d";
static const char prior_fill[] = "#fdd0a2";
static const char prior_dash[] = "stroke-dasharray=\"7 5\"";

/* One curve to draw: a kernel estimate, a normal density, or a spike. */
typedef struct curve {
    enum { KDE, NORMAL, SPIKE, NONE } kind;
    size_t n;
    double *v, *w;   /* KDE: finite values by increasing v, their weights */
    double total;    /* KDE: sum of w */
    double mean, sd; /* weighted; NORMAL: the approximation */
    double h;        /* KDE: bandwidth */
    double y[GRID];  /* the density on the chart's grid */
} curve;

typedef struct pair {
    double v, w;
} pair;

static int by_value(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    if (x->v != y->v)
        return x->v < y->v ? -1 : 1;
    return (x->w > y->w) - (x->w < y->w);
}

/* The smallest v whose cumulative weight reaches p of the total. */
static double weighted_quantile(const curve *c, double p)
{
    double cum = 0, goal = p * c->total;
    for (size_t i = 0; i < c->n; i++) {
        cum += c->w[i];
        if (cum >= goal)
            return c->v[i];
    }
    return c->v[c->n - 1];
}

/*
 * A kernel estimate of column j of x (n rows of `stride`) with weights w
 * (NULL: equal).  Values that are not finite and weights that are not
 * positive are left out.  Returns 0, or -1 when out of memory.
 */
static int kde_make(curve *c, const double *x, size_t stride, size_t j,
                    size_t n, const double *w)
{
    memset(c, 0, sizeof *c);
    pair *pr = malloc((n ? n : 1) * sizeof *pr);
    if (!pr)
        return -1;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        double v = x[i * stride + j], wi = w ? w[i] : 1.0;
        if (isfinite(v) && isfinite(wi) && wi > 0)
            pr[m++] = (pair){v, wi};
    }
    if (m == 0) {
        free(pr);
        c->kind = NONE;
        return 0;
    }
    qsort(pr, m, sizeof *pr, by_value);
    c->v = malloc(m * sizeof *c->v);
    c->w = malloc(m * sizeof *c->w);
    if (!c->v || !c->w) {
        free(pr);
        free(c->v);
        free(c->w);
        c->v = c->w = NULL;
        return -1;
    }
    double sum = 0, sum2 = 0, mean = 0;
    for (size_t i = 0; i < m; i++) {
        c->v[i] = pr[i].v;
        c->w[i] = pr[i].w;
        sum += pr[i].w;
        sum2 += pr[i].w * pr[i].w;
    }
    free(pr);
    c->n = m;
    c->total = sum;
    for (size_t i = 0; i < m; i++)
        mean += c->w[i] * c->v[i];
    mean /= sum;
    double var = 0;
    for (size_t i = 0; i < m; i++)
        var += c->w[i] * (c->v[i] - mean) * (c->v[i] - mean);
    c->mean = mean;
    c->sd = sqrt(var / sum);
    double spread = c->sd;
    double iqr = weighted_quantile(c, 0.75) - weighted_quantile(c, 0.25);
    if (iqr > 0 && iqr / 1.34 < spread)
        spread = iqr / 1.34;
    double n_eff = sum * sum / sum2;
    c->h = 0.9 * spread * pow(n_eff, -0.2);
    c->kind = c->h > 0 && isfinite(c->h) ? KDE : SPIKE;
    return 0;
}

static void normal_make(curve *c, double mean, double sd)
{
    memset(c, 0, sizeof *c);
    c->mean = mean;
    c->sd = sd;
    if (!isfinite(mean))
        c->kind = NONE;
    else
        c->kind = isfinite(sd) && sd > 0 ? NORMAL : SPIKE;
}

static void curve_free(curve *c)
{
    free(c->v);
    free(c->w);
    c->v = c->w = NULL;
}

/* Where a sample without spread sits. */
static double spike_at(const curve *c)
{
    return c->n ? c->v[0] : c->mean;
}

/* The range the curve needs: three bandwidths past the data, four
   standard deviations either side of a normal. */
static void curve_range(const curve *c, double *lo, double *hi)
{
    double a, b;
    switch (c->kind) {
    case KDE:
        a = c->v[0] - 3 * c->h;
        b = c->v[c->n - 1] + 3 * c->h;
        break;
    case NORMAL:
        a = c->mean - 4 * c->sd;
        b = c->mean + 4 * c->sd;
        break;
    case SPIKE:
        a = b = spike_at(c);
        break;
    default:
        return;
    }
    if (a < *lo)
        *lo = a;
    if (b > *hi)
        *hi = b;
}

/* The first index whose value is at least x. */
static size_t lower_bound(const double *v, size_t n, double x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The density at t[0..m) into y (NaN for a spike or nothing); returns
   its maximum. */
static double curve_density(const curve *c, size_t m, const double *t,
                            double *y)
{
    static const double inv_sqrt_2pi = 0.39894228040143267794;
    double most = 0;
    for (size_t g = 0; g < m; g++) {
        double d = 0;
        if (c->kind == KDE) {
            /* kernels further than 8 h add less than 1e-14 */
            size_t i = lower_bound(c->v, c->n, t[g] - 8 * c->h);
            for (; i < c->n && c->v[i] <= t[g] + 8 * c->h; i++) {
                double z = (t[g] - c->v[i]) / c->h;
                d += c->w[i] * exp(-0.5 * z * z);
            }
            d *= inv_sqrt_2pi / (c->h * c->total);
        } else if (c->kind == NORMAL) {
            double z = (t[g] - c->mean) / c->sd;
            d = inv_sqrt_2pi / c->sd * exp(-0.5 * z * z);
        } else {
            d = NAN;
        }
        y[g] = d;
        if (d > most)
            most = d;
    }
    return most;
}

/* The curve on the chart's grid. */
static double curve_eval(curve *c, const double *t)
{
    return curve_density(c, GRID, t, c->y);
}

int rp_kde(const double *x, size_t stride, const double *w, size_t n, size_t m,
           const double *t, double *y, double *h)
{
    curve c;
    if (kde_make(&c, x, stride, 0, n, w) < 0)
        return -1;
    *h = c.kind == NONE ? NAN : c.kind == SPIKE ? 0 : c.h;
    curve_density(&c, m, t, y);
    curve_free(&c);
    return 0;
}

/* ---- drawing ------------------------------------------------------------- */

static void spike(FILE *out, const rp_frame *f, double x, const char *stroke,
                  const char *extra)
{
    fprintf(out,
            "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" "
            "stroke=\"%s\" stroke-width=\"2.5\"%s%s/>\n",
            rp_px(f, x), f->bottom, rp_px(f, x), f->top, stroke,
            extra ? " " : "", extra ? extra : "");
}

/* The area under the posterior, lightly shaded. */
static void area(FILE *out, const rp_frame *f, const double *t, const double *y)
{
    fprintf(out,
            "<polygon fill=\"%s\" fill-opacity=\"0.35\" stroke=\"none\" "
            "points=\"%.2f,%.2f",
            RP_BAND50_FILL, rp_px(f, t[0]), rp_py(f, 0));
    for (size_t g = 0; g < GRID; g++)
        fprintf(out, " %.2f,%.2f", rp_px(f, t[g]), rp_py(f, y[g]));
    fprintf(out, " %.2f,%.2f\"/>\n", rp_px(f, t[GRID - 1]), rp_py(f, 0));
}

/* "先验均值 0.4922，5%–95%：0.4351 – 0.5543" ("prior mean 0.4922,
   5–95%: 0.4351 – 0.5543") of the prior or posterior. */
static void stats_text(char *buf, size_t size, const char *side, double mean,
                       double q05, double q95, int d,
                       const ps_report_options *o)
{
    char m[RP_NUM_MAX], band[2 * RP_NUM_MAX + 8];
    rp_band(band, sizeof band, q05, q95, d);
    snprintf(buf, size,
             RP_T(o, "%s均值 %s，5%%–95%%：%s", "%s mean %s, 5–95%%: %s"), side,
             rp_num(mean, d, m), band);
}

/* What the x axis says about how the curves were drawn. */
static void method_note(char *buf, size_t size, const ps_h5_posterior *p,
                        const curve *post, const curve *prior, int band,
                        const ps_report_options *o)
{
    const char *a =
        RP_T(o, "后验没有有效值", "the posterior has no valid value");
    switch (post->kind) {
    case KDE:
        a = RP_T(o, "后验为加权高斯核密度估计",
                 "posterior: weighted Gaussian kernel density");
        break;
    case NORMAL:
        a = RP_T(o, "后验为正态近似", "posterior: normal approximation");
        break;
    case SPIKE:
        a = rp_is_optimize(p)
                ? RP_T(o, "后验只有估计值（没有标准差），画为竖线",
                       "posterior: an estimate without sd, drawn as a line")
                : RP_T(o, "后验粒子取同一值，画为竖线",
                       "posterior: the particles share one value, drawn as "
                       "a line");
        break;
    case NONE:
        break;
    }
    const char *b = "";
    if (prior->kind == KDE)
        b = RP_T(o, "，先验为高斯核密度估计",
                 "; prior: Gaussian kernel density");
    else if (prior->kind == SPIKE)
        b = RP_T(o, "，先验抽样取同一值", "; prior: the draws share one value");
    else if (band)
        b = RP_T(o, "，先验只画 5%–95% 区间", "; prior: its 5–95% range only");
    int kde = post->kind == KDE || prior->kind == KDE;
    snprintf(buf, size, RP_T(o, "取值；%s%s%s", "Value; %s%s%s"), a, b,
             kde ? RP_T(o, "（Silverman 带宽）", " (Silverman's bandwidth)")
                 : "");
}

static void chart(FILE *out, const ps_h5_posterior *p, size_t j, curve *post,
                  curve *prior, const ps_report_options *o)
{
    /* Without prior draws the prior's 5-95 % range is still known. */
    double q05 = p->prior_q[3 * j], q95 = p->prior_q[3 * j + 2];
    int band =
        prior->kind == NONE && isfinite(q05) && isfinite(q95) && q05 <= q95;
    double lo = INFINITY, hi = -INFINITY;
    curve_range(post, &lo, &hi);
    curve_range(prior, &lo, &hi);
    if (band) {
        lo = fmin(lo, q05);
        hi = fmax(hi, q95);
    }
    int empty = !(lo <= hi);
    if (empty)
        lo = 0, hi = 1;
    ps_report_ticks xt, yt;
    ps_report_nice_ticks(lo, hi, 8, &xt);
    double x0 = ps_report_tick(&xt, 0), x1 = ps_report_tick(&xt, xt.intervals);
    double t[GRID];
    for (size_t g = 0; g < GRID; g++)
        t[g] = x0 + (x1 - x0) * (double)g / (GRID - 1);
    double top = fmax(curve_eval(post, t), curve_eval(prior, t));
    int curves = top > 0;
    ps_report_nice_ticks(0, curves ? top : 1, 5, &yt);

    rp_frame f;
    f.left = rp_svg_left(&yt);
    f.right = RP_SVG_WIDTH - 28;
    f.top = 110;
    f.bottom = RP_SVG_HEIGHT - 84;
    f.x0 = x0;
    f.x1 = x1;
    f.y0 = ps_report_tick(&yt, 0);
    f.y1 = ps_report_tick(&yt, yt.intervals);

    rp_svg_begin(out, rp_param_title(p, j, o));
    char sub[1024];
    rp_svg_subtitle(out, 58,
                    RP_T(o,
                         "校准输入的先验与后验密度；数值为模型单位，先验分布"
                         "的写法见技术附录",
                         "Prior and posterior density of a calibrated input; "
                         "values in the model's units, the prior as written "
                         "in the technical appendix"));
    const double v[6] = {
        p->prior_mean[j],    q05, q95, p->post_mean[j], p->post_q[3 * j],
        p->post_q[3 * j + 2]};
    int d = rp_decimals(v, 6);
    char a[256], b[256];
    stats_text(a, sizeof a, RP_T(o, "先验", "Prior"), v[0], v[1], v[2], d, o);
    stats_text(b, sizeof b, RP_T(o, "后验", "posterior"), v[3], v[4], v[5], d,
               o);
    snprintf(sub, sizeof sub, RP_T(o, "%s；%s", "%s; %s"), a, b);
    rp_svg_subtitle(out, 76, sub);

    if (curves) {
        rp_svg_y_axis(out, &f, &yt, RP_T(o, "密度", "Density"));
    } else {
        /* no density to read off: the axis without ticks */
        fprintf(out,
                "<g class=\"y-axis\">\n<line x1=\"%.2f\" y1=\"%.2f\" "
                "x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\"/>\n</g>\n",
                f.left, f.top, f.left, f.bottom, RP_AXIS_STROKE);
    }
    fputs("<g class=\"density\">\n", out);
    if (band)
        fprintf(out,
                "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
                "height=\"%.2f\" fill=\"%s\" fill-opacity=\"0.6\"/>\n",
                rp_px(&f, q05), f.top, rp_px(&f, q95) - rp_px(&f, q05),
                f.bottom - f.top, prior_fill);
    if (post->kind == KDE || post->kind == NORMAL)
        area(out, &f, t, post->y);
    if (prior->kind == KDE)
        rp_svg_line(out, &f, GRID, t, prior->y, prior_stroke, prior_dash);
    else if (prior->kind == SPIKE)
        spike(out, &f, spike_at(prior), prior_stroke, prior_dash);
    if (post->kind == KDE || post->kind == NORMAL)
        rp_svg_line(out, &f, GRID, t, post->y, RP_MEDIAN_STROKE, NULL);
    else if (post->kind == SPIKE)
        spike(out, &f, spike_at(post), RP_MEDIAN_STROKE, NULL);
    fputs("</g>\n", out);
    char attrs[160];
    snprintf(attrs, sizeof attrs,
             "fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"4\" "
             "stroke-linejoin=\"round\" paint-order=\"stroke\"",
             RP_MUTED_FILL);
    if (empty)
        rp_svg_text(out, (f.left + f.right) / 2, (f.top + f.bottom) / 2,
                    "middle", "", RP_T(o, "无有效数据", "No valid data"));
    else if (prior->kind == NONE)
        rp_svg_text(
            out, f.right - 8, f.top + 16, "end", attrs,
            p->prior_x ? RP_T(o, "先验抽样没有有效值，未画先验密度",
                              "The prior draws have no valid value: no prior "
                              "density")
            : band ? RP_T(o, "文件未保存先验抽样：先验只画出 5%–95% 区间",
                          "The file keeps no prior draws: the prior's "
                          "5–95% range only")
                   : RP_T(o, "文件未保存先验抽样，未画先验密度",
                          "The file keeps no prior draws: no prior "
                          "density"));
    char how[512];
    method_note(how, sizeof how, p, post, prior, band, o);
    rp_svg_x_axis(out, &f, xt.intervals, how);
    rp_key keys[2] = {
        {RP_KEY_LINE, RP_MEDIAN_STROKE, 2.5, NULL,
         post->kind == NORMAL
             ? RP_T(o, "后验（正态近似）", "Posterior (normal approximation)")
             : RP_T(o, "后验", "Posterior")},
        {RP_KEY_LINE, prior_stroke, 2.5, "7 5", RP_T(o, "先验", "Prior")},
    };
    if (band)
        keys[1] = (rp_key){RP_KEY_BOX, prior_fill, 0, NULL,
                           RP_T(o, "先验 5%–95% 区间", "Prior 5–95% range")};
    rp_svg_legend(out, &f, keys, prior->kind != NONE || band ? 2 : 1);
    fputs("</svg>\n", out);
}

ps_status ps_report_density_svg(FILE *out, const ps_h5_posterior *p,
                                size_t param, const ps_report_options *o,
                                ps_error *err)
{
    if (param >= p->nparams)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "no calibrated input %zu (the file has %zu)", param,
                            p->nparams);
    curve post, prior;
    int rc = 0;
    if (rp_is_optimize(p))
        normal_make(&post, p->post_mean[param], p->post_sd[param]);
    else
        rc =
            kde_make(&post, p->x, p->nparams, param, p->nparticles, p->weights);
    memset(&prior, 0, sizeof prior);
    prior.kind = NONE;
    if (rc == 0 && p->prior_x)
        rc = kde_make(&prior, p->prior_x, p->nparams, param, p->nparticles,
                      NULL);
    if (rc < 0) {
        curve_free(&post);
        return rp_nomem(err);
    }
    chart(out, p, param, &post, &prior, o);
    curve_free(&post);
    curve_free(&prior);
    return rp_finish(out, err);
}
