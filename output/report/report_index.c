/*
 * index.md: the report folder's front page.  What the folder holds, the
 * target scorecard, and every fan chart embedded, so that a Markdown
 * viewer (or pandoc) shows the whole report from one file.
 */
#include "report_impl.h"

#include <stdlib.h>

#include "plansim_output/report.h"

/* Writes `s` escaped for Markdown; 0, or -1 when out of memory. */
static int md_put(FILE *out, const char *s)
{
    char *e = rp_md(s);
    if (!e)
        return -1;
    fputs(e, out);
    free(e);
    return 0;
}

static ps_status index_md(FILE *out, const ps_h5_summary *s,
                          const ps_h5_assumptions *a, int sensitivity,
                          const ps_report_options *o, ps_error *err)
{
    int oom = 0;
    const char *heading = rp_scenario_title(s->title, &s->lang, o);
    const char *about =
        a ? rp_scenario_description(a->description, &a->lang, o) : NULL;
    fputs("# ", out);
    oom |= md_put(out, heading && *heading
                           ? heading
                           : RP_T(o, "情景报告", "Scenario report"));
    fputs("\n\n", out);
    if (about && *about) {
        oom |= md_put(out, about);
        fputs("\n\n", out);
    }
    rp_runs_line(out, s, o);
    if (a && *a->created) {
        fputs(RP_T(o, "集合文件生成于 ", "The ensemble file was made on "),
              out);
        oom |= md_put(out, a->created);
        if (*a->engine_version) {
            fputs(RP_T(o, "（plansim ", " (plansim "), out);
            oom |= md_put(out, a->engine_version);
            fputs(RP_T(o, "）", ")"), out);
        }
        fputs(RP_T(o, "。", "."), out);
    }
    if (rp_is_calibrated(s)) {
        char ess[RP_NUM_MAX];
        fputs(RP_T(o, "校准输入取自后验文件 ",
                   " Calibrated inputs come from the posterior file "),
              out);
        oom |= md_put(out, s->calibration_file);
        fputs(RP_T(o, "（方法 ", " (method "), out);
        const char *method = s->calibration_method;
        oom |=
            md_put(out, method && *method ? rp_method_text(method, o) : "n/a");
        fprintf(out,
                RP_T(o, "，有效样本量 %s）。", ", effective sample size %s)."),
                rp_ess(s->calibration_ess, ess));
    }
    fputs("\n", out);
    rp_labels_note(out, s, o);
    fputs(RP_T(o,
               "\n## 文件\n\n"
               "- [目标达成概率](targets.md)（[CSV](targets.csv)）\n"
               "- [指标：中位数与结果区间](variables.md)"
               "（[CSV](variables.csv)）\n"
               "- [假设与来源](assumptions.md)（[CSV](assumptions.csv)）\n"
               "- [技术附录：标签与模型变量对照](appendix.md)\n",
               "\n## Files\n\n"
               "- [Probability of reaching the targets](targets.md) "
               "([CSV](targets.csv))\n"
               "- [Indicators: median and range of outcomes](variables.md) "
               "([CSV](variables.csv))\n"
               "- [Assumptions and sources](assumptions.md) "
               "([CSV](assumptions.csv))\n"
               "- [Technical appendix: labels and model variables]"
               "(appendix.md)\n"),
          out);
    if (sensitivity)
        fputs(RP_T(o,
                   "- [敏感性分析：哪些不确定输入决定结果](sensitivity.md)"
                   "（[CSV](sensitivity.csv)）\n",
                   "- [Sensitivity: which uncertain inputs drive the "
                   "outcomes](sensitivity.md) ([CSV](sensitivity.csv))\n"),
              out);
    fputs(RP_T(o,
               "- 扇形图：每个指标一张 SVG，见下文\n"
               "\n## 目标达成概率\n\n",
               "- Fan charts: one SVG per indicator, below\n"
               "\n## Probability of reaching the targets\n\n"),
          out);
    if (s->ntargets) {
        rp_intervals_note(out, o);
        rp_rounding_note(out, o);
        fputs("\n\n", out);
        ps_status st = rp_targets_table(out, s, o, err);
        if (st != PS_OK)
            return st;
    } else {
        fputs(
            RP_T(o, "本情景未设定目标。\n", "The scenario sets no targets.\n"),
            out);
    }
    fputs(RP_T(o,
               "\n## 扇形图\n\n"
               "浅色带为 5%–95% 结果区间，深色带为 25%–75% 结果区间，"
               "实线为中位数，红色虚线为目标。\n",
               "\n## Fan charts\n\n"
               "The light band is the 5–95% range of outcomes, the dark "
               "band the 25–75% range, the solid line the median, the red "
               "dashed line a target.\n"),
          out);
    for (size_t v = 0; v < s->nvars; v++) {
        char file[512], lbuf[1024];
        ps_report_fan_file_name(&s->vars[v], file, sizeof file);
        const char *title = rp_var_label(s, &s->vars[v], o, lbuf, sizeof lbuf);
        fputs("\n### ", out);
        oom |= md_put(out, title);
        fputs("\n\n![", out);
        oom |= md_put(out, title);
        fprintf(out, "](%s)\n", file);
    }
    if (oom)
        return rp_nomem(err);
    return rp_finish(out, err);
}

ps_status ps_report_index_md(FILE *out, const ps_h5_summary *s,
                             const ps_h5_assumptions *a,
                             const ps_report_options *o, ps_error *err)
{
    return index_md(out, s, a, 0, o, err);
}

ps_status ps_report_index_sensitivity_md(FILE *out, const ps_h5_summary *s,
                                         const ps_h5_assumptions *a,
                                         const ps_report_options *o,
                                         ps_error *err)
{
    return index_md(out, s, a, 1, o, err);
}

/* ---- a calibration report ------------------------------------------------ */

ps_status ps_report_calibration_index_md(FILE *out, const ps_h5_posterior *p,
                                         const ps_report_options *o,
                                         ps_error *err)
{
    int oom = 0;
    const char *heading = rp_scenario_title(p->title, &p->lang, o);
    const char *about = rp_scenario_description(p->description, &p->lang, o);
    fputs("# ", out);
    oom |= md_put(out, heading && *heading
                           ? heading
                           : RP_T(o, "校准报告", "Calibration report"));
    fputs("\n\n", out);
    if (about && *about) {
        oom |= md_put(out, about);
        fputs("\n\n", out);
    }
    rp_calib_summary(out, p, o);
    rp_calib_warnings(out, p, o);
    rp_calib_labels_note(out, p, o);
    fputs(RP_T(o,
               "\n\n## 文件\n\n"
               "- [校准结果](calibration.md)（[CSV](calibration.csv)）：方法与"
               "诊断、各输入的先验与后验、预测检验、目标概率\n"
               "- [技术附录：标签与模型名称对照](appendix.md)\n"
               "- 先验与后验密度图：每个校准输入一张 SVG，见下文\n"
               "- 预测检验图：每个观测序列一张 SVG，见下文\n",
               "\n\n## Files\n\n"
               "- [Calibration results](calibration.md) "
               "([CSV](calibration.csv)): method and diagnostics, each "
               "input's prior and posterior, the predictive check, the "
               "targets' probabilities\n"
               "- [Technical appendix: labels and model names](appendix.md)\n"
               "- Prior and posterior densities: one SVG per calibrated "
               "input, below\n"
               "- Predictive checks: one SVG per observed series, below\n"),
          out);
    if (p->ntargets) {
        fputs(RP_T(o, "\n## 目标：校准前后的达成概率\n\n",
                   "\n## Targets: probability before and after the data\n\n"),
              out);
        ps_status st = rp_calib_targets_table(out, p, o, err);
        if (st != PS_OK)
            return st;
    }
    fputs(RP_T(o, "\n## 先验与后验\n\n", "\n## Prior and posterior\n\n"), out);
    if (rp_is_optimize(p))
        fputs(RP_T(o,
                   "蓝色实线为后验（似然最大处的正态近似），橙色虚线为先验"
                   "抽样的核密度估计（文件保存了先验抽样时）。\n",
                   "The solid blue line is the posterior (the normal "
                   "approximation at the maximum of the likelihood), the "
                   "dashed orange line the kernel density of the prior draws "
                   "(when the file keeps them).\n"),
              out);
    else
        fputs(RP_T(o,
                   "蓝色实线为后验粒子（按权重）的核密度估计，橙色虚线为先验"
                   "抽样的核密度估计（文件保存了先验抽样时）。\n",
                   "The solid blue line is the kernel density of the "
                   "posterior particles (by weight), the dashed orange line "
                   "that of the prior draws (when the file keeps them).\n"),
              out);
    for (size_t j = 0; j < p->nparams; j++) {
        char file[600];
        ps_report_density_file_name(p, j, file, sizeof file);
        const char *title = rp_param_title(p, j, o);
        fputs("\n### ", out);
        oom |= md_put(out, title);
        fputs("\n\n![", out);
        oom |= md_put(out, title);
        fprintf(out, "](%s)\n", file);
    }
    if (p->nseries) {
        fputs(RP_T(o,
                   "\n## 预测检验\n\n"
                   "点为观测值；浅色带为 90% 预测区间，深色带为 50% 预测区间，"
                   "实线为预测中位数（按后验重复观测，含测量误差）。\n",
                   "\n## Predictive checks\n\n"
                   "Points are the observations; the light band is the 90% "
                   "predictive band, the dark band the 50% band, the solid "
                   "line the predictive median (repeated observations under "
                   "the posterior, measurement error included).\n"),
              out);
        for (size_t s = 0; s < p->nseries; s++) {
            char file[600], tbuf[1024];
            if (ps_report_series_nobs(p, s) == 0)
                continue;
            ps_report_predictive_file_name(p, s, file, sizeof file);
            const char *title = rp_series_title(p, s, o, tbuf, sizeof tbuf);
            fputs("\n### ", out);
            oom |= md_put(out, title);
            fputs("\n\n![", out);
            oom |= md_put(out, title);
            fprintf(out, "](%s)\n", file);
        }
    }
    if (oom)
        return rp_nomem(err);
    return rp_finish(out, err);
}
