/*
 * Reading the merged tree into a ps_scenario: the top level, the run
 * settings (time, method, tolerance, sampling) and the saved variables.
 * Fixed values, levers, uncertain inputs, correlations, targets and
 * observed data have files of their own.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/integ.h"
#include "plansim/names.h"
#include "scenario_impl.h"

/* Defaults of the sampling design. */
#define DEFAULT_RUNS 1000
#define DEFAULT_SEED 0

static const char *const top_keys[] = {
    "title",        "description", "model",    "extends", "time",
    "method",       "tolerance",   "fixed",    "levers",  "uncertain",
    "correlations", "correlation", "sampling", "save",    "targets",
    "observed",     NULL};

static ps_status read_model(sc_loader *ld, const ynode *root)
{
    ps_scenario *sc = ld->sc;
    const ynode *v = sc_get(root, "model", NULL);
    if (!v) {
        ps_sc_where w = {sc->files[0], {1, 1}, 1};
        return sc_fail_at(ld, &w, PS_ERR_DATA,
                          "the scenario names no model (add 'model: "
                          "path/to/model.mdl')");
    }
    char *rel = NULL;
    ps_status st = sc_text(ld, v, &rel);
    if (st)
        return st;
    sc->model_path = sc_resolve_path(v->where.file, rel);
    free(rel);
    if (!sc->model_path)
        return sc_nomem(ld);
    sc->model_where = v->where;
    return PS_OK;
}

static ps_status read_time(sc_loader *ld, const ynode *root)
{
    static const char *const keys[] = {"initial", "final", "step", "saveper",
                                       NULL};
    ps_scenario *sc = ld->sc;
    const ynode *t = sc_get(root, "time", NULL);
    if (!t)
        return PS_OK;
    ps_status st = sc_expect_map(ld, t,
                                 "a mapping of time settings "
                                 "(initial:, final:, step:, "
                                 "saveper:)");
    if (st || (st = sc_check_keys(ld, t, keys, "in 'time'")))
        return st;
    int *has[] = {&sc->has_initial_time, &sc->has_final_time,
                  &sc->has_time_step, &sc->has_saveper};
    double *val[] = {&sc->initial_time, &sc->final_time, &sc->time_step,
                     &sc->saveper};
    ps_sc_where *where[] = {&sc->initial_where, &sc->final_where,
                            &sc->step_where, &sc->saveper_where};
    const ynode *node[4];
    for (int i = 0; i < 4; i++) {
        node[i] = sc_get(t, keys[i], NULL);
        if (!node[i])
            continue;
        if ((st = sc_number(ld, node[i], val[i])))
            return st;
        *has[i] = 1;
        *where[i] = node[i]->where;
    }
    if (node[2] && !(sc->time_step > 0))
        return sc_fail(ld, node[2], "the time step must be positive");
    if (node[3] && !(sc->saveper > 0))
        return sc_fail(ld, node[3], "saveper must be positive");
    if (node[0] && node[1] && !(sc->final_time > sc->initial_time))
        return sc_fail(ld, node[1],
                       "the final time (%g) must come after the initial "
                       "time (%g)",
                       sc->final_time, sc->initial_time);
    return PS_OK;
}

static ps_status read_method(sc_loader *ld, const ynode *root)
{
    const ynode *v = sc_get(root, "method", NULL);
    if (!v)
        return PS_OK;
    char *name = NULL;
    ps_status st = sc_text(ld, v, &name);
    if (st)
        return st;
    const ps_stepper_type *type = ps_stepper_type_find(name);
    if (type) {
        free(name);
        ld->sc->method = strdup(type->name);
        return ld->sc->method ? PS_OK : sc_nomem(ld);
    }
    const ps_stepper_type *const *all = ps_stepper_types();
    const char *names[16];
    size_t n = 0;
    char list[256] = "";
    size_t used = 0;
    for (; all[n] && n < 16; n++) {
        names[n] = all[n]->name;
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
                                 n ? ", " : "", all[n]->name);
    }
    char hint[96];
    sc_suggestion(name, names, n, hint, sizeof hint);
    st = sc_fail(ld, v, "unknown method '%s'%s (one of: %s)", name, hint, list);
    free(name);
    return st;
}

static ps_status read_tolerance(sc_loader *ld, const ynode *root)
{
    static const char *const keys[] = {"absolute", "relative", NULL};
    const ynode *t = sc_get(root, "tolerance", NULL);
    if (!t)
        return PS_OK;
    ps_status st = sc_expect_map(ld, t, "a mapping (absolute:, relative:)");
    if (st || (st = sc_check_keys(ld, t, keys, "in 'tolerance'")))
        return st;
    double *val[] = {&ld->sc->abs_tol, &ld->sc->rel_tol};
    for (int i = 0; i < 2; i++) {
        const ynode *v = sc_get(t, keys[i], NULL);
        if (!v)
            continue;
        if ((st = sc_number(ld, v, val[i])))
            return st;
        if (!(*val[i] > 0))
            return sc_fail(ld, v, "a tolerance must be positive");
    }
    return PS_OK;
}

static ps_status read_sampling(sc_loader *ld, const ynode *root)
{
    static const char *const keys[] = {"method", "runs", "seed", NULL};
    ps_scenario *sc = ld->sc;
    const ynode *s = sc_get(root, "sampling", NULL);
    if (!s)
        return PS_OK;
    ps_status st = sc_expect_map(ld, s, "a mapping (method:, runs:, seed:)");
    if (st || (st = sc_check_keys(ld, s, keys, "in 'sampling'")))
        return st;
    const ynode *v = sc_get(s, "method", NULL);
    if (v) {
        char *name = NULL;
        if ((st = sc_text(ld, v, &name)))
            return st;
        char norm[32];
        sc_key_norm(name, norm, sizeof norm);
        if (ps_design_method_from_name(norm, &sc->sampling) != 0) {
            const char *names[] = {ps_design_method_name(PS_DESIGN_MC),
                                   ps_design_method_name(PS_DESIGN_LHS),
                                   ps_design_method_name(PS_DESIGN_SOBOL)};
            char hint[96];
            sc_suggestion(norm, names, 3, hint, sizeof hint);
            st = sc_fail(ld, v,
                         "unknown sampling method '%s'%s (one of: %s, %s, "
                         "%s)",
                         name, hint, names[0], names[1], names[2]);
            free(name);
            return st;
        }
        free(name);
    }
    uint64_t u;
    if ((v = sc_get(s, "runs", NULL))) {
        if ((st = sc_uint(ld, v, 1, &u)))
            return st;
        if (u > PS_SC_MAX_RUNS || u > SIZE_MAX)
            return sc_fail(ld, v, "too many runs: at most %llu",
                           PS_SC_MAX_RUNS);
        sc->runs = (size_t)u;
        sc->runs_where = v->where;
    }
    if ((v = sc_get(s, "seed", NULL))) {
        if ((st = sc_uint(ld, v, 0, &u)))
            return st;
        sc->seed = u;
    }
    return PS_OK;
}

/* A Sobol' design has a largest number of inputs. */
static ps_status check_design(sc_loader *ld, const ynode *root)
{
    ps_scenario *sc = ld->sc;
    if (sc->sampling != PS_DESIGN_SOBOL ||
        sc->ninputs <= ps_design_sobol_max_dim())
        return PS_OK;
    const ynode *v = sc_get(sc_get(root, "sampling", NULL), "method", NULL);
    return sc_fail(ld, v,
                   "a sobol design supports at most %zu uncertain inputs; "
                   "the scenario has %zu (use lhs)",
                   ps_design_sobol_max_dim(), sc->ninputs);
}

static ps_status read_save(sc_loader *ld, const ynode *root)
{
    ps_scenario *sc = ld->sc;
    const ynode *s = sc_get(root, "save", NULL);
    if (!s)
        return PS_OK;
    /* a single name may stand for a list of one */
    size_t n = s->kind == Y_SEQ ? s->n : 1;
    if (s->kind == Y_MAP)
        return sc_expect_seq(ld, s, "a list of variable names");
    sc->save = calloc(n + 1, sizeof *sc->save);
    sc->save_where = calloc(n + 1, sizeof *sc->save_where);
    if (!sc->save || !sc->save_where)
        return sc_nomem(ld);
    for (size_t i = 0; i < n; i++) {
        const ynode *v = s->kind == Y_SEQ ? s->vals[i] : s;
        ps_status st = sc_name(ld, v, &sc->save[i]);
        if (st)
            return st;
        sc->nsave++;
        if (strchr(sc->save[i], '['))
            return sc_fail(ld, v,
                           "'save:' names whole variables (every element "
                           "of a subscripted one is saved): leave out the "
                           "subscripts");
        sc->save_where[i] = v->where;
    }
    keyed *k = calloc(n + 1, sizeof *k);
    int ok = k != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        k[i] = (keyed){ps_name_key(sc->save[i], strlen(sc->save[i])), i};
        ok = k[i].key != NULL;
    }
    size_t f, r;
    ps_status st = !ok ? sc_nomem(ld)
                   : !sc_first_repeat(k, n, &f, &r)
                       ? PS_OK
                       : sc_fail_at(ld, &sc->save_where[r], PS_ERR_DATA,
                                    "'%s' is already "
                                    "saved (line %d)",
                                    sc->save[r], sc->save_where[f].loc.line);
    sc_keyed_free(k, n);
    return st;
}

/*
 * `title:` or `description:`: a string for every language, or a mapping
 * of language (zh:, en:) to text.  *text is the string, or the mapping's
 * zh: text (its en: text when it has no zh:); *zh and *en are the
 * mapping's texts, left NULL for a string or a language not given.
 */
static ps_status read_lang_text(sc_loader *ld, const ynode *root,
                                const char *key, char **text, char **zh,
                                char **en)
{
    static const char *const langs[] = {"zh", "en", NULL};
    const ynode *v = sc_get(root, key, NULL);
    if (!v)
        return PS_OK;
    if (v->kind != Y_MAP)
        return sc_text(ld, v, text);
    char what[64];
    snprintf(what, sizeof what, "in '%s' (a text per language)", key);
    ps_status st = sc_check_keys(ld, v, langs, what);
    if (st)
        return st;
    if (v->n == 0)
        return sc_fail(ld, v,
                       "'%s' is an empty mapping (give a string, or zh: "
                       "and en: texts)",
                       key);
    const ynode *z = sc_get(v, "zh", NULL), *e = sc_get(v, "en", NULL);
    if ((z && (st = sc_text(ld, z, zh))) || (e && (st = sc_text(ld, e, en))))
        return st;
    char *s = strdup(*zh ? *zh : *en);
    if (!s)
        return sc_nomem(ld);
    free(*text);
    *text = s;
    return PS_OK;
}

ps_status sc_build(sc_loader *ld, const ynode *root)
{
    ps_scenario *sc = ld->sc;
    sc->sampling = PS_DESIGN_LHS;
    sc->runs = DEFAULT_RUNS;
    sc->seed = DEFAULT_SEED;
    const ynode *matrix = sc_get(root, SC_CORRELATION, NULL);
    const ynode *pairs = sc_get(root, SC_CORRELATIONS, NULL);
    ps_status st = sc_check_keys(ld, root, top_keys, "in the scenario");
    if (!st)
        st = read_lang_text(ld, root, "title", &sc->title, &sc->title_zh,
                            &sc->title_en);
    if (!st)
        st = read_lang_text(ld, root, "description", &sc->description,
                            &sc->description_zh, &sc->description_en);
    if (!st)
        st = read_model(ld, root);
    if (!st)
        st = read_time(ld, root);
    if (!st)
        st = read_method(ld, root);
    if (!st)
        st = read_tolerance(ld, root);
    if (!st)
        st = read_sampling(ld, root);
    if (!st && sc_get(root, SC_FIXED, NULL))
        st = sc_build_fixed(ld, sc_get(root, SC_FIXED, NULL));
    if (!st && sc_get(root, SC_LEVERS, NULL))
        st = sc_build_levers(ld, sc_get(root, SC_LEVERS, NULL));
    if (!st && sc_get(root, SC_UNCERTAIN, NULL))
        st = sc_build_inputs(ld, sc_get(root, SC_UNCERTAIN, NULL));
    if (!st)
        st = check_design(ld, root);
    if (!st && (matrix || pairs))
        st = sc_build_correlation(ld, matrix, pairs);
    if (!st)
        st = read_save(ld, root);
    if (!st && sc_get(root, SC_TARGETS, NULL))
        st = sc_build_targets(ld, sc_get(root, SC_TARGETS, NULL));
    ynode *observed_key;
    const ynode *observed = sc_get(root, SC_OBSERVED, &observed_key);
    if (!st && observed)
        st = sc_build_observed(ld, observed_key, observed);
    return st;
}
