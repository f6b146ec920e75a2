/*
 * ps_program: compilation driver and the read-only queries on its result.
 */
#include <stdlib.h>
#include <string.h>

#include "compile_impl.h"
#include "plansim/names.h"

const char *ps_var_class_name(ps_var_class c)
{
    switch (c) {
    case PS_CLASS_STOCK:
        return "stock";
    case PS_CLASS_AUX:
        return "flow/auxiliary";
    case PS_CLASS_CONSTANT:
        return "constant";
    case PS_CLASS_LOOKUP:
        return "lookup";
    }
    return "?";
}

static ps_status nomem(const eqn_set *set, ps_error *err)
{
    return ps_error_set(err, PS_ERR_NOMEM, set->path, 0, 0,
                        "out of memory while compiling");
}

/* Gives every equation its slot: TIME, then the stocks side by side (so
   the state vector maps onto one range), then everything else, then one
   rate slot per stock.  Lookups get a table instead. */
static ps_status assign_slots(ps_program *p, eqn_set *set, ps_error *err)
{
    size_t next = SLOT_FIRST_EQN;
    p->stock_base = next;
    for (size_t i = 0; i < set->n; i++)
        if (set->eqns[i].kind == EQN_STOCK) {
            set->eqns[i].stock = p->nstocks++;
            set->eqns[i].slot = next++;
        }
    for (size_t i = 0; i < set->n; i++) {
        eqn *q = &set->eqns[i];
        if (q->kind == EQN_STOCK)
            continue;
        if (q->kind == EQN_LOOKUP) {
            q->slot = (size_t)-1;
            ps_table **t = realloc(p->tables, (p->ntables + 1) * sizeof *t);
            if (!t)
                return nomem(set, err);
            p->tables = t;
            p->tables[p->ntables] = ps_table_clone(q->table);
            if (!p->tables[p->ntables])
                return nomem(set, err);
            q->table_id = p->ntables++;
            continue;
        }
        q->slot = next++;
    }
    p->rate_slots = malloc((p->nstocks ? p->nstocks : 1) * sizeof *p->rate_slots);
    if (!p->rate_slots)
        return nomem(set, err);
    for (size_t s = 0; s < p->nstocks; s++)
        p->rate_slots[s] = next++;
    p->nslots = next;
    p->slot_names = calloc(p->nslots, sizeof *p->slot_names);
    if (!p->slot_names)
        return nomem(set, err);
    p->slot_names[SLOT_TIME] = strdup("Time");
    for (size_t i = 0; i < set->n; i++)
        if (set->eqns[i].slot != (size_t)-1)
            p->slot_names[set->eqns[i].slot] = strdup(set->eqns[i].name);
    for (size_t i = 0; i < set->n; i++)
        if (set->eqns[i].kind == EQN_STOCK) {
            size_t len = strlen(set->eqns[i].name) + 16;
            char *name = malloc(len);
            if (name)
                snprintf(name, len, "%s (net rate)", set->eqns[i].name);
            p->slot_names[p->rate_slots[set->eqns[i].stock]] = name;
        }
    for (size_t s = 0; s < p->nslots; s++)
        if (!p->slot_names[s])
            return nomem(set, err);
    return PS_OK;
}

/* The model variables as the program shows them. */
static ps_status describe_vars(ps_program *p, const eqn_set *set,
                               ps_error *err)
{
    const ps_model *model = set->model;
    p->vars = calloc(model->nvars ? model->nvars : 1, sizeof *p->vars);
    if (!p->vars)
        return nomem(set, err);
    p->nvars = model->nvars;
    for (size_t i = 0; i < set->n; i++) {
        const eqn *q = &set->eqns[i];
        if (q->model_var < 0)
            continue;
        const ps_var *v = &model->vars[q->model_var];
        program_var *pv = &p->vars[q->model_var];
        pv->name = strdup(v->name);
        pv->key = strdup(v->key);
        pv->units = v->units ? strdup(v->units) : NULL;
        pv->doc = v->doc && v->doc[0] ? strdup(v->doc) : NULL;
        pv->slot = q->slot;
        pv->cls = q->kind == EQN_STOCK    ? PS_CLASS_STOCK
                : q->kind == EQN_LOOKUP   ? PS_CLASS_LOOKUP
                : q->is_constant          ? PS_CLASS_CONSTANT
                                          : PS_CLASS_AUX;
        if (!pv->name || !pv->key || (v->units && !pv->units) ||
            (v->doc && v->doc[0] && !pv->doc))
            return nomem(set, err);
    }
    return PS_OK;
}

/* Finds the control variables; INITIAL TIME, FINAL TIME and TIME STEP are
   required, SAVEPER defaults to TIME STEP.  All must be constants. */
static ps_status find_controls(ps_program *p, const eqn_set *set,
                               ps_error *err)
{
    static const struct {
        const char *key, *name;
        int required;
    } controls[] = {{"initial_time", "INITIAL TIME", 1},
                    {"final_time", "FINAL TIME", 1},
                    {"time_step", "TIME STEP", 1},
                    {"saveper", "SAVEPER", 0}};
    size_t *slots[] = {&p->slot_initial_time, &p->slot_final_time,
                       &p->slot_time_step, &p->slot_saveper};
    for (int c = 0; c < 4; c++) {
        size_t i = eqn_set_find(set, controls[c].key);
        *slots[c] = (size_t)-1;
        if (i == (size_t)-1) {
            if (controls[c].required)
                return ps_error_set(err, PS_ERR_SEMANTIC, set->path, 0, 0,
                                    "the model does not define %s",
                                    controls[c].name);
            continue;
        }
        const eqn *q = &set->eqns[i];
        if (q->kind != EQN_AUX || !q->is_constant)
            return ps_error_set(err, PS_ERR_UNSUPPORTED, set->path,
                                q->loc.line, q->loc.column,
                                "%s must be a constant (a time setting that "
                                "changes during the run is not supported)",
                                controls[c].name);
        *slots[c] = q->slot;
    }
    return PS_OK;
}

static ps_status build_initial_code(ps_program *p, const eqn_set *set,
                                    const size_t *order, size_t n,
                                    ps_error *err)
{
    p->init_steps = calloc(n ? n : 1, sizeof *p->init_steps);
    if (!p->init_steps)
        return nomem(set, err);
    for (size_t k = 0; k < n; k++) {
        const eqn *q = &set->eqns[order[k]];
        const ps_expr *e = eqn_startup_expr(q);
        if (!e)
            continue;
        init_step *s = &p->init_steps[p->ninit++];
        s->slot = q->slot;
        s->start = p->init_code.n;
        s->overridable = q->model_var >= 0 && q->kind == EQN_AUX &&
                         q->is_constant;
        ps_status st = emit_equation(p, &p->init_code, set, e, q->slot, err);
        if (st == PS_OK)
            st = emit_end(&p->init_code, err);
        if (st != PS_OK)
            return st;
    }
    return PS_OK;
}

static ps_status build_step_code(ps_program *p, const eqn_set *set,
                                 const size_t *order, size_t n, ps_error *err)
{
    p->step_slots = calloc(n + p->nstocks + 1, sizeof *p->step_slots);
    if (!p->step_slots)
        return nomem(set, err);
    ps_status st;
    for (size_t k = 0; k < n; k++) {
        const eqn *q = &set->eqns[order[k]];
        if ((st = emit_equation(p, &p->step_code, set, q->expr, q->slot,
                                err)) != PS_OK)
            return st;
        p->step_slots[p->nstep_slots++] = q->slot;
    }
    for (size_t i = 0; i < set->n; i++) {
        const eqn *q = &set->eqns[i];
        if (q->kind != EQN_STOCK)
            continue;
        size_t slot = p->rate_slots[q->stock];
        if ((st = emit_equation(p, &p->step_code, set, q->expr, slot, err)) !=
            PS_OK)
            return st;
        p->step_slots[p->nstep_slots++] = slot;
    }
    return emit_end(&p->step_code, err);
}

static ps_status collect_state(ps_program *p, const eqn_set *set,
                               ps_error *err)
{
    for (size_t i = 0; i < set->n; i++) {
        const eqn *q = &set->eqns[i];
        if (q->kind == EQN_DELAY) {
            fixed_delay *d = realloc(p->delays, (p->ndelays + 1) * sizeof *d);
            if (!d)
                return nomem(set, err);
            p->delays = d;
            p->delays[p->ndelays++] =
                (fixed_delay){q->slot, set->eqns[q->source].slot,
                              set->eqns[q->delay_time].slot};
        } else if (q->kind == EQN_HELD) {
            held_value *h = realloc(p->helds, (p->nhelds + 1) * sizeof *h);
            if (!h)
                return nomem(set, err);
            p->helds = h;
            p->helds[p->nhelds++] =
                (held_value){q->slot, set->eqns[q->source].slot};
        }
    }
    return PS_OK;
}

ps_status ps_program_compile(const ps_model *model, ps_program **out,
                             ps_error *err)
{
    *out = NULL;
    eqn_set set = {0};
    size_t *order = NULL, n = 0;
    ps_program *p = calloc(1, sizeof *p);
    ps_status st = PS_OK;
    if (!p)
        return ps_error_set(err, PS_ERR_NOMEM, model->path, 0, 0,
                            "out of memory while compiling");
    p->path = strdup(model->path ? model->path : "");
    if (!p->path) {
        st = ps_error_set(err, PS_ERR_NOMEM, model->path, 0, 0,
                          "out of memory while compiling");
        goto done;
    }
    if ((st = lower_model(model, &set, err)) != PS_OK)
        goto done;
    order = malloc((set.n ? set.n : 1) * sizeof *order);
    if (!order) {
        st = nomem(&set, err);
        goto done;
    }
    if ((st = order_initial(&set, order, &n, err)) != PS_OK)
        goto done;
    mark_constants(&set, order, n);
    if ((st = assign_slots(p, &set, err)) != PS_OK ||
        (st = describe_vars(p, &set, err)) != PS_OK ||
        (st = find_controls(p, &set, err)) != PS_OK ||
        (st = build_initial_code(p, &set, order, n, err)) != PS_OK ||
        (st = order_step(&set, order, &n, err)) != PS_OK ||
        (st = build_step_code(p, &set, order, n, err)) != PS_OK ||
        (st = collect_state(p, &set, err)) != PS_OK)
        goto done;
done:
    free(order);
    eqn_set_free(&set);
    if (st != PS_OK)
        ps_program_free(&p);
    *out = p;
    return st;
}

void ps_program_free(ps_program **pp)
{
    if (!pp || !*pp)
        return;
    ps_program *p = *pp;
    free(p->path);
    if (p->slot_names)
        for (size_t i = 0; i < p->nslots; i++)
            free(p->slot_names[i]);
    free(p->slot_names);
    free(p->rate_slots);
    free(p->init_code.code);
    free(p->init_steps);
    free(p->step_code.code);
    free(p->step_slots);
    free(p->delays);
    free(p->helds);
    free(p->consts);
    for (size_t i = 0; i < p->ntables; i++)
        ps_table_free(p->tables[i]);
    free(p->tables);
    if (p->vars)
        for (size_t i = 0; i < p->nvars; i++) {
            free(p->vars[i].name);
            free(p->vars[i].key);
            free(p->vars[i].units);
            free(p->vars[i].doc);
        }
    free(p->vars);
    free(p);
    *pp = NULL;
}

const char *ps_program_path(const ps_program *p)
{
    return p->path;
}

size_t ps_program_var_count(const ps_program *p)
{
    return p->nvars;
}

const char *ps_program_var_name(const ps_program *p, size_t i)
{
    return p->vars[i].name;
}

ps_var_class ps_program_var_class(const ps_program *p, size_t i)
{
    return p->vars[i].cls;
}

const char *ps_program_var_units(const ps_program *p, size_t i)
{
    return p->vars[i].units;
}

const char *ps_program_var_doc(const ps_program *p, size_t i)
{
    return p->vars[i].doc;
}

size_t ps_program_find(const ps_program *p, const char *name)
{
    char *key = ps_name_key(name, strlen(name));
    size_t found = (size_t)-1;
    for (size_t i = 0; key && i < p->nvars; i++)
        if (strcmp(p->vars[i].key, key) == 0) {
            found = i;
            break;
        }
    free(key);
    return found;
}
