/*
 * calibration.md/.csv: what a calibration found, from the posterior file
 * itself: the method and its diagnostics, each calibrated input before
 * and after the data, the posterior-predictive check of each observed
 * series, and the targets' probabilities before and after.  Also the
 * names of the charts (density_*.svg, predictive_*.svg) and the pieces
 * index.md shares.
 */
#include "report_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plansim_output/report.h"

/* ---- shared with the charts and index.md --------------------------------- */

const char *rp_text_at(char *const *texts, size_t i)
{
    return texts && texts[i] ? texts[i] : "";
}

const char *rp_param_title(const ps_h5_posterior *p, size_t j)
{
    const char *label = rp_text_at(p->param_labels, j);
    return *label ? label : p->params[j];
}

int rp_is_optimize(const ps_h5_posterior *p)
{
    return p->method && strcmp(p->method, "optimize") == 0;
}

const char *rp_method_zh(const char *method)
{
    if (!method)
        return "";
    if (strcmp(method, "smc") == 0)
        return "回火序贯蒙特卡洛";
    if (strcmp(method, "is") == 0)
        return "先验抽样的重要性加权";
    if (strcmp(method, "optimize") == 0)
        return "最大似然估计与正态近似";
    return "";
}

const char *rp_measure_zh(const char *measure)
{
    if (!measure)
        return "";
    if (strcmp(measure, "level") == 0)
        return "水平";
    if (strcmp(measure, "growth") == 0)
        return "增长率";
    if (strcmp(measure, "share") == 0)
        return "占比";
    return measure;
}

size_t rp_series_obs(const ps_h5_posterior *p, size_t s, size_t *idx)
{
    size_t n = 0;
    for (size_t k = 0; k < p->nobs; k++) {
        if (p->obs_series[k] != s)
            continue;
        /* insertion by time; equal times keep the file's order */
        size_t i = n++;
        while (i > 0 && p->obs_time[idx[i - 1]] > p->obs_time[k]) {
            idx[i] = idx[i - 1];
            i--;
        }
        idx[i] = k;
    }
    return n;
}

double rp_obs_at(const double *v, size_t k)
{
    return v ? v[k] : NAN;
}

/*
 * "<prefix><name>.svg" with the name made safe as fan charts' names
 * are, cut (at a character boundary) so that the whole fits buf; a name
 * that an earlier one (of names[0..j)) already gave gets "_<j + 1>"
 * before ".svg", so no chart replaces another.
 */
static char *unique_name(const char *prefix, char *const *names, size_t j,
                         char *buf, size_t size)
{
    char mine[512], other[512];
    size_t n = rp_name_append(mine, sizeof mine, 0, names[j]);
    int taken = 0;
    for (size_t i = 0; i < j && !taken; i++) {
        size_t m = rp_name_append(other, sizeof other, 0, names[i]);
        taken = m == n && memcmp(mine, other, n) == 0;
    }
    char suffix[32];
    if (taken)
        snprintf(suffix, sizeof suffix, "_%zu.svg", j + 1);
    else
        snprintf(suffix, sizeof suffix, ".svg");
    size_t fixed = strlen(prefix) + strlen(suffix);
    size_t room = size > fixed ? size - fixed : 1;
    rp_name_append(mine, room < sizeof mine ? room : sizeof mine, 0, names[j]);
    snprintf(buf, size, "%s%s%s", prefix, mine, suffix);
    return buf;
}

char *ps_report_density_file_name(const ps_h5_posterior *p, size_t param,
                                  char *buf, size_t size)
{
    return unique_name("density_", p->params, param, buf, size);
}

size_t ps_report_series_nobs(const ps_h5_posterior *p, size_t series)
{
    size_t n = 0;
    for (size_t k = 0; k < p->nobs; k++)
        n += p->obs_series[k] == series;
    return n;
}

char *ps_report_predictive_file_name(const ps_h5_posterior *p, size_t series,
                                     char *buf, size_t size)
{
    return unique_name("predictive_", p->series_names, series, buf, size);
}

void rp_calib_summary(FILE *out, const ps_h5_posterior *p)
{
    char ev[RP_NUM_MAX], ess[RP_NUM_MAX], ml[RP_NUM_MAX];
    fprintf(out, "校准方法 %s（%s），%zu 个粒子，模型运行 %llu 次；",
            p->method ? p->method : "?", rp_method_zh(p->method), p->nparticles,
            (unsigned long long)p->evaluations);
    if (rp_is_optimize(p)) {
        fprintf(out, "最大对数似然 %s%s。",
                rp_num(p->max_loglik, rp_decimals(&p->max_loglik, 1), ml),
                p->converged ? "" : "（未收敛）");
        return;
    }
    if (!isnan(p->log_evidence))
        fprintf(out, "对数证据 %s，",
                rp_num(p->log_evidence, rp_decimals(&p->log_evidence, 1), ev));
    fprintf(out, "有效样本量 %s。", rp_ess(p->ess, ess));
}

void rp_calib_warnings(FILE *out, const ps_h5_posterior *p)
{
    if (p->collapsed)
        fputs("\n\n注意：有效样本量低于粒子数的 1%，权重集中在极少数粒子上，"
              "后验不可靠；宜改用 smc 方法或增加粒子数。",
              out);
    if (rp_is_optimize(p) && !p->converged)
        fputs("\n\n注意：优化未达到收敛标准，估计值与其正态近似仅供参考。",
              out);
}

/* The rule of a target of the posterior file, as the scorecard writes
   it. */
static void meta_rule(char *buf, size_t size, const ps_h5_target_meta *m)
{
    ps_h5_target_summary t;
    memset(&t, 0, sizeof t);
    t.compare = m->compare;
    t.lo = m->lo;
    t.hi = m->hi;
    rp_rule(buf, size, &t);
}

/* After minus before in percentage points: "+12.3 个百分点", "0.0 个百分点",
   "n/a". */
static void change_pp(char *buf, size_t size, double before, double after)
{
    double d = 100.0 * (after - before);
    if (isnan(d)) {
        snprintf(buf, size, "n/a");
        return;
    }
    char v[RP_NUM_MAX];
    snprintf(v, sizeof v, "%+.1f", d);
    if (strcmp(v + 1, "0.0") == 0)
        snprintf(v, sizeof v, "0.0");
    snprintf(buf, size, "%s 个百分点", v);
}

ps_status rp_calib_targets_table(FILE *out, const ps_h5_posterior *p,
                                 ps_error *err)
{
    const char *head[] = {"目标", "变量",     "时间",     "规则",
                          "性质", "先验概率", "后验概率", "变化"};
    rp_table t;
    rp_table_init(&t, 8, "llrllrrr");
    rp_table_row(&t, head);
    for (size_t i = 0; i < p->ntargets; i++) {
        const ps_h5_target_meta *m = &p->targets[i];
        char time[RP_NUM_MAX], rule[128], a[RP_NUM_MAX], b[RP_NUM_MAX], d[64];
        meta_rule(rule, sizeof rule, m);
        change_pp(d, sizeof d, p->prior_p[i], p->post_p[i]);
        const char *name = m->label && *m->label ? m->label : m->name;
        const char *row[] = {name,
                             m->variable,
                             rp_time(m->time, time),
                             rule,
                             rp_kind_zh(m->binding),
                             rp_pct(p->prior_p[i], a),
                             rp_pct(p->post_p[i], b),
                             d};
        rp_table_row(&t, row);
    }
    ps_status st = rp_table_print(out, &t, err);
    rp_table_free(&t);
    return st;
}

/* ---- calibration.md ------------------------------------------------------ */

static ps_status print_table(FILE *out, rp_table *t, ps_error *err)
{
    ps_status st = rp_table_print(out, t, err);
    rp_table_free(t);
    return st;
}

static ps_status diagnostics_md(FILE *out, const ps_h5_posterior *p,
                                ps_error *err)
{
    int opt = rp_is_optimize(p);
    char method[160], particles[32], stages[32], runs[32], ev[RP_NUM_MAX],
        ess[RP_NUM_MAX + 64], ml[RP_NUM_MAX], seed[32];
    const char *zh = rp_method_zh(p->method);
    snprintf(method, sizeof method, *zh ? "%s（%s）" : "%s%s",
             p->method ? p->method : "?", zh);
    snprintf(particles, sizeof particles, "%zu", p->nparticles);
    snprintf(stages, sizeof stages, "%zu", p->nstages);
    snprintf(runs, sizeof runs, "%llu", (unsigned long long)p->evaluations);
    rp_num(p->log_evidence, rp_decimals(&p->log_evidence, 1), ev);
    rp_ess(p->ess, ess);
    if (p->nparticles > 0 && !isnan(p->ess)) {
        size_t n = strlen(ess);
        char share[RP_NUM_MAX];
        snprintf(ess + n, sizeof ess - n, "（粒子数的 %s）%s",
                 rp_pct(p->ess / (double)p->nparticles, share),
                 p->collapsed ? "，权重退化" : "");
    }
    rp_num(p->max_loglik, rp_decimals(&p->max_loglik, 1), ml);
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)p->seed);
    const char *rows[][2] = {
        {"情景", p->title},
        {"说明", p->description},
        {"方法", method},
        {"粒子数", particles},
        {opt ? "迭代次数" : "阶段数", stages},
        {"模型运行次数", runs},
        {"对数证据", opt ? NULL : ev},
        {"有效样本量（ESS）", opt ? NULL : ess},
        {"最大对数似然", opt ? ml : NULL},
        {"是否收敛", opt ? (p->converged ? "是" : "否") : NULL},
        {"随机种子", seed},
        {"模型文件", p->model_file},
        {"模型 SHA-256", p->model_sha256},
        {"引擎版本", p->engine_version},
        {"命令", p->command_line},
    };
    const char *head[] = {"项目", "内容"};
    rp_table t;
    rp_table_init(&t, 2, "ll");
    rp_table_row(&t, head);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (rows[i][1] && *rows[i][1])
            rp_table_row(&t, rows[i]);
    fputs("## 方法与诊断\n\n", out);
    ps_status st = print_table(out, &t, err);
    if (st != PS_OK)
        return st;
    if (opt)
        fputs("\n后验为似然最大处的正态近似（均值为估计值，协方差由似然的"
              "曲率得到）。",
              out);
    else
        fputs("\n有效样本量表示加权粒子相当于多少个等权的独立抽样，越接近"
              "粒子数越好；对数证据用于比较同一观测数据下的不同先验或模型设定，"
              "越大越受数据支持。",
              out);
    rp_calib_warnings(out, p);
    fputc('\n', out);
    return PS_OK;
}

static ps_status inputs_md(FILE *out, const ps_h5_posterior *p, ps_error *err)
{
    fputs("\n## 校准输入：先验与后验\n\n"
          "先验为情景给出的分布，后验为以观测数据校准后的分布；标准差之比"
          "小于 1 表示数据缩小了该输入的不确定性，接近 1 表示数据对它几乎"
          "没有约束。\n\n",
          out);
    const char *head1[] = {"输入", "说明", "先验分布", "后验/先验标准差"};
    rp_table t;
    rp_table_init(&t, 4, "lllr");
    rp_table_row(&t, head1);
    for (size_t j = 0; j < p->nparams; j++) {
        char ratio[RP_NUM_MAX];
        double r = p->post_sd[j] / p->prior_sd[j];
        if (isfinite(r))
            snprintf(ratio, sizeof ratio, "%.2f", r);
        else
            snprintf(ratio, sizeof ratio, "n/a");
        const char *row[] = {p->params[j], rp_text_at(p->param_labels, j),
                             rp_text_at(p->param_dists, j), ratio};
        rp_table_row(&t, row);
    }
    ps_status st = print_table(out, &t, err);
    if (st != PS_OK)
        return st;
    fputs("\n", out);
    const char *head2[] = {"输入", "", "均值", "标准差", "5%", "中位数", "95%"};
    rp_table_init(&t, 7, "llrrrrr");
    rp_table_row(&t, head2);
    for (size_t j = 0; j < p->nparams; j++) {
        /* one number of decimals per input, so its two rows line up */
        const double v[10] = {p->prior_mean[j],      p->prior_sd[j],
                              p->prior_q[3 * j],     p->prior_q[3 * j + 1],
                              p->prior_q[3 * j + 2], p->post_mean[j],
                              p->post_sd[j],         p->post_q[3 * j],
                              p->post_q[3 * j + 1],  p->post_q[3 * j + 2]};
        int d = rp_decimals(v, 10);
        for (int which = 0; which < 2; which++) {
            const double *x = v + 5 * which;
            char c[5][RP_NUM_MAX];
            const char *row[] = {p->params[j],          which ? "后验" : "先验",
                                 rp_num(x[0], d, c[0]), rp_num(x[1], d, c[1]),
                                 rp_num(x[2], d, c[2]), rp_num(x[3], d, c[3]),
                                 rp_num(x[4], d, c[4])};
            rp_table_row(&t, row);
        }
    }
    return print_table(out, &t, err);
}

/* Where observation k falls among its predictive bands. */
static const char *position(const ps_h5_posterior *p, size_t k)
{
    double y = p->obs_value[k];
    double l50 = rp_obs_at(p->pred_lo50, k), h50 = rp_obs_at(p->pred_hi50, k);
    double l90 = rp_obs_at(p->pred_lo90, k), h90 = rp_obs_at(p->pred_hi90, k);
    if (y >= l50 && y <= h50)
        return "50% 区间内";
    if (y >= l90 && y <= h90)
        return "90% 区间内";
    if (isnan(l90) || isnan(h90) || isnan(y))
        return "n/a";
    return "90% 区间外";
}

static ps_status series_md(FILE *out, const ps_h5_posterior *p, size_t s,
                           size_t *idx, ps_error *err)
{
    size_t n = rp_series_obs(p, s, idx);
    char *name = rp_md(p->series_names[s]);
    char *var = rp_md(rp_text_at(p->series_variables, s));
    if (!name || !var) {
        free(name);
        free(var);
        return rp_nomem(err);
    }
    fprintf(out, "\n### %s\n\n模型变量 %s 的%s，观测 %zu 个。\n\n", name, var,
            rp_measure_zh(rp_text_at(p->series_measures, s)), n);
    free(name);
    free(var);
    double most = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k = idx[i];
        const double v[6] = {p->obs_value[k],
                             rp_obs_at(p->pred_median, k),
                             rp_obs_at(p->pred_lo50, k),
                             rp_obs_at(p->pred_hi50, k),
                             rp_obs_at(p->pred_lo90, k),
                             rp_obs_at(p->pred_hi90, k)};
        for (int c = 0; c < 6; c++)
            if (fabs(v[c]) > most) /* false for NaN */
                most = fabs(v[c]);
    }
    int d = rp_decimals(&most, 1);
    const char *head[] = {"时间",         "观测值",       "预测中位数",
                          "50% 预测区间", "90% 预测区间", "观测位置"};
    rp_table t;
    rp_table_init(&t, 6, "rrrrrl");
    rp_table_row(&t, head);
    for (size_t i = 0; i < n; i++) {
        size_t k = idx[i];
        char time[RP_NUM_MAX], y[RP_NUM_MAX], med[RP_NUM_MAX],
            b50[2 * RP_NUM_MAX + 8], b90[2 * RP_NUM_MAX + 8];
        rp_band(b50, sizeof b50, rp_obs_at(p->pred_lo50, k),
                rp_obs_at(p->pred_hi50, k), d);
        rp_band(b90, sizeof b90, rp_obs_at(p->pred_lo90, k),
                rp_obs_at(p->pred_hi90, k), d);
        const char *row[] = {rp_time(p->obs_time[k], time),
                             rp_num(p->obs_value[k], d, y),
                             rp_num(rp_obs_at(p->pred_median, k), d, med),
                             b50,
                             b90,
                             position(p, k)};
        rp_table_row(&t, row);
    }
    return print_table(out, &t, err);
}

static ps_status check_md(FILE *out, const ps_h5_posterior *p, ps_error *err)
{
    fputs("\n## 预测检验\n\n", out);
    if (!p->nseries) {
        fputs("本次校准没有观测序列。\n", out);
        return PS_OK;
    }
    fputs("对每个观测，按后验抽取模型结果并加上测量误差，得到重复观测值的"
          "中位数与 50%、90% 预测区间。误差设定合理时，约一半的观测落在 "
          "50% 区间内、九成落在 90% 区间内；明显偏少说明模型或误差设定"
          "过于自信，全部落在区间内则可能是误差设得偏大。\n\n",
          out);
    const char *head[] = {"观测序列", "模型变量",   "量度",
                          "观测数",   "50% 区间内", "90% 区间内"};
    rp_table t;
    rp_table_init(&t, 6, "lllrrr");
    rp_table_row(&t, head);
    for (size_t s = 0; s < p->nseries; s++) {
        size_t n = ps_report_series_nobs(p, s);
        char nb[32], i50[RP_NUM_MAX], i90[RP_NUM_MAX];
        snprintf(nb, sizeof nb, "%zu", n);
        const char *row[] = {p->series_names[s],
                             rp_text_at(p->series_variables, s),
                             rp_measure_zh(rp_text_at(p->series_measures, s)),
                             nb,
                             rp_pct(rp_obs_at(p->inside50, s), i50),
                             rp_pct(rp_obs_at(p->inside90, s), i90)};
        rp_table_row(&t, row);
    }
    ps_status st = print_table(out, &t, err);
    if (st != PS_OK || !p->nobs)
        return st;
    size_t *idx = malloc(p->nobs * sizeof *idx);
    if (!idx)
        return rp_nomem(err);
    for (size_t s = 0; s < p->nseries && st == PS_OK; s++)
        st = series_md(out, p, s, idx, err);
    free(idx);
    return st;
}

static ps_status targets_md(FILE *out, const ps_h5_posterior *p, ps_error *err)
{
    fputs("\n## 目标：校准前后的达成概率\n\n", out);
    if (!p->ntargets) {
        fputs("本情景未设定目标。\n", out);
        return PS_OK;
    }
    fputs("先验概率为校准所用的先验抽样中达成目标的比例，后验概率为按后验"
          "计算的比例；变化为观测数据带来的差别。\n\n",
          out);
    return rp_calib_targets_table(out, p, err);
}

ps_status ps_report_calibration_md(FILE *out, const ps_h5_posterior *p,
                                   ps_error *err)
{
    fputs("# 校准结果\n\n", out);
    if (p->title && *p->title) {
        char *t = rp_md(p->title);
        if (!t)
            return rp_nomem(err);
        fprintf(out, "情景：%s\n\n", t);
        free(t);
    }
    ps_status st = diagnostics_md(out, p, err);
    if (st == PS_OK)
        st = inputs_md(out, p, err);
    if (st == PS_OK)
        st = check_md(out, p, err);
    if (st == PS_OK)
        st = targets_md(out, p, err);
    return st == PS_OK ? rp_finish(out, err) : st;
}

/* ---- calibration.csv ----------------------------------------------------- */

/* One row: section,name,label,statistic,time,value (a number). */
static void csv_num(FILE *out, const char *section, const char *name,
                    const char *label, const char *statistic, double time,
                    double value)
{
    fprintf(out, "%s,", section);
    rp_csv(out, name);
    fputc(',', out);
    rp_csv(out, label);
    fprintf(out, ",%s,", statistic);
    rp_csv_num(out, time);
    fputc(',', out);
    rp_csv_num(out, value);
    fputc('\n', out);
}

/* The same with a text value. */
static void csv_text(FILE *out, const char *section, const char *name,
                     const char *label, const char *statistic,
                     const char *value)
{
    fprintf(out, "%s,", section);
    rp_csv(out, name);
    fputc(',', out);
    rp_csv(out, label);
    fprintf(out, ",%s,,", statistic);
    rp_csv(out, value);
    fputc('\n', out);
}

static void calibration_csv(FILE *out, const ps_h5_posterior *p)
{
    const char *m = p->method;
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)p->seed);
    csv_text(out, "calibration", m, "", "method", m);
    csv_num(out, "calibration", m, "", "complete", NAN, p->complete ? 1 : 0);
    csv_num(out, "calibration", m, "", "particles", NAN, (double)p->nparticles);
    csv_num(out, "calibration", m, "", "stages", NAN, (double)p->nstages);
    csv_num(out, "calibration", m, "", "runs", NAN, (double)p->evaluations);
    csv_num(out, "calibration", m, "", "log_evidence", NAN, p->log_evidence);
    csv_num(out, "calibration", m, "", "ess", NAN, p->ess);
    csv_num(out, "calibration", m, "", "collapsed", NAN, p->collapsed ? 1 : 0);
    csv_num(out, "calibration", m, "", "max_loglik", NAN, p->max_loglik);
    csv_num(out, "calibration", m, "", "converged", NAN, p->converged ? 1 : 0);
    csv_text(out, "calibration", m, "", "seed", seed);
    const char *texts[][2] = {
        {"title", p->title},
        {"model_file", p->model_file},
        {"model_sha256", p->model_sha256},
        {"engine_version", p->engine_version},
        {"command_line", p->command_line},
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        csv_text(out, "calibration", m, "", texts[i][0],
                 texts[i][1] ? texts[i][1] : "");
}

static void inputs_csv(FILE *out, const ps_h5_posterior *p)
{
    static const char *const q[3] = {"p05", "p50", "p95"};
    for (size_t j = 0; j < p->nparams; j++) {
        const char *name = p->params[j],
                   *label = rp_text_at(p->param_labels, j);
        csv_text(out, "input", name, label, "prior",
                 rp_text_at(p->param_dists, j));
        for (int w = 0; w < 2; w++) {
            const char *side = w ? "posterior" : "prior";
            const double *mean = w ? p->post_mean : p->prior_mean;
            const double *sd = w ? p->post_sd : p->prior_sd;
            const double *qs = w ? p->post_q : p->prior_q;
            char stat[32];
            snprintf(stat, sizeof stat, "%s_mean", side);
            csv_num(out, "input", name, label, stat, NAN, mean[j]);
            snprintf(stat, sizeof stat, "%s_sd", side);
            csv_num(out, "input", name, label, stat, NAN, sd[j]);
            for (int k = 0; k < 3; k++) {
                snprintf(stat, sizeof stat, "%s_%s", side, q[k]);
                csv_num(out, "input", name, label, stat, NAN, qs[3 * j + k]);
            }
        }
    }
}

static ps_status series_csv(FILE *out, const ps_h5_posterior *p, ps_error *err)
{
    size_t *idx = malloc((p->nobs ? p->nobs : 1) * sizeof *idx);
    if (!idx)
        return rp_nomem(err);
    for (size_t s = 0; s < p->nseries; s++) {
        const char *name = p->series_names[s];
        size_t n = rp_series_obs(p, s, idx);
        csv_text(out, "series", name, "", "variable",
                 rp_text_at(p->series_variables, s));
        csv_text(out, "series", name, "", "measure",
                 rp_text_at(p->series_measures, s));
        csv_num(out, "series", name, "", "observations", NAN, (double)n);
        csv_num(out, "series", name, "", "inside_50", NAN,
                rp_obs_at(p->inside50, s));
        csv_num(out, "series", name, "", "inside_90", NAN,
                rp_obs_at(p->inside90, s));
        for (size_t i = 0; i < n; i++) {
            size_t k = idx[i];
            double t = p->obs_time[k];
            const char *o = "observation";
            csv_num(out, o, name, "", "observed", t, p->obs_value[k]);
            csv_num(out, o, name, "", "predictive_median", t,
                    rp_obs_at(p->pred_median, k));
            csv_num(out, o, name, "", "predictive_lo50", t,
                    rp_obs_at(p->pred_lo50, k));
            csv_num(out, o, name, "", "predictive_hi50", t,
                    rp_obs_at(p->pred_hi50, k));
            csv_num(out, o, name, "", "predictive_lo90", t,
                    rp_obs_at(p->pred_lo90, k));
            csv_num(out, o, name, "", "predictive_hi90", t,
                    rp_obs_at(p->pred_hi90, k));
        }
    }
    free(idx);
    return PS_OK;
}

ps_status ps_report_calibration_csv(FILE *out, const ps_h5_posterior *p,
                                    ps_error *err)
{
    fputs("section,name,label,statistic,time,value\n", out);
    calibration_csv(out, p);
    inputs_csv(out, p);
    ps_status st = series_csv(out, p, err);
    if (st != PS_OK)
        return st;
    for (size_t i = 0; i < p->ntargets; i++) {
        const ps_h5_target_meta *m = &p->targets[i];
        const char *label = m->label ? m->label : "";
        csv_num(out, "target", m->name, label, "prior_probability", m->time,
                p->prior_p[i]);
        csv_num(out, "target", m->name, label, "posterior_probability", m->time,
                p->post_p[i]);
    }
    return rp_finish(out, err);
}
