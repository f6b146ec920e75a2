/*
 * ps_instance: the mutable state of one run (values, stocks, fixed-delay
 * ring buffers, overrides) and the phases of a step.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "compile_impl.h"
#include "native_impl.h"

typedef struct delay_state {
    double *ring;      /* input at steps k-n .. k-1, indexed by k mod n */
    size_t n;          /* delay in steps, at least 1                    */
    double initial;    /* output before n steps have passed             */
} delay_state;

struct ps_instance {
    const ps_program *prog;
    double *v;               /* one value per slot                     */
    double *y;               /* the stocks: the integrator's state     */
    unsigned char *overridden;
    double *override_value;
    delay_state *delays;
    vm_context ctx;
    uint64_t step;
    const char *bad;         /* name of the first non-finite value     */
    ps_time_settings time;
    /* The values after the last start-up that ran every step, reused
       by the next start-ups with the same slots overridden: only the
       steps marked fresh run again (init_reuse.c). */
    double *snap;
    unsigned char *snap_overridden;
    unsigned char *fresh; /* per start-up step                      */
    int snap_state;       /* 0 none, 1 ready, -1 never              */
};

ps_instance *ps_instance_new(const ps_program *prog)
{
    ps_instance *inst = calloc(1, sizeof *inst);
    if (!inst)
        return NULL;
    inst->prog = prog;
    inst->v = calloc(prog->nslots, sizeof *inst->v);
    inst->y = calloc(prog->nstocks ? prog->nstocks : 1, sizeof *inst->y);
    inst->overridden = calloc(prog->nslots, 1);
    inst->override_value = calloc(prog->nslots, sizeof *inst->override_value);
    inst->delays = calloc(prog->ndelays ? prog->ndelays : 1,
                          sizeof *inst->delays);
    if (!inst->v || !inst->y || !inst->overridden || !inst->override_value ||
        !inst->delays) {
        ps_instance_free(&inst);
        return NULL;
    }
    inst->ctx.consts = prog->consts;
    inst->ctx.tables = prog->tables;
    inst->ctx.atab = prog->atab;
    inst->ctx.vecops = prog->vecops;
    inst->ctx.dt = 1;
    return inst;
}

const ps_program *ps_instance_program(const ps_instance *inst)
{
    return inst->prog;
}

void ps_instance_free(ps_instance **pinst)
{
    if (!pinst || !*pinst)
        return;
    ps_instance *inst = *pinst;
    if (inst->delays)
        for (size_t i = 0; i < inst->prog->ndelays; i++)
            free(inst->delays[i].ring);
    free(inst->delays);
    free(inst->v);
    free(inst->y);
    free(inst->overridden);
    free(inst->override_value);
    free(inst->snap);
    free(inst->snap_overridden);
    free(inst->fresh);
    free(inst);
    *pinst = NULL;
}

ps_status ps_instance_override(ps_instance *inst, size_t var, double value,
                               ps_error *err)
{
    const ps_program *p = inst->prog;
    if (var >= p->nvars)
        return ps_error_set(err, PS_ERR_USAGE, p->path, 0, 0,
                            "no variable number %zu", var);
    if (p->vars[var].cls != PS_CLASS_CONSTANT)
        return ps_error_set(err, PS_ERR_USAGE, p->path, 0, 0,
                            "'%s' is a %s, not a constant: only constants can "
                            "be set",
                            p->vars[var].name,
                            ps_var_class_name(p->vars[var].cls));
    for (size_t e = 0; e < p->vars[var].size; e++) {
        inst->overridden[p->vars[var].slot + e] = 1;
        inst->override_value[p->vars[var].slot + e] = value;
    }
    return PS_OK;
}

ps_status ps_instance_override_element(ps_instance *inst, size_t var,
                                       size_t element, double value,
                                       ps_error *err)
{
    const ps_program *p = inst->prog;
    if (var < p->nvars && element >= p->vars[var].size)
        return ps_error_set(err, PS_ERR_USAGE, p->path, 0, 0,
                            "'%s' has no element number %zu",
                            p->vars[var].name, element);
    /* a variable that cannot be set fails as ps_instance_override does */
    if (var >= p->nvars || p->vars[var].cls != PS_CLASS_CONSTANT)
        return ps_instance_override(inst, var, value, err);
    inst->overridden[p->vars[var].slot + element] = 1;
    inst->override_value[p->vars[var].slot + element] = value;
    return PS_OK;
}

void ps_instance_clear_overrides(ps_instance *inst)
{
    memset(inst->overridden, 0, inst->prog->nslots);
}

static ps_status not_finite(ps_instance *inst, size_t slot, ps_error *err)
{
    inst->bad = inst->prog->slot_names[slot];
    ps_status st = ps_error_set(err, PS_ERR_NONFINITE, inst->prog->path, 0, 0,
                                "initial value of '%s' is %g", inst->bad,
                                inst->v[slot]);
    if (err) {
        err->has_time = 1;
        err->time = inst->time.initial_time;
    }
    return st;
}

int ps_time_step_count(const ps_time_settings *ts, uint64_t *steps)
{
    double n = (ts->final_time - ts->initial_time) / ts->time_step;
    if (!(ts->time_step > 0) || !(n >= 0) ||
        !(n < (double)PS_MAX_STEPS + 0.5)) {
        *steps = PS_MAX_STEPS + 1;
        return -1;
    }
    *steps = (uint64_t)llround(n);
    return 0;
}

/* Refuses time settings no run can take, at the model's line for the
   setting (c: 0 INITIAL TIME, 1 FINAL TIME, 2 TIME STEP, 3 SAVEPER). */
static ps_status time_error(const ps_program *p, int c, ps_error *err,
                            const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static ps_status time_error(const ps_program *p, int c, ps_error *err,
                            const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ps_status st =
        ps_error_vset(err, PS_ERR_DATA, p->path, p->control_loc[c].line,
                      p->control_loc[c].column, fmt, ap);
    va_end(ap);
    return st;
}

static ps_status check_time_settings(ps_instance *inst, ps_error *err)
{
    const ps_program *p = inst->prog;
    ps_time_settings *t = &inst->time;
    t->initial_time = inst->v[p->slot_initial_time];
    t->final_time = inst->v[p->slot_final_time];
    t->time_step = inst->v[p->slot_time_step];
    t->saveper = p->slot_saveper != (size_t)-1 ? inst->v[p->slot_saveper]
                                               : t->time_step;
    if (!(t->time_step > 0))
        return time_error(p, 2, err, "TIME STEP must be positive, not %g",
                          t->time_step);
    if (!(t->final_time >= t->initial_time))
        return time_error(p, 1, err,
                          "FINAL TIME (%g) is before INITIAL TIME (%g)",
                          t->final_time, t->initial_time);
    if (!(t->saveper > 0))
        return time_error(p, p->slot_saveper != (size_t)-1 ? 3 : 2, err,
                          "SAVEPER must be positive, not %g", t->saveper);
    uint64_t steps;
    if (ps_time_step_count(t, &steps) != 0)
        return time_error(p, 2, err,
                          "a run from INITIAL TIME %g to FINAL TIME %g in "
                          "steps of TIME STEP %g would take %g steps; at "
                          "most %llu are allowed",
                          t->initial_time, t->final_time, t->time_step,
                          (t->final_time - t->initial_time) / t->time_step,
                          PS_MAX_STEPS);
    return PS_OK;
}

/* After start-up step k: the overrides of its slots, their finiteness,
   and the time settings they hold. */
static ps_status after_step(ps_instance *inst, size_t k, ps_error *err)
{
    const ps_program *p = inst->prog;
    const init_step *s = &p->init_steps[k];
    double *v = inst->v;
    for (size_t i = 0; i < s->n; i++) {
        size_t slot = p->init_slots[s->first + i];
        if (s->overridable && inst->overridden[slot])
            v[slot] = inst->override_value[slot];
        if (!isfinite(v[slot]))
            return not_finite(inst, slot, err);
        /* The time settings come before anything that reads them. */
        if (slot == p->slot_initial_time) {
            v[SLOT_TIME] = inst->ctx.step_time = v[slot];
            inst->time.initial_time = inst->ctx.initial_time = v[slot];
        } else if (slot == p->slot_time_step) {
            inst->ctx.dt = v[slot];
        }
    }
    return PS_OK;
}

/* Whether step k holds a time setting. */
static int holds_time(const ps_program *p, size_t k)
{
    const init_step *s = &p->init_steps[k];
    for (size_t i = 0; i < s->n; i++) {
        size_t slot = p->init_slots[s->first + i];
        if (slot == p->slot_initial_time || slot == p->slot_time_step)
            return 1;
    }
    return 0;
}

/* Runs start-up step k's code, native or interpreted. */
static void run_step(ps_instance *inst, size_t k)
{
    const ps_program *p = inst->prog;
    if (p->native)
        p->native->init[k](inst->v, &inst->ctx, native_api_table(), p->atab,
                           p->tables, k);
    else
        vm_run(&p->init_code, p->init_steps[k].start, inst->v, &inst->ctx);
}

/* Keeps the values of a start-up that ran every step, with the steps
   that must run again under the same overrides; quietly keeps nothing
   when memory is short or the code cannot be judged. */
static void take_snapshot(ps_instance *inst)
{
    const ps_program *p = inst->prog;
    if (inst->snap_state < 0)
        return;
    if (!inst->snap) {
        inst->snap = malloc((p->nslots ? p->nslots : 1) * sizeof *inst->snap);
        inst->snap_overridden = malloc(p->nslots ? p->nslots : 1);
        inst->fresh = malloc(p->ninit ? p->ninit : 1);
        if (!inst->snap || !inst->snap_overridden || !inst->fresh) {
            inst->snap_state = -1;
            return;
        }
    }
    if (init_steps_fresh(p, inst->overridden, inst->fresh) != 0) {
        inst->snap_state = -1;
        return;
    }
    /* a step that holds a time setting runs again for its checks */
    for (size_t k = 0; k < p->ninit; k++)
        inst->fresh[k] |= (unsigned char)(holds_time(p, k) << 1);
    memcpy(inst->snap, inst->v, p->nslots * sizeof *inst->snap);
    memcpy(inst->snap_overridden, inst->overridden, p->nslots);
    inst->snap_state = 1;
}

ps_status ps_instance_init(ps_instance *inst, uint64_t seed, uint64_t run,
                           ps_error *err)
{
    const ps_program *p = inst->prog;
    double *v = inst->v;
    int reuse = inst->snap_state == 1 &&
                memcmp(inst->snap_overridden, inst->overridden, p->nslots) == 0;
    if (reuse)
        memcpy(v, inst->snap, p->nslots * sizeof *v);
    else
        memset(v, 0, p->nslots * sizeof *v);
    inst->bad = NULL;
    inst->step = 0;
    inst->ctx.seed = seed;
    inst->ctx.run = run;
    inst->ctx.step = 0;
    inst->ctx.step_time = 0;
    inst->ctx.dt = 1;
    inst->time.initial_time = 0;
    for (size_t k = 0; k < p->ninit; k++) {
        /* bit 0: the step's values may change; bit 1: it holds a time
           setting, whose checks and effects are needed again */
        unsigned fresh = reuse ? inst->fresh[k] : 3;
        if (fresh & 1)
            run_step(inst, k);
        ps_status st = fresh ? after_step(inst, k, err) : PS_OK;
        if (st != PS_OK)
            return st;
    }
    ps_status st = check_time_settings(inst, err);
    if (st != PS_OK)
        return st;
    if (!reuse)
        take_snapshot(inst);
    memcpy(inst->y, v + p->stock_base, p->nstocks * sizeof *inst->y);
    for (size_t i = 0; i < p->ndelays; i++) {
        const fixed_delay *d = &p->delays[i];
        delay_state *ds = &inst->delays[i];
        /* a delay of 2.5 steps takes 3, as in Vensim (round half away
           from zero, not to even) */
        double steps = round(v[d->time_slot] / inst->time.time_step);
        if (!(steps >= 1))
            steps = 1; /* a delay shorter than a step still takes one */
        if (steps > 1e8)
            return ps_error_set(err, PS_ERR_DATA, p->path, 0, 0,
                                "DELAY FIXED time %g is too long for TIME "
                                "STEP %g",
                                v[d->time_slot], inst->time.time_step);
        if (ds->n != (size_t)steps) {
            free(ds->ring);
            ds->n = (size_t)steps;
            ds->ring = calloc(ds->n, sizeof *ds->ring);
            if (!ds->ring) {
                ds->n = 0;
                return ps_error_set(err, PS_ERR_NOMEM, p->path, 0, 0,
                                    "out of memory for DELAY FIXED");
            }
        }
        ds->initial = v[d->out_slot];
    }
    return PS_OK;
}

const ps_time_settings *ps_instance_time(const ps_instance *inst)
{
    return &inst->time;
}

void ps_instance_time_now(const ps_instance *inst, ps_time_settings *out)
{
    const ps_program *p = inst->prog;
    out->initial_time = inst->time.initial_time;
    out->final_time = inst->v[p->slot_final_time];
    out->time_step = inst->v[p->slot_time_step];
    out->saveper = p->slot_saveper != (size_t)-1 ? inst->v[p->slot_saveper]
                                                 : out->time_step;
}

size_t ps_instance_dim(const ps_instance *inst)
{
    return inst->prog->nstocks;
}

double *ps_instance_stocks(ps_instance *inst)
{
    return inst->y;
}

void ps_instance_begin_step(ps_instance *inst, uint64_t k, double t)
{
    const ps_program *p = inst->prog;
    inst->step = k;
    inst->ctx.step = k;
    inst->ctx.step_time = t;
    inst->v[SLOT_TIME] = t;
    for (size_t i = 0; i < p->ndelays; i++) {
        const delay_state *ds = &inst->delays[i];
        inst->v[p->delays[i].out_slot] =
            k < ds->n ? ds->initial : ds->ring[k % ds->n];
    }
}

int ps_instance_eval(ps_instance *inst, double t, const double y[],
                     double dydt[])
{
    const ps_program *p = inst->prog;
    double *v = inst->v;
    inst->bad = NULL;
    v[SLOT_TIME] = t;
    memcpy(v + p->stock_base, y ? y : inst->y, p->nstocks * sizeof *v);
    int finite = 0; /* known to be all finite */
    if (p->native)
        finite = p->native->step(v, &inst->ctx, native_api_table(), p->atab,
                                 p->tables, 0);
    else
        vm_run(&p->step_code, 0, v, &inst->ctx);
    /* Check in evaluation order, so the first bad value is the cause. */
    for (size_t i = 0; !finite && i < p->nstep_slots; i++)
        if (!isfinite(v[p->step_slots[i]])) {
            inst->bad = p->slot_names[p->step_slots[i]];
            return -1;
        }
    if (dydt)
        for (size_t s = 0; s < p->nstocks; s++)
            dydt[s] = v[p->rate_slots[s]];
    return 0;
}

void ps_instance_end_step(ps_instance *inst)
{
    const ps_program *p = inst->prog;
    /* Later holds first: DELAY N chains holds (each keeps the one before
       it from the previous step). */
    for (size_t i = p->nhelds; i-- > 0;)
        inst->v[p->helds[i].slot] = inst->v[p->helds[i].source];
    for (size_t i = 0; i < p->ndelays; i++) {
        delay_state *ds = &inst->delays[i];
        ds->ring[inst->step % ds->n] = inst->v[p->delays[i].in_slot];
    }
}

double ps_instance_value(const ps_instance *inst, size_t var)
{
    size_t slot = inst->prog->vars[var].slot;
    return slot == (size_t)-1 ? NAN : inst->v[slot];
}

double ps_instance_element(const ps_instance *inst, size_t var, size_t e)
{
    size_t slot = inst->prog->vars[var].slot;
    return slot == (size_t)-1 ? NAN : inst->v[slot + e];
}

void ps_instance_values(const ps_instance *inst, double out[])
{
    for (size_t i = 0; i < inst->prog->nvars; i++)
        out[i] = ps_instance_value(inst, i);
}

const char *ps_instance_bad_var(const ps_instance *inst)
{
    return inst->bad;
}

const char *ps_instance_stock_name(const ps_instance *inst, size_t component)
{
    const ps_program *p = inst->prog;
    return component < p->nstocks ? p->slot_names[p->stock_base + component]
                                  : "?";
}
