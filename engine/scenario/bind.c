/*
 * A scenario's inputs and targets bound to a compiled program: input
 * columns, their slots and correlations, the targets' elements and the
 * observed series' elements.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/element.h"
#include "plansim/names.h"
#include "plansim/scenario_bind.h"

static ps_status nomem(ps_error *err)
{
    return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

/* The program variable of a name the scenario check has vouched for. */
static ps_status find_var(const ps_program *prog, const char *name, size_t *var,
                          ps_error *err)
{
    *var = ps_program_find(prog, name);
    if (*var == (size_t)-1)
        return ps_error_set(err, PS_ERR_INTERNAL, ps_program_path(prog), 0, 0,
                            "'%s' vanished from the compiled model", name);
    return PS_OK;
}

/* The program element (row-major index) named by the names of element i
   of a selection. */
static ps_status element_of(const ps_program *prog, size_t var,
                            const ps_sc_selection *s, size_t i, size_t *out,
                            ps_error *err)
{
    if (s->ndims == 0) {
        *out = 0;
        return PS_OK;
    }
    *out = ps_element_index(
        prog, var, (const char *const *)s->names + i * s->ndims, s->ndims);
    if (*out == PS_ALL_ELEMENTS)
        return ps_error_set(err, PS_ERR_INTERNAL, ps_program_path(prog), 0, 0,
                            "an element of '%s' vanished from the compiled "
                            "model",
                            ps_program_var_name(prog, var));
    return PS_OK;
}

static ps_status add_slot(ps_sc_binding *b, size_t *cap, ps_input_slot slot,
                          ps_error *err)
{
    if (b->nslots == *cap) {
        size_t c = *cap ? 2 * *cap : 8;
        ps_input_slot *s = realloc(b->slots, c * sizeof *s);
        if (!s)
            return nomem(err);
        b->slots = s;
        *cap = c;
    }
    b->slots[b->nslots++] = slot;
    return PS_OK;
}

/* Appends a column named `name` (taken over, even on failure). */
static ps_status add_column(ps_sc_binding *b, size_t *cap,
                            const ps_scenario *sc, size_t input, char *name,
                            ps_error *err)
{
    if (!name)
        return nomem(err);
    if (b->ncolumns == *cap) {
        size_t c = *cap ? 2 * *cap : 8;
        ps_sc_column *v = realloc(b->columns, c * sizeof *v);
        if (!v) {
            free(name);
            return nomem(err);
        }
        b->columns = v;
        *cap = c;
    }
    b->columns[b->ncolumns++] =
        (ps_sc_column){input, name, &sc->inputs[input].dist};
    return PS_OK;
}

/* One column per element of variable `var` as the compiled program lays
   them out, named after the scenario's spelling: for an input drawn per
   element over a range whose elements only the program knows (read from
   a file by GET DIRECT SUBSCRIPT). */
static ps_status bind_program_elements(ps_sc_binding *b, size_t *ccap,
                                       size_t *scap, const ps_scenario *sc,
                                       size_t j, size_t var,
                                       const ps_program *prog, ps_error *err)
{
    size_t nd = ps_program_var_ndims(prog, var);
    size_t size = ps_program_var_size(prog, var);
    const char *elems[8];
    ps_status st = PS_OK;
    if (nd > sizeof elems / sizeof *elems)
        return ps_error_set(err, PS_ERR_INTERNAL, ps_program_path(prog), 0, 0,
                            "'%s' has more ranges than a scenario binds",
                            sc->inputs[j].ref.var);
    for (size_t flat = 0; flat < size && st == PS_OK; flat++) {
        size_t rest = flat;
        for (size_t k = nd; k-- > 0;) {
            size_t d = ps_program_var_dim(prog, var, k);
            size_t n = ps_program_dim_size(prog, d);
            elems[k] = ps_program_dim_element(prog, d, rest % n);
            rest /= n;
        }
        size_t col = b->ncolumns;
        st = add_column(b, ccap, sc, j,
                        ps_name_with_elements(sc->inputs[j].ref.var, elems, nd),
                        err);
        if (st == PS_OK)
            st = add_slot(b, scap, (ps_input_slot){col, var, flat}, err);
    }
    return st;
}

/* The columns of one input and where each goes: an input on a whole
   variable sets every element; on some elements, one column shared by
   them, or one per element (per element: true). */
static ps_status bind_input(ps_sc_binding *b, size_t *ccap, size_t *scap,
                            const ps_scenario *sc, size_t j,
                            const ps_model *model, const ps_program *prog,
                            ps_error *err)
{
    const ps_sc_input *in = &sc->inputs[j];
    ps_sc_selection s;
    size_t var;
    ps_status st = ps_scenario_select(sc, &in->ref, model, &s, err);
    if (st != PS_OK)
        return st;
    if ((st = find_var(prog, in->ref.var, &var, err)) != PS_OK) {
        ps_sc_selection_free(&s);
        return st;
    }
    if (!in->per_element || s.ndims == 0) {
        size_t col = b->ncolumns;
        st = add_column(b, ccap, sc, j, strdup(in->name), err);
        if (st == PS_OK && s.whole)
            st = add_slot(b, scap, (ps_input_slot){col, var, PS_ALL_ELEMENTS},
                          err);
        for (size_t i = 0; !s.whole && i < s.n && st == PS_OK; i++) {
            size_t e;
            if ((st = element_of(prog, var, &s, i, &e, err)) == PS_OK)
                st = add_slot(b, scap, (ps_input_slot){col, var, e}, err);
        }
    } else if (s.n == 0) {
        /* the elements of a range read from a file (GET DIRECT SUBSCRIPT)
           are known to the compiled program only */
        st = bind_program_elements(b, ccap, scap, sc, j, var, prog, err);
    } else {
        for (size_t i = 0; i < s.n && st == PS_OK; i++) {
            size_t e, col = b->ncolumns;
            char *name = ps_name_with_elements(
                in->ref.var, (const char *const *)s.names + i * s.ndims,
                s.ndims);
            if ((st = element_of(prog, var, &s, i, &e, err)) != PS_OK) {
                free(name);
                break;
            }
            if ((st = add_column(b, ccap, sc, j, name, err)) == PS_OK)
                st = add_slot(b, scap, (ps_input_slot){col, var, e}, err);
        }
    }
    ps_sc_selection_free(&s);
    return st;
}

/* The scenario's correlations, between the columns of inputs drawn once
   (inputs drawn per element have none). */
static ps_status bind_correlation(ps_sc_binding *b, const ps_scenario *sc,
                                  ps_error *err)
{
    size_t k = b->ncolumns;
    if (!sc->correlation || k == 0)
        return PS_OK;
    b->correlation = calloc(k * k, sizeof *b->correlation);
    if (!b->correlation)
        return nomem(err);
    for (size_t a = 0; a < k; a++)
        for (size_t c = 0; c < k; c++) {
            size_t ia = b->columns[a].input, ic = b->columns[c].input;
            b->correlation[a * k + c] =
                a == c ? 1
                : sc->inputs[ia].per_element || sc->inputs[ic].per_element
                    ? 0
                    : sc->correlation[ia * sc->ninputs + ic];
        }
    return PS_OK;
}

/* Each target's variable and element, and its name as Vensim writes
   it. */
static ps_status bind_targets(ps_sc_binding *b, const ps_scenario *sc,
                              const ps_model *model, const ps_program *prog,
                              ps_error *err)
{
    size_t n = sc->ntargets ? sc->ntargets : 1;
    b->target_var = calloc(n, sizeof *b->target_var);
    b->target_elem = calloc(n, sizeof *b->target_elem);
    b->target_names = calloc(n, sizeof *b->target_names);
    if (!b->target_var || !b->target_elem || !b->target_names)
        return nomem(err);
    b->ntargets = sc->ntargets;
    ps_status st = PS_OK;
    for (size_t i = 0; i < sc->ntargets && st == PS_OK; i++) {
        ps_sc_selection s;
        if ((st = ps_scenario_select(sc, &sc->targets[i].ref, model, &s,
                                     err)) != PS_OK)
            break;
        st = find_var(prog, sc->targets[i].ref.var, &b->target_var[i], err);
        if (st == PS_OK)
            st = element_of(prog, b->target_var[i], &s, 0, &b->target_elem[i],
                            err);
        if (st == PS_OK) {
            b->target_names[i] = ps_program_element_name(prog, b->target_var[i],
                                                         b->target_elem[i]);
            if (!b->target_names[i])
                st = nomem(err);
        }
        ps_sc_selection_free(&s);
    }
    return st;
}

/* The program variable and element of a ref naming one element. */
static ps_status bind_one(const ps_scenario *sc, const ps_sc_ref *ref,
                          const ps_model *model, const ps_program *prog,
                          size_t *var, size_t *elem, ps_error *err)
{
    ps_sc_selection s;
    ps_status st = ps_scenario_select(sc, ref, model, &s, err);
    if (st != PS_OK)
        return st;
    st = find_var(prog, ref->var, var, err);
    if (st == PS_OK)
        st = element_of(prog, *var, &s, 0, elem, err);
    ps_sc_selection_free(&s);
    return st;
}

/* Each observed series' variable and element, and a share's
   denominator's (SIZE_MAX for other kinds). */
static ps_status bind_observed(ps_sc_binding *b, const ps_scenario *sc,
                               const ps_model *model, const ps_program *prog,
                               ps_error *err)
{
    size_t n = sc->observed ? sc->observed->nseries : 0;
    b->obs_var = calloc(n + 1, sizeof *b->obs_var);
    b->obs_elem = calloc(n + 1, sizeof *b->obs_elem);
    b->obs_of_var = calloc(n + 1, sizeof *b->obs_of_var);
    b->obs_of_elem = calloc(n + 1, sizeof *b->obs_of_elem);
    if (!b->obs_var || !b->obs_elem || !b->obs_of_var || !b->obs_of_elem)
        return nomem(err);
    b->nobserved = n;
    ps_status st = PS_OK;
    for (size_t i = 0; i < n && st == PS_OK; i++) {
        const ps_sc_obs_series *s = &sc->observed->series[i];
        b->obs_of_var[i] = b->obs_of_elem[i] = SIZE_MAX;
        st = bind_one(sc, &s->ref, model, prog, &b->obs_var[i], &b->obs_elem[i],
                      err);
        if (st == PS_OK && s->kind == PS_OBS_SHARE)
            st = bind_one(sc, &s->of_ref, model, prog, &b->obs_of_var[i],
                          &b->obs_of_elem[i], err);
    }
    return st;
}

ps_status ps_scenario_bind(const ps_scenario *sc, const ps_model *model,
                           const ps_program *prog, ps_sc_binding *out,
                           ps_error *err)
{
    memset(out, 0, sizeof *out);
    size_t ccap = 0, scap = 0;
    ps_status st = PS_OK;
    for (size_t j = 0; j < sc->ninputs && st == PS_OK; j++)
        st = bind_input(out, &ccap, &scap, sc, j, model, prog, err);
    if (st == PS_OK)
        st = bind_correlation(out, sc, err);
    if (st == PS_OK)
        st = bind_targets(out, sc, model, prog, err);
    if (st == PS_OK)
        st = bind_observed(out, sc, model, prog, err);
    if (st != PS_OK)
        ps_sc_binding_free(out);
    return st;
}

void ps_sc_binding_free(ps_sc_binding *b)
{
    if (!b)
        return;
    for (size_t j = 0; j < b->ncolumns; j++)
        free(b->columns[j].name);
    free(b->columns);
    free(b->correlation);
    free(b->slots);
    for (size_t i = 0; b->target_names && i < b->ntargets; i++)
        free(b->target_names[i]);
    free(b->target_names);
    free(b->target_var);
    free(b->target_elem);
    free(b->obs_var);
    free(b->obs_elem);
    free(b->obs_of_var);
    free(b->obs_of_elem);
    memset(b, 0, sizeof *b);
}
