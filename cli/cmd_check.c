/*
 * plansim check: validate a model and list its variables; with --units,
 * check the units of every equation.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "plansim/mdl.h"
#include "plansim/model.h"
#include "plansim/program.h"
#include "plansim/units.h"

static void help(FILE *out)
{
    cli_print_usage(out, &cli_check);
    fputs("\n"
          "Reads and compiles MODEL.mdl, reporting the first error as\n"
          "file:line:col, then lists each variable on standard output\n"
          "under a header line, one per line, tab-separated: name, kind\n"
          "(stock, flow/auxiliary, constant, lookup), units ('-' when\n"
          "none) and the variables and lookups its equation uses ('-' when\n"
          "none).\n"
          "\n"
          "Options:\n"
          "  -u, --units  also check the units of every equation; each\n"
          "               disagreement is reported on standard error as\n"
          "               'file:line:col: units: message', and the status\n"
          "               is 65 when there is any\n"
          "  -h, --help   show this help and exit\n",
          out);
}

/* The distinct names an equation uses, in the order they first appear. */
typedef struct deps {
    const ps_model *model;
    char **keys;
    const char **names; /* point into the model or its trees */
    size_t n, cap;
    int no_memory;
} deps;

static void deps_clear(deps *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->keys[i]);
    d->n = 0;
}

static void deps_free(deps *d)
{
    deps_clear(d);
    free(d->keys);
    free(d->names);
}

static int deps_add(deps *d, const char *key, const char *name)
{
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->keys[i], key) == 0)
            return 0;
    if (d->n == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 8;
        char **k = realloc(d->keys, cap * sizeof *k);
        if (k)
            d->keys = k;
        const char **nm = k ? realloc(d->names, cap * sizeof *nm) : NULL;
        if (!nm)
            return d->no_memory = 1;
        d->names = nm;
        d->cap = cap;
    }
    if (!(d->keys[d->n] = strdup(key)))
        return d->no_memory = 1;
    d->names[d->n++] = name;
    return 0;
}

/* Non-zero when `key` names a subscript range or one of its elements
   (used as a number, not a variable). */
static int is_subscript(const ps_model *m, const char *key)
{
    for (size_t i = 0; i < m->ndims; i++) {
        if (strcmp(m->dims[i].key, key) == 0)
            return 1;
        for (size_t k = 0; k < m->dims[i].elems.n; k++)
            if (strcmp(m->dims[i].elems.v[k].key, key) == 0)
                return 1;
    }
    return 0;
}

/* A reference is a dependency; a call is one only when it calls a lookup
   variable of the model (otherwise it is a builtin such as MAX). */
static int visit(const ps_expr *node, const char *key, void *ctx)
{
    deps *d = ctx;
    const ps_var *v = ps_model_find_key(d->model, key);
    if (!v && is_subscript(d->model, key))
        return 0;
    if (node->kind == PS_EXPR_CALL) {
        if (!v || v->kind != PS_VAR_LOOKUP)
            return 0;
        return deps_add(d, key, v->name);
    }
    return deps_add(d, key, v ? v->name : node->u.ref.name);
}

/* Prints one line per variable (a subscripted one with its ranges:
   "stock[region,chain]"); returns 0 or an exit status. */
static int list_variables(const ps_model *model, const ps_program *prog)
{
    deps d = {model, NULL, NULL, 0, 0, 0};
    fputs("variable\tkind\tunits\tdepends on\n", stdout);
    for (size_t i = 0; i < ps_program_var_count(prog); i++) {
        const char *name = ps_program_var_name(prog, i);
        const char *units = ps_program_var_units(prog, i);
        const ps_var *first = ps_model_find(model, name);
        deps_clear(&d);
        /* every equation of the variable */
        for (size_t k = first ? (size_t)(first - model->vars) : (size_t)-1;
             k != (size_t)-1; k = model->vars[k].next_def) {
            const ps_var *v = &model->vars[k];
            if (v->expr)
                ps_expr_visit_refs(v->expr, visit, &d);
            if (v->init)
                ps_expr_visit_refs(v->init, visit, &d);
        }
        if (d.no_memory)
            break;
        fputs(name, stdout);
        for (size_t k = 0; k < ps_program_var_ndims(prog, i); k++)
            printf("%s%s", k ? "," : "[",
                   ps_program_dim_name(prog, ps_program_var_dim(prog, i, k)));
        printf("%s\t%s\t%s\t", ps_program_var_ndims(prog, i) ? "]" : "",
               ps_var_class_name(ps_program_var_class(prog, i)),
               units && units[0] ? units : "-");
        for (size_t k = 0; k < d.n; k++)
            printf("%s%s", k ? ", " : "", d.names[k]);
        fputs(d.n ? "\n" : "-\n", stdout);
    }
    int oom = d.no_memory;
    deps_free(&d);
    if (oom) {
        ps_error err;
        ps_error_set(&err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
        return cli_fail(&err);
    }
    return 0;
}

static void report_units(const ps_units_issue *issue, void *ctx)
{
    const ps_model *model = ctx;
    const char *file = issue->file ? issue->file : model->path;
    fputs(file ? file : "<model>", stderr);
    if (issue->loc.line > 0) {
        fprintf(stderr, ":%d", issue->loc.line);
        if (issue->loc.column > 0)
            fprintf(stderr, ":%d", issue->loc.column);
    }
    fprintf(stderr, ": units: %s\n", issue->message);
}

/* Runs the units check; returns 0 when clean, else an exit status. */
static int check_units(const ps_model *model, const char *path)
{
    size_t count = 0;
    ps_error err;
    /* Issues are printed after the listing: flush it first so both
       streams read in order on a terminal. */
    fflush(stdout);
    if (ps_units_check(model, report_units, (void *)model, &count, &err) !=
        PS_OK)
        return cli_fail(&err);
    if (count == 0)
        return 0;
    fprintf(stderr, "%s: %zu units issue%s\n", path, count,
            count == 1 ? "" : "s");
    return ps_status_exit_code(PS_ERR_DATA);
}

static int run(int argc, char **argv)
{
    static const struct option options[] = {
        {"units", no_argument, NULL, 'u'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    char prog_name[64];
    int c, units = 0;

    cli_getopt_begin(&cli_check, argv, prog_name, sizeof prog_name);
    while ((c = getopt_long(argc, argv, "uh", options, NULL)) != -1) {
        switch (c) {
        case 'u':
            units = 1;
            break;
        case 'h':
            help(stdout);
            return 0;
        default:
            return cli_usage_tail(&cli_check);
        }
    }
    if (optind >= argc)
        return cli_usage_error(&cli_check, "missing MODEL");
    if (argc - optind > 1)
        return cli_usage_error(&cli_check, "unexpected argument '%s'",
                               argv[optind + 1]);
    const char *path = argv[optind];

    ps_model *model = NULL;
    ps_program *prog = NULL;
    ps_error err;
    int status;
    if (ps_model_load(path, &model, &err) != PS_OK)
        return cli_fail(&err);
    if (ps_program_compile(model, &prog, &err) != PS_OK) {
        status = cli_fail(&err);
        goto done;
    }
    status = list_variables(model, prog);
    if (status == 0 && units)
        status = check_units(model, path);
done:
    ps_program_free(&prog);
    ps_model_free(&model);
    return status;
}

const cli_command cli_check = {
    .name = "check",
    .summary = "validate a model and list its variables (--units: check units)",
    .synopsis = "MODEL.mdl [--units]",
    .help = help,
    .run = run,
};
