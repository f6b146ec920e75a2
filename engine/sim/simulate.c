/*
 * Deterministic simulation: the step loop that ties a program instance to
 * an integrator and saves output every SAVEPER.
 *
 * Step k runs at t_k = INITIAL TIME + k * TIME STEP (computed, not summed,
 * so long runs do not drift):
 *   begin step k → evaluate auxiliaries and rates at (t_k, y_k) → save when
 *   k is a multiple of SAVEPER/TIME STEP → end step (held values, delay
 *   buffers) → integrate y over [t_k, t_k + TIME STEP].
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/element.h"
#include "plansim/sim.h"

void ps_sim_options_default(ps_sim_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->method = "euler";
    ps_integ_options_default(&opts->integ);
}

/* Number of steps and steps between saves for settings ts. */
static void step_counts(const ps_time_settings *ts, uint64_t *nsteps,
                        uint64_t *save_every)
{
    /* settings ps_instance_init refuses (too many steps, not finite) are
       never run: they count as none */
    if (ps_time_step_count(ts, nsteps) != 0)
        *nsteps = 0;
    double every = ts->saveper / ts->time_step;
    *save_every = !(every >= 1)                 ? 1
                  : every < (double)*nsteps + 1 ? (uint64_t)llround(every)
                                                : *nsteps + 1;
}

size_t ps_sim_saved_times(const ps_time_settings *ts, double *times)
{
    uint64_t nsteps, save_every;
    step_counts(ts, &nsteps, &save_every);
    size_t n = (size_t)(nsteps / save_every) + 1;
    if (times)
        for (size_t i = 0; i < n; i++)
            times[i] = ts->initial_time +
                       (double)((uint64_t)i * save_every) * ts->time_step;
    return n;
}

static int rhs(double t, const double y[], double dydt[], void *params)
{
    return ps_instance_eval(params, t, y, dydt);
}

static ps_status nonfinite_at(const ps_instance *inst, double t,
                              const char *what, ps_error *err)
{
    (void)inst;
    ps_error_set(err, PS_ERR_NONFINITE, NULL, 0, 0,
                 "'%s' became NaN or infinite", what ? what : "?");
    if (err) {
        err->has_time = 1;
        err->time = t;
    }
    return PS_ERR_NONFINITE;
}

/* Most steps a run whose time settings change may take. */
#define MAX_DYNAMIC_STEPS PS_MAX_STEPS

/*
 * A run whose FINAL TIME, TIME STEP or SAVEPER change as it goes, read
 * after each evaluation as Vensim does: the step taken is the TIME STEP
 * of its start, a row is saved when time reaches the last saved time
 * plus SAVEPER, and the run ends at the first step at or after FINAL
 * TIME.  Time accumulates step by step.
 */
static ps_status run_dynamic(ps_instance *inst, ps_stepper *stepper,
                             ps_save_fn save, void *ctx, ps_system *sys,
                             double *dydt, ps_error *err)
{
    ps_status st = PS_OK;
    ps_time_settings now;
    double *y = ps_instance_stocks(inst);
    double t = ps_instance_time(inst)->initial_time, next_save = t;
    size_t row = 0;
    for (uint64_t k = 0;; k++) {
        ps_instance_begin_step(inst, k, t);
        if (ps_instance_eval(inst, t, y, dydt) != 0)
            return nonfinite_at(inst, t, ps_instance_bad_var(inst), err);
        ps_instance_time_now(inst, &now);
        if (!(now.time_step > 0) || !(now.saveper > 0))
            return ps_error_set(err, PS_ERR_DATA, NULL, 0, 0,
                                "at time %g, TIME STEP (%g) and SAVEPER (%g) "
                                "must be positive",
                                t, now.time_step, now.saveper);
        double eps = 1e-9 * now.time_step;
        if (t >= next_save - eps) {
            if (save(ctx, row++, t, inst) != 0)
                return ps_error_set(err, PS_ERR_INTERRUPTED, NULL, 0, 0,
                                    "the run was stopped at time %g", t);
            next_save = t + now.saveper;
        }
        if (t >= now.final_time - eps)
            break;
        if (k >= MAX_DYNAMIC_STEPS)
            return ps_error_set(err, PS_ERR_DATA, NULL, 0, 0,
                                "the run takes more than %llu steps (time "
                                "%g, FINAL TIME %g, TIME STEP %g)",
                                MAX_DYNAMIC_STEPS, t, now.final_time,
                                now.time_step);
        ps_instance_end_step(inst);
        st = ps_stepper_apply(stepper, sys, t, now.time_step, y, dydt, err);
        if (st != PS_OK) {
            const char *bad = ps_instance_bad_var(inst);
            return nonfinite_at(inst, t + now.time_step,
                                bad ? bad
                                    : ps_instance_stock_name(
                                          inst, stepper->bad_component),
                                err);
        }
        t += now.time_step;
    }
    return st;
}

ps_status ps_sim_run_instance(ps_instance *inst, ps_stepper *stepper,
                              uint64_t seed, uint64_t run, ps_save_fn save,
                              void *ctx, ps_error *err)
{
    ps_status st = ps_instance_init(inst, seed, run, err);
    if (st != PS_OK)
        return st;
    if (ps_program_dynamic_time(ps_instance_program(inst))) {
        size_t n = ps_instance_dim(inst);
        double *dydt = malloc((n ? n : 1) * sizeof *dydt);
        if (!dydt)
            return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0,
                                "out of memory");
        ps_system sys = {rhs, n, inst};
        st = run_dynamic(inst, stepper, save, ctx, &sys, dydt, err);
        free(dydt);
        return st;
    }
    const ps_time_settings *ts = ps_instance_time(inst);
    double dt = ts->time_step;
    uint64_t nsteps, save_every;
    step_counts(ts, &nsteps, &save_every);
    size_t dim = ps_instance_dim(inst);
    double *y = ps_instance_stocks(inst);
    double dydt_local[64];
    double *dydt = dim <= 64 ? dydt_local : malloc(dim * sizeof *dydt);
    if (!dydt)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    ps_system sys = {rhs, dim, inst};
    size_t row = 0;
    for (uint64_t k = 0;; k++) {
        double t = ts->initial_time + (double)k * dt;
        ps_instance_begin_step(inst, k, t);
        if (ps_instance_eval(inst, t, y, dydt) != 0) {
            st = nonfinite_at(inst, t, ps_instance_bad_var(inst), err);
            break;
        }
        if (k % save_every == 0 && save(ctx, row++, t, inst) != 0) {
            st = ps_error_set(err, PS_ERR_INTERRUPTED, NULL, 0, 0,
                              "the run was stopped at time %g", t);
            break;
        }
        if (k >= nsteps)
            break;
        ps_instance_end_step(inst);
        st = ps_stepper_apply(stepper, &sys, t, dt, y, dydt, err);
        if (st != PS_OK) {
            /* Name the variable: a bad auxiliary seen by the right-hand
               side, or the stock that left the finite range. */
            const char *bad = ps_instance_bad_var(inst);
            double when = err && err->has_time ? err->time : t + dt;
            if (bad)
                st = nonfinite_at(inst, when, bad, err);
            else if (st == PS_ERR_NONFINITE)
                st = nonfinite_at(inst, when,
                                  ps_instance_stock_name(inst,
                                                         stepper->bad_component),
                                  err);
            break;
        }
    }
    if (dydt != dydt_local)
        free(dydt);
    return st;
}

/* ------------------------------------------------------ ps_simulate */

typedef struct series_sink {
    const ps_program *prog;
    ps_series *series;
    double *row;
    size_t *columns;  /* program variable of each output column */
    size_t *elements; /* and its element                        */
    size_t ncolumns;
} series_sink;

static int save_to_series(void *ctx, size_t row, double t,
                          const ps_instance *inst)
{
    series_sink *s = ctx;
    (void)row;
    for (size_t c = 0; c < s->ncolumns; c++)
        s->row[c] = ps_instance_element(inst, s->columns[c], s->elements[c]);
    return ps_series_append(s->series, t, s->row);
}

/* One column per element of every variable but lookups, named as Vensim
   writes it: "x" or "x[a,b]". */
static ps_status make_series(series_sink *s, ps_error *err)
{
    size_t n = ps_program_var_count(s->prog), total = 0;
    for (size_t i = 0; i < n; i++)
        if (ps_program_var_class(s->prog, i) != PS_CLASS_LOOKUP)
            total += ps_program_var_size(s->prog, i);
    char **names = calloc(total ? total : 1, sizeof *names);
    s->columns = calloc(total ? total : 1, sizeof *s->columns);
    s->elements = calloc(total ? total : 1, sizeof *s->elements);
    s->row = calloc(total ? total : 1, sizeof *s->row);
    ps_status st = PS_OK;
    if (!names || !s->columns || !s->elements || !s->row)
        st = ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < n && st == PS_OK; i++) {
        if (ps_program_var_class(s->prog, i) == PS_CLASS_LOOKUP)
            continue;
        for (size_t e = 0; e < ps_program_var_size(s->prog, i); e++) {
            names[s->ncolumns] = ps_program_element_name(s->prog, i, e);
            if (!names[s->ncolumns]) {
                st = ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0,
                                  "out of memory");
                break;
            }
            s->columns[s->ncolumns] = i;
            s->elements[s->ncolumns++] = e;
        }
    }
    if (st == PS_OK) {
        s->series = ps_series_new(s->ncolumns, (const char *const *)names);
        if (!s->series)
            st = ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t c = 0; names && c < s->ncolumns; c++)
        free(names[c]);
    free(names);
    return st;
}

/* Each override names a constant, or one element of a subscripted
   constant as "Name[e1,e2]"; then those given by index. */
static ps_status apply_overrides(const ps_program *prog, ps_instance *inst,
                                 const ps_sim_options *o, ps_error *err)
{
    for (size_t i = 0; i < o->noverrides; i++) {
        size_t var, element;
        ps_status st = ps_element_find(prog, o->overrides[i].name, &var,
                                       &element, err);
        if (st != PS_OK)
            return st;
        double value = o->overrides[i].value;
        st = element == PS_ALL_ELEMENTS
                 ? ps_instance_override(inst, var, value, err)
                 : ps_instance_override_element(inst, var, element, value,
                                                err);
        if (st != PS_OK)
            return st;
    }
    for (size_t i = 0; i < o->noverrides_at; i++) {
        const ps_override_at *at = &o->overrides_at[i];
        ps_status st = ps_override_at_check(prog, at, err);
        if (st == PS_OK)
            st = at->element == PS_ALL_ELEMENTS
                     ? ps_instance_override(inst, at->var, at->value, err)
                     : ps_instance_override_element(inst, at->var, at->element,
                                                    at->value, err);
        if (st != PS_OK)
            return st;
    }
    return PS_OK;
}

ps_status ps_simulate(const ps_program *prog, const ps_sim_options *opts,
                      ps_series **out, ps_error *err)
{
    ps_sim_options defaults;
    if (!opts) {
        ps_sim_options_default(&defaults);
        opts = &defaults;
    }
    *out = NULL;
    series_sink sink = {prog, NULL, NULL, NULL, NULL, 0};
    ps_instance *inst = NULL;
    ps_stepper *stepper = NULL;
    ps_status st = PS_OK;
    const char *method = opts->method ? opts->method : "euler";
    const ps_stepper_type *type = ps_stepper_type_find(method);
    if (!type) {
        st = ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                          "unknown integration method '%s'", method);
        goto done;
    }
    if ((st = ps_integ_options_check(&opts->integ, err)) != PS_OK)
        goto done;
    inst = ps_instance_new(prog);
    if (!inst) {
        st = ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    if ((st = apply_overrides(prog, inst, opts, err)) != PS_OK ||
        (st = make_series(&sink, err)) != PS_OK)
        goto done;
    stepper = ps_stepper_new(type, ps_instance_dim(inst), &opts->integ);
    if (!stepper) {
        st = ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    st = ps_sim_run_instance(inst, stepper, opts->seed, opts->run,
                             save_to_series, &sink, err);
    if (st == PS_ERR_INTERRUPTED) /* the series could not grow */
        st = ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
done:
    if (st != PS_OK && err && !err->file[0])
        snprintf(err->file, sizeof err->file, "%s", ps_program_path(prog));
    *out = sink.series; /* rows saved before a failure are kept */
    ps_stepper_free(&stepper);
    ps_instance_free(&inst);
    free(sink.row);
    free(sink.columns);
    free(sink.elements);
    return st;
}
