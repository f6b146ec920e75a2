/*
 * Markdown pipe tables padded to line up in a monospaced font (Chinese
 * characters count two columns), and the target scorecard that
 * targets.md and index.md share.
 */
#include "report_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void rp_table_init(rp_table *t, size_t ncol, const char *align)
{
    memset(t, 0, sizeof *t);
    t->ncol = ncol;
    t->align = align;
}

void rp_table_row(rp_table *t, const char *const *cells)
{
    if (t->oom)
        return;
    if (t->nrow == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 8;
        char **c = realloc(t->cells, cap * t->ncol * sizeof *c);
        if (!c) {
            t->oom = 1;
            return;
        }
        t->cells = c;
        t->cap = cap;
    }
    char **row = t->cells + t->nrow * t->ncol;
    for (size_t j = 0; j < t->ncol; j++) {
        row[j] = rp_md(cells[j]);
        if (!row[j])
            t->oom = 1;
    }
    t->nrow++;
}

void rp_table_free(rp_table *t)
{
    for (size_t i = 0; i < t->nrow * t->ncol; i++)
        free(t->cells[i]);
    free(t->cells);
    memset(t, 0, sizeof *t);
}

static void pad(FILE *out, size_t n, char c)
{
    for (size_t i = 0; i < n; i++)
        fputc(c, out);
}

ps_status rp_table_print(FILE *out, const rp_table *t, ps_error *err)
{
    if (t->oom)
        return rp_nomem(err);
    size_t *w = calloc(t->ncol ? t->ncol : 1, sizeof *w);
    if (!w)
        return rp_nomem(err);
    for (size_t i = 0; i < t->nrow; i++)
        for (size_t j = 0; j < t->ncol; j++) {
            size_t cw = rp_width(t->cells[i * t->ncol + j]);
            if (cw > w[j])
                w[j] = cw;
        }
    for (size_t j = 0; j < t->ncol; j++)
        if (w[j] < 3) /* room for "---" and "--:" */
            w[j] = 3;
    for (size_t i = 0; i < t->nrow; i++) {
        for (size_t j = 0; j < t->ncol; j++) {
            const char *c = t->cells[i * t->ncol + j];
            size_t gap = w[j] - rp_width(c);
            int right = t->align[j] == 'r';
            fputs(j ? " | " : "| ", out);
            if (right)
                pad(out, gap, ' ');
            fputs(c, out);
            if (!right)
                pad(out, gap, ' ');
        }
        fputs(" |\n", out);
        if (i == 0) {
            for (size_t j = 0; j < t->ncol; j++) {
                fputs(j ? " | " : "| ", out);
                pad(out, w[j] - 1, '-');
                fputc(t->align[j] == 'r' ? ':' : '-', out);
            }
            fputs(" |\n", out);
        }
    }
    free(w);
    return PS_OK;
}

void rp_runs_line(FILE *out, const ps_h5_summary *s, const ps_report_options *o)
{
    if (rp_en(o)) {
        fprintf(out,
                "Statistics over %lld successful runs (of %lld; %lld "
                "failed",
                s->runs_ok, s->runs, s->runs_failed);
        if (s->runs_pending)
            fprintf(out, ", %lld not finished", s->runs_pending);
        fputs("). ", out);
        return;
    }
    fprintf(out, "统计基于 %lld 次成功的模拟（共 %lld 次，失败 %lld 次", s->runs_ok,
            s->runs, s->runs_failed);
    if (s->runs_pending)
        fprintf(out, "，未完成 %lld 次", s->runs_pending);
    fputs("）。", out);
}

void rp_band(char *buf, size_t size, double lo, double hi, int decimals)
{
    char a[RP_NUM_MAX], b[RP_NUM_MAX];
    if (isnan(lo) && isnan(hi))
        snprintf(buf, size, "n/a");
    else
        snprintf(buf, size, "%s – %s", rp_num(lo, decimals, a),
                 rp_num(hi, decimals, b));
}

/* A scorecard row of 10 cells; without `prior`, the prior probability
   (cell 4) left out. */
static void row_without_prior(rp_table *t, const char *const cells[10],
                              int prior)
{
    const char *row[10];
    size_t n = 0;
    for (size_t j = 0; j < 10; j++)
        if (prior || j != 4)
            row[n++] = cells[j];
    rp_table_row(t, row);
}

ps_status rp_targets_table(FILE *out, const ps_h5_summary *s,
                           const ps_report_options *o, ps_error *err)
{
    /* From a posterior: the prior probability before the forecast's. */
    int prior = rp_is_calibrated(s);
    const char *year =
        rp_time_is_year(s) ? RP_T(o, "年份", "Year") : RP_T(o, "时间", "Time");
    const char *head[] = {
        RP_T(o, "目标", "Target"),
        year,
        RP_T(o, "规则", "Rule"),
        RP_T(o, "性质", "Kind"),
        RP_T(o, "先验概率", "Prior probability"),
        RP_T(o, "达成概率", "Probability"),
        RP_T(o, "模拟抽样误差95%区间", "95% Monte Carlo sampling interval"),
        RP_T(o, "中位数", "Median"),
        RP_T(o, "5%–95%结果区间", "5–95% range of outcomes"),
        RP_T(o, "单位", "Units")};
    rp_table t;
    rp_table_init(&t, prior ? 10 : 9, prior ? "lrllrrrrrl" : "lrllrrrrl");
    row_without_prior(&t, head, prior);
    for (size_t i = 0; i < s->ntargets; i++) {
        const ps_h5_target_summary *tg = &s->targets[i];
        const ps_h5_var_summary *v = rp_find_var(s, tg->variable);
        long k = rp_time_index(s, tg->time);
        double med = NAN, lo = NAN, hi = NAN;
        if (v && k >= 0) {
            med = rp_display(v, rp_quantile(s, v, 0.50, (size_t)k));
            lo = rp_display(v, rp_quantile(s, v, 0.05, (size_t)k));
            hi = rp_display(v, rp_quantile(s, v, 0.95, (size_t)k));
        }
        char time[RP_NUM_MAX], rule[128], p0[RP_NUM_MAX], p[RP_NUM_MAX],
            ci[128], m[RP_NUM_MAX], b[128], c0[RP_NUM_MAX], c1[RP_NUM_MAX];
        rp_rule_shown(rule, sizeof rule, tg, v);
        if (tg->runs > 0)
            snprintf(ci, sizeof ci, "%s – %s", rp_pct(tg->ci_low, c0),
                     rp_pct(tg->ci_high, c1));
        else
            snprintf(ci, sizeof ci, "n/a");
        const double row_values[3] = {med, lo, hi};
        int d = v && v->display_percent ? 1 : rp_decimals(row_values, 3);
        rp_band_shown(b, sizeof b, v, lo, hi, d);
        const char *row[] = {rp_target_label(tg, o),
                             rp_time(tg->time, time),
                             rule,
                             RP_T(o, rp_kind_zh(tg->binding),
                                  tg->binding ? "binding" : "expected"),
                             rp_pct(tg->prior_probability, p0),
                             rp_pct(tg->probability, p),
                             ci,
                             rp_shown(v, med, d, m),
                             b,
                             v ? rp_var_units(v, o) : ""};
        row_without_prior(&t, row, prior);
    }
    ps_status st = rp_table_print(out, &t, err);
    rp_table_free(&t);
    return st;
}
