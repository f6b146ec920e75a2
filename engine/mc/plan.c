/*
 * The ensemble's plan: everything checked once before any run, so that a
 * run can only fail for reasons of its own inputs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_impl.h"

/* Automatic blocks hold about this many bytes of values: large enough that
   handing blocks over costs nothing, small enough to keep the pool small. */
#define TARGET_BLOCK_BYTES (512u * 1024u)
/* ...but a small ensemble is still cut into this many blocks, so that
   every thread gets work. */
#define MIN_BLOCKS 32u

static ps_status no_memory(ps_error *err)
{
    return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

/* Resolves spec->sim.overrides (by name: a variable or one element), then
   sim.overrides_at (by index, checked), into variables, elements and
   values. */
static ps_status resolve_fixed(mc_plan *plan, ps_error *err)
{
    const ps_sim_options *o = &plan->spec->sim;
    const ps_program *prog = plan->spec->prog;
    size_t n = o->noverrides + o->noverrides_at;
    if (n == 0)
        return PS_OK;
    if ((o->noverrides && !o->overrides) ||
        (o->noverrides_at && !o->overrides_at))
        return ps_error_set(err, PS_ERR_INTERNAL, NULL, 0, 0,
                            "%zu overrides given without their array", n);
    plan->fixed_vars = malloc(n * sizeof *plan->fixed_vars);
    plan->fixed_elems = malloc(n * sizeof *plan->fixed_elems);
    plan->fixed_values = malloc(n * sizeof *plan->fixed_values);
    if (!plan->fixed_vars || !plan->fixed_elems || !plan->fixed_values)
        return no_memory(err);
    for (size_t i = 0; i < o->noverrides; i++) {
        ps_status st =
            ps_element_find(prog, o->overrides[i].name, &plan->fixed_vars[i],
                            &plan->fixed_elems[i], err);
        if (st != PS_OK) {
            if (err && !err->file[0])
                snprintf(err->file, sizeof err->file, "%s",
                         ps_program_path(prog));
            return st;
        }
        plan->fixed_values[i] = o->overrides[i].value;
    }
    for (size_t i = 0; i < o->noverrides_at; i++) {
        const ps_override_at *at = &o->overrides_at[i];
        ps_status st = ps_override_at_check(prog, at, err);
        if (st != PS_OK)
            return st;
        size_t k = o->noverrides + i;
        plan->fixed_vars[k] = at->var;
        plan->fixed_elems[k] = at->element;
        plan->fixed_values[k] = at->value;
    }
    plan->nfixed = n;
    return PS_OK;
}

/* Every slot names an input and an element of a variable. */
static ps_status check_slots(const ps_ensemble_spec *spec, ps_error *err)
{
    size_t nvars = ps_program_var_count(spec->prog);
    for (size_t i = 0; i < spec->nslots; i++) {
        const ps_input_slot *sl = &spec->slots[i];
        if (sl->input >= spec->ninputs || sl->var >= nvars ||
            (sl->element != PS_ALL_ELEMENTS &&
             sl->element >= ps_program_var_size(spec->prog, sl->var)))
            return ps_error_set(err, PS_ERR_USAGE, ps_program_path(spec->prog),
                                0, 0,
                                "input slot %zu names input %zu, variable "
                                "%zu and element %zu, which do not exist",
                                i, sl->input, sl->var, sl->element);
    }
    return PS_OK;
}

/* Every saved variable must exist and have a value (lookups have none). */
static ps_status check_saved(const ps_ensemble_spec *spec, ps_error *err)
{
    size_t nvars = ps_program_var_count(spec->prog);
    const char *path = ps_program_path(spec->prog);
    for (size_t i = 0; i < spec->nsave; i++) {
        size_t var = spec->save_vars[i];
        if (var >= nvars)
            return ps_error_set(err, PS_ERR_USAGE, path, 0, 0,
                                "saved variable number %zu does not exist "
                                "(the model has %zu)",
                                var, nvars);
        if (ps_program_var_class(spec->prog, var) == PS_CLASS_LOOKUP)
            return ps_error_set(err, PS_ERR_USAGE, path, 0, 0,
                                "'%s' is a lookup: it has no value to save",
                                ps_program_var_name(spec->prog, var));
    }
    return PS_OK;
}

static ps_status set_one(ps_instance *inst, size_t var, size_t element,
                         double value, ps_error *err)
{
    if (element == PS_ALL_ELEMENTS)
        return ps_instance_override(inst, var, value, err);
    return ps_instance_override_element(inst, var, element, value, err);
}

ps_status mc_plan_set_overrides(const mc_plan *plan, ps_instance *inst,
                                const double *row, ps_error *err)
{
    const ps_ensemble_spec *spec = plan->spec;
    ps_status st = PS_OK;
    ps_instance_clear_overrides(inst);
    for (size_t i = 0; i < plan->nfixed && st == PS_OK; i++)
        st = set_one(inst, plan->fixed_vars[i], plan->fixed_elems[i],
                     plan->fixed_values[i], err);
    if (!row)
        return st;
    if (spec->nslots) {
        for (size_t i = 0; i < spec->nslots && st == PS_OK; i++) {
            const ps_input_slot *sl = &spec->slots[i];
            st = set_one(inst, sl->var, sl->element, row[sl->input], err);
        }
        return st;
    }
    for (size_t j = 0; j < spec->ninputs && st == PS_OK; j++)
        st = ps_instance_override(inst, spec->input_vars[j], row[j], err);
    return st;
}

/*
 * The time settings every run shares.  They are those of the first run
 * that initialises (runs that cannot initialise fail on their own later);
 * when none does, those of the model's own values; when those fail too,
 * the ensemble cannot be laid out and run 0's error is returned.  An input
 * that is not a constant is refused here, once for all runs.
 */
static ps_status probe_time(mc_plan *plan, ps_error *err)
{
    const ps_ensemble_spec *spec = plan->spec;
    ps_instance *inst = ps_instance_new(spec->prog);
    if (!inst)
        return no_memory(err);
    ps_error run0, tmp;
    ps_status st = PS_OK, st0 = PS_OK;
    double *row_buf = malloc((spec->ninputs + 1) * sizeof *row_buf);
    if (!row_buf) {
        ps_instance_free(&inst);
        return no_memory(err);
    }
    for (size_t r = 0; r <= spec->nruns; r++) {
        int defaults = r == spec->nruns;
        const double *row = NULL;
        if (!defaults && spec->ninputs) {
            if ((st = mc_plan_input_rows(plan, r, 1, row_buf, err)) != PS_OK)
                goto done;
            row = row_buf;
        }
        if ((st = mc_plan_set_overrides(plan, inst, row, err)) != PS_OK)
            goto done;
        st = ps_instance_init(inst, spec->seed, defaults ? 0 : r, &tmp);
        if (st == PS_OK) {
            plan->time = *ps_instance_time(inst);
            goto done;
        }
        if (st == PS_ERR_NOMEM) {
            if (err)
                *err = tmp;
            goto done;
        }
        if (r == 0) {
            st0 = st;
            if (defaults)
                run0 = tmp;
            else
                mc_name_run_error(&run0, &tmp, 0, ps_program_path(spec->prog));
        }
    }
    /* Neither any run nor the model's own values could start. */
    st = st0;
    if (err)
        *err = run0;
done:
    free(row_buf);
    ps_instance_free(&inst);
    return st;
}

/* The series of a run: every element of every saved variable. */
static ps_status lay_out_series(mc_plan *plan, ps_error *err)
{
    const ps_ensemble_spec *spec = plan->spec;
    size_t n = spec->nsave ? spec->nsave : 1;
    plan->sizes = malloc(n * sizeof *plan->sizes);
    plan->offset = malloc(n * sizeof *plan->offset);
    if (!plan->sizes || !plan->offset)
        return no_memory(err);
    plan->nseries = 0;
    for (size_t v = 0; v < spec->nsave; v++) {
        size_t k = ps_program_var_size(spec->prog, spec->save_vars[v]);
        if (k > SIZE_MAX - plan->nseries)
            return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                "too many elements to save");
        plan->sizes[v] = k;
        plan->offset[v] = plan->nseries;
        plan->nseries += k;
    }
    return PS_OK;
}

/* Runs per block when the spec leaves it to us: see ps_ensemble_spec. */
static size_t auto_block(size_t nruns, size_t run_bytes)
{
    size_t b = TARGET_BLOCK_BYTES / run_bytes;
    size_t share = (nruns + MIN_BLOCKS - 1) / MIN_BLOCKS;
    if (b > share)
        b = share;
    return b ? b : 1;
}

static ps_status check_spec(const ps_ensemble_spec *spec, ps_error *err)
{
    if (!spec->prog)
        return ps_error_set(err, PS_ERR_INTERNAL, NULL, 0, 0,
                            "an ensemble needs a program");
    if (spec->ninputs &&
        ((!spec->input_vars && !spec->nslots) ||
         (spec->nruns && !spec->inputs && !spec->fill_inputs)))
        return ps_error_set(err, PS_ERR_INTERNAL, NULL, 0, 0,
                            "%zu inputs given without their variables or "
                            "values",
                            spec->ninputs);
    if (spec->nslots && !spec->slots)
        return ps_error_set(err, PS_ERR_INTERNAL, NULL, 0, 0,
                            "%zu input slots given without their list",
                            spec->nslots);
    if (spec->nsave && !spec->save_vars)
        return ps_error_set(err, PS_ERR_INTERNAL, NULL, 0, 0,
                            "%zu saved variables given without their list",
                            spec->nsave);
    if (spec->threads < 0)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "the thread count cannot be negative (%d)",
                            spec->threads);
    return PS_OK;
}

ps_status mc_plan_init(mc_plan *plan, const ps_ensemble_spec *spec,
                       ps_error *err)
{
    memset(plan, 0, sizeof *plan);
    plan->spec = spec;
    ps_status st = check_spec(spec, err);
    if (st != PS_OK)
        return st;
    const char *method = spec->sim.method ? spec->sim.method : "euler";
    plan->method = ps_stepper_type_find(method);
    if (!plan->method)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "unknown integration method '%s'", method);
    if ((st = ps_integ_options_check(&spec->sim.integ, err)) != PS_OK ||
        (st = check_saved(spec, err)) != PS_OK ||
        (st = check_slots(spec, err)) != PS_OK ||
        (st = lay_out_series(plan, err)) != PS_OK ||
        (st = resolve_fixed(plan, err)) != PS_OK ||
        (st = probe_time(plan, err)) != PS_OK)
        goto fail;

    size_t ntimes = ps_sim_saved_times(&plan->time, NULL);
    plan->times = malloc(ntimes * sizeof *plan->times);
    if (!plan->times) {
        st = no_memory(err);
        goto fail;
    }
    ps_sim_saved_times(&plan->time, plan->times);
    if (plan->nseries > SIZE_MAX / sizeof(double) / ntimes) {
        st = ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                          "%zu series x %zu saved times is too much to "
                          "save",
                          plan->nseries, ntimes);
        goto fail;
    }
    plan->run_values = plan->nseries * ntimes;
    size_t run_bytes = plan->run_values * sizeof(double) + 1;
    plan->block = spec->block ? spec->block
                              : auto_block(spec->nruns, run_bytes);
    if (spec->nruns && plan->block > spec->nruns)
        plan->block = spec->nruns;
    if (plan->block > SIZE_MAX / run_bytes) {
        st = ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                          "blocks of %zu runs are too large", plan->block);
        goto fail;
    }
    plan->nblocks = (spec->nruns + plan->block - 1) / plan->block;
    plan->layout = (ps_ensemble_layout){
        .nruns = spec->nruns,
        .ntimes = ntimes,
        .times = plan->times,
        .nsave = spec->nsave,
        .save = spec->save_vars,
        .ninputs = spec->ninputs,
        .block = plan->block,
        .nseries = plan->nseries,
        .sizes = plan->sizes,
        .offset = plan->offset,
    };
    return PS_OK;
fail:
    mc_plan_free(plan);
    return st;
}

void mc_plan_free(mc_plan *plan)
{
    if (!plan)
        return;
    free(plan->fixed_vars);
    free(plan->fixed_elems);
    free(plan->fixed_values);
    free(plan->times);
    free(plan->sizes);
    free(plan->offset);
    plan->fixed_vars = NULL;
    plan->fixed_elems = NULL;
    plan->fixed_values = NULL;
    plan->times = NULL;
    plan->sizes = plan->offset = NULL;
    plan->nfixed = 0;
}

ps_status mc_plan_input_rows(const mc_plan *plan, size_t first, size_t count,
                             double *out, ps_error *err)
{
    const ps_ensemble_spec *spec = plan->spec;
    if (spec->fill_inputs)
        return spec->fill_inputs(spec->inputs_ctx, first, count, out, err);
    memcpy(out, spec->inputs + first * spec->ninputs,
           count * spec->ninputs * sizeof *out);
    return PS_OK;
}

size_t mc_plan_block_count(const mc_plan *plan, size_t k)
{
    size_t first = k * plan->block;
    size_t left = plan->spec->nruns - first;
    return left < plan->block ? left : plan->block;
}
