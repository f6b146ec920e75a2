/*
 * plansim-bench: models/economy50.mdl written by hand in C.
 *
 * The right-hand side computes the model's auxiliaries in the order the
 * engine evaluates them (the file's order: each equation there reads only
 * equations above it), stores each one, then the stocks' net rates.  The
 * operations are those of the model text, operand for operand, so the
 * engine and this file round alike; any change to the .mdl file must be
 * made here too (the benchmark refuses to time two different models).
 *
 * The state vector y: the five model stocks in file order, then the
 * hidden stock of SMOOTH(income per capita, income perception time).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "native_lookup.h"

/* Time settings. */
#define INITIAL_TIME 2025.0
#define FINAL_TIME 2035.0
#define TIME_STEP 0.25

/* Constants. */
#define INITIAL_CAPITAL 180.0
#define INITIAL_POPULATION 2.4
#define INITIAL_PRODUCTIVITY 6.7
#define INITIAL_PUBLIC_DEBT 34.0
#define CAPITAL_SHARE 0.38
#define DEPRECIATION_RATE 0.06
#define PARTICIPATION_RATE 0.62
#define NATURAL_UNEMPLOYMENT_RATE 0.045
#define BASE_BIRTH_RATE 0.0085
#define BASE_DEATH_RATE 0.0075
#define AGEING_DRIFT 0.015
#define BASE_MIGRATION_RATE 0.01
#define BASE_PRODUCTIVITY_GROWTH 0.012
#define INNOVATION_PROGRAMME_START 2028.0
#define TAX_RATE 0.16
#define GOVERNMENT_CONSUMPTION_SHARE 0.16
#define DEBT_CEILING 0.55
#define INTEREST_RATE 0.035
#define INCOME_PERCEPTION_TIME 2.0
#define TARGET_INFLATION 0.02
#define INFLATION_RESPONSE 0.3
#define NATIONAL_INCOME_PER_CAPITA_2025 20.0
#define NATIONAL_INCOME_GROWTH 0.045
#define PROPENSITY_TO_CONSUME 0.62

/* Lookups. */
static const double migration_x[] = {0.6, 0.9, 1, 1.1, 1.4};
static const double migration_y[] = {-1, -0.4, 0, 0.4, 0.8};
static const double confidence_x[] = {-0.1, -0.05, 0, 0.05, 0.1};
static const double confidence_y[] = {0.6, 0.8, 1, 1.15, 1.25};
#define MIGRATION_RESPONSE(v) native_lookup(migration_x, migration_y, 5, (v))
#define INVESTMENT_CONFIDENCE(v)                                             \
    native_lookup(confidence_x, confidence_y, 5, (v))

/* The stocks, in y, with their model names (the SMOOTH's has none: it is
   checked through "perceived income per capita"). */
#define STOCKS(X)                                                            \
    X(CAPITAL, "Capital")                                                    \
    X(POPULATION, "Population")                                              \
    X(PRODUCTIVITY, "Productivity")                                          \
    X(GDP_DEFLATOR, "GDP deflator")                                          \
    X(PUBLIC_DEBT, "Public debt")

/* The auxiliaries evaluated each step, in evaluation order. */
#define AUXILIARIES(X)                                                       \
    X(LABOUR_FORCE, "labour force")                                          \
    X(CAPITAL_PER_WORKER, "capital per worker")                              \
    X(UNEMPLOYMENT_RATE, "unemployment rate")                                \
    X(EMPLOYMENT, "employment")                                              \
    X(REAL_GDP, "real GDP")                                                  \
    X(OUTPUT_GAP, "output gap")                                              \
    X(INFLATION_RATE, "inflation rate")                                      \
    X(PRICE_CHANGE, "price change")                                          \
    X(NOMINAL_GDP, "nominal GDP")                                            \
    X(TAX_REVENUE, "tax revenue")                                            \
    X(REAL_DISPOSABLE_INCOME, "real disposable income")                      \
    X(INCOME_PER_CAPITA, "income per capita")                                \
    X(PERCEIVED_INCOME_PER_CAPITA, "perceived income per capita")            \
    X(NATIONAL_INCOME_PER_CAPITA, "national income per capita")              \
    X(RELATIVE_INCOME, "relative income")                                    \
    X(NET_MIGRATION, "net migration")                                        \
    X(BIRTHS, "births")                                                      \
    X(DEATHS, "deaths")                                                      \
    X(CONSUMPTION, "consumption")                                            \
    X(DEBT_RATIO, "debt ratio")                                              \
    X(GOVERNMENT_CONSUMPTION, "government consumption")                      \
    X(INVESTMENT, "investment")                                              \
    X(DEPRECIATION, "depreciation")                                          \
    X(INNOVATION_BOOST, "innovation boost")                                  \
    X(PRODUCTIVITY_GROWTH, "productivity growth")                            \
    X(PUBLIC_DEFICIT, "public deficit")

#define AS_ENUM(id, name) S_##id,
enum { STOCKS(AS_ENUM) S_SMOOTH_INCOME, NSTOCKS };
#undef AS_ENUM
#define AS_ENUM(id, name) A_##id,
enum { AUXILIARIES(AS_ENUM) NAUX };
#undef AS_ENUM

#define AS_NAME(id, name) name,
static const char *const stock_names[] = {STOCKS(AS_NAME)};
static const char *const aux_names[] = {AUXILIARIES(AS_NAME)};
#undef AS_NAME
#define NNAMED_STOCKS (sizeof stock_names / sizeof stock_names[0])

struct native_model {
    double reference_capital_per_worker; /* INITIAL(capital per worker) */
    double v[NAUX];                      /* the auxiliaries' values     */
};

static native_model *econ_create(void)
{
    return calloc(1, sizeof(native_model));
}

static void econ_destroy(native_model *m)
{
    free(m);
}

static size_t econ_dim(const native_model *m)
{
    return NSTOCKS;
}

static void econ_rhs(native_model *m, double t, const double y[],
                     double dydt[])
{
    double *v = m->v;
    v[A_LABOUR_FORCE] = y[S_POPULATION] * PARTICIPATION_RATE;
    v[A_CAPITAL_PER_WORKER] = y[S_CAPITAL] / v[A_LABOUR_FORCE];
    v[A_UNEMPLOYMENT_RATE] =
        fmin(0.15, NATURAL_UNEMPLOYMENT_RATE *
                       sqrt(m->reference_capital_per_worker /
                            v[A_CAPITAL_PER_WORKER]));
    v[A_EMPLOYMENT] = v[A_LABOUR_FORCE] * (1 - v[A_UNEMPLOYMENT_RATE]);
    v[A_REAL_GDP] = y[S_PRODUCTIVITY] * pow(y[S_CAPITAL], CAPITAL_SHARE) *
                    pow(v[A_EMPLOYMENT], 1 - CAPITAL_SHARE);
    v[A_OUTPUT_GAP] = 2 * (NATURAL_UNEMPLOYMENT_RATE - v[A_UNEMPLOYMENT_RATE]);
    v[A_INFLATION_RATE] =
        TARGET_INFLATION + INFLATION_RESPONSE * v[A_OUTPUT_GAP];
    v[A_PRICE_CHANGE] = y[S_GDP_DEFLATOR] * v[A_INFLATION_RATE];
    v[A_NOMINAL_GDP] = v[A_REAL_GDP] * y[S_GDP_DEFLATOR];
    v[A_TAX_REVENUE] = v[A_NOMINAL_GDP] * TAX_RATE;
    v[A_REAL_DISPOSABLE_INCOME] =
        (v[A_NOMINAL_GDP] - v[A_TAX_REVENUE]) / y[S_GDP_DEFLATOR];
    v[A_INCOME_PER_CAPITA] = v[A_REAL_DISPOSABLE_INCOME] / y[S_POPULATION];
    v[A_PERCEIVED_INCOME_PER_CAPITA] = y[S_SMOOTH_INCOME];
    v[A_NATIONAL_INCOME_PER_CAPITA] =
        NATIONAL_INCOME_PER_CAPITA_2025 *
        exp(NATIONAL_INCOME_GROWTH * (t - INITIAL_TIME));
    v[A_RELATIVE_INCOME] =
        v[A_PERCEIVED_INCOME_PER_CAPITA] / v[A_NATIONAL_INCOME_PER_CAPITA];
    v[A_NET_MIGRATION] = y[S_POPULATION] * BASE_MIGRATION_RATE *
                         MIGRATION_RESPONSE(v[A_RELATIVE_INCOME]);
    v[A_BIRTHS] = y[S_POPULATION] * BASE_BIRTH_RATE;
    v[A_DEATHS] = y[S_POPULATION] * BASE_DEATH_RATE *
                  (1 + AGEING_DRIFT * (t - INITIAL_TIME));
    v[A_CONSUMPTION] =
        v[A_REAL_DISPOSABLE_INCOME] * PROPENSITY_TO_CONSUME *
        pow(v[A_PERCEIVED_INCOME_PER_CAPITA] / v[A_INCOME_PER_CAPITA], 0.3);
    v[A_DEBT_RATIO] = y[S_PUBLIC_DEBT] / v[A_NOMINAL_GDP];
    v[A_GOVERNMENT_CONSUMPTION] =
        v[A_REAL_GDP] * (v[A_DEBT_RATIO] > DEBT_CEILING
                             ? 0.9 * GOVERNMENT_CONSUMPTION_SHARE
                             : GOVERNMENT_CONSUMPTION_SHARE);
    v[A_INVESTMENT] = fmax(0, v[A_REAL_GDP] - v[A_CONSUMPTION] -
                                  v[A_GOVERNMENT_CONSUMPTION]) *
                      INVESTMENT_CONFIDENCE(v[A_OUTPUT_GAP]);
    v[A_DEPRECIATION] = y[S_CAPITAL] * DEPRECIATION_RATE;
    v[A_INNOVATION_BOOST] = t >= INNOVATION_PROGRAMME_START ? 0.004 : 0;
    v[A_PRODUCTIVITY_GROWTH] =
        y[S_PRODUCTIVITY] * (BASE_PRODUCTIVITY_GROWTH + v[A_INNOVATION_BOOST]);
    v[A_PUBLIC_DEFICIT] = v[A_GOVERNMENT_CONSUMPTION] * y[S_GDP_DEFLATOR] +
                          y[S_PUBLIC_DEBT] * INTEREST_RATE - v[A_TAX_REVENUE];

    dydt[S_CAPITAL] = v[A_INVESTMENT] - v[A_DEPRECIATION];
    dydt[S_POPULATION] = v[A_BIRTHS] + v[A_NET_MIGRATION] - v[A_DEATHS];
    dydt[S_PRODUCTIVITY] = v[A_PRODUCTIVITY_GROWTH];
    dydt[S_GDP_DEFLATOR] = v[A_PRICE_CHANGE];
    dydt[S_PUBLIC_DEBT] = v[A_PUBLIC_DEFICIT];
    dydt[S_SMOOTH_INCOME] = (v[A_INCOME_PER_CAPITA] - y[S_SMOOTH_INCOME]) /
                            INCOME_PERCEPTION_TIME;
}

static void econ_init(native_model *m, double y[])
{
    y[S_CAPITAL] = INITIAL_CAPITAL;
    y[S_POPULATION] = INITIAL_POPULATION;
    y[S_PRODUCTIVITY] = INITIAL_PRODUCTIVITY;
    y[S_GDP_DEFLATOR] = 1;
    y[S_PUBLIC_DEBT] = INITIAL_PUBLIC_DEBT;
    /* INITIAL(capital per worker), then the SMOOTH starts at its input:
       both are auxiliaries at INITIAL TIME, and neither depends on the
       SMOOTH's own stock, so one evaluation with any value there gives
       them. */
    double labour_force = y[S_POPULATION] * PARTICIPATION_RATE;
    m->reference_capital_per_worker = y[S_CAPITAL] / labour_force;
    double dydt[NSTOCKS];
    y[S_SMOOTH_INCOME] = 1;
    econ_rhs(m, INITIAL_TIME, y, dydt);
    y[S_SMOOTH_INCOME] = m->v[A_INCOME_PER_CAPITA];
}

static size_t econ_nvalues(const native_model *m)
{
    return NNAMED_STOCKS + NAUX;
}

static const char *econ_value_name(const native_model *m, size_t i,
                                   char *buf, size_t size)
{
    snprintf(buf, size, "%s",
             i < NNAMED_STOCKS ? stock_names[i] : aux_names[i - NNAMED_STOCKS]);
    return buf;
}

static double econ_value(const native_model *m, const double y[], size_t i)
{
    return i < NNAMED_STOCKS ? y[i] : m->v[i - NNAMED_STOCKS];
}

const native_type economy50_native = {
    .name = "economy50",
    .initial_time = INITIAL_TIME,
    .final_time = FINAL_TIME,
    .time_step = TIME_STEP,
    .create = econ_create,
    .destroy = econ_destroy,
    .dim = econ_dim,
    .init = econ_init,
    .rhs = econ_rhs,
    .nvalues = econ_nvalues,
    .value_name = econ_value_name,
    .value = econ_value,
};
