/*
 * ps_rng_gsl_type: a gsl_rng_type that walks the draws of one address, so
 * gsl_ran_* distributions can sample from addressed streams.
 */
#include "rng_impl.h"

#include <stdlib.h>

typedef struct philox_state {
    ps_rng_address addr;
    uint64_t index;       /* next draw to hand out                     */
    uint64_t block_no;    /* which Philox block `block` holds          */
    int block_valid;      /* 0 until `block` is filled for `block_no`  */
    uint64_t block[4];
} philox_state;

/* The draw at s->index, then advance; one Philox call per four draws. */
static uint64_t next_bits(philox_state *s)
{
    uint64_t b = s->index >> 2;
    if (!s->block_valid || s->block_no != b) {
        ps__rng_block(&s->addr, b, s->block);
        s->block_no = b;
        s->block_valid = 1;
    }
    return s->block[s->index++ & 3];
}

static void state_seek(philox_state *s, const ps_rng_address *addr,
                       uint64_t index)
{
    if (addr != NULL) {
        s->addr = *addr;
        s->block_valid = 0;
    }
    s->index = index;
}

static void philox_set(void *vstate, unsigned long int seed)
{
    philox_state *s = vstate;
    ps_rng_address a = s->addr;
    a.stream = (uint64_t)seed;
    state_seek(s, &a, 0);
}

static unsigned long int philox_get(void *vstate)
{
    return (unsigned long int)(next_bits(vstate) >> 32);
}

static double philox_get_double(void *vstate)
{
    return ps__rng_to_uniform(next_bits(vstate));
}

static const gsl_rng_type philox_type = {
    "plansim-philox",       /* name */
    UINT32_MAX,             /* max  */
    0,                      /* min  */
    sizeof(philox_state),   /* size */
    philox_set,
    philox_get,
    philox_get_double,
};

const gsl_rng_type *const ps_rng_gsl_type = &philox_type;

gsl_rng *ps_rng_gsl_alloc(const ps_rng_address *addr)
{
    if (addr == NULL)
        return NULL;
    /* Built by hand rather than with gsl_rng_alloc, whose out-of-memory
       path calls GSL's error handler (abort by default).  gsl_rng_free
       releases both blocks with free(). */
    gsl_rng *r = malloc(sizeof *r);
    philox_state *s = calloc(1, sizeof *s);
    if (r == NULL || s == NULL) {
        free(r);
        free(s);
        return NULL;
    }
    r->type = ps_rng_gsl_type;
    r->state = s;
    state_seek(s, addr, 0);
    return r;
}

void ps_rng_gsl_seek(gsl_rng *r, const ps_rng_address *addr, uint64_t index)
{
    if (r == NULL || r->type != ps_rng_gsl_type)
        return;
    state_seek(r->state, addr, index);
}
