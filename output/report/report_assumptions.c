/*
 * assumptions.md/.csv: what the numbers assume, from the ensemble file
 * itself: the run (scenario, model and its hash, sampling, seed, runs,
 * engine), the fixed values, the levers' time paths, and the uncertain
 * inputs with the range of values the ok runs drew.
 */
#include "report_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plansim_output/report.h"

static const char *sampling_zh(const char *method)
{
    if (!method)
        return "";
    if (strcmp(method, "mc") == 0)
        return "蒙特卡洛独立抽样";
    if (strcmp(method, "lhs") == 0)
        return "拉丁超立方抽样";
    if (strcmp(method, "sobol") == 0)
        return "加扰 Sobol 序列";
    return "";
}

/*
 * A lever's path as text, each point "time<sep>value" joined by `join`:
 * "2026 → 0.2，2028 → 0.18" for people, "2026: 0.2, 2028: 0.18" (as a
 * scenario writes it) for CSV.  A new string; NULL when out of memory.
 */
static char *lever_path(const ps_h5_lever_info *l, const char *sep,
                        const char *join)
{
    size_t size = 1 + l->n * (2 * RP_NUM_MAX + strlen(sep) + strlen(join));
    char *buf = malloc(size);
    if (!buf)
        return NULL;
    size_t len = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < l->n; k++) {
        char t[RP_NUM_MAX], v[RP_NUM_MAX];
        len += (size_t)snprintf(buf + len, size - len, "%s%s%s%s",
                                k ? join : "", rp_exact(l->time[k], t), sep,
                                rp_exact(l->value[k], v));
    }
    return buf;
}

/* ---- Markdown ------------------------------------------------------------ */

static void run_rows(rp_table *t, const ps_h5_summary *s,
                     const ps_h5_assumptions *a, const ps_report_options *o)
{
    char seed[32], runs[160], sampling[128];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)a->seed);
    int n = snprintf(runs, sizeof runs,
                     RP_T(o, "%lld 次（成功 %lld，失败 %lld",
                          "%lld (%lld successful, %lld failed"),
                     s->runs, s->runs_ok, s->runs_failed);
    if (s->runs_pending)
        n += snprintf(runs + n, sizeof runs - (size_t)n,
                      RP_T(o, "，未完成 %lld", ", %lld not finished"),
                      s->runs_pending);
    snprintf(runs + n, sizeof runs - (size_t)n, "%s", RP_T(o, "）", ")"));
    const char *zh = rp_en(o) ? "" : sampling_zh(a->sampling);
    snprintf(sampling, sizeof sampling, *zh ? "%s（%s）" : "%s%s", a->sampling,
             zh);
    const char *rows[][2] = {
        {RP_T(o, "情景", "Scenario"), rp_scenario_title(a->title, &a->lang, o)},
        {RP_T(o, "说明", "Description"),
         rp_scenario_description(a->description, &a->lang, o)},
        {RP_T(o, "模型文件", "Model file"), a->model_file},
        {RP_T(o, "模型 SHA-256", "Model SHA-256"), a->model_sha256},
        {RP_T(o, "抽样方法", "Sampling"), sampling},
        {RP_T(o, "随机种子", "Seed"), a->has_seed ? seed : ""},
        {RP_T(o, "模拟次数", "Runs"), runs},
        {RP_T(o, "引擎版本", "Engine version"), a->engine_version},
        {RP_T(o, "模型执行方式", "Model engine"), a->model_engine},
        {RP_T(o, "生成时间（UTC）", "Made (UTC)"), a->created},
        {RP_T(o, "命令", "Command"), a->command_line},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (rows[i][1] && *rows[i][1])
            rp_table_row(t, rows[i]);
}

static ps_status print_table(FILE *out, rp_table *t, ps_error *err)
{
    ps_status st = rp_table_print(out, t, err);
    rp_table_free(t);
    return st;
}

static ps_status fixed_md(FILE *out, const ps_h5_assumptions *a,
                          const ps_report_options *o, ps_error *err)
{
    fputs(RP_T(o, "\n## 固定值\n\n", "\n## Fixed values\n\n"), out);
    if (!a->nfixed) {
        fputs(RP_T(o, "无。\n", "None.\n"), out);
        return PS_OK;
    }
    fputs(RP_T(o, "每次模拟取相同的值（单位与来源见技术附录）。\n\n",
               "Every run takes the same value (units and sources in the "
               "technical appendix).\n\n"),
          out);
    const char *head[] = {RP_T(o, "项目", "Item"), RP_T(o, "取值", "Value")};
    rp_table t;
    rp_table_init(&t, 2, "lr");
    rp_table_row(&t, head);
    for (size_t i = 0; i < a->nfixed; i++) {
        const ps_h5_fixed_info *f = &a->fixed[i];
        char v[RP_NUM_MAX];
        const char *row[] = {
            rp_input_label(f->label_zh, f->label_en, f->label, f->name, o),
            rp_exact(f->value, v)};
        rp_table_row(&t, row);
    }
    return print_table(out, &t, err);
}

static ps_status levers_md(FILE *out, const ps_h5_assumptions *a,
                           const ps_h5_summary *s, const ps_report_options *o,
                           ps_error *err)
{
    fputs(RP_T(o, "\n## 政策杠杆\n\n", "\n## Policy levers\n\n"), out);
    if (!a->nlevers) {
        fputs(RP_T(o, "无。\n", "None.\n"), out);
        return PS_OK;
    }
    fputs(
        RP_T(o,
             "每次模拟按相同的时间路径取值：两点之间线性插值，第一点之前取"
             "第一点的值，最后一点之后取最后一点的值（单位与来源见技术附录）。"
             "\n\n",
             "Every run follows the same path: linear between the points, "
             "the first value before the first point and the last after "
             "the last (units and sources in the technical appendix).\n\n"),
        out);
    const char *head[] = {
        RP_T(o, "政策杠杆", "Lever"),
        rp_time_is_year(s)
            ? RP_T(o, "时间路径（年份 → 取值）", "Path (year → value)")
            : RP_T(o, "时间路径（时间 → 取值）", "Path (time → value)")};
    rp_table t;
    rp_table_init(&t, 2, "ll");
    rp_table_row(&t, head);
    for (size_t i = 0; i < a->nlevers; i++) {
        const ps_h5_lever_info *l = &a->levers[i];
        char *path = lever_path(l, " → ", RP_T(o, "，", ", "));
        if (!path) {
            rp_table_free(&t);
            return rp_nomem(err);
        }
        const char *row[] = {
            rp_input_label(l->label_zh, l->label_en, l->label, l->name, o),
            path};
        rp_table_row(&t, row);
        free(path);
    }
    return print_table(out, &t, err);
}

static ps_status inputs_md(FILE *out, const ps_h5_assumptions *a,
                           const ps_report_options *o, ps_error *err)
{
    fputs(RP_T(o, "\n## 不确定输入\n\n", "\n## Uncertain inputs\n\n"), out);
    if (!a->ninputs) {
        fputs(RP_T(o, "无。\n", "None.\n"), out);
        return PS_OK;
    }
    fputs(RP_T(o,
               "每次模拟从分布中重新抽取；范围为成功模拟所抽到的值的 5% 与 "
               "95% 分位数（来源见技术附录）。\n\n",
               "Every run draws anew from the distribution; the range is "
               "the 5% and 95% quantiles of the values the successful runs "
               "drew (sources in the technical appendix).\n\n"),
          out);
    const char *head[] = {RP_T(o, "输入", "Input"),
                          RP_T(o, "分布", "Distribution"),
                          RP_T(o, "范围（5%–95%）", "Range (5–95%)")};
    rp_table t;
    rp_table_init(&t, 3, "llr");
    rp_table_row(&t, head);
    for (size_t j = 0; j < a->ninputs; j++) {
        const ps_h5_input_info *in = &a->inputs[j];
        char range[2 * RP_NUM_MAX + 8];
        const double q[2] = {in->p05, in->p95};
        if (in->runs > 0)
            rp_band(range, sizeof range, in->p05, in->p95, rp_decimals(q, 2));
        else
            snprintf(range, sizeof range, "n/a");
        const char *row[] = {
            rp_input_label(in->label_zh, in->label_en, in->label, in->name, o),
            in->distribution, range};
        rp_table_row(&t, row);
    }
    return print_table(out, &t, err);
}

ps_status ps_report_assumptions_md(FILE *out, const ps_h5_summary *s,
                                   const ps_h5_assumptions *a,
                                   const ps_report_options *o, ps_error *err)
{
    fputs(RP_T(o, "# 假设与来源\n\n", "# Assumptions and sources\n\n"), out);
    if (!a) {
        fputs(RP_T(o, "此文件未记录这些结果所依据的设定。\n",
                   "The file does not record what these results assume.\n"),
              out);
        return rp_finish(out, err);
    }
    fputs(
        RP_T(o,
             "这些结果所依据的设定，均取自集合文件本身。\n\n## 情景与运行\n\n",
             "What these results assume, all from the ensemble file "
             "itself.\n\n## Scenario and runs\n\n"),
        out);
    const char *head[] = {RP_T(o, "项目", "Item"), RP_T(o, "内容", "Value")};
    rp_table t;
    rp_table_init(&t, 2, "ll");
    rp_table_row(&t, head);
    run_rows(&t, s, a, o);
    ps_status st = print_table(out, &t, err);
    if (st == PS_OK)
        st = fixed_md(out, a, o, err);
    if (st == PS_OK)
        st = levers_md(out, a, s, o, err);
    if (st == PS_OK)
        st = inputs_md(out, a, o, err);
    return st == PS_OK ? rp_finish(out, err) : st;
}

/* ---- CSV ------------------------------------------------------------------ */

/* One row: section,name,label,value,p05,p95,units,source. */
static void csv_row(FILE *out, const char *section, const char *name,
                    const char *label, const char *value, double p05,
                    double p95, const char *units, const char *source)
{
    fprintf(out, "%s,", section);
    rp_csv(out, name);
    fputc(',', out);
    rp_csv(out, label);
    fputc(',', out);
    rp_csv(out, value);
    fputc(',', out);
    rp_csv_num(out, p05);
    fputc(',', out);
    rp_csv_num(out, p95);
    fputc(',', out);
    rp_csv(out, units);
    fputc(',', out);
    rp_csv(out, source);
    fputc('\n', out);
}

static void run_csv(FILE *out, const ps_h5_summary *s,
                    const ps_h5_assumptions *a)
{
    char seed[32], runs[4][32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)a->seed);
    snprintf(runs[0], sizeof runs[0], "%lld", s->runs);
    snprintf(runs[1], sizeof runs[1], "%lld", s->runs_ok);
    snprintf(runs[2], sizeof runs[2], "%lld", s->runs_failed);
    snprintf(runs[3], sizeof runs[3], "%lld", s->runs_pending);
    const char *rows[][3] = {
        {"title", "情景", a->title},
        {"description", "说明", a->description},
        {"model_file", "模型文件", a->model_file},
        {"model_sha256", "模型 SHA-256", a->model_sha256},
        {"sampling", "抽样方法", a->sampling},
        {"seed", "随机种子", a->has_seed ? seed : ""},
        {"runs", "模拟次数", runs[0]},
        {"runs_ok", "成功", runs[1]},
        {"runs_failed", "失败", runs[2]},
        {"runs_pending", "未完成", runs[3]},
        {"engine_version", "引擎版本", a->engine_version},
        {"created", "生成时间（UTC）", a->created},
        {"command_line", "命令", a->command_line},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        csv_row(out, "run", rows[i][0], rows[i][1], rows[i][2], NAN, NAN, "",
                "");
    if (a->model_engine && *a->model_engine) /* older files lack it */
        csv_row(out, "run", "model_engine", "模型执行方式", a->model_engine,
                NAN, NAN, "", "");
}

ps_status ps_report_assumptions_csv(FILE *out, const ps_h5_summary *s,
                                    const ps_h5_assumptions *a, ps_error *err)
{
    fputs("section,name,label,value,p05,p95,units,source\n", out);
    if (!a)
        return rp_finish(out, err);
    run_csv(out, s, a);
    for (size_t i = 0; i < a->nfixed; i++) {
        const ps_h5_fixed_info *f = &a->fixed[i];
        char v[RP_NUM_MAX];
        csv_row(out, "fixed", f->name, f->label, rp_exact(f->value, v), NAN,
                NAN, f->units, f->source);
    }
    for (size_t i = 0; i < a->nlevers; i++) {
        const ps_h5_lever_info *l = &a->levers[i];
        char *path = lever_path(l, ": ", ", ");
        if (!path)
            return rp_nomem(err);
        csv_row(out, "lever", l->name, l->label, path, NAN, NAN, l->units,
                l->source);
        free(path);
    }
    for (size_t j = 0; j < a->ninputs; j++) {
        const ps_h5_input_info *in = &a->inputs[j];
        csv_row(out, "uncertain", in->name, in->label, in->distribution,
                in->p05, in->p95, "", in->source);
    }
    return rp_finish(out, err);
}
