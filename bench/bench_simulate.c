/*
 * plansim-bench: whole runs through ps_simulate, the path the command
 * line and the Monte Carlo driver take: a new instance, start-up, every
 * step, the saved rows, freeing it all.  Compilation is done once and not
 * timed.  The figure is runs per second (1 / the median time of a run).
 */
#include <stdio.h>

#include "bench_list.h"
#include "plansim/series.h"
#include "plansim/sim.h"

typedef struct sim_ctx {
    const ps_program *prog;
    ps_error err;
} sim_ctx;

static double simulate_runs(void *ctx, size_t n)
{
    sim_ctx *c = ctx;
    double start = bench_now_ns();
    for (size_t r = 0; r < n; r++) {
        ps_series *s = NULL;
        ps_status st = ps_simulate(c->prog, NULL, &s, &c->err);
        ps_series_free(&s);
        if (st != PS_OK)
            return -1;
    }
    return bench_now_ns() - start;
}

static int run_model(const bench_options *o, const bench_model *m,
                     const ps_program *prog)
{
    sim_ctx c = {prog, {0}};
    ps_series *s = NULL;
    if (ps_simulate(prog, NULL, &s, &c.err) != PS_OK) {
        ps_series_free(&s);
        bench_fail(m->name, "ps_simulate: %s", c.err.message);
        return -1;
    }
    size_t rows = s->nrows, cols = s->ncols;
    ps_series_free(&s);
    bench_figure f;
    if (bench_measure(o, simulate_runs, &c, &f) != 0) {
        bench_fail(m->name, "ps_simulate: %s", c.err.message);
        return -1;
    }
    bench_row(m->name,
              "simulate %9.0f runs/s %9.1f us/run   (%zu rows of %zu "
              "columns saved; spread %.0f%%)",
              1e9 / f.ns, f.ns / 1e3, rows, cols, 100 * f.spread);
    return 0;
}

BENCH_IMPL(simulate)
{
    int rc = 0;
    for (size_t i = 0; i < bench_nmodels; i++) {
        const bench_model *m = &bench_models[i];
        ps_program *prog;
        if (bench_model_compile(o, m, &prog) != PS_OK) {
            bench_fail(m->name, "cannot read or compile the model (see the "
                                "error above)");
            rc = 1;
            continue;
        }
        if (run_model(o, m, prog) != 0)
            rc = 1;
        ps_program_free(&prog);
    }
    return rc;
}
