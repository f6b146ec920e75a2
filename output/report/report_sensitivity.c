/*
 * sensitivity.md and sensitivity.csv: the results of `plansim
 * sensitivity` in a report.  The Markdown page is for readers: per
 * output, named by its indicator's label and year, the factors that
 * drive it ranked by the method's index with its interval, after one
 * sentence per measure on what it means; factors are named by their
 * inputs' labels.  The CSV is the one `plansim sensitivity --format csv`
 * prints.  The model names behind the labels are listed in the
 * technical appendix (ps_report_sensitivity_appendix_md).
 */
#include "report_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plansim_output/prob_text.h"
#include "plansim_output/report.h"

/* Factors shown per output; the CSV has them all. */
#define TOP_FACTORS 10

typedef enum method { SOBOL, MORRIS, OAT } method;

static method method_of(const ps_h5_sensitivity *x)
{
    return strcmp(x->method, "sobol") == 0    ? SOBOL
           : strcmp(x->method, "morris") == 0 ? MORRIS
                                              : OAT;
}

static int known_method(const ps_h5_sensitivity *x)
{
    return x && x->method &&
           (strcmp(x->method, "sobol") == 0 ||
            strcmp(x->method, "morris") == 0 || strcmp(x->method, "oat") == 0);
}

/* The uncertain input `name` of the file, or NULL. */
static const ps_h5_input_info *find_input(const ps_h5_assumptions *a,
                                          const char *name, size_t len)
{
    for (size_t i = 0; a && i < a->ninputs; i++)
        if (strlen(a->inputs[i].name) == len &&
            strncmp(a->inputs[i].name, name, len) == 0)
            return &a->inputs[i];
    return NULL;
}

/* Appends `t` to buf[size] from *used, cut when full. */
static void append(char *buf, size_t size, size_t *used, const char *t)
{
    size_t n = strlen(t);
    if (*used + n >= size)
        n = *used < size ? size - 1 - *used : 0;
    memcpy(buf + *used, t, n);
    *used += n;
    buf[*used] = '\0';
}

/* Appends the input's label, and for an element of a subscripted input
   ("draw[p7]") its element, by its element label when there is one, when
   the label does not name it ("项目执行随机数（p7）"), so that the
   elements stay apart. */
static void append_input(char *buf, size_t size, size_t *used,
                         const ps_h5_summary *s, const ps_h5_input_info *in,
                         const ps_report_options *o)
{
    const char *label =
        rp_input_label(in->label_zh, in->label_en, in->label, in->name, o);
    append(buf, size, used, label);
    const char *open = strchr(in->name, '[');
    size_t n = open ? strlen(open) : 0;
    if (label == in->name || n < 3 || open[n - 1] != ']')
        return;
    char elements[512], shown[512];
    snprintf(elements, sizeof elements, "%.*s", (int)(n - 2), open + 1);
    rp_element_text(s, elements, o, shown, sizeof shown);
    if (strstr(label, shown))
        return;
    append(buf, size, used, RP_T(o, "（", " ("));
    append(buf, size, used, shown);
    append(buf, size, used, RP_T(o, "）", ")"));
}

/*
 * The factor's name for readers: the reader label of each input it moves
 * (rp_input_label: the labels file's in the report's language, or the
 * scenario's; an element's with its element, append_input), joined with
 * "、" or ", "; the label stored with the results, or its name, when the
 * file does not know an input.
 */
static const char *factor_title(const ps_h5_sens_factor *f,
                                const ps_h5_summary *s,
                                const ps_h5_assumptions *a,
                                const ps_report_options *o, char *buf,
                                size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    const char *p = f->inputs;
    while (p && *p) {
        const char *end = strstr(p, ", ");
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const ps_h5_input_info *in = find_input(a, p, len);
        if (!in)
            return f->label && *f->label && !rp_en(o) ? f->label : f->name;
        if (used)
            append(buf, size, &used, RP_T(o, "、", ", "));
        append_input(buf, size, &used, s, in, o);
        p = end ? end + 2 : p + len;
    }
    return used ? buf : f->name;
}

/* The target `name` of the summary, or NULL. */
static const ps_h5_target_summary *find_target(const ps_h5_summary *s,
                                               const char *name)
{
    for (size_t i = 0; i < s->ntargets; i++)
        if (strcmp(s->targets[i].name, name) == 0)
            return &s->targets[i];
    return NULL;
}

/* The saved variable of an output (NULL for a target or an unknown
   one). */
static const ps_h5_var_summary *output_var(const ps_h5_summary *s,
                                           const ps_h5_sens_output *out)
{
    return out->is_target ? NULL : rp_find_var(s, out->variable);
}

/*
 * The output's name for readers: "地区生产总值，2030年" / "GDP, 2030" by
 * its variable's label, or "目标：…（是否达成）" / "Target: … (met or
 * not)" by the target's; the label stored with the results, or its name,
 * when the summary does not know it.
 */
static const char *output_title(const ps_h5_summary *s,
                                const ps_h5_sens_output *out,
                                const ps_report_options *o, char *buf,
                                size_t size)
{
    char lbuf[1024], year[RP_NUM_MAX];
    if (out->is_target) {
        const char *name =
            strncmp(out->name, "target:", 7) == 0 ? out->name + 7 : out->name;
        const ps_h5_target_summary *t = find_target(s, name);
        const char *label = t                           ? rp_target_label(t, o)
                            : out->label && *out->label ? out->label
                                                        : name;
        snprintf(buf, size,
                 RP_T(o, "目标：%s（是否达成）", "Target: %s (met or not)"),
                 label);
        return buf;
    }
    const ps_h5_var_summary *v = output_var(s, out);
    const char *label = v ? rp_var_label(s, v, o, lbuf, sizeof lbuf)
                        : out->label && *out->label ? out->label
                                                    : out->name;
    rp_time(out->time, year);
    if (rp_time_is_year(s))
        snprintf(buf, size, RP_T(o, "%s，%s年", "%s, %s"), label, year);
    else
        snprintf(buf, size, RP_T(o, "%s，时间 %s", "%s, time %s"), label, year);
    return buf;
}

/* The interval's level as a percentage ("95%"); "95%" when unknown. */
static void level_text(char *buf, size_t size, double level)
{
    if (level > 0 && level < 1)
        snprintf(buf, size, "%.10g%%", 100 * level);
    else
        snprintf(buf, size, "95%%");
}

static void method_paragraph(FILE *out, const ps_h5_sensitivity *x, method m,
                             const ps_report_options *o)
{
    char level[32];
    level_text(level, sizeof level, x->level);
    switch (m) {
    case SOBOL:
        fprintf(out,
                RP_T(o,
                     "方法：Sobol' 方差分解（基础样本 N = %zu，共 %zu 次模拟，"
                     "%zu 个因素）。总效应指数 ST 是结果方差中由该因素引起的"
                     "份额，含它与其他因素的交互作用；一阶指数 S1 是该因素单独"
                     "引起的份额。ST 接近 0 的因素固定下来，结果几乎不变。"
                     "区间为 %zu 次自助重抽样的 %s 区间，只反映有限模拟次数带来"
                     "的抽样误差。指数按概率的规则保留三位小数。\n",
                     "Method: Sobol' variance decomposition (base sample N = "
                     "%zu, %zu runs, %zu factors).  The total index ST is the "
                     "share of the output's variance due to the factor, its "
                     "interactions with the others included; the first-order "
                     "index S1 is the share due to the factor alone.  Fixing "
                     "a factor whose ST is near 0 hardly changes the output.  "
                     "Intervals are %zu-resample bootstrap %s intervals and "
                     "cover only the sampling error of a finite number of "
                     "runs.  Indices are rounded to three decimals, as "
                     "probabilities are.\n"),
                x->samples, x->runs, x->nfactors, x->bootstrap, level);
        break;
    case MORRIS:
        fprintf(
            out,
            RP_T(o,
                 "方法：Morris 基本效应筛选（%zu 条轨迹，%u 个水平，共 %zu "
                 "次模拟，%zu 个因素）。μ\\* 是因素在其取值范围内变动时结果"
                 "变化幅度的平均（结果的单位），越大越重要；μ 为带符号的"
                 "平均，正值表示因素越大结果越大；σ 是基本效应的离散程度，"
                 "较大说明效应是非线性的或与其他因素有交互作用。μ\\* 的区间为 "
                 "%zu 次自助重抽样的 %s 区间，只反映抽样误差。数值保留四位"
                 "有效数字。\n",
                 "Method: Morris elementary effects (%zu trajectories, %u "
                 "levels, %zu runs, %zu factors).  mu\\* is the mean size "
                 "of the output's change as the factor moves across its "
                 "range (in the output's units): the larger, the more "
                 "the factor matters; mu is the signed mean, positive "
                 "when the output rises with the factor; sigma is the "
                 "spread of the effects, large when the effect is "
                 "non-linear or interacts with other factors.  The "
                 "interval of mu\\* is a %zu-resample bootstrap %s "
                 "interval and covers only sampling error.  Values have "
                 "four significant digits.\n"),
            x->trajectories, x->levels, x->runs, x->nfactors, x->bootstrap,
            level);
        break;
    case OAT:
        fprintf(out,
                RP_T(o,
                     "方法：逐一变动（每次一个因素取其 %.10g%% 和 %.10g%% "
                     "分位数，其余因素取中位数，共 %zu 次模拟）。摆幅是两种取值"
                     "下结果之差的绝对值（结果的单位），不反映因素之间的交互"
                     "作用。数值保留四位有效数字。\n",
                     "Method: one at a time (each factor at its %.10g%% and "
                     "%.10g%% quantiles with the others at their medians; %zu "
                     "runs).  The swing is the size of the difference "
                     "between the two outputs (in the output's units); it "
                     "does not show interactions between factors.  Values "
                     "have four significant digits.\n"),
                100 * x->low, 100 * x->high, x->runs);
        break;
    }
}

/* An index by the probabilities' rounding rule ("0.412"). */
static char *index_text(double v, char buf[RP_NUM_MAX])
{
    return ps_prob_text(v, PS_PROB_DECIMAL, buf, RP_NUM_MAX);
}

static void index_interval(char *buf, size_t size, double lo, double hi)
{
    char a[RP_NUM_MAX], b[RP_NUM_MAX];
    if (isnan(lo) || isnan(hi))
        snprintf(buf, size, "n/a");
    else
        snprintf(buf, size, "%s – %s", index_text(lo, a), index_text(hi, b));
}

/* A value of output `v` (NULL: as stored) in its display units. */
static double shown(const ps_h5_var_summary *v, double x)
{
    return v ? rp_display(v, x) : x;
}

/* The decimals for the values of output o shown in one table. */
static int output_decimals(const ps_h5_sensitivity *x, method m, size_t o,
                           const ps_h5_var_summary *v, double *vals)
{
    size_t n = 0, nf = x->nfactors;
    for (size_t f = 0; f < nf; f++) {
        size_t at = o * nf + f;
        const double *cols[4] = {NULL, NULL, NULL, NULL};
        if (m == MORRIS)
            cols[0] = x->mu_star, cols[1] = x->mu, cols[2] = x->sigma;
        else
            cols[0] = x->swing, cols[1] = x->y_low, cols[2] = x->y_high;
        for (size_t c = 0; c < 3; c++)
            vals[n++] = shown(v, cols[c][at]);
    }
    return rp_decimals(vals, n);
}

static ps_status output_table(FILE *out, const ps_h5_summary *s,
                              const ps_h5_assumptions *a,
                              const ps_h5_sensitivity *x, method m, size_t o,
                              const ps_report_options *opts, ps_error *err)
{
    const ps_h5_sens_output *op = &x->outputs[o];
    const ps_h5_var_summary *v = output_var(s, op);
    size_t nf = x->nfactors, shown_n = nf < TOP_FACTORS ? nf : TOP_FACTORS;
    double *vals = malloc((3 * nf + 1) * sizeof *vals);
    if (!vals)
        return rp_nomem(err);
    int d = m == SOBOL ? 0 : output_decimals(x, m, o, v, vals);
    free(vals);
    char level[32], ihead[64];
    level_text(level, sizeof level, x->level);
    snprintf(ihead, sizeof ihead, RP_T(opts, "%s 区间", "%s interval"), level);
    const char *heads[3][6] = {
        {RP_T(opts, "排名", "Rank"), RP_T(opts, "因素", "Factor"),
         RP_T(opts, "总效应 ST", "Total ST"), ihead,
         RP_T(opts, "一阶 S1", "First-order S1"), ihead},
        {RP_T(opts, "排名", "Rank"), RP_T(opts, "因素", "Factor"), "μ*", ihead,
         "μ", "σ"},
        {RP_T(opts, "排名", "Rank"), RP_T(opts, "因素", "Factor"),
         RP_T(opts, "摆幅", "Swing"),
         RP_T(opts, "取低值时", "At the low value"),
         RP_T(opts, "取高值时", "At the high value"), ""}};
    size_t ncol = m == OAT ? 5 : 6;
    rp_table t;
    rp_table_init(&t, ncol, "rlrrrr");
    rp_table_row(&t, heads[m]);
    for (size_t i = 0; i < shown_n; i++) {
        size_t f = x->order[o * nf + i], at = o * nf + f;
        char rank[32], fbuf[1024], c2[RP_NUM_MAX], c3[128], c4[128], c5[128];
        snprintf(rank, sizeof rank, "%zu", i + 1);
        switch (m) {
        case SOBOL:
            index_text(x->st[at], c2);
            index_interval(c3, sizeof c3, x->st_low[at], x->st_high[at]);
            index_text(x->s1[at], c4);
            index_interval(c5, sizeof c5, x->s1_low[at], x->s1_high[at]);
            break;
        case MORRIS:
            rp_shown(v, shown(v, x->mu_star[at]), d, c2);
            rp_band_shown(c3, sizeof c3, v, shown(v, x->mu_star_low[at]),
                          shown(v, x->mu_star_high[at]), d);
            rp_shown(v, shown(v, x->mu[at]), d, c4);
            rp_shown(v, shown(v, x->sigma[at]), d, c5);
            break;
        case OAT:
            rp_shown(v, shown(v, x->swing[at]), d, c2);
            rp_shown(v, shown(v, x->y_low[at]), d, c3);
            rp_shown(v, shown(v, x->y_high[at]), d, c4);
            c5[0] = '\0';
            break;
        }
        const char *row[] = {
            rank, factor_title(&x->factors[f], s, a, opts, fbuf, sizeof fbuf),
            c2,   c3,
            c4,   c5};
        rp_table_row(&t, row);
    }
    ps_status st = rp_table_print(out, &t, err);
    rp_table_free(&t);
    if (st != PS_OK)
        return st;
    if (nf > shown_n)
        fprintf(out,
                RP_T(opts, "\n另有 %zu 个因素见 sensitivity.csv。\n",
                     "\n%zu more factors are in sensitivity.csv.\n"),
                nf - shown_n);
    if (m == OAT) {
        char base[RP_NUM_MAX];
        fprintf(out,
                RP_T(opts, "\n各因素取中位数时：%s\n",
                     "\nWith every factor at its median: %s\n"),
                rp_shown(v, shown(v, op->base), d, base));
    }
    if (op->used < op->total)
        fprintf(out,
                RP_T(opts,
                     "\n注意：%zu 组（共 %zu 组）含失败的模拟，未计入。\n",
                     "\nNote: %zu of %zu groups of runs had failed runs and "
                     "were left out.\n"),
                op->total - op->used, op->total);
    if (op->constant)
        fprintf(out,
                RP_T(opts, "\n注意：该结果在所有模拟中都相同，各指数均为 0。\n",
                     "\nNote: the output was the same in every run, so "
                     "every index is 0.\n"));
    return PS_OK;
}

ps_status ps_report_sensitivity_md(FILE *out, const ps_h5_summary *s,
                                   const ps_h5_assumptions *a,
                                   const ps_h5_sensitivity *x,
                                   const ps_report_options *o, ps_error *err)
{
    if (!known_method(x))
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "no sensitivity results of a known method");
    method m = method_of(x);
    fputs(RP_T(o, "# 敏感性分析：哪些不确定输入决定结果\n\n",
               "# Sensitivity: which uncertain inputs drive the outcomes\n\n"),
          out);
    method_paragraph(out, x, m, o);
    fputs(RP_T(o, "\n每个结果列出最重要的因素（最多 10 个），按",
               "\nEach outcome lists its most important factors (up to 10), "
               "ranked by "),
          out);
    fputs(m == SOBOL    ? RP_T(o, " ST ", "ST")
          : m == MORRIS ? RP_T(o, " μ\\* ", "μ\\*")
                        : RP_T(o, "摆幅", "the swing"),
          out);
    fputs(RP_T(o,
               "从大到小排列；全部数值见 [sensitivity.csv](sensitivity.csv)，"
               "模型名称见[技术附录](appendix.md)。\n",
               ", largest first; every number is in "
               "[sensitivity.csv](sensitivity.csv), the model names in the "
               "[technical appendix](appendix.md).\n"),
          out);
    rp_labels_note(out, s, o);
    for (size_t k = 0; k < x->noutputs; k++) {
        char tbuf[2048];
        char *title =
            rp_md(output_title(s, &x->outputs[k], o, tbuf, sizeof tbuf));
        if (!title)
            return rp_nomem(err);
        fprintf(out, "\n## %s\n\n", title);
        free(title);
        const ps_h5_var_summary *v = output_var(s, &x->outputs[k]);
        if (m != SOBOL && v && *rp_var_units(v, o))
            fprintf(out, RP_T(o, "单位：%s\n\n", "Units: %s\n\n"),
                    rp_var_units(v, o));
        ps_status st = output_table(out, s, a, x, m, k, o, err);
        if (st != PS_OK)
            return st;
    }
    return rp_finish(out, err);
}

ps_status ps_report_sensitivity_csv(FILE *out, const ps_h5_sensitivity *x,
                                    ps_error *err)
{
    return ps_h5_sensitivity_print(out, x, PS_H5_FORMAT_CSV, err);
}

ps_status ps_report_sensitivity_appendix_md(FILE *out, const ps_h5_summary *s,
                                            const ps_h5_assumptions *a,
                                            const ps_h5_sensitivity *x,
                                            const ps_report_options *o,
                                            ps_error *err)
{
    if (!known_method(x))
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "no sensitivity results of a known method");
    fputs(RP_T(o, "\n## 敏感性分析的因素\n\n",
               "\n## Factors of the sensitivity analysis\n\n"),
          out);
    const char *fhead[] = {RP_T(o, "因素", "Factor"),
                           RP_T(o, "分析中的名称", "Name in the analysis"),
                           RP_T(o, "模型输入", "Model inputs")};
    rp_table t;
    rp_table_init(&t, 3, "lll");
    rp_table_row(&t, fhead);
    for (size_t f = 0; f < x->nfactors; f++) {
        char fbuf[1024];
        const ps_h5_sens_factor *fac = &x->factors[f];
        const char *row[] = {factor_title(fac, s, a, o, fbuf, sizeof fbuf),
                             fac->name, fac->inputs};
        rp_table_row(&t, row);
    }
    ps_status st = rp_table_print(out, &t, err);
    rp_table_free(&t);
    if (st != PS_OK)
        return st;
    fputs(RP_T(o, "\n## 敏感性分析的结果\n\n",
               "\n## Outcomes of the sensitivity analysis\n\n"),
          out);
    const char *ohead[] = {RP_T(o, "结果", "Outcome"),
                           RP_T(o, "分析中的名称", "Name in the analysis"),
                           RP_T(o, "模型变量", "Model variable")};
    rp_table_init(&t, 3, "lll");
    rp_table_row(&t, ohead);
    for (size_t k = 0; k < x->noutputs; k++) {
        char tbuf[2048];
        const ps_h5_sens_output *op = &x->outputs[k];
        const char *row[] = {output_title(s, op, o, tbuf, sizeof tbuf),
                             op->name, op->variable};
        rp_table_row(&t, row);
    }
    st = rp_table_print(out, &t, err);
    rp_table_free(&t);
    return st == PS_OK ? rp_finish(out, err) : st;
}
