/*
 * Free constants: the levers, fixed values and model constants that a
 * sweep or a solver sets per evaluation.
 */
#include "plansim_study/run.h"

#include <stdlib.h>
#include <string.h>

#include "plansim/element.h"
#include "plansim/instance.h"
#include "plansim/names.h"

static const char *const time_settings[] = {"INITIAL TIME", "FINAL TIME",
                                            "TIME STEP", "SAVEPER"};

const char *varied_kind_name(varied_kind kind)
{
    switch (kind) {
    case VARIED_LEVER:
        return "lever";
    case VARIED_FIXED:
        return "fixed value";
    case VARIED_CONSTANT:
        return "model constant";
    }
    return "?";
}

static ps_status nomem(ps_error *err)
{
    return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

/* How the elements `name` names relate to those item `ref` names:
   0 none in common, 1 the same, 2 some in common. */
static int relation(const ps_scenario *sc, const ps_model *model,
                    const ps_sc_ref *a, const ps_sc_ref *b)
{
    if (!ps_name_equal(a->var, b->var))
        return 0;
    ps_sc_selection x, y;
    int rel = 2;
    if (ps_scenario_select(sc, a, model, &x, NULL) != PS_OK)
        return 2;
    if (ps_scenario_select(sc, b, model, &y, NULL) == PS_OK) {
        size_t common = 0;
        for (size_t i = 0; i < x.n; i++)
            for (size_t j = 0; j < y.n; j++) {
                int same = 1;
                for (size_t k = 0; k < x.ndims && same; k++)
                    same = strcmp(x.names[i * x.ndims + k],
                                  y.names[j * y.ndims + k]) == 0;
                common += same;
            }
        rel = common == 0 ? 0 : common == x.n && x.n == y.n ? 1 : 2;
        ps_sc_selection_free(&y);
    }
    ps_sc_selection_free(&x);
    return rel;
}

static const ps_sc_lever *lever_named(const ps_scenario *sc, const ps_model *m,
                                      const ps_sc_ref *r, int *partly)
{
    for (size_t i = 0; i < sc->nlevers; i++) {
        int rel = relation(sc, m, r, &sc->levers[i].ref);
        if (rel == 1)
            return &sc->levers[i];
        *partly |= rel == 2;
    }
    return NULL;
}

static const ps_sc_fixed *fixed_named(const ps_scenario *sc, const ps_model *m,
                                      const ps_sc_ref *r, int *partly)
{
    for (size_t i = 0; i < sc->nfixed; i++) {
        int rel = relation(sc, m, r, &sc->fixed[i].ref);
        if (rel == 1)
            return &sc->fixed[i];
        *partly |= rel == 2;
    }
    return NULL;
}

static int is_input(const ps_scenario *sc, const ps_model *m,
                    const ps_sc_ref *r)
{
    for (size_t i = 0; i < sc->ninputs; i++)
        if (relation(sc, m, r, &sc->inputs[i].ref))
            return 1;
    return 0;
}

static int is_time_setting(const char *name)
{
    for (size_t i = 0; i < sizeof time_settings / sizeof *time_settings; i++)
        if (ps_name_equal(time_settings[i], name))
            return 1;
    return 0;
}

/* Resolves name (read into ref) into *f. */
static ps_status resolve_ref(const ps_scenario *sc, const ps_model *model,
                             const char *name, const ps_sc_ref *ref,
                             varied_const *f, ps_error *err)
{
    if (is_input(sc, model, ref))
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "'%s' is an uncertain input of the scenario (drawn "
                            "anew in every run): only a lever, a fixed value "
                            "or a model constant can be varied; fix it or make "
                            "it a lever in a scenario that extends this one",
                            name);
    if (is_time_setting(ref->var))
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "'%s' is a time setting, which every run shares: "
                            "it cannot be varied",
                            name);
    const ps_var *v = ps_model_find(model, ref->var);
    if (!v) {
        const ps_var *near;
        if (ps_model_nearest(model, ref->var, &near) != 0)
            return nomem(err);
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "the model has no variable '%s'%s%s%s", ref->var,
                            near ? "; did you mean '" : "",
                            near ? near->name : "", near ? "'?" : "");
    }
    if (v->kind == PS_VAR_STOCK)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "'%s' is a stock: vary the constant its initial "
                            "value comes from",
                            v->name);
    if (v->kind == PS_VAR_LOOKUP)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "'%s' is a lookup table, not a value", v->name);
    /* the elements named must exist */
    ps_sc_selection sel;
    ps_error why;
    ps_status st = ps_scenario_select(sc, ref, model, &sel, &why);
    if (st == PS_ERR_NOMEM)
        return nomem(err);
    if (st != PS_OK)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0, "'%s': %s", name,
                            why.message);
    ps_sc_selection_free(&sel);
    /* the model's spelling of the variable, with the subscripts given */
    f->name = ps_name_with_elements(v->name, (const char *const *)ref->subs,
                                    ref->nsubs);
    if (!f->name)
        return nomem(err);
    int partly = 0;
    const ps_sc_lever *l = lever_named(sc, model, ref, &partly);
    const ps_sc_fixed *x = fixed_named(sc, model, ref, &partly);
    if (!l && !x && partly)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "'%s' names elements of which only some are a "
                            "lever or fixed in the scenario: vary them as "
                            "the scenario names them",
                            name);
    if (l) {
        f->kind = VARIED_LEVER;
        double sum = 0;
        for (size_t i = 0; i < l->n; i++) {
            sum += l->value[i];
            f->path_varies |= l->value[i] != l->value[0];
        }
        f->value = l->n ? sum / (double)l->n : 0;
        f->label = l->label;
    } else if (x) {
        f->kind = VARIED_FIXED;
        f->value = x->value;
        f->label = x->label;
    } else {
        f->kind = VARIED_CONSTANT;
    }
    return PS_OK;
}

/* Resolves one name into *f; the lever's equation is replaced later. */
static ps_status resolve_one(const ps_scenario *sc, const ps_model *model,
                             const char *name, varied_const *f, ps_error *err)
{
    ps_sc_ref ref;
    ps_status st = ps_sc_ref_parse(name, &ref, err);
    if (st != PS_OK)
        return st;
    st = resolve_ref(sc, model, name, &ref, f, err);
    ps_sc_ref_free(&ref);
    return st;
}

ps_status varied_resolve(const ps_scenario *sc, ps_model *model,
                         const char *const *names, size_t n, varied_const **out,
                         ps_error *err)
{
    *out = NULL;
    varied_const *fv = calloc(n ? n : 1, sizeof *fv);
    if (!fv)
        return nomem(err);
    ps_status st = PS_OK;
    for (size_t i = 0; i < n && st == PS_OK; i++) {
        fv[i].var = (size_t)-1;
        st = resolve_one(sc, model, names[i], &fv[i], err);
        for (size_t j = 0; j < i && st == PS_OK; j++)
            if (ps_name_equal(fv[j].name, fv[i].name))
                st = ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                  "'%s' is varied twice", names[i]);
    }
    /* Only once every name is good is the model changed. */
    for (size_t i = 0; i < n && st == PS_OK; i++)
        if (fv[i].kind == VARIED_LEVER)
            st = ps_scenario_fix(model, fv[i].name, fv[i].value, err);
    if (st != PS_OK) {
        varied_release(fv, n);
        return st;
    }
    *out = fv;
    return PS_OK;
}

ps_status varied_bind(const ps_program *prog, uint64_t seed, varied_const *fv,
                      size_t n, ps_error *err)
{
    int need_values = 0;
    for (size_t i = 0; i < n; i++) {
        size_t elem;
        if (ps_element_find(prog, fv[i].name, &fv[i].var, &elem, NULL) != PS_OK)
            return ps_error_set(err, PS_ERR_INTERNAL, ps_program_path(prog), 0,
                                0, "'%s' vanished from the compiled model",
                                fv[i].name);
        fv[i].elem = elem == PS_ALL_ELEMENTS ? 0 : elem;
        fv[i].set_element = elem;
        if (elem != PS_ALL_ELEMENTS &&
            ps_program_var_class(prog, fv[i].var) != PS_CLASS_CONSTANT)
            return ps_error_set(
                err, PS_ERR_USAGE, NULL, 0, 0,
                "'%s' is one element of '%s', whose other elements are "
                "computed anew at each step (a %s): an element can be "
                "varied when every element of its variable is a constant "
                "(fix the others, or vary the whole variable)",
                fv[i].name, ps_program_var_name(prog, fv[i].var),
                ps_var_class_name(ps_program_var_class(prog, fv[i].var)));
        if (ps_program_var_class(prog, fv[i].var) != PS_CLASS_CONSTANT)
            return ps_error_set(
                err, PS_ERR_USAGE, NULL, 0, 0,
                "'%s' is computed anew at each step in the "
                "model (a %s): to vary it, fix it or make it "
                "a lever in the scenario",
                fv[i].name,
                ps_var_class_name(ps_program_var_class(prog, fv[i].var)));
        need_values |= fv[i].kind == VARIED_CONSTANT;
    }
    if (!need_values)
        return PS_OK;
    ps_instance *inst = ps_instance_new(prog);
    if (!inst)
        return nomem(err);
    ps_status st = ps_instance_init(inst, seed, 0, err);
    for (size_t i = 0; i < n && st == PS_OK; i++)
        if (fv[i].kind == VARIED_CONSTANT)
            fv[i].value = ps_instance_element(inst, fv[i].var, fv[i].elem);
    ps_instance_free(&inst);
    return st;
}

void varied_release(varied_const *fv, size_t n)
{
    if (!fv)
        return;
    for (size_t i = 0; i < n; i++)
        free(fv[i].name);
    free(fv);
}
