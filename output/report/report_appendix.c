/*
 * appendix.md: the technical appendix.  The rest of the report speaks
 * in the labels readers know; this page maps each of them to the
 * model's name, its units in the model and the factor its values are
 * shown with, and gives the sources of the inputs, for whoever checks
 * the numbers against the model.
 */
#include "report_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "plansim_output/report.h"

/* "×100（百分数）", "×0.0001", "×1". */
static void factor_text(char *buf, size_t size, const ps_h5_var_summary *v,
                        const ps_report_options *o)
{
    snprintf(buf, size, "×%.10g%s", rp_var_factor(v),
             v->display_percent ? RP_T(o, "（百分数）", " (percent)") : "");
}

static ps_status variables_table(FILE *out, const ps_h5_summary *s,
                                 const ps_report_options *o, ps_error *err)
{
    const char *head[] = {
        RP_T(o, "指标", "Indicator"), RP_T(o, "模型变量", "Model variable"),
        RP_T(o, "模型单位", "Units in the model"),
        RP_T(o, "显示单位", "Units shown"), RP_T(o, "显示换算", "Shown as")};
    rp_table t;
    rp_table_init(&t, 5, "lllll");
    rp_table_row(&t, head);
    for (size_t i = 0; i < s->nvars; i++) {
        const ps_h5_var_summary *v = &s->vars[i];
        char lbuf[1024], f[64];
        factor_text(f, sizeof f, v, o);
        const char *row[] = {rp_var_label(s, v, o, lbuf, sizeof lbuf),
                             v->model_name, v->units, rp_var_units(v, o), f};
        rp_table_row(&t, row);
    }
    ps_status st = rp_table_print(out, &t, err);
    rp_table_free(&t);
    return st;
}

void rp_appendix_targets_begin(rp_table *t, const ps_report_options *o)
{
    const char *head[] = {RP_T(o, "目标", "Target"),
                          RP_T(o, "目标名", "Target name"),
                          RP_T(o, "模型变量", "Model variable"),
                          RP_T(o, "规则（模型单位）", "Rule (model units)")};
    rp_table_init(t, 4, "llll");
    rp_table_row(t, head);
}

static ps_status targets_table(FILE *out, const ps_h5_summary *s,
                               const ps_report_options *o, ps_error *err)
{
    rp_table t;
    rp_appendix_targets_begin(&t, o);
    for (size_t i = 0; i < s->ntargets; i++) {
        const ps_h5_target_summary *tg = &s->targets[i];
        char rule[128];
        rp_rule(rule, sizeof rule, tg);
        const char *row[] = {rp_target_label(tg, o), tg->name, tg->variable,
                             rule};
        rp_table_row(&t, row);
    }
    ps_status st = rp_table_print(out, &t, err);
    rp_table_free(&t);
    return st;
}

static ps_status inputs_table(FILE *out, const ps_h5_assumptions *a,
                              const ps_report_options *o, ps_error *err)
{
    const char *head[] = {RP_T(o, "项目", "Item"), RP_T(o, "类别", "Kind"),
                          RP_T(o, "模型常量", "Model constant"),
                          RP_T(o, "模型单位", "Units in the model"),
                          RP_T(o, "来源", "Source")};
    rp_table t;
    rp_table_init(&t, 5, "lllll");
    rp_table_row(&t, head);
    for (size_t i = 0; i < a->nfixed; i++) {
        const ps_h5_fixed_info *f = &a->fixed[i];
        const char *row[] = {
            rp_input_label(f->label_zh, f->label_en, f->label, f->name, o),
            RP_T(o, "固定值", "fixed value"), f->name, f->units, f->source};
        rp_table_row(&t, row);
    }
    for (size_t i = 0; i < a->nlevers; i++) {
        const ps_h5_lever_info *l = &a->levers[i];
        const char *row[] = {
            rp_input_label(l->label_zh, l->label_en, l->label, l->name, o),
            RP_T(o, "政策杠杆", "lever"), l->name, l->units, l->source};
        rp_table_row(&t, row);
    }
    for (size_t j = 0; j < a->ninputs; j++) {
        const ps_h5_input_info *in = &a->inputs[j];
        const char *row[] = {
            rp_input_label(in->label_zh, in->label_en, in->label, in->name, o),
            RP_T(o, "不确定输入", "uncertain input"), in->name, "", in->source};
        rp_table_row(&t, row);
    }
    ps_status st = rp_table_print(out, &t, err);
    rp_table_free(&t);
    return st;
}

ps_status ps_report_appendix_md(FILE *out, const ps_h5_summary *s,
                                const ps_h5_assumptions *a,
                                const ps_report_options *o, ps_error *err)
{
    fputs(RP_T(o, "# 技术附录：标签与模型变量\n\n",
               "# Technical appendix: labels and model variables\n\n"),
          out);
    if (rp_has_labels(s)) {
        char *file = rp_md(s->labels_file);
        if (!file)
            return rp_nomem(err);
        fprintf(out,
                RP_T(o,
                     "报告中的名称与单位取自模型的标签文件 %s（运行时保存在"
                     "集合文件中）。下表列出每个名称对应的模型变量、模型中的"
                     "单位和显示换算：显示值 = 模型值 × 换算系数。\n",
                     "The report's names and units come from the model's "
                     "labels file %s (stored in the ensemble file by the "
                     "run).  The tables give each name's model variable, its "
                     "units in the model and how it is shown: shown value = "
                     "model value × factor.\n"),
                file);
        free(file);
    } else {
        fputs(RP_T(o,
                   "本文件未保存面向读者的标签，报告沿用模型中的名称与单位。"
                   "\n",
                   "The file stores no labels for readers: the report uses "
                   "the model's names and units.\n"),
              out);
    }
    rp_rounding_note(out, o);
    fputs(RP_T(o, "\n\n## 指标\n\n", "\n\n## Indicators\n\n"), out);
    ps_status st = variables_table(out, s, o, err);
    if (st == PS_OK && s->ntargets) {
        fputs(RP_T(o, "\n## 目标\n\n", "\n## Targets\n\n"), out);
        st = targets_table(out, s, o, err);
    }
    if (st == PS_OK && a && a->nfixed + a->nlevers + a->ninputs) {
        fputs(RP_T(o, "\n## 输入与来源\n\n", "\n## Inputs and sources\n\n"),
              out);
        st = inputs_table(out, a, o, err);
    }
    return st == PS_OK ? rp_finish(out, err) : st;
}
