/*
 * The factors of a sensitivity analysis: each uncertain input alone, or
 * joined with others into a group (--group NAME=a,b) that moves as one.
 */
#include "plansim_study/sensitivity.h"

#include <stdlib.h>
#include <string.h>

#include "plansim/names.h"

/* Drops from a name key the '_' (blanks) next to brackets and
   commas. */
static void squeeze(char *k)
{
    char *out = k;
    for (const char *in = k; *in; in++) {
        int next_to = (in[1] && strchr("[],", in[1])) ||
                      (out > k && strchr("[],", out[-1]));
        if (*in != '_' || !next_to)
            *out++ = *in;
    }
    *out = '\0';
}

/* Names compared as Vensim compares them, blanks around subscripts
   aside ("capacity[ 电子 ]" is "capacity[电子]"). */
static int names_same(const char *a, const char *b)
{
    char *x = ps_name_key(a, strlen(a)), *y = ps_name_key(b, strlen(b));
    int same = 0;
    if (x && y) {
        squeeze(x);
        squeeze(y);
        same = strcmp(x, y) == 0;
    }
    free(x);
    free(y);
    return same;
}

static ps_status nomem(ps_error *err)
{
    return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

/* Keeps `s` (a new string, or NULL after a failed allocation) in f's
   strings; returns it. */
static char *keep(sens_factors *f, char *s)
{
    if (s)
        f->text[f->ntext++] = s;
    return s;
}

/* Does column j answer to `name`: its own name, or the scenario name of
   the input it is a column of? */
static int column_named(const scenario_run *r, size_t j, const char *name)
{
    return names_same(r->bind.columns[j].name, name) ||
           names_same(r->sc->inputs[r->bind.columns[j].input].name, name);
}

/* A column's name or its input's label. */
static const char *column_text(const scenario_run *r, size_t j, int labels)
{
    return labels ? r->sc->inputs[r->bind.columns[j].input].label
                  : r->bind.columns[j].name;
}

/* "a, b, c" of the columns whose factor is g; `sep` joins labels instead
   of names when `labels` is set (inputs without a label give none; a
   label shared by several columns is given once). */
static char *join(const scenario_run *r, const size_t *factor_of, size_t g,
                  int labels, const char *sep)
{
    size_t len = 1;
    for (size_t j = 0; j < r->bind.ncolumns; j++) {
        const char *t = column_text(r, j, labels);
        if (factor_of[j] == g)
            len += (t ? strlen(t) : 0) + strlen(sep);
    }
    char *s = malloc(len);
    if (!s)
        return NULL;
    s[0] = '\0';
    for (size_t j = 0; j < r->bind.ncolumns; j++) {
        const char *t = column_text(r, j, labels);
        if (labels && j > 0 && factor_of[j - 1] == g &&
            r->bind.columns[j - 1].input == r->bind.columns[j].input)
            continue;
        if (factor_of[j] != g || !t || !*t)
            continue;
        if (s[0])
            strcat(s, sep);
        strcat(s, t);
    }
    return s;
}

/* Parses "NAME=a,b,..." into group number `gi`: group_of[j] = gi for
   its inputs.  *name gets NAME (a new string). */
static ps_status parse_group(const scenario_run *r, const char *spec,
                             size_t gi, long *group_of, char **name,
                             ps_error *err)
{
    const char *eq = strchr(spec, '=');
    if (!eq || eq == spec || !eq[1])
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "--group: '%s' is not NAME=input1,input2,...",
                            spec);
    *name = strndup(spec, (size_t)(eq - spec));
    char *list = strdup(eq + 1);
    if (!*name || !list) {
        free(list);
        return nomem(err);
    }
    ps_status st = PS_OK;
    size_t count = 0;
    char *save = NULL;
    for (char *tok = strtok_r(list, ",", &save); tok && st == PS_OK;
         tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        size_t n = strlen(tok);
        while (n > 0 && tok[n - 1] == ' ')
            tok[--n] = '\0';
        int found = 0;
        for (size_t j = 0; j < r->bind.ncolumns && st == PS_OK; j++) {
            if (!column_named(r, j, tok))
                continue;
            found = 1;
            if (group_of[j] >= 0 && (size_t)group_of[j] != gi)
                st = ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                  "--group %s: '%s' is already in another "
                                  "group",
                                  *name, tok);
            else
                group_of[j] = (long)gi;
        }
        if (!found && st == PS_OK)
            st = ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                              "--group %s: '%s' is not an uncertain input "
                              "of the scenario",
                              *name, tok);
        count++;
    }
    if (st == PS_OK && count == 0)
        st = ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                          "--group %s: no inputs", *name);
    free(list);
    return st;
}

ps_status sens_factors_make(const scenario_run *r, const char *const *groups,
                            size_t ngroups, sens_factors *f, ps_error *err)
{
    memset(f, 0, sizeof *f);
    size_t d = r->bind.ncolumns;
    long *group_of = malloc((d ? d : 1) * sizeof *group_of);
    long *factor_of_group = malloc((ngroups ? ngroups : 1) * sizeof(long));
    char **gname = calloc(ngroups ? ngroups : 1, sizeof *gname);
    f->factor_of = malloc((d ? d : 1) * sizeof *f->factor_of);
    f->v = calloc(d ? d : 1, sizeof *f->v);
    f->text = calloc(3 * d + ngroups + 1, sizeof *f->text);
    ps_status st = PS_OK;
    if (!group_of || !factor_of_group || !gname || !f->factor_of || !f->v ||
        !f->text) {
        st = nomem(err);
        goto done;
    }
    for (size_t j = 0; j < d; j++)
        group_of[j] = -1;
    for (size_t i = 0; i < ngroups && st == PS_OK; i++) {
        factor_of_group[i] = -1;
        st = parse_group(r, groups[i], i, group_of, &gname[i], err);
        for (size_t k = 0; k < i && st == PS_OK; k++)
            if (strcmp(gname[k], gname[i]) == 0)
                st = ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                  "--group %s is given twice", gname[i]);
    }
    if (st != PS_OK)
        goto done;
    /* Factors in input order; a group where its first input is. */
    for (size_t j = 0; j < d; j++) {
        long gi = group_of[j];
        if (gi >= 0 && factor_of_group[gi] >= 0) {
            f->factor_of[j] = (size_t)factor_of_group[gi];
            continue;
        }
        if (gi >= 0)
            factor_of_group[gi] = (long)f->n;
        f->factor_of[j] = f->n++;
    }
    for (size_t j = 0; j < d && st == PS_OK; j++) {
        size_t g = f->factor_of[j];
        ps_h5_sens_factor *fac = &f->v[g];
        if (fac->name)
            continue; /* a group seen at its first input */
        long gi = group_of[j];
        fac->name = gi >= 0 ? keep(f, gname[gi]) : r->bind.columns[j].name;
        if (gi >= 0)
            gname[gi] = NULL; /* now owned by f */
        fac->inputs = keep(f, join(r, f->factor_of, g, 0, ", "));
        /* A group's label: its inputs' labels, in Chinese list style. */
        fac->label = gi >= 0 ? keep(f, join(r, f->factor_of, g, 1, "、"))
                             : column_text(r, j, 1);
        if (!fac->inputs || (gi >= 0 && !fac->label))
            st = nomem(err);
    }
done:
    for (size_t i = 0; gname && i < ngroups; i++)
        free(gname[i]);
    free(gname);
    free(group_of);
    free(factor_of_group);
    if (st != PS_OK)
        sens_factors_free(f);
    return st;
}

void sens_factors_free(sens_factors *f)
{
    for (size_t i = 0; f->text && i < f->ntext; i++)
        free(f->text[i]);
    free(f->text);
    free(f->factor_of);
    free(f->v);
    memset(f, 0, sizeof *f);
}
