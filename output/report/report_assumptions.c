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
                     const ps_h5_assumptions *a)
{
    char seed[32], runs[160], sampling[128];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)a->seed);
    int n = snprintf(runs, sizeof runs, "%lld 次（成功 %lld，失败 %lld",
                     s->runs, s->runs_ok, s->runs_failed);
    if (s->runs_pending)
        n += snprintf(runs + n, sizeof runs - (size_t)n, "，未完成 %lld",
                      s->runs_pending);
    snprintf(runs + n, sizeof runs - (size_t)n, "）");
    const char *zh = sampling_zh(a->sampling);
    snprintf(sampling, sizeof sampling, *zh ? "%s（%s）" : "%s%s", a->sampling,
             zh);
    const char *rows[][2] = {
        {"情景", a->title},
        {"说明", a->description},
        {"模型文件", a->model_file},
        {"模型 SHA-256", a->model_sha256},
        {"抽样方法", sampling},
        {"随机种子", a->has_seed ? seed : ""},
        {"模拟次数", runs},
        {"引擎版本", a->engine_version},
        {"生成时间（UTC）", a->created},
        {"命令", a->command_line},
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

static ps_status fixed_md(FILE *out, const ps_h5_assumptions *a, ps_error *err)
{
    fputs("\n## 固定值\n\n", out);
    if (!a->nfixed) {
        fputs("无。\n", out);
        return PS_OK;
    }
    fputs("每次模拟取相同的值。\n\n", out);
    const char *head[] = {"变量", "取值", "单位", "说明", "来源"};
    rp_table t;
    rp_table_init(&t, 5, "lrlll");
    rp_table_row(&t, head);
    for (size_t i = 0; i < a->nfixed; i++) {
        const ps_h5_fixed_info *f = &a->fixed[i];
        char v[RP_NUM_MAX];
        const char *row[] = {f->name, rp_exact(f->value, v), f->units,
                             f->label, f->source};
        rp_table_row(&t, row);
    }
    return print_table(out, &t, err);
}

static ps_status levers_md(FILE *out, const ps_h5_assumptions *a,
                           const ps_h5_summary *s, ps_error *err)
{
    fputs("\n## 政策杠杆\n\n", out);
    if (!a->nlevers) {
        fputs("无。\n", out);
        return PS_OK;
    }
    fputs("每次模拟按相同的时间路径取值：两点之间线性插值，第一点之前取第一点"
          "的值，最后一点之后取最后一点的值。\n\n",
          out);
    const char *head[] = {"变量",
                          rp_time_is_year(s) ? "时间路径（年份 → 取值）"
                                             : "时间路径（时间 → 取值）",
                          "单位", "说明", "来源"};
    rp_table t;
    rp_table_init(&t, 5, "lllll");
    rp_table_row(&t, head);
    for (size_t i = 0; i < a->nlevers; i++) {
        const ps_h5_lever_info *l = &a->levers[i];
        char *path = lever_path(l, " → ", "，");
        if (!path) {
            rp_table_free(&t);
            return rp_nomem(err);
        }
        const char *row[] = {l->name, path, l->units, l->label, l->source};
        rp_table_row(&t, row);
        free(path);
    }
    return print_table(out, &t, err);
}

static ps_status inputs_md(FILE *out, const ps_h5_assumptions *a,
                           ps_error *err)
{
    fputs("\n## 不确定输入\n\n", out);
    if (!a->ninputs) {
        fputs("无。\n", out);
        return PS_OK;
    }
    fputs("每次模拟从分布中重新抽取；范围为成功模拟所抽到的值的 5% 与 95% "
          "分位数。\n\n",
          out);
    const char *head[] = {"变量", "分布", "范围（5%–95%）", "说明", "来源"};
    rp_table t;
    rp_table_init(&t, 5, "llrll");
    rp_table_row(&t, head);
    for (size_t j = 0; j < a->ninputs; j++) {
        const ps_h5_input_info *in = &a->inputs[j];
        char range[2 * RP_NUM_MAX + 8];
        const double q[2] = {in->p05, in->p95};
        if (in->runs > 0)
            rp_band(range, sizeof range, in->p05, in->p95, rp_decimals(q, 2));
        else
            snprintf(range, sizeof range, "n/a");
        const char *row[] = {in->name, in->distribution, range, in->label,
                             in->source};
        rp_table_row(&t, row);
    }
    return print_table(out, &t, err);
}

ps_status ps_report_assumptions_md(FILE *out, const ps_h5_summary *s,
                                   const ps_h5_assumptions *a, ps_error *err)
{
    fputs("# 假设与来源\n\n", out);
    if (!a) {
        fputs("此文件未记录这些结果所依据的设定。\n", out);
        return rp_finish(out, err);
    }
    fputs("这些结果所依据的设定，均取自集合文件本身。\n\n## 情景与运行\n\n",
          out);
    const char *head[] = {"项目", "内容"};
    rp_table t;
    rp_table_init(&t, 2, "ll");
    rp_table_row(&t, head);
    run_rows(&t, s, a);
    ps_status st = print_table(out, &t, err);
    if (st == PS_OK)
        st = fixed_md(out, a, err);
    if (st == PS_OK)
        st = levers_md(out, a, s, err);
    if (st == PS_OK)
        st = inputs_md(out, a, err);
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
