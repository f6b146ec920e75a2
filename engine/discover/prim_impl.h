/*
 * Private to PRIM: the state of one search, shared by peeling (prim.c)
 * and pasting (prim_paste.c).
 */
#ifndef PS_PRIM_IMPL_H
#define PS_PRIM_IMPL_H

#include <stddef.h>

#include "plansim/discover.h"

typedef struct prim_state {
    const ps_discover_data *d;
    const ps_prim_options *o;
    ps_prim_trajectory *t; /* the trajectory being built             */
    size_t cap;            /* boxes allocated in t->boxes            */
    unsigned char *in;     /* [n] 1 for searched runs in the box     */
    size_t m, hits;        /* runs in the box, cases of interest     */
    double *lo, *hi;       /* [k] the current limits                 */
    size_t **order;        /* peeling: [k][m] the box's runs sorted
                              by each input (ties by run index)     */
} prim_state;

/* Input j of run i. */
static inline double prim_x(const ps_discover_data *d, size_t i, size_t j)
{
    return d->x[i * d->k + j];
}

/* Is the input discrete (its limits sit on its values)? */
static inline int prim_discrete(const ps_discover_data *d, size_t j)
{
    return d->discrete && d->discrete[j];
}

/* Inputs whose limits lo, hi are inside the range of all the data. */
size_t prim_restricted(const ps_prim_trajectory *t, const double *lo,
                       const double *hi);

/* Appends the current box to the trajectory, made by moving the lower
   (upper 0) or upper limit of `input`.  0, or -1 when out of memory. */
int prim_push(prim_state *s, ps_prim_move move, size_t input, int upper);

/* Pastes the current box until no widening raises its density, pushing
   each step.  0, or -1 when out of memory. */
int prim_paste(prim_state *s);

#endif
