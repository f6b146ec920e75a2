/*
 * targets.md/.csv (the scorecard) and variables.md/.csv (median and
 * bands of every saved variable at every saved time).  Markdown is for
 * reading, with numbers rounded for people; CSV is for spreadsheets, with
 * every number in the shortest form that reads back exactly.
 */
#include "report_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plansim_output/report.h"

static const char *time_column(const ps_h5_summary *s)
{
    return rp_time_is_year(s) ? "year" : "time";
}

static void title_line(FILE *out, const ps_h5_summary *s,
                       const ps_report_options *o)
{
    const char *title = rp_scenario_title(s->title, &s->lang, o);
    if (!title || !*title)
        return;
    char *t = rp_md(title);
    if (t)
        fprintf(out, "%s%s\n\n", RP_T(o, "情景：", "Scenario: "), t);
    free(t);
}

/* ---- targets ------------------------------------------------------------ */

ps_status ps_report_targets_md(FILE *out, const ps_h5_summary *s,
                               const ps_report_options *o, ps_error *err)
{
    fputs(RP_T(o, "# 目标达成概率\n\n",
               "# Probability of reaching the "
               "targets\n\n"),
          out);
    title_line(out, s, o);
    if (!s->ntargets) {
        fputs(
            RP_T(o, "本情景未设定目标。\n", "The scenario sets no targets.\n"),
            out);
        return rp_finish(out, err);
    }
    rp_runs_line(out, s, o);
    fputs(RP_T(o,
               "达成概率为在目标年份满足目标的模拟所占的比例；中位数与结果"
               "区间为目标年份该指标在各次模拟中的分布。",
               "The probability is the share of runs that meet the target "
               "in its year; the median and the range of outcomes are the "
               "spread of the indicator over the runs in that year. "),
          out);
    rp_intervals_note(out, o);
    rp_rounding_note(out, o);
    if (rp_is_calibrated(s)) {
        char *file = rp_md(s->calibration_file);
        if (!file)
            return rp_nomem(err);
        fprintf(out,
                RP_T(o,
                     "校准输入取自后验文件 %s；先验概率为同一组模拟在所有输入"
                     "都取先验分布时的达成概率，两者之差即校准带来的变化。",
                     " Calibrated inputs come from the posterior file %s; "
                     "the prior probability is that of the same runs with "
                     "every input from its prior."),
                file);
        free(file);
    }
    fputs("\n", out);
    rp_labels_note(out, s, o);
    fputs("\n", out);
    ps_status st = rp_targets_table(out, s, o, err);
    if (st != PS_OK)
        return st;
    return rp_finish(out, err);
}

ps_status ps_report_targets_csv(FILE *out, const ps_h5_summary *s,
                                ps_error *err)
{
    /* From a posterior, the prior probability beside the forecast's. */
    int prior = rp_is_calibrated(s);
    fprintf(out,
            "target,label,variable,%s,rule,compare,lo,hi,kind,kind_zh,%s"
            "probability,ci_low,ci_high,hits,runs,median,p05,p95,units\n",
            time_column(s), prior ? "prior_probability," : "");
    for (size_t i = 0; i < s->ntargets; i++) {
        const ps_h5_target_summary *t = &s->targets[i];
        const ps_h5_var_summary *v = rp_find_var(s, t->variable);
        long k = rp_time_index(s, t->time);
        char rule[128];
        rp_rule(rule, sizeof rule, t);
        rp_csv(out, t->name);
        fputc(',', out);
        rp_csv(out, t->label);
        fputc(',', out);
        rp_csv(out, t->variable);
        fputc(',', out);
        rp_csv_num(out, t->time);
        fputc(',', out);
        rp_csv(out, rule);
        fprintf(out, ",%s,", ps_sc_compare_name(t->compare));
        rp_csv_num(out, t->lo);
        fputc(',', out);
        rp_csv_num(out, t->hi);
        fprintf(out, ",%s,%s,", t->binding ? "binding" : "expected",
                rp_kind_zh(t->binding));
        if (prior) {
            rp_csv_num(out, t->prior_probability);
            fputc(',', out);
        }
        rp_csv_num(out, t->probability);
        fputc(',', out);
        rp_csv_num(out, t->ci_low);
        fputc(',', out);
        rp_csv_num(out, t->ci_high);
        fprintf(out, ",%lld,%lld", t->hits, t->runs);
        static const double levels[3] = {0.50, 0.05, 0.95};
        for (int q = 0; q < 3; q++) {
            fputc(',', out);
            rp_csv_num(out, v && k >= 0
                                ? rp_quantile(s, v, levels[q], (size_t)k)
                                : NAN);
        }
        fputc(',', out);
        rp_csv(out, v ? v->units : "");
        fputc('\n', out);
    }
    return rp_finish(out, err);
}

/* ---- variables ---------------------------------------------------------- */

static ps_status variable_md(FILE *out, const ps_h5_summary *s,
                             const ps_h5_var_summary *v,
                             const ps_report_options *o, ps_error *err)
{
    char lbuf[1024];
    char *title = rp_md(rp_var_label(s, v, o, lbuf, sizeof lbuf));
    char *units = rp_md(rp_var_units(v, o));
    if (!title || !units) {
        free(title);
        free(units);
        return rp_nomem(err);
    }
    fprintf(out, "## %s\n\n", title);
    if (*units)
        fprintf(out, RP_T(o, "单位：%s。\n\n", "Units: %s.\n\n"), units);
    free(title);
    free(units);

    /* One number of decimals for the whole table, so it lines up: that
       of its largest number (a percentage: one decimal). */
    double most = 0;
    for (size_t k = 0; k < s->ntimes; k++) {
        static const double levels[3] = {0.05, 0.50, 0.95};
        for (int q = 0; q < 3; q++) {
            double x = fabs(rp_display(v, rp_quantile(s, v, levels[q], k)));
            if (x > most) /* false for NaN */
                most = x;
        }
    }
    int d = v->display_percent ? 1 : rp_decimals(&most, 1);
    const char *head[] = {rp_time_is_year(s) ? RP_T(o, "年份", "Year")
                                             : RP_T(o, "时间", "Time"),
                          RP_T(o, "中位数", "Median"),
                          RP_T(o, "5%–95%结果区间", "5–95% range of outcomes")};
    rp_table t;
    rp_table_init(&t, 3, "rrr");
    rp_table_row(&t, head);
    for (size_t k = 0; k < s->ntimes; k++) {
        char time[RP_NUM_MAX], med[RP_NUM_MAX], band[2 * RP_NUM_MAX + 8];
        rp_band_shown(band, sizeof band, v,
                      rp_display(v, rp_quantile(s, v, 0.05, k)),
                      rp_display(v, rp_quantile(s, v, 0.95, k)), d);
        const char *row[] = {
            rp_time(s->times[k], time),
            rp_shown(v, rp_display(v, rp_quantile(s, v, 0.50, k)), d, med),
            band};
        rp_table_row(&t, row);
    }
    ps_status st = rp_table_print(out, &t, err);
    rp_table_free(&t);
    return st;
}

ps_status ps_report_variables_md(FILE *out, const ps_h5_summary *s,
                                 const ps_report_options *o, ps_error *err)
{
    fputs(RP_T(o, "# 指标：中位数与结果区间\n\n",
               "# Indicators: median and range of outcomes\n\n"),
          out);
    title_line(out, s, o);
    rp_runs_line(out, s, o);
    fputs(RP_T(o,
               "分位数按第 7 类方法计算（顺序统计量之间线性插值，与 numpy 和 R "
               "的默认方法相同）；5%–95%结果区间内含90%的模拟结果。\n",
               "Quantiles by type 7 (linear between order statistics, the "
               "default of numpy and R); the 5–95% range of outcomes holds "
               "90% of the runs.\n"),
          out);
    rp_labels_note(out, s, o);
    for (size_t v = 0; v < s->nvars; v++) {
        fputc('\n', out);
        ps_status st = variable_md(out, s, &s->vars[v], o, err);
        if (st != PS_OK)
            return st;
    }
    return rp_finish(out, err);
}

ps_status ps_report_variables_csv(FILE *out, const ps_h5_summary *s,
                                  ps_error *err)
{
    fprintf(out, "variable,long_name,units,%s,p05,p25,median,p75,p95,mean,sd\n",
            time_column(s));
    static const double levels[5] = {0.05, 0.25, 0.50, 0.75, 0.95};
    for (size_t v = 0; v < s->nvars; v++) {
        const ps_h5_var_summary *vs = &s->vars[v];
        for (size_t k = 0; k < s->ntimes; k++) {
            rp_csv(out, vs->model_name);
            fputc(',', out);
            rp_csv(out, vs->long_name);
            fputc(',', out);
            rp_csv(out, vs->units);
            fputc(',', out);
            rp_csv_num(out, s->times[k]);
            for (int q = 0; q < 5; q++) {
                fputc(',', out);
                rp_csv_num(out, rp_quantile(s, vs, levels[q], k));
            }
            fputc(',', out);
            rp_csv_num(out, vs->mean[k]);
            fputc(',', out);
            rp_csv_num(out, vs->sd[k]);
            fputc('\n', out);
        }
    }
    return rp_finish(out, err);
}
