/*
 * Printing sensitivity results: per output, the factors ranked, with
 * their labels and the method's measures; as aligned text, Markdown,
 * one long CSV table or one JSON document.
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

typedef enum method { SOBOL, MORRIS, OAT, UNKNOWN } method;

static method method_of(const ps_h5_sensitivity *s)
{
    if (!s->method)
        return UNKNOWN;
    return strcmp(s->method, "sobol") == 0    ? SOBOL
           : strcmp(s->method, "morris") == 0 ? MORRIS
           : strcmp(s->method, "oat") == 0    ? OAT
                                              : UNKNOWN;
}

/* An index (S1, ST) to four decimals; "n/a" for NaN. */
static void fmt_index(char *buf, size_t size, double v)
{
    if (isnan(v))
        snprintf(buf, size, "n/a");
    else
        snprintf(buf, size, "%.4f", v == 0 ? 0.0 : v); /* no "-0.0000" */
    if (strcmp(buf, "-0.0000") == 0)
        snprintf(buf, size, "0.0000");
}

/* A value in the output's units, five significant digits. */
static void fmt_value(char *buf, size_t size, double v)
{
    if (isnan(v))
        snprintf(buf, size, "n/a");
    else
        snprintf(buf, size, "%.5g", v == 0 ? 0.0 : v);
}

static void fmt_interval(char *buf, size_t size, double lo, double hi,
                         void (*fmt)(char *, size_t, double))
{
    if (isnan(lo) || isnan(hi)) {
        snprintf(buf, size, "n/a");
        return;
    }
    char a[48], b[48];
    fmt(a, sizeof a, lo);
    fmt(b, sizeof b, hi);
    snprintf(buf, size, "[%s, %s]", a, b);
}

/* The grid of output o: one row per factor, most important first. */
static void output_grid(h5_grid *g, const ps_h5_sensitivity *s, method m,
                        size_t o)
{
    static const char *const heads[3][7] = {
        {"rank", "factor", "label", "ST", "95% interval", "S1",
         "95% interval"},
        {"rank", "factor", "label", "mu*", "95% interval", "mu", "sigma"},
        {"rank", "factor", "label", "swing", "at low", "at high", ""},
    };
    size_t ncol = m == OAT ? 6 : 7;
    h5_grid_init(g, ncol, m == OAT ? "rllrrr" : "rllrrrr");
    const char *head[7];
    for (size_t c = 0; c < ncol; c++)
        head[c] = heads[m][c];
    char level[32]; /* the grid copies its cells */
    if (m != OAT && s->level > 0 && s->level < 1) {
        snprintf(level, sizeof level, "%g%% interval", 100 * s->level);
        head[4] = level;
        if (m == SOBOL)
            head[6] = level;
    }
    h5_grid_row(g, head);
    size_t nf = s->nfactors;
    for (size_t i = 0; i < nf; i++) {
        size_t f = s->order[o * nf + i], at = o * nf + f;
        char rank[32], c3[64], c4[128], c5[64], c6[128];
        snprintf(rank, sizeof rank, "%zu", i + 1);
        switch (m) {
        case SOBOL:
            fmt_index(c3, sizeof c3, s->st[at]);
            fmt_interval(c4, sizeof c4, s->st_low[at], s->st_high[at],
                         fmt_index);
            fmt_index(c5, sizeof c5, s->s1[at]);
            fmt_interval(c6, sizeof c6, s->s1_low[at], s->s1_high[at],
                         fmt_index);
            break;
        case MORRIS:
            fmt_value(c3, sizeof c3, s->mu_star[at]);
            fmt_interval(c4, sizeof c4, s->mu_star_low[at],
                         s->mu_star_high[at], fmt_value);
            fmt_value(c5, sizeof c5, s->mu[at]);
            fmt_value(c6, sizeof c6, s->sigma[at]);
            break;
        default:
            fmt_value(c3, sizeof c3, s->swing[at]);
            fmt_value(c4, sizeof c4, s->y_low[at]);
            fmt_value(c5, sizeof c5, s->y_high[at]);
            c6[0] = '\0';
            break;
        }
        const ps_h5_sens_factor *fac = &s->factors[f];
        const char *row[] = {rank, fac->name, fac->label ? fac->label : "",
                             c3,   c4,        c5,
                             c6};
        h5_grid_row(g, row);
    }
}

static void print_heading(FILE *out, const ps_h5_sensitivity *s, method m,
                          int md)
{
    const char *h = md ? "## " : "";
    switch (m) {
    case SOBOL:
        fprintf(out,
                "%sSobol' indices: N = %zu, %zu runs, %zu factors; "
                "intervals from %zu bootstrap resamples\n\n",
                h, s->samples, s->runs, s->nfactors, s->bootstrap);
        break;
    case MORRIS:
        fprintf(out,
                "%sMorris elementary effects: %zu trajectories, %u levels, "
                "%zu runs, %zu factors; an effect is the output's change "
                "per unit of the factor in the unit cube (per its whole "
                "range for a uniform input)\n\n",
                h, s->trajectories, s->levels, s->runs, s->nfactors);
        break;
    default:
        fprintf(out,
                "%sOne at a time: each factor at its %g%% and %g%% "
                "quantiles, the others at their medians; %zu runs\n\n",
                h, 100 * s->low, 100 * s->high, s->runs);
        break;
    }
}

/* Notes on output o: what was left out, a constant output. */
static void print_notes(FILE *out, const ps_h5_sensitivity *s, method m,
                        const ps_h5_sens_output *o, int md)
{
    const char *what = m == SOBOL    ? "base rows"
                       : m == MORRIS ? "trajectories"
                                     : "runs";
    if (m == OAT) {
        char base[48];
        fmt_value(base, sizeof base, o->base);
        fprintf(out, "%sat the medians: %s\n", md ? "\n" : "", base);
    }
    if (o->used < o->total)
        fprintf(out, "%snote: %zu of %zu %s had failed runs and were left "
                     "out\n",
                md ? "\n" : "", o->total - o->used, o->total, what);
    if (o->constant)
        fprintf(out, "%snote: the output did not vary%s: every index is 0\n",
                md ? "\n" : "",
                o->is_target ? " (the target was always met, or never)" : "");
}

static int print_people(FILE *out, const ps_h5_sensitivity *s, method m,
                        int md)
{
    print_heading(out, s, m, md);
    int oom = 0;
    for (size_t o = 0; o < s->noutputs; o++) {
        const ps_h5_sens_output *op = &s->outputs[o];
        const char *label = op->label && *op->label ? op->label : NULL;
        if (label)
            fprintf(out, md ? "### %s (%s)\n\n" : "%s  %s\n", op->name, label);
        else
            fprintf(out, md ? "### %s\n\n" : "%s\n", op->name);
        h5_grid g;
        output_grid(&g, s, m, o);
        oom |= g.oom;
        (md ? h5_grid_print_md : h5_grid_print_text)(out, &g);
        h5_grid_free(&g);
        print_notes(out, s, m, op, md);
        if (o + 1 < s->noutputs)
            fputc('\n', out);
    }
    return oom ? -1 : 0;
}

static void csv_number(FILE *out, double v)
{
    char buf[PS_TABLE_NUMBER_MAX];
    fputc(',', out);
    if (!isnan(v))
        fputs(ps_table_format_number(v, buf), out);
}

static void print_csv(FILE *out, const ps_h5_sensitivity *s, method m)
{
    static const char *const heads[3] = {
        "S1,S1_low,S1_high,S1_conf,ST,ST_low,ST_high,ST_conf",
        "mu,mu_star,mu_star_low,mu_star_high,mu_star_conf,sigma",
        "base,output_low,output_high,swing",
    };
    fprintf(out, "output,variable,time,rank,factor,label,%s\n", heads[m]);
    size_t nf = s->nfactors;
    for (size_t o = 0; o < s->noutputs; o++) {
        const ps_h5_sens_output *op = &s->outputs[o];
        for (size_t i = 0; i < nf; i++) {
            size_t f = s->order[o * nf + i], at = o * nf + f;
            char t[PS_TABLE_NUMBER_MAX];
            ps_csv_write_field(out, op->name, ',');
            fputc(',', out);
            ps_csv_write_field(out, op->variable, ',');
            fprintf(out, ",%s,%zu,", ps_table_format_number(op->time, t),
                    i + 1);
            ps_csv_write_field(out, s->factors[f].name, ',');
            fputc(',', out);
            ps_csv_write_field(out, s->factors[f].label, ',');
            const double *v[8];
            size_t n = 0;
            switch (m) {
            case SOBOL:
                v[n++] = s->s1, v[n++] = s->s1_low, v[n++] = s->s1_high;
                v[n++] = s->s1_conf, v[n++] = s->st, v[n++] = s->st_low;
                v[n++] = s->st_high, v[n++] = s->st_conf;
                break;
            case MORRIS:
                v[n++] = s->mu, v[n++] = s->mu_star, v[n++] = s->mu_star_low;
                v[n++] = s->mu_star_high, v[n++] = s->mu_star_conf;
                v[n++] = s->sigma;
                break;
            default:
                csv_number(out, op->base);
                v[n++] = s->y_low, v[n++] = s->y_high, v[n++] = s->swing;
                break;
            }
            for (size_t k = 0; k < n; k++)
                csv_number(out, v[k][at]);
            fputc('\n', out);
        }
    }
}

/* ---- JSON ---- */

/* The measures of factor f for output o, under the CSV's names. */
static void json_measures(ps_json *j, const ps_h5_sensitivity *s, method m,
                          size_t at)
{
    static const char *const sobol[] = {"S1", "S1_low", "S1_high", "S1_conf",
                                        "ST", "ST_low", "ST_high", "ST_conf"};
    static const char *const morris[] = {"mu",           "mu_star",
                                         "mu_star_low",  "mu_star_high",
                                         "mu_star_conf", "sigma"};
    static const char *const oat[] = {"output_low", "output_high", "swing"};
    const double *sv[] = {s->s1, s->s1_low, s->s1_high, s->s1_conf,
                          s->st, s->st_low, s->st_high, s->st_conf};
    const double *mv[] = {s->mu,           s->mu_star,      s->mu_star_low,
                          s->mu_star_high, s->mu_star_conf, s->sigma};
    const double *ov[] = {s->y_low, s->y_high, s->swing};
    const char *const *names = m == SOBOL ? sobol : m == MORRIS ? morris : oat;
    const double *const *v = m == SOBOL ? sv : m == MORRIS ? mv : ov;
    size_t n = m == SOBOL ? 8 : m == MORRIS ? 6 : 3;
    for (size_t k = 0; k < n; k++)
        ps_json_member_number(j, names[k], v[k] ? v[k][at] : NAN);
}

static void print_json(FILE *out, const ps_h5_sensitivity *s, method m)
{
    ps_json j;
    ps_json_init(&j, out);
    ps_json_object(&j);
    ps_json_member_integer(&j, "format_version", 1);
    ps_json_member_string(&j, "command", "sensitivity");
    ps_json_member_string(&j, "method", s->method);
    ps_json_member_integer(&j, "seed", (long long)s->seed);
    ps_json_member_integer(&j, "runs", (long long)s->runs);
    if (m == SOBOL)
        ps_json_member_integer(&j, "samples", (long long)s->samples);
    if (m == MORRIS) {
        ps_json_member_integer(&j, "trajectories", (long long)s->trajectories);
        ps_json_member_integer(&j, "levels", (long long)s->levels);
    }
    if (m != OAT) {
        ps_json_member_integer(&j, "bootstrap", (long long)s->bootstrap);
        ps_json_member_number(&j, "interval_level", s->level);
    } else {
        ps_json_member_number(&j, "low_quantile", s->low);
        ps_json_member_number(&j, "high_quantile", s->high);
    }
    ps_json_key(&j, "factors");
    ps_json_array(&j);
    for (size_t f = 0; f < s->nfactors; f++) {
        ps_json_object(&j);
        ps_json_member_string(&j, "name", s->factors[f].name);
        ps_json_member_string(&j, "label", s->factors[f].label);
        ps_json_member_string(&j, "inputs", s->factors[f].inputs);
        ps_json_end(&j);
    }
    ps_json_end(&j);
    ps_json_key(&j, "outputs");
    ps_json_array(&j);
    size_t nf = s->nfactors;
    for (size_t o = 0; o < s->noutputs; o++) {
        const ps_h5_sens_output *op = &s->outputs[o];
        ps_json_object(&j);
        ps_json_member_string(&j, "name", op->name);
        ps_json_member_string(&j, "label", op->label);
        ps_json_member_string(&j, "variable", op->variable);
        ps_json_member_number(&j, "time", op->time);
        ps_json_member_bool(&j, "is_target", op->is_target);
        ps_json_member_integer(&j, "used", (long long)op->used);
        ps_json_member_integer(&j, "total", (long long)op->total);
        ps_json_member_bool(&j, "constant", op->constant);
        if (m == OAT)
            ps_json_member_number(&j, "base", op->base);
        ps_json_key(&j, "ranking");
        ps_json_array(&j);
        for (size_t i = 0; i < nf; i++) {
            size_t f = s->order[o * nf + i];
            ps_json_object(&j);
            ps_json_member_integer(&j, "rank", (long long)(i + 1));
            ps_json_member_string(&j, "factor", s->factors[f].name);
            ps_json_member_string(&j, "label", s->factors[f].label);
            json_measures(&j, s, m, o * nf + f);
            ps_json_end(&j);
        }
        ps_json_end(&j);
        ps_json_end(&j);
    }
    ps_json_end(&j);
    ps_json_end(&j);
}

ps_status ps_h5_sensitivity_print(FILE *out, const ps_h5_sensitivity *s,
                                  ps_h5_format fmt, ps_error *err)
{
    method m = method_of(s);
    if (m == UNKNOWN)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "unknown sensitivity method '%s'",
                            s->method ? s->method : "(none)");
    switch (fmt) {
    case PS_H5_FORMAT_TABLE:
    case PS_H5_FORMAT_MD:
        if (print_people(out, s, m, fmt == PS_H5_FORMAT_MD) < 0)
            return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
        break;
    case PS_H5_FORMAT_CSV:
        print_csv(out, s, m);
        break;
    case PS_H5_FORMAT_JSON:
        print_json(out, s, m);
        break;
    default:
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "sensitivity results print as table, md, csv "
                            "or json");
    }
    if (fflush(out) != 0 || ferror(out))
        return ps_error_set(err, PS_ERR_IO, NULL, 0, 0,
                            "cannot write the sensitivity results");
    return PS_OK;
}
