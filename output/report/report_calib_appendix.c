/*
 * appendix.md of a calibration report: the technical appendix.  The
 * rest of the calibration report speaks in the labels readers know; this
 * page maps each of them to the scenario's and the model's names (the
 * calibrated inputs with their priors as written, the observed series
 * with the model variable they measure, the targets with their rules in
 * model units) and names the method, for whoever checks the numbers
 * against the model.
 */
#include "report_impl.h"

#include <stdlib.h>

#include "plansim_output/report.h"

static ps_status print_table(FILE *out, rp_table *t, ps_error *err)
{
    ps_status st = rp_table_print(out, t, err);
    rp_table_free(t);
    return st;
}

static ps_status inputs_table(FILE *out, const ps_h5_posterior *p,
                              const ps_report_options *o, ps_error *err)
{
    const char *head[] = {
        RP_T(o, "输入", "Input"), RP_T(o, "模型常量", "Model constant"),
        RP_T(o, "先验分布（模型单位）", "Prior distribution (model units)")};
    rp_table t;
    rp_table_init(&t, 3, "lll");
    rp_table_row(&t, head);
    for (size_t j = 0; j < p->nparams; j++) {
        const char *row[] = {rp_param_title(p, j, o), p->params[j],
                             rp_text_at(p->param_dists, j)};
        rp_table_row(&t, row);
    }
    return print_table(out, &t, err);
}

static ps_status series_table(FILE *out, const ps_h5_posterior *p,
                              const ps_report_options *o, ps_error *err)
{
    const char *head[] = {RP_T(o, "观测序列", "Observed series"),
                          RP_T(o, "情景中的名称", "Name in the scenario"),
                          RP_T(o, "模型变量", "Model variable"),
                          RP_T(o, "量度", "Measure")};
    rp_table t;
    rp_table_init(&t, 4, "llll");
    rp_table_row(&t, head);
    for (size_t s = 0; s < p->nseries; s++) {
        char tbuf[1024];
        const char *row[] = {
            rp_series_title(p, s, o, tbuf, sizeof tbuf), p->series_names[s],
            rp_text_at(p->series_variables, s),
            rp_measure_text(rp_text_at(p->series_measures, s), o)};
        rp_table_row(&t, row);
    }
    return print_table(out, &t, err);
}

static ps_status targets_table(FILE *out, const ps_h5_posterior *p,
                               const ps_report_options *o, ps_error *err)
{
    rp_table t;
    rp_appendix_targets_begin(&t, o);
    for (size_t i = 0; i < p->ntargets; i++) {
        const ps_h5_target_meta *m = &p->targets[i];
        char rule[128];
        rp_meta_rule(rule, sizeof rule, m);
        const char *row[] = {rp_calib_target_title(p, i, o), m->name,
                             m->variable, rule};
        rp_table_row(&t, row);
    }
    return print_table(out, &t, err);
}

ps_status ps_report_calibration_appendix_md(FILE *out, const ps_h5_posterior *p,
                                            const ps_report_options *o,
                                            ps_error *err)
{
    fputs(RP_T(o, "# 技术附录：标签与模型名称\n\n",
               "# Technical appendix: labels and model names\n\n"),
          out);
    if (p->labels_file && *p->labels_file) {
        char *file = rp_md(p->labels_file);
        if (!file)
            return rp_nomem(err);
        fprintf(out,
                RP_T(o,
                     "报告中的名称取自模型的标签文件 %s（校准时保存在后验"
                     "文件中）。下表列出每个名称在情景与模型中的写法。\n",
                     "The report's names come from the model's labels file "
                     "%s (stored in the posterior file by the "
                     "calibration).  The tables give each name as the "
                     "scenario and the model write it.\n"),
                file);
        free(file);
    } else {
        fputs(RP_T(o, "本文件未保存面向读者的标签，报告沿用情景中的名称。\n",
                   "The file stores no labels for readers: the report uses "
                   "the scenario's names.\n"),
              out);
    }
    char *method = rp_md(p->method ? p->method : "?");
    if (!method)
        return rp_nomem(err);
    fprintf(out,
            RP_T(o, "\n校准方法“%s”在情景与命令行中写作 %s。\n",
                 "\nThe method \"%s\" is written %s in the scenario and on "
                 "the command line.\n"),
            rp_method_text(p->method, o), method);
    free(method);
    fputs(RP_T(o, "\n## 校准输入\n\n", "\n## Calibrated inputs\n\n"), out);
    ps_status st = inputs_table(out, p, o, err);
    if (st == PS_OK && p->nseries) {
        fputs(RP_T(o, "\n## 观测序列\n\n", "\n## Observed series\n\n"), out);
        st = series_table(out, p, o, err);
    }
    if (st == PS_OK && p->ntargets) {
        fputs(RP_T(o, "\n## 目标\n\n", "\n## Targets\n\n"), out);
        st = targets_table(out, p, o, err);
    }
    return st == PS_OK ? rp_finish(out, err) : st;
}
