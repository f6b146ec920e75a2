/*
 * plansim-bench: the generated model (gen2000.h) written by hand in C, as
 * one would write a sectoral model: loops over arrays of sectors.
 *
 * Every auxiliary is computed from the same operands in the same order of
 * operations as its equation in the generated text, and stored.  The
 * engine orders the equations differently (by dependency, sector by
 * sector); the values do not depend on that order.
 *
 * The state vector y holds, for sector i, y[3i] capital, y[3i+1]
 * workforce and y[3i+2] the hidden stock of SMOOTH(demand, tau).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "gen2000.h"
#include "native_lookup.h"

#define N GEN2000_SECTORS

/* Per-sector values, in the order of a sector's equations (gen2000.h);
   the two stocks come first. */
enum {
    V_CAPITAL,
    V_WORKFORCE,
    V_OUTPUT,
    V_DEMAND,
    V_EXPECTED_DEMAND,
    V_CAPACITY_PRESSURE,
    V_INVESTMENT_EFFECT,
    V_INVESTMENT,
    V_DESIRED_WORKFORCE,
    V_HIRING,
    NSECTOR_VALUES
};

static const char *const sector_value_names[NSECTOR_VALUES] = {
    "capital",           "workforce",         "output",
    "demand",            "expected demand",   "capacity pressure",
    "investment effect", "investment",        "desired workforce",
    "hiring"};

struct native_model {
    gen_sector p[N];
    double regional_output, regional_growth;
    /* The auxiliaries of every sector (stocks are read from y). */
    double output[N], demand[N], expected_demand[N], capacity_pressure[N],
        investment_effect[N], investment[N], desired_workforce[N], hiring[N];
};

static native_model *gen_create(void)
{
    native_model *m = calloc(1, sizeof *m);
    if (m)
        gen2000_parameters(m->p, N);
    return m;
}

static void gen_destroy(native_model *m)
{
    free(m);
}

static size_t gen_dim(const native_model *m)
{
    return 3 * N;
}

static void gen_rhs(native_model *m, double t, const double y[],
                    double dydt[])
{
    const gen_sector *p = m->p;
    for (size_t i = 0; i < N; i++)
        m->output[i] = p[i].tfp * pow(y[3 * i], p[i].alpha) *
                       pow(y[3 * i + 1], p[i].beta);
    double regional = m->output[0];
    for (size_t i = 1; i < N; i++)
        regional += m->output[i];
    m->regional_output = regional;
    m->regional_growth =
        exp(GEN2000_REGIONAL_GROWTH * (t - GEN2000_INITIAL_TIME));
    for (size_t i = 0; i < N; i++) {
        double capital = y[3 * i], workforce = y[3 * i + 1];
        double smoothed = y[3 * i + 2];
        double demand = p[i].share * m->regional_output * m->regional_growth +
                        p[i].a * m->output[p[i].prev] +
                        p[i].b * m->output[p[i].link];
        double pressure = smoothed / m->output[i];
        double effect = native_lookup(gen2000_table_x,
                                      gen2000_table_y[p[i].table],
                                      GEN2000_TABLE_POINTS, pressure);
        double investment = p[i].iota * m->output[i] * effect;
        double desired =
            workforce * (pressure > 1.2 ? 1.2 : fmax(0.8, pressure));
        double hiring = (desired - workforce) / p[i].hire_time;
        m->demand[i] = demand;
        m->expected_demand[i] = smoothed;
        m->capacity_pressure[i] = pressure;
        m->investment_effect[i] = effect;
        m->investment[i] = investment;
        m->desired_workforce[i] = desired;
        m->hiring[i] = hiring;
        dydt[3 * i] = investment - capital * p[i].delta;
        dydt[3 * i + 1] = hiring;
        dydt[3 * i + 2] = (demand - smoothed) / p[i].tau;
    }
}

static void gen_init(native_model *m, double y[])
{
    for (size_t i = 0; i < N; i++) {
        y[3 * i] = m->p[i].k0;
        y[3 * i + 1] = m->p[i].l0;
        y[3 * i + 2] = 1; /* any value: demand does not read it */
    }
    /* Each SMOOTH starts at its input, the demand at INITIAL TIME. */
    double *dydt = malloc(3 * N * sizeof *dydt);
    if (!dydt) {
        for (size_t i = 0; i < N; i++)
            y[3 * i + 2] = NAN; /* reported by the agreement check */
        return;
    }
    gen_rhs(m, GEN2000_INITIAL_TIME, y, dydt);
    free(dydt);
    for (size_t i = 0; i < N; i++)
        y[3 * i + 2] = m->demand[i];
}

static size_t gen_nvalues(const native_model *m)
{
    return 2 + N * NSECTOR_VALUES;
}

static const char *gen_value_name(const native_model *m, size_t i, char *buf,
                                  size_t size)
{
    if (i < 2)
        snprintf(buf, size, "%s", i == 0 ? "regional output"
                                         : "regional growth");
    else
        snprintf(buf, size, "s%03zu %s", (i - 2) / NSECTOR_VALUES,
                 sector_value_names[(i - 2) % NSECTOR_VALUES]);
    return buf;
}

static double gen_value(const native_model *m, const double y[], size_t i)
{
    if (i < 2)
        return i == 0 ? m->regional_output : m->regional_growth;
    size_t s = (i - 2) / NSECTOR_VALUES;
    switch ((i - 2) % NSECTOR_VALUES) {
    case V_CAPITAL:
        return y[3 * s];
    case V_WORKFORCE:
        return y[3 * s + 1];
    case V_OUTPUT:
        return m->output[s];
    case V_DEMAND:
        return m->demand[s];
    case V_EXPECTED_DEMAND:
        return m->expected_demand[s];
    case V_CAPACITY_PRESSURE:
        return m->capacity_pressure[s];
    case V_INVESTMENT_EFFECT:
        return m->investment_effect[s];
    case V_INVESTMENT:
        return m->investment[s];
    case V_DESIRED_WORKFORCE:
        return m->desired_workforce[s];
    default:
        return m->hiring[s];
    }
}

const native_type gen2000_native = {
    .name = "gen2000",
    .initial_time = GEN2000_INITIAL_TIME,
    .final_time = GEN2000_FINAL_TIME,
    .time_step = GEN2000_TIME_STEP,
    .create = gen_create,
    .destroy = gen_destroy,
    .dim = gen_dim,
    .init = gen_init,
    .rhs = gen_rhs,
    .nvalues = gen_nvalues,
    .value_name = gen_value_name,
    .value = gen_value,
};
