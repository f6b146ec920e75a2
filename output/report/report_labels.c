/*
 * What readers see instead of the model's names: the labels the run
 * stored from the model's labels file (ps_h5_labels_read), in the
 * report's language, with values in display units (亿元, 万人, a rate as
 * a percentage).  A file without labels falls back to the model's names
 * and units; the report then says so (rp_labels_note).
 */
#include "report_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int has(const char *s)
{
    return s && *s;
}

int rp_en(const ps_report_options *o)
{
    return o && o->lang == PS_REPORT_EN;
}

const char *rp_scenario_title(const char *text, const ps_h5_lang_texts *lang,
                              const ps_report_options *o)
{
    return ps_h5_lang_pick(text, lang->title_zh, lang->title_en, rp_en(o));
}

const char *rp_scenario_description(const char *text,
                                    const ps_h5_lang_texts *lang,
                                    const ps_report_options *o)
{
    return ps_h5_lang_pick(text, lang->description_zh, lang->description_en,
                           rp_en(o));
}

int rp_has_labels(const ps_h5_summary *s)
{
    return s && has(s->labels_file);
}

void rp_element_text(const ps_h5_summary *s, const char *elements,
                     const ps_report_options *o, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (const char *p = elements; *p && n + 1 < size;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        const char *shown = NULL;
        for (size_t i = 0; s && i < s->nelement_labels && !shown; i++)
            if (strlen(s->element_names[i]) == len &&
                strncmp(s->element_names[i], p, len) == 0)
                shown = rp_en(o) ? s->element_labels_en[i]
                                 : s->element_labels_zh[i];
        int w =
            snprintf(buf + n, size - n, "%s%.*s",
                     p == elements ? "" : RP_T(o, "，", ", "),
                     shown ? (int)strlen(shown) : (int)len, shown ? shown : p);
        if (w < 0 || (size_t)w >= size - n)
            break;
        n += (size_t)w;
        p = comma ? comma + 1 : p + len;
    }
}

const char *rp_var_label(const ps_h5_summary *s, const ps_h5_var_summary *v,
                         const ps_report_options *o, char *buf, size_t size)
{
    const char *l = rp_en(o) ? v->label_en : v->label_zh;
    if (!has(l))
        return rp_var_title(v);
    if (has(v->element)) {
        char e[512];
        rp_element_text(s, v->element, o, e, sizeof e);
        snprintf(buf, size, rp_en(o) ? "%s (%s)" : "%s（%s）", l, e);
    } else {
        snprintf(buf, size, "%s", l);
    }
    return buf;
}

const char *rp_var_units(const ps_h5_var_summary *v, const ps_report_options *o)
{
    if (v->display_percent)
        return "%";
    const char *u = rp_en(o) ? v->units_en : v->units_zh;
    if (has(v->label_zh))
        return u ? u : "";
    return v->units ? v->units : "";
}

double rp_var_factor(const ps_h5_var_summary *v)
{
    double f = v->display_scale > 0 ? v->display_scale : 1;
    return v->display_percent ? 100 * f : f;
}

double rp_display(const ps_h5_var_summary *v, double x)
{
    return x * rp_var_factor(v);
}

/* The scenario's own label is written for that scenario, in Chinese as
   the scenarios do: it comes first in a Chinese report; the labels file
   gives the English, and the Chinese where the scenario has none. */
const char *rp_input_label(const char *zh, const char *en, const char *label,
                           const char *name, const ps_report_options *o)
{
    if (rp_en(o))
        return has(en) ? en : has(label) ? label : name;
    return has(label) ? label : has(zh) ? zh : name;
}

const char *rp_target_label(const ps_h5_target_summary *t,
                            const ps_report_options *o)
{
    return rp_input_label(t->label_zh, t->label_en, t->label, t->name, o);
}

void rp_labels_note(FILE *out, const ps_h5_summary *s,
                    const ps_report_options *o)
{
    if (rp_has_labels(s))
        return;
    fputs(rp_en(o) ? "\n> This file stores no labels for readers (the "
                     "model has no labels file, or the file was written by "
                     "an older plansim): names and units are the model's "
                     "own.\n"
                   : "\n> 本文件未保存面向读者的标签（模型没有标签文件，或"
                     "文件由较早版本的 plansim 生成），名称与单位沿用模型中"
                     "的写法。\n",
          out);
}

/* A threshold in display units: at most ten significant digits, so that
   0.075 x 100 shows as 7.5. */
static void threshold(char *buf, size_t size, double x)
{
    if (isnan(x))
        snprintf(buf, size, "n/a");
    else
        snprintf(buf, size, "%.10g", x == 0 ? 0 : x);
}

void rp_rule_shown(char *buf, size_t size, const ps_h5_target_summary *t,
                   const ps_h5_var_summary *v)
{
    double f = v ? rp_var_factor(v) : 1;
    const char *pct = v && v->display_percent ? "%" : "";
    char lo[RP_NUM_MAX], hi[RP_NUM_MAX];
    threshold(lo, sizeof lo, t->lo * f);
    threshold(hi, sizeof hi, t->hi * f);
    switch (t->compare) {
    case PS_SC_AT_LEAST:
        snprintf(buf, size, "≥ %s%s", lo, pct);
        return;
    case PS_SC_AT_MOST:
        snprintf(buf, size, "≤ %s%s", hi, pct);
        return;
    case PS_SC_BETWEEN:
        snprintf(buf, size, "%s%s – %s%s", lo, pct, hi, pct);
        return;
    }
    snprintf(buf, size, "?");
}

void rp_intervals_note(FILE *out, const ps_report_options *o)
{
    fputs(RP_T(o,
               "“模拟抽样误差95%区间”只反映模拟次数有限带来的抽样误差："
               "若用更多次模拟重新估计，达成概率有95%的把握落在此区间内；"
               "它不包含模型结构、参数分布等假设本身的不确定性。"
               "“5%–95%结果区间”是各次模拟结果的分布：90%的模拟结果落在"
               "此区间内，它描述的是结果的不确定性，而非估计误差。",
               "The \"95% Monte Carlo sampling interval\" reflects only the "
               "sampling error of a finite number of runs: with more runs "
               "the estimated probability would fall in it with 95% "
               "confidence; it does not cover the uncertainty of the "
               "model's structure or of its assumed input distributions. "
               "The \"5–95% range of outcomes\" is the spread of the "
               "simulated outcomes: 90% of the runs end inside it; it "
               "describes how uncertain the outcome is, not an estimation "
               "error."),
          out);
}

void rp_rounding_note(FILE *out, const ps_report_options *o)
{
    fputs(RP_T(o,
               "概率统一保留到千分位（百分数保留一位小数），按十进制值四舍五入"
               "（0.3965 记为 39.7%），与终端输出一致。",
               " Probabilities are rounded to three decimals (one decimal "
               "of a percentage), half away from zero on the decimal value "
               "(0.3965 shows as 39.7%), as in the terminal."),
          out);
}

char *rp_shown(const ps_h5_var_summary *v, double x, int decimals,
               char buf[RP_NUM_MAX])
{
    rp_num(x, decimals, buf);
    if (v && v->display_percent && !isnan(x))
        strncat(buf, "%", RP_NUM_MAX - strlen(buf) - 1);
    return buf;
}

void rp_band_shown(char *buf, size_t size, const ps_h5_var_summary *v,
                   double lo, double hi, int decimals)
{
    char a[RP_NUM_MAX], b[RP_NUM_MAX];
    if (isnan(lo) && isnan(hi))
        snprintf(buf, size, "n/a");
    else
        snprintf(buf, size, "%s – %s", rp_shown(v, lo, decimals, a),
                 rp_shown(v, hi, decimals, b));
}
