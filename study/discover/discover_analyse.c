/*
 * plansim discover, the analysis: reads the target and the runs of an
 * ensemble file (ps_h5_discover_read), runs PRIM for one box or two (the
 * second in the runs outside the first) and the Kolmogorov-Smirnov
 * factor ranking (plansim/discover.h).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "plansim_study/discover.h"

void disc_run_free(disc_run *r)
{
    for (size_t b = 0; b < DISC_MAX_BOXES; b++) {
        ps_prim_trajectory_free(&r->box[b].t);
        free(r->box[b].p_lo);
        free(r->box[b].p_hi);
    }
    free(r->factors);
    free(r->y);
    free(r->discrete);
    ps_h5_discover_free(&r->h);
}

/* Bad data about `path`: PS_ERR_DATA in *err. */
static ps_status fail_data(ps_error *err, const char *path, const char *fmt,
                           ...) __attribute__((format(printf, 3, 4)));

static ps_status fail_data(ps_error *err, const char *path, const char *fmt,
                           ...)
{
    va_list ap;
    va_start(ap, fmt);
    ps_status st = ps_error_vset(err, PS_ERR_DATA, path, 0, 0, fmt, ap);
    va_end(ap);
    return st;
}

static ps_status nomem(ps_error *err)
{
    return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

/* Is the input discrete?  Its distribution in the file says so. */
static int is_discrete(const ps_h5_discover_input *in)
{
    return strncmp(in->distribution, "discrete", 8) == 0;
}

/* Finds box b on the runs in `active` (NULL: all): its trajectory, the
   chosen step, its p-values. */
static ps_status find_box(disc_run *r, size_t b, const unsigned char *active,
                          ps_error *err)
{
    const disc_options *a = r->a;
    disc_box *x = &r->box[b];
    ps_status st = ps_prim_find(&r->d, active, &a->prim, &x->t, err);
    if (st == PS_OK && a->have_pick[b]) {
        x->chosen = a->pick[b];
        if (x->chosen >= x->t->nboxes) {
            r->bad_pick = 1;
            return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                "--box: trajectory %zu has steps 0 to %zu, "
                                "not %zu",
                                b + 1, x->t->nboxes - 1, x->chosen);
        }
    } else if (st == PS_OK) {
        st = ps_prim_choose(&r->d, x->t, a->min_coverage, a->max_p, &x->chosen,
                            err);
    }
    if (st != PS_OK)
        return st;
    x->p_lo = malloc(r->d.k * sizeof *x->p_lo);
    x->p_hi = malloc(r->d.k * sizeof *x->p_hi);
    if (!x->p_lo || !x->p_hi)
        return nomem(err);
    return ps_prim_quasi_p(&r->d, x->t, x->chosen, x->p_lo, x->p_hi, err);
}

ps_status disc_analyse(disc_run *r, const study_hooks *hooks, ps_error *err)
{
    const disc_options *a = r->a;
    if (hooks && hooks->read_begin)
        hooks->read_begin(hooks->ctx, a->file);
    ps_status st = ps_h5_discover_read(a->file, a->target, &r->h, err);
    if (hooks && hooks->read_end)
        hooks->read_end(hooks->ctx);
    if (st != PS_OK)
        return st;
    ps_h5_discover_data *h = r->h;
    if (h->ninputs == 0)
        return fail_data(err, a->file,
                         "the ensemble has no uncertain inputs: "
                         "nothing to discover");
    if (h->n == 0)
        return fail_data(err, a->file,
                         "target '%s': no ok run has a value (%lld ok runs "
                         "of %lld)",
                         h->target, h->runs_ok, h->runs);
    r->y = malloc(h->n);
    r->discrete = malloc(h->ninputs);
    if (!r->y || !r->discrete)
        return nomem(err);
    for (size_t i = 0; i < h->n; i++) {
        r->y[i] = (unsigned char)(h->met[i] != a->missed);
        r->cases += r->y[i];
    }
    if (r->cases == 0 || r->cases == h->n)
        return fail_data(
            err, a->file,
            "target '%s' is %s in every one of the %zu usable "
            "runs: there is nothing to discover",
            h->target, (r->cases == 0) == !a->missed ? "missed" : "met", h->n);
    for (size_t j = 0; j < h->ninputs; j++)
        r->discrete[j] = (unsigned char)is_discrete(&h->inputs[j]);
    r->d = (ps_discover_data){h->n, h->ninputs, h->x, r->y, r->discrete};

    st = find_box(r, 0, NULL, err);
    if (st != PS_OK)
        return st;
    r->nboxes = 1;
    if (a->nboxes > 1) {
        /* The second box searches the runs outside the first. */
        unsigned char *rest = malloc(h->n);
        if (!rest)
            return nomem(err);
        ps_prim_members(&r->d, r->box[0].t, r->box[0].chosen, rest);
        size_t left = 0;
        for (size_t i = 0; i < h->n; i++) {
            rest[i] = !rest[i];
            left += rest[i] && r->y[i];
        }
        if (left > 0) {
            st = find_box(r, 1, rest, err);
            r->nboxes = 2;
        } else if (a->have_pick[1]) {
            r->bad_pick = 1;
            st = ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                              "--box: there is no second box (every case "
                              "of interest is in the first)");
        }
        free(rest);
        if (st != PS_OK)
            return st;
    }
    r->factors = malloc(h->ninputs * sizeof *r->factors);
    if (!r->factors)
        return nomem(err);
    st = ps_ks_factors(&r->d, r->factors, err);
    if (st == PS_OK)
        ps_ks_rank(r->factors, h->ninputs);
    return st;
}
