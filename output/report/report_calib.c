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

#include "plansim_output/prob_text.h"
#include "plansim_output/report.h"

/* ---- shared with the charts and index.md --------------------------------- */

const char *rp_text_at(char *const *texts, size_t i)
{
    return texts && texts[i] ? texts[i] : "";
}

const char *rp_param_title(const ps_h5_posterior *p, size_t j,
                           const ps_report_options *o)
{
    return rp_input_label(rp_text_at(p->param_labels_zh, j),
                          rp_text_at(p->param_labels_en, j),
                          rp_text_at(p->param_labels, j), p->params[j], o);
}

const char *rp_series_title(const ps_h5_posterior *p, size_t s,
                            const ps_report_options *o, char *buf, size_t size)
{
    const char *l =
        rp_text_at(rp_en(o) ? p->series_labels_en : p->series_labels_zh, s);
    if (!*l)
        return p->series_names[s];
    const char *measure = rp_text_at(p->series_measures, s);
    if (!*measure || strcmp(measure, "level") == 0)
        snprintf(buf, size, "%s", l);
    else
        snprintf(buf, size, rp_en(o) ? "%s (%s)" : "%s（%s）", l,
                 rp_measure_text(measure, o));
    return buf;
}

const char *rp_calib_target_title(const ps_h5_posterior *p, size_t i,
                                  const ps_report_options *o)
{
    const ps_h5_target_meta *m = &p->targets[i];
    return rp_input_label(rp_text_at(p->target_labels_zh, i),
                          rp_text_at(p->target_labels_en, i), m->label, m->name,
                          o);
}

void rp_calib_labels_note(FILE *out, const ps_h5_posterior *p,
                          const ps_report_options *o)
{
    if (p->labels_file && *p->labels_file)
        return;
    fputs(rp_en(o) ? "\n\n> This file stores no labels for readers (the "
                     "model has no labels file, or the file was written by "
                     "an older plansim): inputs and series are named as in "
                     "the scenario."
                   : "\n\n> 本文件未保存面向读者的标签（模型没有标签文件，或"
                     "文件由较早版本的 plansim 生成），输入与观测序列沿用情景"
                     "中的名称。",
          out);
}

int rp_is_optimize(const ps_h5_posterior *p)
{
    return p->method && strcmp(p->method, "optimize") == 0;
}

const char *rp_method_text(const char *method, const ps_report_options *o)
{
    if (!method)
        return "";
    if (strcmp(method, "smc") == 0)
        return RP_T(o, "回火序贯蒙特卡洛", "tempered sequential Monte Carlo");
    if (strcmp(method, "is") == 0)
        return RP_T(o, "先验抽样的重要性加权",
                    "importance weighting of prior draws");
    if (strcmp(method, "optimize") == 0)
        return RP_T(o, "最大似然估计与正态近似",
                    "maximum likelihood with a normal approximation");
    return method;
}

const char *rp_measure_text(const char *measure, const ps_report_options *o)
{
    if (!measure)
        return "";
    if (strcmp(measure, "level") == 0)
        return RP_T(o, "水平", "level");
    if (strcmp(measure, "growth") == 0)
        return RP_T(o, "增长率", "growth");
    if (strcmp(measure, "share") == 0)
        return RP_T(o, "占比", "share");
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

void rp_calib_summary(FILE *out, const ps_h5_posterior *p,
                      const ps_report_options *o)
{
    char ev[RP_NUM_MAX], ess[RP_NUM_MAX], ml[RP_NUM_MAX];
    const char *m = rp_method_text(p->method, o);
    fprintf(out,
            RP_T(o, "校准方法：%s，%zu 个粒子，模型运行 %llu 次；",
                 "Calibrated by %s with %zu particles and %llu model runs; "),
            *m ? m : "?", p->nparticles, (unsigned long long)p->evaluations);
    if (rp_is_optimize(p)) {
        fprintf(out,
                RP_T(o, "最大对数似然 %s%s。", "maximum log-likelihood %s%s."),
                rp_num(p->max_loglik, rp_decimals(&p->max_loglik, 1), ml),
                p->converged ? "" : RP_T(o, "（未收敛）", " (not converged)"));
        return;
    }
    if (!isnan(p->log_evidence))
        fprintf(out, RP_T(o, "对数证据 %s，", "log evidence %s, "),
                rp_num(p->log_evidence, rp_decimals(&p->log_evidence, 1), ev));
    fprintf(out, RP_T(o, "有效样本量 %s。", "effective sample size %s."),
            rp_ess(p->ess, ess));
}

void rp_calib_warnings(FILE *out, const ps_h5_posterior *p,
                       const ps_report_options *o)
{
    if (p->collapsed)
        fputs(RP_T(o,
                   "\n\n注意：有效样本量低于粒子数的 1%，权重集中在极少数粒子"
                   "上，后验不可靠；宜改用回火序贯蒙特卡洛方法或增加粒子数。",
                   "\n\nWarning: the effective sample size is below 1% of "
                   "the particles; the weight rests on very few of them and "
                   "the posterior is not reliable.  Use tempered sequential "
                   "Monte Carlo or more particles."),
              out);
    if (rp_is_optimize(p) && !p->converged)
        fputs(RP_T(o,
                   "\n\n注意：优化未达到收敛标准，估计值与其正态近似仅供参考。",
                   "\n\nWarning: the optimisation did not meet its "
                   "convergence criterion; the estimate and its normal "
                   "approximation are indicative only."),
              out);
}

void rp_meta_rule(char *buf, size_t size, const ps_h5_target_meta *m)
{
    ps_h5_target_summary t;
    memset(&t, 0, sizeof t);
    t.compare = m->compare;
    t.lo = m->lo;
    t.hi = m->hi;
    rp_rule(buf, size, &t);
}

/* After minus before in percentage points, each rounded by the one rule
   first so that the change is the difference of the numbers shown:
   "+12.3 个百分点" ("+12.3 points"), "0.0 个百分点", "n/a". */
static void change_pp(char *buf, size_t size, double before, double after,
                      const ps_report_options *o)
{
    if (!isfinite(before) || !isfinite(after)) {
        snprintf(buf, size, "n/a");
        return;
    }
    long long d = ps_prob_thousandths(after) - ps_prob_thousandths(before);
    long long a = d < 0 ? -d : d;
    if (d == 0)
        snprintf(buf, size, "0.0%s", RP_T(o, " 个百分点", " points"));
    else
        snprintf(buf, size, "%c%lld.%lld%s", d < 0 ? '-' : '+', a / 10, a % 10,
                 RP_T(o, " 个百分点", " points"));
}

ps_status rp_calib_targets_table(FILE *out, const ps_h5_posterior *p,
                                 const ps_report_options *o, ps_error *err)
{
    fputs(RP_T(o,
               "先验概率为校准所用的先验抽样中达成目标的比例，后验概率为按"
               "后验计算的比例；变化为观测数据带来的差别。",
               "The prior probability is the share of the calibration's "
               "prior draws that reach the target, the posterior "
               "probability the share under the posterior; the change is "
               "what the observed data made of it."),
          out);
    rp_rounding_note(out, o);
    fputs("\n\n", out);
    const char *head[] = {RP_T(o, "目标", "Target"),
                          RP_T(o, "年份", "Year"),
                          RP_T(o, "性质", "Kind"),
                          RP_T(o, "先验概率", "Prior probability"),
                          RP_T(o, "后验概率", "Posterior probability"),
                          RP_T(o, "变化", "Change")};
    rp_table t;
    rp_table_init(&t, 6, "lrlrrr");
    rp_table_row(&t, head);
    for (size_t i = 0; i < p->ntargets; i++) {
        const ps_h5_target_meta *m = &p->targets[i];
        char time[RP_NUM_MAX], a[RP_NUM_MAX], b[RP_NUM_MAX], d[64];
        change_pp(d, sizeof d, p->prior_p[i], p->post_p[i], o);
        const char *row[] = {rp_calib_target_title(p, i, o),
                             rp_time(m->time, time),
                             RP_T(o, rp_kind_zh(m->binding),
                                  m->binding ? "binding" : "expected"),
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
                                const ps_report_options *o, ps_error *err)
{
    int opt = rp_is_optimize(p);
    char particles[32], stages[32], runs[32], ev[RP_NUM_MAX],
        ess[RP_NUM_MAX + 64], ml[RP_NUM_MAX], seed[32];
    const char *method = rp_method_text(p->method, o);
    snprintf(particles, sizeof particles, "%zu", p->nparticles);
    snprintf(stages, sizeof stages, "%zu", p->nstages);
    snprintf(runs, sizeof runs, "%llu", (unsigned long long)p->evaluations);
    rp_num(p->log_evidence, rp_decimals(&p->log_evidence, 1), ev);
    rp_ess(p->ess, ess);
    if (p->nparticles > 0 && !isnan(p->ess)) {
        size_t n = strlen(ess);
        char share[RP_NUM_MAX];
        snprintf(ess + n, sizeof ess - n,
                 RP_T(o, "（粒子数的 %s）%s", " (%s of the particles)%s"),
                 rp_pct(p->ess / (double)p->nparticles, share),
                 p->collapsed ? RP_T(o, "，权重退化", ", weights collapsed")
                              : "");
    }
    rp_num(p->max_loglik, rp_decimals(&p->max_loglik, 1), ml);
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)p->seed);
    const char *rows[][2] = {
        {RP_T(o, "情景", "Scenario"), rp_scenario_title(p->title, &p->lang, o)},
        {RP_T(o, "说明", "Description"),
         rp_scenario_description(p->description, &p->lang, o)},
        {RP_T(o, "方法", "Method"), method},
        {RP_T(o, "粒子数", "Particles"), particles},
        {opt ? RP_T(o, "迭代次数", "Iterations") : RP_T(o, "阶段数", "Stages"),
         stages},
        {RP_T(o, "模型运行次数", "Model runs"), runs},
        {RP_T(o, "对数证据", "Log evidence"), opt ? NULL : ev},
        {RP_T(o, "有效样本量", "Effective sample size"), opt ? NULL : ess},
        {RP_T(o, "最大对数似然", "Maximum log-likelihood"), opt ? ml : NULL},
        {RP_T(o, "是否收敛", "Converged"),
         opt ? (p->converged ? RP_T(o, "是", "yes") : RP_T(o, "否", "no"))
             : NULL},
        {RP_T(o, "随机种子", "Random seed"), seed},
        {RP_T(o, "模型文件", "Model file"), p->model_file},
        {RP_T(o, "模型 SHA-256", "Model SHA-256"), p->model_sha256},
        {RP_T(o, "引擎版本", "Engine version"), p->engine_version},
        {RP_T(o, "命令", "Command"), p->command_line},
    };
    const char *head[] = {RP_T(o, "项目", "Item"), RP_T(o, "内容", "Value")};
    rp_table t;
    rp_table_init(&t, 2, "ll");
    rp_table_row(&t, head);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (rows[i][1] && *rows[i][1])
            rp_table_row(&t, rows[i]);
    fputs(RP_T(o, "## 方法与诊断\n\n", "## Method and diagnostics\n\n"), out);
    ps_status st = print_table(out, &t, err);
    if (st != PS_OK)
        return st;
    if (opt)
        fputs(RP_T(o,
                   "\n后验为似然最大处的正态近似（均值为估计值，协方差由似然"
                   "的曲率得到）。",
                   "\nThe posterior is the normal approximation at the "
                   "maximum of the likelihood (the estimate as its mean, the "
                   "covariance from the likelihood's curvature)."),
              out);
    else
        fputs(RP_T(o,
                   "\n有效样本量表示加权粒子相当于多少个等权的独立抽样，越接"
                   "近粒子数越好；对数证据用于比较同一观测数据下的不同先验或"
                   "模型设定，越大越受数据支持。",
                   "\nThe effective sample size is how many independent, "
                   "equally weighted draws the weighted particles are worth: "
                   "the closer to the number of particles, the better.  The "
                   "log evidence compares priors or model settings on the "
                   "same data: the larger, the better the data support it."),
              out);
    rp_calib_warnings(out, p, o);
    fputc('\n', out);
    return PS_OK;
}

static ps_status inputs_md(FILE *out, const ps_h5_posterior *p,
                           const ps_report_options *o, ps_error *err)
{
    fputs(RP_T(o,
               "\n## 校准输入：先验与后验\n\n"
               "先验为情景给出的分布，后验为以观测数据校准后的分布；标准差"
               "之比小于 1 表示数据缩小了该输入的不确定性，接近 1 表示数据"
               "对它几乎没有约束。数值为模型单位，分布的写法见技术附录。\n\n",
               "\n## Calibrated inputs: prior and posterior\n\n"
               "The prior is the distribution the scenario gives, the "
               "posterior the distribution after calibration on the observed "
               "data; a ratio of standard deviations below 1 means the data "
               "narrowed the input's uncertainty, near 1 that they hardly "
               "constrain it.  Values are in the model's units; the "
               "distributions as written are in the technical appendix."
               "\n\n"),
          out);
    const char *head1[] = {RP_T(o, "输入", "Input"),
                           RP_T(o, "后验/先验标准差", "Posterior/prior sd")};
    rp_table t;
    rp_table_init(&t, 2, "lr");
    rp_table_row(&t, head1);
    for (size_t j = 0; j < p->nparams; j++) {
        char ratio[RP_NUM_MAX];
        double r = p->post_sd[j] / p->prior_sd[j];
        if (isfinite(r))
            snprintf(ratio, sizeof ratio, "%.2f", r);
        else
            snprintf(ratio, sizeof ratio, "n/a");
        const char *row[] = {rp_param_title(p, j, o), ratio};
        rp_table_row(&t, row);
    }
    ps_status st = print_table(out, &t, err);
    if (st != PS_OK)
        return st;
    fputs("\n", out);
    const char *head2[] = {RP_T(o, "输入", "Input"),
                           "",
                           RP_T(o, "均值", "Mean"),
                           RP_T(o, "标准差", "Sd"),
                           "5%",
                           RP_T(o, "中位数", "Median"),
                           "95%"};
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
            const char *row[] = {rp_param_title(p, j, o),
                                 which ? RP_T(o, "后验", "posterior")
                                       : RP_T(o, "先验", "prior"),
                                 rp_num(x[0], d, c[0]),
                                 rp_num(x[1], d, c[1]),
                                 rp_num(x[2], d, c[2]),
                                 rp_num(x[3], d, c[3]),
                                 rp_num(x[4], d, c[4])};
            rp_table_row(&t, row);
        }
    }
    return print_table(out, &t, err);
}

/* Where observation k falls among its predictive bands. */
static const char *position(const ps_h5_posterior *p, size_t k,
                            const ps_report_options *o)
{
    double y = p->obs_value[k];
    double l50 = rp_obs_at(p->pred_lo50, k), h50 = rp_obs_at(p->pred_hi50, k);
    double l90 = rp_obs_at(p->pred_lo90, k), h90 = rp_obs_at(p->pred_hi90, k);
    if (y >= l50 && y <= h50)
        return RP_T(o, "50% 区间内", "inside 50%");
    if (y >= l90 && y <= h90)
        return RP_T(o, "90% 区间内", "inside 90%");
    if (isnan(l90) || isnan(h90) || isnan(y))
        return "n/a";
    return RP_T(o, "90% 区间外", "outside 90%");
}

static ps_status series_md(FILE *out, const ps_h5_posterior *p, size_t s,
                           size_t *idx, const ps_report_options *o,
                           ps_error *err)
{
    size_t n = rp_series_obs(p, s, idx);
    char tbuf[1024];
    char *name = rp_md(rp_series_title(p, s, o, tbuf, sizeof tbuf));
    if (!name)
        return rp_nomem(err);
    if (rp_en(o))
        fprintf(out, "\n### %s\n\n%zu observation%s.\n\n", name, n,
                n == 1 ? "" : "s");
    else
        fprintf(out, "\n### %s\n\n观测 %zu 个。\n\n", name, n);
    free(name);
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
    const char *head[] = {RP_T(o, "时间", "Time"),
                          RP_T(o, "观测值", "Observed"),
                          RP_T(o, "预测中位数", "Predictive median"),
                          RP_T(o, "50% 预测区间", "50% predictive band"),
                          RP_T(o, "90% 预测区间", "90% predictive band"),
                          RP_T(o, "观测位置", "Observation")};
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
                             position(p, k, o)};
        rp_table_row(&t, row);
    }
    return print_table(out, &t, err);
}

static ps_status check_md(FILE *out, const ps_h5_posterior *p,
                          const ps_report_options *o, ps_error *err)
{
    fputs(RP_T(o, "\n## 预测检验\n\n", "\n## Predictive check\n\n"), out);
    if (!p->nseries) {
        fputs(RP_T(o, "本次校准没有观测序列。\n",
                   "This calibration has no observed series.\n"),
              out);
        return PS_OK;
    }
    fputs(RP_T(o,
               "对每个观测，按后验抽取模型结果并加上测量误差，得到重复观测值"
               "的中位数与 50%、90% 预测区间。误差设定合理时，约一半的观测"
               "落在 50% 区间内、九成落在 90% 区间内；明显偏少说明模型或误差"
               "设定过于自信，全部落在区间内则可能是误差设得偏大。观测值与"
               "区间为模型单位。\n\n",
               "For each observation, model results drawn from the "
               "posterior plus measurement error give the median and the "
               "50% and 90% predictive bands of a repeated observation.  "
               "With a sound error model about half of the observations "
               "fall inside the 50% band and nine in ten inside the 90% "
               "band; clearly fewer means the model or its errors are "
               "overconfident, all of them that the errors may be too "
               "wide.  Observations and bands are in the model's units."
               "\n\n"),
          out);
    const char *head[] = {RP_T(o, "观测序列", "Observed series"),
                          RP_T(o, "观测数", "Observations"),
                          RP_T(o, "50% 区间内", "Inside 50%"),
                          RP_T(o, "90% 区间内", "Inside 90%")};
    rp_table t;
    rp_table_init(&t, 4, "lrrr");
    rp_table_row(&t, head);
    for (size_t s = 0; s < p->nseries; s++) {
        size_t n = ps_report_series_nobs(p, s);
        char nb[32], i50[RP_NUM_MAX], i90[RP_NUM_MAX];
        snprintf(nb, sizeof nb, "%zu", n);
        char tbuf[1024];
        const char *row[] = {rp_series_title(p, s, o, tbuf, sizeof tbuf), nb,
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
        st = series_md(out, p, s, idx, o, err);
    free(idx);
    return st;
}

static ps_status targets_md(FILE *out, const ps_h5_posterior *p,
                            const ps_report_options *o, ps_error *err)
{
    fputs(RP_T(o, "\n## 目标：校准前后的达成概率\n\n",
               "\n## Targets: probability before and after the data\n\n"),
          out);
    if (!p->ntargets) {
        fputs(
            RP_T(o, "本情景未设定目标。\n", "The scenario sets no targets.\n"),
            out);
        return PS_OK;
    }
    return rp_calib_targets_table(out, p, o, err);
}

ps_status ps_report_calibration_md(FILE *out, const ps_h5_posterior *p,
                                   const ps_report_options *o, ps_error *err)
{
    fputs(RP_T(o, "# 校准结果\n\n", "# Calibration results\n\n"), out);
    const char *title = rp_scenario_title(p->title, &p->lang, o);
    if (title && *title) {
        char *t = rp_md(title);
        if (!t)
            return rp_nomem(err);
        fprintf(out, RP_T(o, "情景：%s\n\n", "Scenario: %s\n\n"), t);
        free(t);
    }
    ps_status st = diagnostics_md(out, p, o, err);
    if (st == PS_OK)
        st = inputs_md(out, p, o, err);
    if (st == PS_OK)
        st = check_md(out, p, o, err);
    if (st == PS_OK)
        st = targets_md(out, p, o, err);
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
