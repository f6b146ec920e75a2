/*
 * plansim-bench: reading and compiling each model, once per simulation
 * and therefore worth knowing for large generated models.  Parsing is
 * timed from text already in memory (no disk), compiling from a parsed
 * model; each figure is the median time of one call, freeing included.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench_list.h"
#include "plansim/mdl.h"

typedef struct compile_ctx {
    const char *text;
    size_t len;
    const char *path;
    const ps_model *model;
    ps_error err;
} compile_ctx;

static double parses(void *ctx, size_t n)
{
    compile_ctx *c = ctx;
    double start = bench_now_ns();
    for (size_t r = 0; r < n; r++) {
        ps_model *model = NULL;
        ps_status st = ps_mdl_parse(c->text, c->len, c->path, &model, &c->err);
        ps_model_free(&model);
        if (st != PS_OK)
            return -1;
    }
    return bench_now_ns() - start;
}

static double compiles(void *ctx, size_t n)
{
    compile_ctx *c = ctx;
    double start = bench_now_ns();
    for (size_t r = 0; r < n; r++) {
        ps_program *prog = NULL;
        ps_status st = ps_program_compile(c->model, &prog, &c->err);
        ps_program_free(&prog);
        if (st != PS_OK)
            return -1;
    }
    return bench_now_ns() - start;
}

static int run_model(const bench_options *o, const bench_model *m)
{
    char path[4096];
    compile_ctx c = {0};
    char *text;
    if (bench_model_text(o, m, &text, &c.len, path, sizeof path) != PS_OK) {
        bench_fail(m->name, "cannot read the model");
        return -1;
    }
    c.text = text;
    c.path = path;
    ps_model *model = NULL;
    bench_figure pf, cf;
    int rc = -1;
    if (ps_mdl_parse(text, c.len, path, &model, &c.err) != PS_OK ||
        bench_measure(o, parses, &c, &pf) != 0) {
        ps_error_print(stderr, &c.err);
        bench_fail(m->name, "parse: %s", c.err.message);
        goto done;
    }
    c.model = model;
    if (bench_measure(o, compiles, &c, &cf) != 0) {
        ps_error_print(stderr, &c.err);
        bench_fail(m->name, "compile: %s", c.err.message);
        goto done;
    }
    bench_row(m->name,
              "parse %9.3f ms   compile %9.3f ms   (%zu kB of text, %zu "
              "variables; spread %.0f%%, %.0f%%)",
              pf.ns / 1e6, cf.ns / 1e6, (c.len + 512) / 1024, model->nvars,
              100 * pf.spread, 100 * cf.spread);
    rc = 0;
done:
    ps_model_free(&model);
    free(text);
    return rc;
}

BENCH_IMPL(compile)
{
    int rc = 0;
    for (size_t i = 0; i < bench_nmodels; i++)
        if (run_model(o, &bench_models[i]) != 0)
            rc = 1;
    return rc;
}
