/*
 * Printing a posterior (plansim calibrate): the method's diagnostics, the
 * inputs before and after the data, the predictive check and the targets'
 * probabilities, for people (aligned text, Markdown) and programs
 * (long-form CSV, JSON).  The same numbers in every format.
 */
#include "h5_grid.h"
#include "h5_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plansim/csv.h"
#include "plansim_output/json.h"
#include "plansim_output/prob_text.h"
#include "plansim_output/table.h"

enum { CELL = 64 };

static void band(char *buf, size_t size, double lo, double hi)
{
    char a[CELL], b[CELL];
    h5_fmt_value(a, sizeof a, lo);
    h5_fmt_value(b, sizeof b, hi);
    snprintf(buf, size, "%s – %s", a, b);
}

/* A probability or a share of observations by the one rounding rule
   (plansim_output/prob_text.h); "n/a" for NaN. */
static void share(char *buf, size_t size, double v)
{
    ps_prob_text(v, PS_PROB_DECIMAL, buf, size);
}

static void grid_out(FILE *out, const h5_grid *g, ps_h5_format fmt)
{
    if (fmt == PS_H5_FORMAT_MD)
        h5_grid_print_md(out, g);
    else
        h5_grid_print_text(out, g);
}

static int params_grid(FILE *out, const ps_h5_posterior *p, ps_h5_format fmt)
{
    static const char *const head[] = {"input",          "prior",
                                       "prior mean",     "prior 5–95 %",
                                       "posterior mean", "posterior 5–95 %"};
    h5_grid g;
    h5_grid_init(&g, 6, "llrrrr");
    h5_grid_row(&g, head);
    for (size_t j = 0; j < p->nparams; j++) {
        char m0[CELL], b0[3 * CELL], m1[CELL], b1[3 * CELL];
        h5_fmt_value(m0, sizeof m0, p->prior_mean[j]);
        band(b0, sizeof b0, p->prior_q[3 * j], p->prior_q[3 * j + 2]);
        h5_fmt_value(m1, sizeof m1, p->post_mean[j]);
        band(b1, sizeof b1, p->post_q[3 * j], p->post_q[3 * j + 2]);
        const char *row[] = {
            p->params[j], p->param_dists ? p->param_dists[j] : "",
            m0,           b0,
            m1,           b1};
        h5_grid_row(&g, row);
    }
    int oom = g.oom;
    grid_out(out, &g, fmt);
    h5_grid_free(&g);
    return oom ? -1 : 0;
}

static int series_grid(FILE *out, const ps_h5_posterior *p, ps_h5_format fmt)
{
    static const char *const head[] = {"observed series", "measures",
                                       "observations", "inside 50 %",
                                       "inside 90 %"};
    h5_grid g;
    h5_grid_init(&g, 5, "llrrr");
    h5_grid_row(&g, head);
    for (size_t s = 0; s < p->nseries; s++) {
        size_t n = 0;
        for (size_t k = 0; k < p->nobs; k++)
            n += p->obs_series[k] == s;
        char what[2 * CELL], nb[CELL], i50[CELL], i90[CELL];
        snprintf(what, sizeof what, "%s of %s", p->series_measures[s],
                 p->series_variables[s]);
        snprintf(nb, sizeof nb, "%zu", n);
        share(i50, sizeof i50, p->inside50 ? p->inside50[s] : NAN);
        share(i90, sizeof i90, p->inside90 ? p->inside90[s] : NAN);
        const char *row[] = {p->series_names[s], what, nb, i50, i90};
        h5_grid_row(&g, row);
    }
    int oom = g.oom;
    grid_out(out, &g, fmt);
    h5_grid_free(&g);
    return oom ? -1 : 0;
}

static int targets_grid(FILE *out, const ps_h5_posterior *p, ps_h5_format fmt)
{
    static const char *const head[] = {"target", "label", "prior P",
                                       "posterior P"};
    h5_grid g;
    h5_grid_init(&g, 4, "llrr");
    h5_grid_row(&g, head);
    for (size_t t = 0; t < p->ntargets; t++) {
        char a[CELL], b[CELL];
        share(a, sizeof a, p->prior_p[t]);
        share(b, sizeof b, p->post_p[t]);
        const char *row[] = {p->targets[t].name, p->targets[t].label, a, b};
        h5_grid_row(&g, row);
    }
    int oom = g.oom;
    grid_out(out, &g, fmt);
    h5_grid_free(&g);
    return oom ? -1 : 0;
}

static void header(FILE *out, const ps_h5_posterior *p, ps_h5_format fmt)
{
    char ev[CELL], ess[CELL];
    h5_fmt_value(ev, sizeof ev, p->log_evidence);
    h5_fmt_value(ess, sizeof ess, p->ess);
    const char *bullet = fmt == PS_H5_FORMAT_MD ? "- " : "";
    int opt = strcmp(p->method, "optimize") == 0;
    fprintf(out, "%scalibration: %s, %zu particle%s, %s: %zu, runs: %llu%s\n",
            bullet, p->method, p->nparticles, p->nparticles == 1 ? "" : "s",
            opt ? "iterations" : "stages", p->nstages,
            (unsigned long long)p->evaluations,
            p->complete ? "" : " (interrupted)");
    if (opt) {
        char ml[CELL];
        h5_fmt_value(ml, sizeof ml, p->max_loglik);
        fprintf(out, "%smaximum log likelihood: %s%s\n", bullet, ml,
                p->converged ? "" : " (not converged)");
    } else {
        fprintf(out, "%slog evidence: %s\n%seffective sample size: %s%s\n",
                bullet, ev, bullet, ess, p->collapsed ? " (collapsed)" : "");
    }
}

static int print_people(FILE *out, const ps_h5_posterior *p, ps_h5_format fmt)
{
    int rc = 0;
    header(out, p, fmt);
    fputc('\n', out);
    rc |= params_grid(out, p, fmt);
    if (p->nseries) {
        fputc('\n', out);
        rc |= series_grid(out, p, fmt);
    }
    if (p->ntargets) {
        fputc('\n', out);
        rc |= targets_grid(out, p, fmt);
    }
    return rc;
}

/* ---- CSV: table, row, column, value ---- */

static void csv_row(FILE *out, const char *table, const char *row,
                    const char *column, double value)
{
    char v[PS_TABLE_NUMBER_MAX];
    fprintf(out, "%s,", table);
    ps_csv_write_field(out, row, ',');
    fprintf(out, ",%s,%s\n", column, ps_table_format_number(value, v));
}

static void print_csv(FILE *out, const ps_h5_posterior *p)
{
    fputs("table,row,column,value\n", out);
    csv_row(out, "calibration", p->method, "log_evidence", p->log_evidence);
    csv_row(out, "calibration", p->method, "ess", p->ess);
    csv_row(out, "calibration", p->method, "particles", (double)p->nparticles);
    csv_row(out, "calibration", p->method, "runs", (double)p->evaluations);
    csv_row(out, "calibration", p->method, "max_loglik", p->max_loglik);
    static const char *const q[3] = {"q05", "q50", "q95"};
    for (size_t j = 0; j < p->nparams; j++) {
        csv_row(out, "input", p->params[j], "prior_mean", p->prior_mean[j]);
        csv_row(out, "input", p->params[j], "prior_sd", p->prior_sd[j]);
        for (int k = 0; k < 3; k++) {
            char col[32];
            snprintf(col, sizeof col, "prior_%s", q[k]);
            csv_row(out, "input", p->params[j], col, p->prior_q[3 * j + k]);
        }
        csv_row(out, "input", p->params[j], "posterior_mean", p->post_mean[j]);
        csv_row(out, "input", p->params[j], "posterior_sd", p->post_sd[j]);
        for (int k = 0; k < 3; k++) {
            char col[32];
            snprintf(col, sizeof col, "posterior_%s", q[k]);
            csv_row(out, "input", p->params[j], col, p->post_q[3 * j + k]);
        }
    }
    for (size_t s = 0; s < p->nseries; s++) {
        csv_row(out, "series", p->series_names[s], "inside_50",
                p->inside50 ? p->inside50[s] : NAN);
        csv_row(out, "series", p->series_names[s], "inside_90",
                p->inside90 ? p->inside90[s] : NAN);
    }
    for (size_t t = 0; t < p->ntargets; t++) {
        csv_row(out, "target", p->targets[t].name, "prior_probability",
                p->prior_p[t]);
        csv_row(out, "target", p->targets[t].name, "posterior_probability",
                p->post_p[t]);
    }
}

/* ---- JSON ---- */

static void json_field(FILE *out, const char *indent, const char *key, double v,
                       int last)
{
    fprintf(out, "%s", indent);
    ps_json_write_string(out, key);
    fputs(": ", out);
    ps_json_write_number(out, v);
    fputs(last ? "\n" : ",\n", out);
}

static void json_text(FILE *out, const char *indent, const char *key,
                      const char *v)
{
    fprintf(out, "%s", indent);
    ps_json_write_string(out, key);
    fputs(": ", out);
    ps_json_write_string(out, v);
    fputs(",\n", out);
}

static void print_json(FILE *out, const ps_h5_posterior *p)
{
    fputs("{\n  \"format_version\": 1,\n  \"command\": \"calibrate\",\n", out);
    json_text(out, "  ", "method", p->method);
    fprintf(out, "  \"complete\": %s,\n", p->complete ? "true" : "false");
    json_field(out, "  ", "particles", (double)p->nparticles, 0);
    json_field(out, "  ", "runs", (double)p->evaluations, 0);
    json_field(out, "  ", "log_evidence", p->log_evidence, 0);
    json_field(out, "  ", "ess", p->ess, 0);
    json_field(out, "  ", "max_loglik", p->max_loglik, 0);
    fputs("  \"inputs\": [\n", out);
    for (size_t j = 0; j < p->nparams; j++) {
        fputs("    {\n", out);
        json_text(out, "      ", "name", p->params[j]);
        json_text(out, "      ", "prior",
                  p->param_dists ? p->param_dists[j] : "");
        json_field(out, "      ", "prior_mean", p->prior_mean[j], 0);
        json_field(out, "      ", "prior_sd", p->prior_sd[j], 0);
        json_field(out, "      ", "prior_q05", p->prior_q[3 * j], 0);
        json_field(out, "      ", "prior_q50", p->prior_q[3 * j + 1], 0);
        json_field(out, "      ", "prior_q95", p->prior_q[3 * j + 2], 0);
        json_field(out, "      ", "posterior_mean", p->post_mean[j], 0);
        json_field(out, "      ", "posterior_sd", p->post_sd[j], 0);
        json_field(out, "      ", "posterior_q05", p->post_q[3 * j], 0);
        json_field(out, "      ", "posterior_q50", p->post_q[3 * j + 1], 0);
        json_field(out, "      ", "posterior_q95", p->post_q[3 * j + 2], 1);
        fputs(j + 1 < p->nparams ? "    },\n" : "    }\n", out);
    }
    fputs("  ],\n  \"series\": [\n", out);
    for (size_t s = 0; s < p->nseries; s++) {
        fputs("    {\n", out);
        json_text(out, "      ", "name", p->series_names[s]);
        json_text(out, "      ", "variable", p->series_variables[s]);
        json_text(out, "      ", "measure", p->series_measures[s]);
        json_field(out, "      ", "inside_50",
                   p->inside50 ? p->inside50[s] : NAN, 0);
        json_field(out, "      ", "inside_90",
                   p->inside90 ? p->inside90[s] : NAN, 1);
        fputs(s + 1 < p->nseries ? "    },\n" : "    }\n", out);
    }
    fputs("  ],\n  \"targets\": [\n", out);
    for (size_t t = 0; t < p->ntargets; t++) {
        fputs("    {\n", out);
        json_text(out, "      ", "name", p->targets[t].name);
        json_text(out, "      ", "label", p->targets[t].label);
        json_field(out, "      ", "prior_probability", p->prior_p[t], 0);
        json_field(out, "      ", "posterior_probability", p->post_p[t], 1);
        fputs(t + 1 < p->ntargets ? "    },\n" : "    }\n", out);
    }
    fputs("  ]\n}\n", out);
}

ps_status ps_h5_posterior_print(FILE *out, const ps_h5_posterior *p,
                                ps_h5_format fmt, ps_error *err)
{
    int rc = 0;
    if (fmt == PS_H5_FORMAT_CSV)
        print_csv(out, p);
    else if (fmt == PS_H5_FORMAT_JSON)
        print_json(out, p);
    else
        rc = print_people(out, p, fmt);
    if (rc != 0)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0,
                            "out of memory printing the posterior");
    if (fflush(out) != 0 || ferror(out))
        return ps_error_set(err, PS_ERR_IO, NULL, 0, 0,
                            "cannot write the posterior's tables");
    return PS_OK;
}
