/*
 * plansim discover, the analysis: reads the target and the runs of an
 * ensemble file (ps_h5_discover_read), runs PRIM for one box or two (the
 * second in the runs outside the first) and the Kolmogorov-Smirnov
 * factor ranking (plansim/discover.h).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "discover_cli.h"
#include "read_watchdog.h"

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

/* Reports bad data about `path`; returns its exit status (65). */
static int fail_data(const char *path, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int fail_data(const char *path, const char *fmt, ...)
{
    ps_error err;
    va_list ap;
    va_start(ap, fmt);
    ps_error_vset(&err, PS_ERR_DATA, path, 0, 0, fmt, ap);
    va_end(ap);
    return cli_fail(&err);
}

int disc_out_of_memory(void)
{
    ps_error err;
    ps_error_set(&err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return cli_fail(&err);
}

/* Is the input discrete?  Its distribution in the file says so. */
static int is_discrete(const ps_h5_discover_input *in)
{
    return strncmp(in->distribution, "discrete", 8) == 0;
}

/* Finds box b on the runs in `active` (NULL: all): its trajectory, the
   chosen step, its p-values.  0, or an exit status. */
static int find_box(disc_run *r, size_t b, const unsigned char *active)
{
    const disc_args *a = r->a;
    disc_box *x = &r->box[b];
    ps_error err;
    ps_status st = ps_prim_find(&r->d, active, &a->prim, &x->t, &err);
    if (st == PS_OK && a->have_pick[b]) {
        x->chosen = a->pick[b];
        if (x->chosen >= x->t->nboxes)
            return cli_usage_error(&cli_discover,
                                   "--box: trajectory %zu has steps 0 to %zu, "
                                   "not %zu",
                                   b + 1, x->t->nboxes - 1, x->chosen);
    } else if (st == PS_OK) {
        st = ps_prim_choose(&r->d, x->t, a->min_coverage, a->max_p,
                            &x->chosen, &err);
    }
    if (st != PS_OK)
        return cli_fail(&err);
    x->p_lo = malloc(r->d.k * sizeof *x->p_lo);
    x->p_hi = malloc(r->d.k * sizeof *x->p_hi);
    if (!x->p_lo || !x->p_hi)
        return disc_out_of_memory();
    st = ps_prim_quasi_p(&r->d, x->t, x->chosen, x->p_lo, x->p_hi, &err);
    return st == PS_OK ? 0 : cli_fail(&err);
}

int disc_analyse(disc_run *r)
{
    const disc_args *a = r->a;
    ps_error err;
    cli_watchdog w;
    cli_watchdog_begin(&w, a->file, a->read_timeout);
    ps_status st = ps_h5_discover_read(a->file, a->target, &r->h, &err);
    cli_watchdog_end(&w);
    if (st != PS_OK)
        return cli_fail(&err);
    ps_h5_discover_data *h = r->h;
    if (h->ninputs == 0)
        return fail_data(a->file, "the ensemble has no uncertain inputs: "
                                  "nothing to discover");
    if (h->n == 0)
        return fail_data(a->file,
                         "target '%s': no ok run has a value (%lld ok runs "
                         "of %lld)",
                         h->target, h->runs_ok, h->runs);
    r->y = malloc(h->n);
    r->discrete = malloc(h->ninputs);
    if (!r->y || !r->discrete)
        return disc_out_of_memory();
    for (size_t i = 0; i < h->n; i++) {
        r->y[i] = (unsigned char)(h->met[i] != a->missed);
        r->cases += r->y[i];
    }
    if (r->cases == 0 || r->cases == h->n)
        return fail_data(a->file,
                         "target '%s' is %s in every one of the %zu usable "
                         "runs: there is nothing to discover",
                         h->target,
                         (r->cases == 0) == !a->missed ? "missed" : "met",
                         h->n);
    for (size_t j = 0; j < h->ninputs; j++)
        r->discrete[j] = (unsigned char)is_discrete(&h->inputs[j]);
    r->d = (ps_discover_data){h->n, h->ninputs, h->x, r->y, r->discrete};

    int rc = find_box(r, 0, NULL);
    if (rc)
        return rc;
    r->nboxes = 1;
    if (a->nboxes > 1) {
        /* The second box searches the runs outside the first. */
        unsigned char *rest = malloc(h->n);
        if (!rest)
            return disc_out_of_memory();
        ps_prim_members(&r->d, r->box[0].t, r->box[0].chosen, rest);
        size_t left = 0;
        for (size_t i = 0; i < h->n; i++) {
            rest[i] = !rest[i];
            left += rest[i] && r->y[i];
        }
        if (left > 0) {
            rc = find_box(r, 1, rest);
            r->nboxes = 2;
        } else if (a->have_pick[1]) {
            rc = cli_usage_error(&cli_discover,
                                 "--box: there is no second box (every case "
                                 "of interest is in the first)");
        }
        free(rest);
        if (rc)
            return rc;
    }
    r->factors = malloc(h->ninputs * sizeof *r->factors);
    if (!r->factors)
        return disc_out_of_memory();
    if (ps_ks_factors(&r->d, r->factors, &err) != PS_OK)
        return cli_fail(&err);
    ps_ks_rank(r->factors, h->ninputs);
    return 0;
}
