/*
 * ps_program: compilation driver and the read-only queries on its result.
 */
#include <stdlib.h>
#include <string.h>

#include "compile_impl.h"
#include "native_impl.h"
#include "plansim/names.h"
#include "plansim/suggest.h"

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

/* A display name for element e of variable v (hidden variables with
   several elements are numbered). */
static char *slot_name(const eqn_set *set, const cvar *v, size_t e)
{
    if (v->box_of == (size_t)-1)
        return subs_element_name(set, v, e);
    if (v->size == 1)
        return strdup(v->name);
    size_t len = strlen(v->name) + 24;
    char *s = malloc(len);
    if (s)
        snprintf(s, len, "%s #%zu", v->name, e + 1);
    return s;
}

/* Every variable must be one kind throughout: all its equations stocks,
   or none. */
static ps_status check_kinds(const eqn_set *set, ps_error *err)
{
    for (size_t i = 0; i < set->n; i++) {
        const eqn *q = &set->eqns[i];
        const eqn *f = &set->eqns[set->vars[q->var].first];
        int a = q->kind == EQN_STOCK, b = f->kind == EQN_STOCK;
        int c = q->kind == EQN_LOOKUP, d = f->kind == EQN_LOOKUP;
        if (a != b || c != d)
            return ps_error_set(err, PS_ERR_SEMANTIC, set->path, q->loc.line,
                                q->loc.column,
                                "this equation makes '%s' %s, but its "
                                "equation at %d:%d makes it %s",
                                q->name,
                                a ? "a stock" : c ? "a lookup" : "an auxiliary",
                                f->loc.line, f->loc.column,
                                b ? "a stock" : d ? "a lookup" : "an auxiliary");
    }
    return PS_OK;
}

/* Gives every variable its slots: TIME, then the stocks side by side (so
   the state vector maps onto one range), then everything else, then one
   rate slot per stock element.  Lookups get tables instead, one per
   element. */
static ps_status assign_slots(ps_program *p, eqn_set *set, ps_error *err)
{
    ps_status st = check_kinds(set, err);
    if (st != PS_OK)
        return st;
    size_t next = SLOT_FIRST_EQN;
    p->stock_base = next;
    for (size_t i = 0; i < set->nvars; i++) {
        cvar *v = &set->vars[i];
        if (set->eqns[v->first].kind != EQN_STOCK)
            continue;
        v->stock = p->nstocks;
        v->slot = next;
        p->nstocks += v->size;
        next += v->size;
    }
    for (size_t i = 0; i < set->nvars; i++) {
        cvar *v = &set->vars[i];
        eqn_kind kind = set->eqns[v->first].kind;
        if (kind == EQN_STOCK)
            continue;
        if (kind == EQN_LOOKUP) {
            v->slot = (size_t)-1;
            ps_table **t =
                realloc(p->tables, (p->ntables + v->size) * sizeof *t);
            if (!t)
                return nomem(set, err);
            p->tables = t;
            v->table_id = p->ntables;
            for (size_t e = 0; e < v->size; e++) {
                const eqn *q = &set->eqns[v->node_of[e]];
                const ps_table *table = q->table;
                for (size_t k = 0; q->tables && k < q->it.n; k++)
                    if (q->it.flat[k] == e)
                        table = q->tables[k];
                p->tables[p->ntables] = ps_table_clone(table);
                if (!p->tables[p->ntables])
                    return nomem(set, err);
                p->ntables++;
            }
            continue;
        }
        v->slot = next;
        next += v->size;
    }
    for (size_t i = 0; i < set->n; i++) {
        eqn *q = &set->eqns[i];
        const cvar *v = &set->vars[q->var];
        q->slot = v->slot;
        q->stock = v->stock;
        q->table_id = v->table_id;
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
    for (size_t i = 0; i < set->nvars; i++) {
        const cvar *v = &set->vars[i];
        if (v->slot == (size_t)-1)
            continue;
        int stock = set->eqns[v->first].kind == EQN_STOCK;
        for (size_t e = 0; e < v->size; e++) {
            char *name = slot_name(set, v, e);
            p->slot_names[v->slot + e] = name;
            if (!stock || !name)
                continue;
            size_t len = strlen(name) + 16;
            char *rate = malloc(len);
            if (rate)
                snprintf(rate, len, "%s (net rate)", name);
            p->slot_names[p->rate_slots[v->stock + e]] = rate;
        }
    }
    for (size_t s = 0; s < p->nslots; s++)
        if (!p->slot_names[s])
            return nomem(set, err);
    return PS_OK;
}

/* The ranges as the program shows them (all of the set's, anonymous
   parts included). */
static ps_status describe_dims(ps_program *p, const eqn_set *set,
                               ps_error *err)
{
    if (set->ndims == 0)
        return PS_OK;
    p->dims = calloc(set->ndims, sizeof *p->dims);
    if (!p->dims)
        return nomem(set, err);
    p->ndims = set->ndims;
    for (size_t d = 0; d < set->ndims; d++) {
        const cdim *c = &set->dims[d];
        program_dim *pd = &p->dims[d];
        pd->name = strdup(c->name);
        pd->elems = calloc(c->n ? c->n : 1, sizeof *pd->elems);
        if (!pd->name || !pd->elems)
            return nomem(set, err);
        pd->n = c->n;
        for (size_t e = 0; e < c->n; e++)
            if (!(pd->elems[e] = strdup(set->elem_names[c->elem[e]])))
                return nomem(set, err);
    }
    return PS_OK;
}

/* The model variables as the program shows them. */
static ps_status describe_vars(ps_program *p, const eqn_set *set,
                               ps_error *err)
{
    const ps_model *model = set->model;
    size_t count = 0;
    for (size_t i = 0; i < set->nvars; i++)
        count += set->vars[i].model_var >= 0;
    p->vars = calloc(count ? count : 1, sizeof *p->vars);
    if (!p->vars)
        return nomem(set, err);
    for (size_t i = 0; i < set->nvars; i++) {
        const cvar *cv = &set->vars[i];
        if (cv->model_var < 0)
            continue;
        const ps_var *v = &model->vars[cv->model_var];
        program_var *pv = &p->vars[p->nvars++];
        pv->name = strdup(v->name);
        pv->key = strdup(v->key);
        /* units and documentation: the first equation that has them */
        const ps_var *u = v, *d = v;
        for (size_t k = (size_t)cv->model_var; k != (size_t)-1;
             k = model->vars[k].next_def) {
            if (!u->units && model->vars[k].units)
                u = &model->vars[k];
            if (!(d->doc && d->doc[0]) && model->vars[k].doc &&
                model->vars[k].doc[0])
                d = &model->vars[k];
        }
        pv->units = u->units ? strdup(u->units) : NULL;
        pv->doc = d->doc && d->doc[0] ? strdup(d->doc) : NULL;
        pv->slot = cv->slot;
        pv->size = cv->size;
        pv->ndims = cv->ndims;
        memcpy(pv->dim, cv->dim, sizeof pv->dim);
        int constant = 1;
        for (size_t k = cv->first; k != (size_t)-1; k = set->eqns[k].next)
            constant &= set->eqns[k].kind == EQN_AUX &&
                        set->eqns[k].is_constant;
        eqn_kind kind = set->eqns[cv->first].kind;
        pv->cls = kind == EQN_STOCK    ? PS_CLASS_STOCK
                : kind == EQN_LOOKUP   ? PS_CLASS_LOOKUP
                : constant             ? PS_CLASS_CONSTANT
                                       : PS_CLASS_AUX;
        if (!pv->name || !pv->key || (u->units && !pv->units) ||
            (d->doc && d->doc[0] && !pv->doc))
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
        if (q->kind != EQN_AUX || q->it.n != 1 ||
            set->vars[q->var].size != 1)
            return ps_error_set(err, PS_ERR_SEMANTIC, set->path, q->loc.line,
                                q->loc.column,
                                "%s must be a scalar auxiliary",
                                controls[c].name);
        /* INITIAL TIME counts at the start only; the others are read at
           every step when they change */
        if (!q->is_constant && c > 0)
            p->dynamic_time = 1;
        *slots[c] = q->slot;
        p->control_loc[c] = q->loc;
    }
    return PS_OK;
}

/* Appends the slots base + flat[i] of equation q's iterations to *list. */
static int push_slots(size_t **list, size_t *n, const eqn *q, size_t base)
{
    size_t *l = realloc(*list, (*n + q->it.n + 1) * sizeof *l);
    if (!l)
        return -1;
    *list = l;
    for (size_t i = 0; i < q->it.n; i++)
        l[(*n)++] = base + q->it.flat[i];
    return 0;
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
        if (!e && !(q->kind == EQN_AUX && q->values))
            continue;
        init_step *s = &p->init_steps[p->ninit++];
        s->first = p->ninit_slots;
        if (push_slots(&p->init_slots, &p->ninit_slots, q, q->slot))
            return nomem(set, err);
        s->n = q->it.n;
        s->start = p->init_code.n;
        s->overridable = q->model_var >= 0 && q->kind == EQN_AUX &&
                         q->is_constant;
        ps_status st =
            emit_node(p, &p->init_code, set, order[k], e, q->slot, NULL, err);
        if (st == PS_OK)
            st = emit_end(&p->init_code, err);
        if (st != PS_OK)
            return st;
    }
    return PS_OK;
}

/* The slots fixed for the whole run: those of constants (set, or
   overridden, at start-up and never written again). */
static unsigned char *fixed_slots(const ps_program *p, const eqn_set *set)
{
    unsigned char *fixed = calloc(p->nslots ? p->nslots : 1, 1);
    if (!fixed)
        return NULL;
    for (size_t i = 0; i < set->n; i++) {
        const eqn *q = &set->eqns[i];
        if (q->is_constant)
            for (size_t it = 0; it < q->it.n; it++)
                fixed[q->slot + q->it.flat[it]] = 1;
    }
    return fixed;
}

/* The last start-up step: the hoisted run constants, after every value
   they read is final.  Its slots are not checked for being finite: they
   are parts of step equations, whose values are. */
static ps_status add_hoisted(ps_program *p, const eqn_set *set, const hoist *h,
                             ps_error *err)
{
    if (!h->code.n)
        return PS_OK;
    init_step *s = realloc(p->init_steps, (p->ninit + 1) * sizeof *s);
    if (!s)
        return nomem(set, err);
    p->init_steps = s;
    p->init_steps[p->ninit++] =
        (init_step){.first = p->ninit_slots, .n = 0, .start = p->init_code.n};
    ps_status st = emit_append(&p->init_code, &h->code, err);
    return st != PS_OK ? st : emit_end(&p->init_code, err);
}

static ps_status build_step_equations(ps_program *p, const eqn_set *set,
                                      const size_t *order, size_t n, hoist *h,
                                      ps_error *err);

static ps_status build_step_code(ps_program *p, const eqn_set *set,
                                 const size_t *order, size_t n, ps_error *err)
{
    ps_status st;
    hoist h = {.fixed = fixed_slots(p, set), .nfixed = p->nslots};
    if (!h.fixed)
        return nomem(set, err);
    st = build_step_equations(p, set, order, n, &h, err);
    if (st == PS_OK)
        st = add_hoisted(p, set, &h, err);
    free((void *)h.fixed);
    free(h.code.code);
    return st;
}

static ps_status build_step_equations(ps_program *p, const eqn_set *set,
                                      const size_t *order, size_t n, hoist *h,
                                      ps_error *err)
{
    ps_status st;
    size_t cap = 0;
    for (size_t k = 0; k < n; k++) {
        const eqn *q = &set->eqns[order[k]];
        if (q->values) /* constant lists never change */
            continue;
        if ((st = emit_node(p, &p->step_code, set, order[k], q->expr, q->slot,
                            h, err)) != PS_OK)
            return st;
        if (push_slots(&p->step_slots, &p->nstep_slots, q, q->slot))
            return nomem(set, err);
    }
    (void)cap;
    for (size_t i = 0; i < set->n; i++) {
        const eqn *q = &set->eqns[i];
        if (q->kind != EQN_STOCK)
            continue;
        size_t base = p->rate_slots[q->stock];
        if ((st = emit_node(p, &p->step_code, set, i, q->expr, base, h, err)) !=
            PS_OK)
            return st;
        if (push_slots(&p->step_slots, &p->nstep_slots, q, base))
            return nomem(set, err);
    }
    return emit_end(&p->step_code, err);
}

/* The slot equation `src`'s variable holds for iteration i of an
   equation in the same context (a hidden variable follows the
   iterations; a scalar has one slot). */
static size_t slot_at(const eqn_set *set, size_t src, size_t i)
{
    const cvar *v = &set->vars[set->eqns[src].var];
    return v->box_of != (size_t)-1 ? v->slot + i : v->slot;
}

static ps_status collect_state(ps_program *p, const eqn_set *set,
                               ps_error *err)
{
    for (size_t i = 0; i < set->n; i++) {
        const eqn *q = &set->eqns[i];
        for (size_t it = 0; it < q->it.n; it++) {
            size_t slot = q->slot + q->it.flat[it];
            if (q->kind == EQN_DELAY) {
                fixed_delay *d =
                    realloc(p->delays, (p->ndelays + 1) * sizeof *d);
                if (!d)
                    return nomem(set, err);
                p->delays = d;
                p->delays[p->ndelays++] =
                    (fixed_delay){slot, slot_at(set, q->source, it),
                                  slot_at(set, q->delay_time, it)};
            } else if (q->kind == EQN_HELD) {
                held_value *h = realloc(p->helds, (p->nhelds + 1) * sizeof *h);
                if (!h)
                    return nomem(set, err);
                p->helds = h;
                p->helds[p->nhelds++] =
                    (held_value){slot, slot_at(set, q->source, it)};
            }
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
        (st = describe_dims(p, &set, err)) != PS_OK ||
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
    native_free(p->native);
    free(p->engine_note);
    free(p->path);
    if (p->slot_names)
        for (size_t i = 0; i < p->nslots; i++)
            free(p->slot_names[i]);
    free(p->slot_names);
    free(p->rate_slots);
    free(p->init_code.code);
    free(p->init_steps);
    free(p->init_slots);
    free(p->atab);
    free(p->vecops);
    if (p->dims)
        for (size_t d = 0; d < p->ndims; d++) {
            for (size_t e = 0; e < p->dims[d].n; e++)
                free(p->dims[d].elems[e]);
            free(p->dims[d].elems);
            free(p->dims[d].name);
        }
    free(p->dims);
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

int ps_program_dynamic_time(const ps_program *p)
{
    return p->dynamic_time;
}

size_t ps_program_var_size(const ps_program *p, size_t i)
{
    return p->vars[i].size;
}

size_t ps_program_var_ndims(const ps_program *p, size_t i)
{
    return p->vars[i].ndims;
}

size_t ps_program_var_dim(const ps_program *p, size_t i, size_t k)
{
    return p->vars[i].dim[k];
}

size_t ps_program_dim_count(const ps_program *p)
{
    return p->ndims;
}

const char *ps_program_dim_name(const ps_program *p, size_t d)
{
    return p->dims[d].name;
}

size_t ps_program_dim_size(const ps_program *p, size_t d)
{
    return p->dims[d].n;
}

const char *ps_program_dim_element(const ps_program *p, size_t d, size_t e)
{
    return p->dims[d].elems[e];
}

char *ps_program_element_name(const ps_program *p, size_t i, size_t flat)
{
    const program_var *v = &p->vars[i];
    const char *elems[MAX_DIMS];
    for (size_t k = v->ndims; k-- > 0;) {
        const program_dim *d = &p->dims[v->dim[k]];
        elems[k] = d->elems[flat % d->n];
        flat /= d->n;
    }
    return ps_name_with_elements(v->name, elems, v->ndims);
}

size_t ps_program_find(const ps_program *p, const char *name)
{
    /* the key on the stack when it fits: a lookup that cannot run out of
       memory, so that -1 means "no such variable" */
    size_t len = strlen(name);
    char buf[512];
    char *key = len < sizeof buf ? buf : malloc(len + 1);
    size_t found = (size_t)-1;
    if (key)
        ps_name_key_into(name, len, key);
    for (size_t i = 0; key && i < p->nvars; i++)
        if (strcmp(p->vars[i].key, key) == 0) {
            found = i;
            break;
        }
    if (key != buf)
        free(key);
    return found;
}

const char *ps_program_nearest(const ps_program *p, const char *name)
{
    char *key = ps_name_key(name, strlen(name));
    const char **keys = malloc((p->nvars + 1) * sizeof *keys);
    const char *shown = NULL;
    if (key && keys) {
        for (size_t i = 0; i < p->nvars; i++)
            keys[i] = p->vars[i].key;
        const char *near = ps_nearest(key, keys, p->nvars);
        for (size_t i = 0; near && !shown && i < p->nvars; i++)
            if (keys[i] == near)
                shown = p->vars[i].name;
    }
    free(keys);
    free(key);
    return shown;
}
