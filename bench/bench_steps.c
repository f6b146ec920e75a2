/*
 * plansim-bench: the cost of a step, engine against hand-coded C.
 *
 * For each model: first the agreement check (bench_check.c) of both of
 * the engine's ways to run it, then three contenders timed in interleaved
 * rounds (bench_measure_interleaved): the interpreter, the model compiled
 * to native code, and the model written by hand in C.  Each times sweeps
 * over the whole horizon, restarted at INITIAL TIME before every sweep
 * (the restart is not timed).  Per step = sweep / steps; per equation =
 * per step / the model equations evaluated each step.  The ratios to
 * hand-written C are medians of per-round ratios; the minima are the
 * fastest round of each.  The goals of the compiled model are printed,
 * met or not, never asserted.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_list.h"
#include "plansim/engine.h"

/* The goals: compiled within this factor of hand-written C ... */
#define GOAL_RATIO 1.5
/* ... and at most this many ns per equation per step on gen2000. */
#define GOAL_NS_PER_EQ 4.0

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

/* What the goals lines need from each model. */
typedef struct goal_figures {
    int have;         /* the compiled model was measured */
    double ratio;     /* compiled / hand-written C       */
    double ns_per_eq; /* compiled                        */
} goal_figures;

static int run_model(const bench_options *o, const bench_model *m,
                     const ps_program *prog, const ps_program *compiled,
                     goal_figures *g)
{
    if (bench_check_agreement(m->name, prog, m->native) != 0 ||
        (compiled && bench_check_agreement(m->name, compiled, m->native) != 0))
        return -1;
    engine_loop e = {0}, c = {0};
    native_loop n = {0};
    int rc = -1;
    if (engine_loop_open(&e, prog) != 0 ||
        (compiled && engine_loop_open(&c, compiled) != 0)) {
        bench_fail(m->name, "engine: %s",
                   *e.err.message ? e.err.message : c.err.message);
        goto done;
    }
    if (native_loop_open(&n, m->native) != 0) {
        bench_fail(m->name, "native: out of memory");
        goto done;
    }
    /* interpreter, [compiled,] hand-written C (the reference, last) */
    bench_work_fn work[3] = {engine_sweeps, engine_sweeps, native_sweeps};
    void *ctx[3] = {&e, &c, &n};
    size_t k = 3;
    if (!compiled) {
        work[1] = native_sweeps;
        ctx[1] = &n;
        k = 2;
    }
    bench_interleaved r;
    if (bench_measure_interleaved(o, k, work, ctx, &r) != 0) {
        bench_fail(m->name, "engine: %s",
                   *e.err.message ? e.err.message : c.err.message);
        goto done;
    }
    double steps = e.nsteps > 0 ? (double)e.nsteps : 1;
    double eqs = (double)bench_step_equations(prog);
    const char *label[3] = {"interpreted", "compiled", "hand C"};
    if (!compiled)
        label[1] = label[2];
    for (size_t i = 0; i < k; i++)
        bench_row(m->name,
                  "%-11s %9.1f ns/step %6.2f ns/eq   min %9.1f ns/step "
                  "%6.2f ns/eq   ratio to hand C %5.2fx   (spread %.0f%%)",
                  label[i], r.fig[i].ns / steps, r.fig[i].ns / steps / eqs,
                  r.min_ns[i] / steps, r.min_ns[i] / steps / eqs, r.ratio[i],
                  100 * r.fig[i].spread);
    bench_row(m->name,
              "(%.0f eq/step, %zu stocks, %" PRIu64 " steps; %zu interleaved "
              "rounds; ratios are medians of per-round ratios)",
              eqs, n.dim, e.nsteps, r.rounds);
    if (compiled) {
        g->have = 1;
        g->ratio = r.ratio[1];
        g->ns_per_eq = r.fig[1].ns / steps / eqs;
    }
    rc = 0;
done:
    native_loop_close(&n);
    engine_loop_close(&c);
    engine_loop_close(&e);
    return rc;
}

/* The model compiled to native code, or NULL after saying why. */
static ps_program *compile_native(const bench_options *o, const bench_model *m)
{
    ps_program *p;
    ps_error err;
    if (bench_model_compile(o, m, &p) != PS_OK)
        return NULL;
    if (ps_program_set_engine(p, PS_ENGINE_NATIVE, &err) != PS_OK) {
        bench_row(m->name, "compiled: not measured (%s)", err.message);
        ps_program_free(&p);
    }
    return p;
}

static void print_goals(const goal_figures *g)
{
    for (size_t i = 0; i < bench_nmodels; i++)
        if (g[i].have)
            bench_row("goal",
                      "%s: compiled within %.1fx of hand C: %.2fx, "
                      "%s",
                      bench_models[i].name, GOAL_RATIO, g[i].ratio,
                      g[i].ratio <= GOAL_RATIO ? "met" : "not met");
    for (size_t i = 0; i < bench_nmodels; i++)
        if (g[i].have && strcmp(bench_models[i].name, "gen2000") == 0)
            bench_row("goal",
                      "gen2000: compiled at most %.0f ns/eq/step: %.2f, %s",
                      GOAL_NS_PER_EQ, g[i].ns_per_eq,
                      g[i].ns_per_eq <= GOAL_NS_PER_EQ ? "met" : "not met");
}

BENCH_IMPL(steps)
{
    int rc = 0;
    goal_figures *goals = calloc(bench_nmodels, sizeof *goals);
    if (!goals) {
        bench_fail("steps", "out of memory");
        return 1;
    }
    for (size_t i = 0; i < bench_nmodels; i++) {
        const bench_model *m = &bench_models[i];
        ps_program *prog;
        if (bench_model_compile(o, m, &prog) != PS_OK) {
            bench_fail(m->name, "cannot read or compile the model (see the "
                                "error above)");
            rc = 1;
            continue;
        }
        ps_program *compiled = compile_native(o, m);
        if (run_model(o, m, prog, compiled, &goals[i]) != 0)
            rc = 1;
        ps_program_free(&compiled);
        ps_program_free(&prog);
    }
    print_goals(goals);
    free(goals);
    return rc;
}
