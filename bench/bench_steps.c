/*
 * plansim-bench: the cost of a step, engine against hand-coded C.
 *
 * For each model: first the agreement check (bench_check.c), then the
 * median time of a sweep over the whole horizon, for the engine's step
 * loop and for the native one, each restarted at INITIAL TIME before every
 * sweep (the restart is not timed).  Per step = sweep / steps; per
 * equation = per step / the model equations evaluated each step.
 */
#include <inttypes.h>
#include <stdio.h>

#include "bench_list.h"

static double engine_sweeps(void *ctx, size_t n)
{
    engine_loop *l = ctx;
    double spent = 0;
    for (size_t r = 0; r < n; r++) {
        if (engine_loop_restart(l) != 0)
            return -1;
        double start = bench_now_ns();
        if (engine_loop_steps(l) != 0)
            return -1;
        spent += bench_now_ns() - start;
    }
    return spent;
}

static double native_sweeps(void *ctx, size_t n)
{
    native_loop *l = ctx;
    double spent = 0;
    for (size_t r = 0; r < n; r++) {
        native_loop_restart(l);
        double start = bench_now_ns();
        native_loop_steps(l);
        spent += bench_now_ns() - start;
    }
    return spent;
}

static int run_model(const bench_options *o, const bench_model *m,
                     const ps_program *prog)
{
    if (bench_check_agreement(m->name, prog, m->native) != 0)
        return -1;
    engine_loop e;
    native_loop n;
    int rc = -1;
    bench_figure ef, nf;
    if (engine_loop_open(&e, prog) != 0) {
        bench_fail(m->name, "engine: %s", e.err.message);
        goto done_engine;
    }
    if (native_loop_open(&n, m->native) != 0) {
        bench_fail(m->name, "native: out of memory");
        goto done;
    }
    if (bench_measure(o, engine_sweeps, &e, &ef) != 0) {
        bench_fail(m->name, "engine: %s", e.err.message);
        goto done;
    }
    bench_measure(o, native_sweeps, &n, &nf);
    double steps = e.nsteps > 0 ? (double)e.nsteps : 1;
    double eqs = (double)bench_step_equations(prog);
    double engine_step = ef.ns / steps, native_step = nf.ns / steps;
    bench_row(m->name,
              "engine %9.1f ns/step %6.2f ns/eq   native %9.1f ns/step "
              "%6.2f ns/eq   ratio %5.2fx   (%.0f eq/step, %zu stocks, "
              "%" PRIu64 " steps; spread %.0f%%, %.0f%%)",
              engine_step, engine_step / eqs, native_step, native_step / eqs,
              engine_step / native_step, eqs, n.dim, e.nsteps,
              100 * ef.spread, 100 * nf.spread);
    rc = 0;
done:
    native_loop_close(&n);
done_engine:
    engine_loop_close(&e);
    return rc;
}

BENCH_IMPL(steps)
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
