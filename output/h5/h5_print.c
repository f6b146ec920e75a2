/*
 * Printing a summary for people (aligned text, Markdown) and for programs
 * (long-form CSV, JSON).  The same numbers in every format.
 */
#include "h5_grid.h"
#include "h5_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/csv.h"
#include "plansim_output/json.h"
#include "plansim_output/table.h"
#include "plansim_output/prob_text.h"

int ps_h5_format_from_name(const char *name, ps_h5_format *fmt)
{
    static const struct {
        const char *name;
        ps_h5_format fmt;
    } names[] = {{"table", PS_H5_FORMAT_TABLE},
                 {"md", PS_H5_FORMAT_MD},
                 {"markdown", PS_H5_FORMAT_MD},
                 {"csv", PS_H5_FORMAT_CSV},
                 {"json", PS_H5_FORMAT_JSON}};
    for (size_t i = 0; name && i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i].name) == 0) {
            *fmt = names[i].fmt;
            return 0;
        }
    return -1;
}

/* ---- numbers for people ------------------------------------------------ */

/* Six significant digits without an exponent where that reads well
   (712.346, 1234568, 0.0123); "n/a" for NaN. */
void h5_fmt_value(char *buf, size_t size, double v)
{
    double a = fabs(v);
    if (isnan(v)) {
        snprintf(buf, size, "n/a");
        return;
    }
    if (isinf(v) || (a != 0.0 && (a < 1e-3 || a >= 1e15))) {
        snprintf(buf, size, "%.6g", v);
        return;
    }
    int mag = a == 0.0 ? 0 : (int)floor(log10(a));
    int decimals = mag >= 5 ? 0 : 5 - mag;
    snprintf(buf, size, "%.*f", decimals, v);
    if (decimals > 0) { /* strip trailing zeros and a bare point */
        char *end = buf + strlen(buf);
        while (end[-1] == '0')
            *--end = '\0';
        if (end[-1] == '.')
            end[-1] = '\0';
    }
    if (strcmp(buf, "-0") == 0)
        snprintf(buf, size, "0");
}

static void fmt_time(char *buf, size_t size, double t)
{
    snprintf(buf, size, "%.10g", t);
}

static void fmt_prob(char *buf, size_t size, double p)
{
    ps_prob_text(p, PS_PROB_DECIMAL, buf, size);
}

/* "≥ 700", "≤ 3.5", "[700, 800]". */
static void fmt_rule(char *buf, size_t size, const ps_h5_target_summary *t)
{
    char lo[48], hi[48];
    h5_fmt_value(lo, sizeof lo, t->lo);
    h5_fmt_value(hi, sizeof hi, t->hi);
    switch (t->compare) {
    case PS_SC_AT_LEAST:
        snprintf(buf, size, "\u2265 %s", lo);
        break;
    case PS_SC_AT_MOST:
        snprintf(buf, size, "\u2264 %s", hi);
        break;
    case PS_SC_BETWEEN:
        snprintf(buf, size, "[%s, %s]", lo, hi);
        break;
    default:
        snprintf(buf, size, "?");
    }
}

/* Index of quantile level p in s->quantiles, or -1. */
static long quantile_index(const ps_h5_summary *s, double p)
{
    for (size_t k = 0; k < s->nquantiles; k++)
        if (fabs(s->quantiles[k] - p) < 1e-9)
            return (long)k;
    return -1;
}

/* "p05", "p50", "p95"; other levels as "p12.5". */
static void quantile_key(char *buf, size_t size, double p)
{
    double pct = p * 100.0;
    if (fabs(pct - round(pct)) < 1e-9)
        snprintf(buf, size, "p%02d", (int)round(pct));
    else
        snprintf(buf, size, "p%g", pct);
}

static const char *time_header(const ps_h5_summary *s)
{
    return s->time_units && *s->time_units ? s->time_units : "time";
}

/* ---- table and Markdown ------------------------------------------------- */

static int calibrated(const ps_h5_summary *s)
{
    return s->calibration_file && *s->calibration_file;
}

/* The targets; a forecast from a posterior also shows each target's
   probability under the prior, beside the posterior's. */
static void target_grid(h5_grid *g, const ps_h5_summary *s)
{
    int cal = calibrated(s);
    const char *head[] = {"target", "variable", time_header(s), "rule",
                          "kind",   cal ? "prior P" : "P",
                          cal ? "posterior P" : "95% interval",
                          cal ? "95% interval" : "runs", "runs"};
    size_t ncol = cal ? 9 : 8;
    h5_grid_init(g, ncol, cal ? "lllllrrrr" : "lllllrrr");
    h5_grid_row(g, head);
    for (size_t i = 0; i < s->ntargets; i++) {
        const ps_h5_target_summary *t = &s->targets[i];
        char time[48], rule[128], p[32], p0[32], ci[64], runs[32];
        fmt_time(time, sizeof time, t->time);
        fmt_rule(rule, sizeof rule, t);
        fmt_prob(p, sizeof p, t->probability);
        fmt_prob(p0, sizeof p0, t->prior_probability);
        if (t->runs > 0) {
            char lo[32], hi[32];
            snprintf(ci, sizeof ci, "[%s, %s]",
                     ps_prob_text(t->ci_low, PS_PROB_DECIMAL, lo, sizeof lo),
                     ps_prob_text(t->ci_high, PS_PROB_DECIMAL, hi, sizeof hi));
        } else
            snprintf(ci, sizeof ci, "n/a");
        snprintf(runs, sizeof runs, "%lld", t->runs);
        const char *label = t->label && *t->label ? t->label : t->name;
        const char *plain[] = {label, t->variable, time, rule,
                               t->binding ? "binding" : "expected",
                               p, ci, runs};
        const char *both[] = {label, t->variable, time, rule,
                              t->binding ? "binding" : "expected",
                              p0, p, ci, runs};
        h5_grid_row(g, cal ? both : plain);
    }
}

static void variable_grid(h5_grid *g, const ps_h5_summary *s)
{
    const char *head[] = {"variable", "units", time_header(s),
                          "median",   "5%",    "95%"};
    h5_grid_init(g, 6, "lllrrr");
    h5_grid_row(g, head);
    long k50 = quantile_index(s, 0.5), k05 = quantile_index(s, 0.05),
         k95 = quantile_index(s, 0.95);
    size_t nt = s->ntimes;
    for (size_t v = 0; v < s->nvars; v++) {
        const ps_h5_var_summary *vs = &s->vars[v];
        for (size_t t = 0; t < nt; t++) {
            char time[48], med[48], lo[48], hi[48];
            fmt_time(time, sizeof time, s->times[t]);
            h5_fmt_value(med, sizeof med,
                      k50 < 0 ? NAN : vs->quantiles[(size_t)k50 * nt + t]);
            h5_fmt_value(lo, sizeof lo,
                      k05 < 0 ? NAN : vs->quantiles[(size_t)k05 * nt + t]);
            h5_fmt_value(hi, sizeof hi,
                      k95 < 0 ? NAN : vs->quantiles[(size_t)k95 * nt + t]);
            const char *row[] = {vs->model_name, vs->units, time, med, lo, hi};
            h5_grid_row(g, row);
        }
    }
}

/* Returns 0, or -1 when a grid ran out of memory. */
static int print_people(FILE *out, const ps_h5_summary *s, int md)
{
    void (*grid_print)(FILE *, const h5_grid *) =
        md ? h5_grid_print_md : h5_grid_print_text;
    if (s->title && *s->title)
        fprintf(out, md ? "## %s\n\n" : "%s\n\n", s->title);
    fprintf(out, "Runs: %lld (ok %lld, failed %lld, pending %lld)\n", s->runs,
            s->runs_ok, s->runs_failed, s->runs_pending);
    if (calibrated(s))
        fprintf(out,
                "Calibrated inputs drawn from %s (%s, effective sample size "
                "%.0f); prior P: before calibration\n",
                s->calibration_file, s->calibration_method,
                s->calibration_ess);
    fputc('\n', out);
    h5_grid g;
    int oom = 0;
    if (s->ntargets) {
        fputs(md ? "### Targets\n\n" : "Targets\n\n", out);
        target_grid(&g, s);
        oom |= g.oom;
        grid_print(out, &g);
        h5_grid_free(&g);
        fputc('\n', out);
    }
    if (s->nvars == 0)
        return oom ? -1 : 0;
    fputs(md ? "### Variables: median and 90% band (5%-95%) over ok runs\n\n"
             : "Variables: median and 90% band (5%-95%) over ok runs\n\n",
          out);
    variable_grid(&g, s);
    oom |= g.oom;
    grid_print(out, &g);
    h5_grid_free(&g);
    return oom ? -1 : 0;
}

/* ---- CSV --------------------------------------------------------------- */

static void csv_row(FILE *out, const char *kind, const char *name, double time,
                    const char *stat, double value)
{
    char t[PS_TABLE_NUMBER_MAX], v[PS_TABLE_NUMBER_MAX];
    fprintf(out, "%s,", kind);
    ps_csv_write_field(out, name, ',');
    fprintf(out, ",%s,%s,%s\n", ps_table_format_number(time, t), stat,
            ps_table_format_number(value, v));
}

static void print_csv(FILE *out, const ps_h5_summary *s)
{
    fputs("kind,name,time,statistic,value\n", out);
    for (size_t i = 0; i < s->ntargets; i++) {
        const ps_h5_target_summary *t = &s->targets[i];
        csv_row(out, "target", t->name, t->time, "probability", t->probability);
        csv_row(out, "target", t->name, t->time, "ci_low", t->ci_low);
        csv_row(out, "target", t->name, t->time, "ci_high", t->ci_high);
        if (!isnan(t->prior_probability))
            csv_row(out, "target", t->name, t->time, "prior_probability",
                    t->prior_probability);
        csv_row(out, "target", t->name, t->time, "hits", (double)t->hits);
        csv_row(out, "target", t->name, t->time, "runs", (double)t->runs);
        for (size_t k = 0; k < s->ntimes; k++)
            csv_row(out, "target", t->name, s->times[k], "probability_by_time",
                    t->probability_by_time[k]);
    }
    for (size_t v = 0; v < s->nvars; v++) {
        const ps_h5_var_summary *vs = &s->vars[v];
        for (size_t k = 0; k < s->ntimes; k++) {
            csv_row(out, "variable", vs->model_name, s->times[k], "mean",
                    vs->mean[k]);
            csv_row(out, "variable", vs->model_name, s->times[k], "sd",
                    vs->sd[k]);
            for (size_t q = 0; q < s->nquantiles; q++) {
                char key[32];
                quantile_key(key, sizeof key, s->quantiles[q]);
                csv_row(out, "variable", vs->model_name, s->times[k], key,
                        vs->quantiles[q * s->ntimes + k]);
            }
        }
    }
}

/* ---- JSON -------------------------------------------------------------- */

static void json_array(FILE *out, const double *v, size_t n)
{
    fputc('[', out);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputs(", ", out);
        ps_json_write_number(out, v[i]);
    }
    fputc(']', out);
}

static void json_key(FILE *out, const char *indent, const char *key)
{
    fputs(indent, out);
    ps_json_write_string(out, key);
    fputs(": ", out);
}

static void json_target(FILE *out, const ps_h5_summary *s,
                        const ps_h5_target_summary *t)
{
    const char *in = "      ";
    char rule[128];
    fmt_rule(rule, sizeof rule, t);
    fputs("    {\n", out);
    json_key(out, in, "name");
    ps_json_write_string(out, t->name);
    fputs(",\n", out);
    json_key(out, in, "label");
    ps_json_write_string(out, t->label);
    fputs(",\n", out);
    json_key(out, in, "variable");
    ps_json_write_string(out, t->variable);
    fputs(",\n", out);
    json_key(out, in, "time");
    ps_json_write_number(out, t->time);
    fputs(",\n", out);
    json_key(out, in, "rule");
    ps_json_write_string(out, rule);
    fputs(",\n", out);
    json_key(out, in, "compare");
    ps_json_write_string(out, ps_sc_compare_name(t->compare));
    fputs(",\n", out);
    json_key(out, in, "lo");
    ps_json_write_number(out, t->lo);
    fputs(",\n", out);
    json_key(out, in, "hi");
    ps_json_write_number(out, t->hi);
    fputs(",\n", out);
    json_key(out, in, "binding");
    fputs(t->binding ? "true" : "false", out);
    fputs(",\n", out);
    json_key(out, in, "hits");
    fprintf(out, "%lld,\n", t->hits);
    json_key(out, in, "runs");
    fprintf(out, "%lld,\n", t->runs);
    json_key(out, in, "probability");
    ps_json_write_number(out, t->probability);
    fputs(",\n", out);
    json_key(out, in, "ci_low");
    ps_json_write_number(out, t->ci_low);
    fputs(",\n", out);
    json_key(out, in, "ci_high");
    ps_json_write_number(out, t->ci_high);
    if (!isnan(t->prior_probability)) {
        fputs(",\n", out);
        json_key(out, in, "prior_probability");
        ps_json_write_number(out, t->prior_probability);
    }
    fputs(",\n", out);
    json_key(out, in, "probability_by_time");
    json_array(out, t->probability_by_time, s->ntimes);
    fputs("\n    }", out);
}

static void json_variable(FILE *out, const ps_h5_summary *s,
                          const ps_h5_var_summary *v)
{
    const char *in = "      ";
    fputs("    {\n", out);
    json_key(out, in, "name");
    ps_json_write_string(out, v->model_name);
    fputs(",\n", out);
    json_key(out, in, "dataset");
    ps_json_write_string(out, v->name);
    fputs(",\n", out);
    json_key(out, in, "units");
    ps_json_write_string(out, v->units);
    fputs(",\n", out);
    json_key(out, in, "long_name");
    ps_json_write_string(out, v->long_name);
    fputs(",\n", out);
    json_key(out, in, "mean");
    json_array(out, v->mean, s->ntimes);
    fputs(",\n", out);
    json_key(out, in, "sd");
    json_array(out, v->sd, s->ntimes);
    for (size_t q = 0; q < s->nquantiles; q++) {
        char key[32];
        quantile_key(key, sizeof key, s->quantiles[q]);
        fputs(",\n", out);
        json_key(out, in, key);
        json_array(out, v->quantiles + q * s->ntimes, s->ntimes);
    }
    fputs("\n    }", out);
}

static void print_json(FILE *out, const ps_h5_summary *s)
{
    const char *in = "  ";
    fputs("{\n", out);
    json_key(out, in, "format_version");
    fputs("1,\n", out);
    json_key(out, in, "title");
    ps_json_write_string(out, s->title);
    fputs(",\n", out);
    json_key(out, in, "time_units");
    ps_json_write_string(out, s->time_units);
    fputs(",\n", out);
    json_key(out, in, "runs");
    fprintf(out,
            "{\"total\": %lld, \"ok\": %lld, \"failed\": %lld, "
            "\"pending\": %lld},\n",
            s->runs, s->runs_ok, s->runs_failed, s->runs_pending);
    json_key(out, in, "time");
    json_array(out, s->times, s->ntimes);
    fputs(",\n", out);
    json_key(out, in, "quantiles");
    json_array(out, s->quantiles, s->nquantiles);
    fputs(",\n", out);
    json_key(out, in, "targets");
    fputs(s->ntargets ? "[\n" : "[", out);
    for (size_t i = 0; i < s->ntargets; i++) {
        json_target(out, s, &s->targets[i]);
        fputs(i + 1 < s->ntargets ? ",\n" : "\n  ", out);
    }
    fputs("],\n", out);
    json_key(out, in, "variables");
    fputs(s->nvars ? "[\n" : "[", out);
    for (size_t v = 0; v < s->nvars; v++) {
        json_variable(out, s, &s->vars[v]);
        fputs(v + 1 < s->nvars ? ",\n" : "\n  ", out);
    }
    fputs("]\n}\n", out);
}

ps_status ps_h5_summary_print(FILE *out, const ps_h5_summary *s,
                              ps_h5_format fmt, ps_error *err)
{
    switch (fmt) {
    case PS_H5_FORMAT_TABLE:
    case PS_H5_FORMAT_MD:
        if (print_people(out, s, fmt == PS_H5_FORMAT_MD) < 0)
            return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
        break;
    case PS_H5_FORMAT_CSV:
        print_csv(out, s);
        break;
    case PS_H5_FORMAT_JSON:
        print_json(out, s);
        break;
    default:
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "unknown summary format %d", (int)fmt);
    }
    if (fflush(out) != 0 || ferror(out))
        return ps_error_set(err, PS_ERR_IO, NULL, 0, 0,
                            "cannot write the summary");
    return PS_OK;
}
