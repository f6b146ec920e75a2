/*
 * plansim-bench: the agreement check that guards each engine/native
 * comparison.  A timing ratio between two programs means something only if
 * they compute the same model, so before timing anything the benchmark
 * runs both over the whole horizon and compares every value the native
 * model computes with the engine's, by name, at the final time.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "plansim/series.h"
#include "plansim/sim.h"

/* Largest relative difference accepted between engine and native. */
#define REL_TOL 1e-9

/* Reported mismatches before the rest are only counted. */
#define MAX_REPORTED 5

static int agree(double a, double b)
{
    if (a == b)
        return 1; /* also two zeros, which have no relative difference */
    return fabs(a - b) <= REL_TOL * fmax(fabs(a), fabs(b));
}

static double rel_diff(double a, double b)
{
    double scale = fmax(fabs(a), fabs(b));
    return scale > 0 ? fabs(a - b) / scale : 0;
}

/* Same time settings and state size, or the models are not the same. */
static int check_shapes(const char *name, const engine_loop *e,
                        const native_loop *n)
{
    const ps_time_settings *ts = ps_instance_time(e->inst);
    const native_type *nt = n->type;
    if (ts->initial_time != nt->initial_time ||
        ts->final_time != nt->final_time || ts->time_step != nt->time_step) {
        bench_fail(name,
                   "time settings differ: engine %g..%g step %g, native "
                   "%g..%g step %g",
                   ts->initial_time, ts->final_time, ts->time_step,
                   nt->initial_time, nt->final_time, nt->time_step);
        return -1;
    }
    if (ps_instance_dim(e->inst) != n->dim) {
        bench_fail(name, "engine has %zu stocks (with hidden ones), native %zu",
                   ps_instance_dim(e->inst), n->dim);
        return -1;
    }
    return 0;
}

/* Compares every native value with the engine's instance after the final
   evaluation; counts the engine's variables the native model covers. */
static int compare_instance(const char *name, const ps_program *prog,
                            const engine_loop *e, const native_loop *n)
{
    const native_type *nt = n->type;
    size_t nvalues = nt->nvalues(n->m), bad = 0;
    char vname[256];
    for (size_t i = 0; i < nvalues; i++) {
        nt->value_name(n->m, i, vname, sizeof vname);
        size_t var = ps_program_find(prog, vname);
        if (var == (size_t)-1) {
            bench_fail(name, "the engine's model has no variable '%s'", vname);
            return -1;
        }
        double ev = ps_instance_value(e->inst, var);
        double nv = nt->value(n->m, n->y, i);
        if (!agree(ev, nv) && bad++ < MAX_REPORTED)
            bench_fail(name,
                       "'%s' at time %g: engine %.17g, native %.17g "
                       "(relative difference %.3g)",
                       vname, nt->final_time, ev, nv, rel_diff(ev, nv));
    }
    if (bad > 0) {
        bench_fail(name, "%zu of %zu values disagree beyond %g (relative)",
                   bad, nvalues, REL_TOL);
        return -1;
    }
    size_t computed = bench_step_equations(prog);
    if (computed != nvalues) {
        bench_fail(name,
                   "the engine computes %zu variables during a run, the "
                   "native model %zu",
                   computed, nvalues);
        return -1;
    }
    return 0;
}

/* The last row ps_simulate saves must hold the same values: the timed loop
   then runs the model as the engine's own driver does. */
static int compare_simulate(const char *name, const ps_program *prog,
                            const native_loop *n)
{
    const native_type *nt = n->type;
    ps_series *s = NULL;
    ps_error err;
    ps_error_clear(&err);
    int rc = 0;
    if (ps_simulate(prog, NULL, &s, &err) != PS_OK) {
        ps_error_print(stderr, &err);
        bench_fail(name, "ps_simulate failed: %s", err.message);
        rc = -1;
    } else if (s->nrows == 0 || s->time[s->nrows - 1] != nt->final_time) {
        bench_fail(name, "ps_simulate's last saved row is not at time %g",
                   nt->final_time);
        rc = -1;
    }
    size_t nvalues = nt->nvalues(n->m);
    char vname[256];
    for (size_t i = 0; rc == 0 && i < nvalues; i++) {
        nt->value_name(n->m, i, vname, sizeof vname);
        size_t col = ps_series_find(s, vname);
        double nv = nt->value(n->m, n->y, i);
        if (col == (size_t)-1) {
            bench_fail(name, "ps_simulate saved no column '%s'", vname);
            rc = -1;
        } else if (!agree(ps_series_get(s, s->nrows - 1, col), nv)) {
            double sv = ps_series_get(s, s->nrows - 1, col);
            bench_fail(name,
                       "'%s' at time %g: ps_simulate %.17g, native %.17g "
                       "(relative difference %.3g)",
                       vname, nt->final_time, sv, nv, rel_diff(sv, nv));
            rc = -1;
        }
    }
    ps_series_free(&s);
    return rc;
}

int bench_check_agreement(const char *name, const ps_program *prog,
                          const native_type *nt)
{
    engine_loop e;
    native_loop n;
    int rc = -1;
    if (engine_loop_open(&e, prog) != 0) {
        bench_fail(name, "engine: %s", e.err.message);
        goto done_engine;
    }
    if (native_loop_open(&n, nt) != 0) {
        bench_fail(name, "native: out of memory");
        goto done;
    }
    if (check_shapes(name, &e, &n) != 0)
        goto done;
    if (engine_loop_steps(&e) != 0 || engine_loop_finish(&e) != 0) {
        bench_fail(name, "engine: %s", e.err.message);
        goto done;
    }
    native_loop_steps(&n);
    native_loop_finish(&n);
    if (compare_instance(name, prog, &e, &n) != 0 ||
        compare_simulate(name, prog, &n) != 0)
        goto done;
    rc = 0;
done:
    native_loop_close(&n);
done_engine:
    engine_loop_close(&e);
    return rc;
}
