/*
 * Ensemble results: bit-identical at any thread count and block size,
 * equal to ps_simulate run by run (random draws addressed by seed and run
 * index), failed runs kept apart, and the time settings every run shares.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>

#include "mem_sink.h"
#include "plansim/sim.h"

#define SEED 20250101u

/* Growth with a random shock each step, a smoothed output, a fixed delay
   whose length is an input (so instances reused across runs must resize
   their delay buffers), and a fast cycle whose speed depends on an input
   (so adaptive methods take inner steps of sizes that differ between
   runs). */
static const char *economy_model =
    "growth = 0.05 ~ 1/Year ~ |\n"
    "rate = 0.03 ~ 1/Year ~ |\n"
    "lag = 2 ~ Year ~ |\n"
    "shock = RANDOM UNIFORM(-0.02, 0.02, 0) ~ 1/Year ~ |\n"
    "capital = INTEG(capital * (growth + shock) - depreciation, 100) ~ ~ |\n"
    "depreciation = capital * rate ~ ~ |\n"
    "output = SMOOTH(capital * 0.3, 2) ~ ~ |\n"
    "lagged output = DELAY FIXED(output, lag, 30) ~ ~ |\n"
    "cycle = INTEG(-growth * 40 * cycle + shock, 1) ~ ~ |\n"
    "INITIAL TIME = 0 ~ Year ~ |\n"
    "FINAL TIME = 20 ~ Year ~ |\n"
    "TIME STEP = 0.25 ~ Year ~ |\n"
    "SAVEPER = 1 ~ Year ~ |\n";

static const char *const economy_inputs[] = {"growth", "rate", "lag"};
static const char *const economy_saved[] = {"capital", "shock",
                                            "lagged output", "cycle"};
enum { ECONOMY_RUNS = 120 };

/* A ratio that blows up when TIME reaches the input d. */
static const char *fragile_model =
    "d = 100 ~ ~ |\n"
    "ratio = 1 / (d - Time) ~ ~ |\n"
    "x = INTEG(ratio, 0) ~ ~ |\n"
    "INITIAL TIME = 0 ~ Year ~ |\n"
    "FINAL TIME = 10 ~ Year ~ |\n"
    "TIME STEP = 1 ~ Year ~ |\n";

static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* An ensemble of `prog` with inputs and saved variables given by name. */
typedef struct ensemble_case {
    ps_program *prog;
    ps_ensemble_spec spec;
    size_t input_vars[8];
    size_t save_vars[8];
    double *inputs;
} ensemble_case;

static void case_init(ensemble_case *c, const char *model,
                      const char *const inputs[], size_t ninputs,
                      const char *const saved[], size_t nsave, size_t nruns)
{
    memset(c, 0, sizeof *c);
    c->prog = compile_model(model);
    find_vars(c->prog, inputs, ninputs, c->input_vars);
    find_vars(c->prog, saved, nsave, c->save_vars);
    c->inputs = calloc(nruns * ninputs + 1, sizeof *c->inputs);
    assert_non_null(c->inputs);
    ps_sim_options_default(&c->spec.sim);
    c->spec.prog = c->prog;
    c->spec.nruns = nruns;
    c->spec.seed = SEED;
    c->spec.ninputs = ninputs;
    c->spec.input_vars = c->input_vars;
    c->spec.inputs = c->inputs;
    c->spec.nsave = nsave;
    c->spec.save_vars = c->save_vars;
}

static void case_free(ensemble_case *c)
{
    free(c->inputs);
    ps_program_free(&c->prog);
}

static void economy_case(ensemble_case *c)
{
    case_init(c, economy_model, economy_inputs, 3, economy_saved, 4,
              ECONOMY_RUNS);
    for (size_t r = 0; r < ECONOMY_RUNS; r++) {
        c->inputs[r * 3 + 0] = 0.02 + 0.005 * (double)(r % 9);
        c->inputs[r * 3 + 1] = 0.01 + 0.002 * (double)(r % 5);
        c->inputs[r * 3 + 2] = 1 + 0.75 * (double)(r % 4);
    }
}

/* Runs the case into a fresh sink with `threads` and `block`; the caller
   frees the sink. */
static ps_status run_case(ensemble_case *c, int threads, size_t block,
                          mem_sink *sink, ps_ensemble_report *report,
                          ps_error *err)
{
    mem_sink_init(sink);
    c->spec.threads = threads;
    c->spec.block = block;
    return ps_ensemble_run(&c->spec, &mem_sink_type, sink, report, err);
}

static void assert_same_results(const mem_sink *a, const mem_sink *b)
{
    const ps_ensemble_layout *l = &a->layout;
    size_t n = l->nruns * l->nsave * l->ntimes;
    assert_int_equal(b->layout.nruns, l->nruns);
    assert_int_equal(b->layout.ntimes, l->ntimes);
    assert_memory_equal(a->status, b->status, l->nruns);
    assert_memory_equal(a->values, b->values, n * sizeof *a->values);
}

static void test_ensemble_run_is_bit_identical_at_any_thread_count(
    void **state)
{
    const char *methods[] = {"euler", "rk4", "rkf45"};
    for (size_t m = 0; m < 3; m++) {
        ensemble_case c;
        economy_case(&c);
        c.spec.sim.method = methods[m];
        mem_sink one, two, two_small, one_odd;
        ps_ensemble_report rep;
        assert_int_equal(run_case(&c, 1, 0, &one, &rep, NULL), PS_OK);
        assert_int_equal(rep.failed, 0);
        assert_int_equal(run_case(&c, 2, 0, &two, NULL, NULL), PS_OK);
        assert_int_equal(run_case(&c, 2, 1, &two_small, NULL, NULL), PS_OK);
        assert_int_equal(run_case(&c, 1, 7, &one_odd, NULL, NULL), PS_OK);
        assert_same_results(&one, &two);
        assert_same_results(&one, &two_small);
        assert_same_results(&one, &one_odd);
        for (size_t r = 0; r < ECONOMY_RUNS; r++)
            assert_int_equal(one.status[r], PS_RUN_OK);
        mem_sink_free(&one);
        mem_sink_free(&two);
        mem_sink_free(&two_small);
        mem_sink_free(&one_odd);
        case_free(&c);
    }
}

/* fill_inputs for the economy case, computing rows as economy_case
   stores them; counts its calls. */
static ps_status economy_rows(void *ctx, size_t first, size_t count,
                              double *out, ps_error *err)
{
    (void)err;
#pragma omp atomic
    (*(size_t *)ctx)++;
    for (size_t i = 0; i < count; i++) {
        size_t r = first + i;
        out[i * 3 + 0] = 0.02 + 0.005 * (double)(r % 9);
        out[i * 3 + 1] = 0.01 + 0.002 * (double)(r % 5);
        out[i * 3 + 2] = 1 + 0.75 * (double)(r % 4);
    }
    return PS_OK;
}

static void test_ensemble_run_takes_inputs_from_a_function_like_a_matrix(
    void **state)
{
    ensemble_case c;
    economy_case(&c);
    mem_sink matrix, computed;
    assert_int_equal(run_case(&c, 1, 0, &matrix, NULL, NULL), PS_OK);
    size_t calls = 0;
    c.spec.inputs = NULL;
    c.spec.fill_inputs = economy_rows;
    c.spec.inputs_ctx = &calls;
    assert_int_equal(run_case(&c, 2, 3, &computed, NULL, NULL), PS_OK);
    assert_true(calls > 1);
    assert_same_results(&matrix, &computed);
    assert_memory_equal(matrix.inputs, computed.inputs,
                        ECONOMY_RUNS * 3 * sizeof *matrix.inputs);
    mem_sink_free(&matrix);
    mem_sink_free(&computed);
    case_free(&c);
}

/* ps_simulate of run r of the case, with the inputs as overrides. */
static ps_series *simulate_run(const ensemble_case *c,
                               const char *const inputs[], size_t r,
                               const ps_override *fixed, size_t nfixed,
                               ps_status expect)
{
    ps_override set[16];
    size_t n = 0;
    for (size_t i = 0; i < nfixed; i++)
        set[n++] = fixed[i];
    for (size_t j = 0; j < c->spec.ninputs; j++)
        set[n++] = (ps_override){inputs[j],
                                 c->inputs[r * c->spec.ninputs + j]};
    ps_sim_options opts = c->spec.sim;
    opts.overrides = set;
    opts.noverrides = n;
    opts.seed = c->spec.seed;
    opts.run = r;
    ps_series *s = NULL;
    ps_error err;
    assert_int_equal(ps_simulate(c->prog, &opts, &s, &err), expect);
    return s;
}

/* Every saved value of run r equals the series bit for bit (rows the
   series lacks must be NaN in the sink). */
static void assert_run_matches(const mem_sink *sink, const ps_series *s,
                               const char *const saved[], size_t r)
{
    const ps_ensemble_layout *l = &sink->layout;
    for (size_t v = 0; v < l->nsave; v++) {
        size_t col = ps_series_find(s, saved[v]);
        assert_true(col != (size_t)-1);
        for (size_t t = 0; t < l->ntimes; t++) {
            double got = mem_sink_value(sink, r, v, t);
            if (t < s->nrows) {
                assert_true(same_bits(s->time[t], sink->times[t]));
                if (!same_bits(got, ps_series_get(s, t, col)))
                    fail_msg("run %zu, %s, row %zu: %.17g vs %.17g", r,
                             saved[v], t, got, ps_series_get(s, t, col));
            } else {
                assert_true(isnan(got));
            }
        }
    }
}

static void test_ensemble_run_equals_ps_simulate_run_by_run(void **state)
{
    const char *methods[] = {"euler", "rk4", "rkf45"};
    for (size_t m = 0; m < 3; m++) {
        ensemble_case c;
        economy_case(&c);
        c.spec.sim.method = methods[m];
        mem_sink sink;
        assert_int_equal(run_case(&c, 2, 3, &sink, NULL, NULL), PS_OK);
        for (size_t r = 0; r < ECONOMY_RUNS; r++) {
            ps_series *s = simulate_run(&c, economy_inputs, r, NULL, 0,
                                        PS_OK);
            assert_int_equal(s->nrows, sink.layout.ntimes);
            assert_run_matches(&sink, s, economy_saved, r);
            ps_series_free(&s);
        }
        /* The inputs handed to the sink are the runs' own. */
        assert_memory_equal(sink.inputs, c.inputs,
                            ECONOMY_RUNS * 3 * sizeof *c.inputs);
        mem_sink_free(&sink);
        case_free(&c);
    }
}

static void test_ensemble_run_draws_differ_between_runs_and_seeds(
    void **state)
{
    ensemble_case c;
    economy_case(&c);
    mem_sink a, b;
    assert_int_equal(run_case(&c, 2, 0, &a, NULL, NULL), PS_OK);
    c.spec.seed = SEED + 1;
    assert_int_equal(run_case(&c, 2, 0, &b, NULL, NULL), PS_OK);
    /* shock (saved variable 1) at row 1 of runs 0 and 1, and of run 0
       under another seed. */
    double r0 = mem_sink_value(&a, 0, 1, 1), r1 = mem_sink_value(&a, 1, 1, 1);
    double other = mem_sink_value(&b, 0, 1, 1);
    assert_true(r0 >= -0.02 && r0 <= 0.02);
    assert_true(r0 != r1);
    assert_true(r0 != other);
    mem_sink_free(&a);
    mem_sink_free(&b);
    case_free(&c);
}

static void test_ensemble_run_applies_fixed_overrides_under_the_inputs(
    void **state)
{
    ensemble_case c;
    case_init(&c, economy_model, economy_inputs, 1, economy_saved, 4, 40);
    for (size_t r = 0; r < 40; r++)
        c.inputs[r] = 0.01 * (double)(r % 6);
    /* growth is both fixed and an input: the input wins. */
    ps_override fixed[] = {{"rate", 0.2}, {"growth", 9}};
    c.spec.sim.overrides = fixed;
    c.spec.sim.noverrides = 2;
    mem_sink sink;
    assert_int_equal(run_case(&c, 2, 3, &sink, NULL, NULL), PS_OK);
    for (size_t r = 0; r < 40; r++) {
        ps_series *s = simulate_run(&c, economy_inputs, r, fixed, 1, PS_OK);
        assert_run_matches(&sink, s, economy_saved, r);
        ps_series_free(&s);
    }
    mem_sink_free(&sink);
    case_free(&c);
}

static double fragile_d(size_t r)
{
    if (r % 7 == 6)
        return 0;   /* 1 / (0 - 0): fails at once         */
    if (r % 5 == 3)
        return 5;   /* fails when TIME reaches 5          */
    return 100;
}

static void test_ensemble_run_marks_failed_runs_and_goes_on(void **state)
{
    static const char *const inputs[] = {"d"};
    static const char *const saved[] = {"x", "ratio"};
    enum { N = 60 };
    ensemble_case c;
    case_init(&c, fragile_model, inputs, 1, saved, 2, N);
    size_t failed = 0;
    for (size_t r = 0; r < N; r++) {
        c.inputs[r] = fragile_d(r);
        failed += c.inputs[r] != 100;
    }
    mem_sink sink;
    ps_ensemble_report rep;
    ps_error err;
    assert_int_equal(run_case(&c, 2, 2, &sink, &rep, &err), PS_OK);
    assert_int_equal(rep.done, N);
    assert_int_equal(rep.failed, failed);
    assert_int_equal(rep.first_failed, 3);
    assert_int_equal(rep.first_failure.status, PS_ERR_NONFINITE);
    assert_true(strncmp(rep.first_failure.message, "run 3: ", 7) == 0);
    assert_non_null(strstr(rep.first_failure.message, "ratio"));
    assert_true(rep.first_failure.has_time);
    assert_true(rep.first_failure.time == 5);
    assert_string_equal(rep.first_failure.file, "ensemble.mdl");
    for (size_t r = 0; r < N; r++) {
        int ok = c.inputs[r] == 100;
        assert_int_equal(sink.status[r], ok ? PS_RUN_OK : PS_RUN_FAILED);
        /* The rows before the failure are those ps_simulate keeps. */
        ps_series *s = simulate_run(&c, inputs, r, NULL, 0,
                                    ok ? PS_OK : PS_ERR_NONFINITE);
        assert_int_equal(s->nrows, ok ? 11 : (size_t)c.inputs[r]);
        assert_run_matches(&sink, s, saved, r);
        ps_series_free(&s);
    }
    /* The report is the same at one thread. */
    mem_sink one;
    ps_ensemble_report rep1;
    assert_int_equal(run_case(&c, 1, 0, &one, &rep1, NULL), PS_OK);
    assert_int_equal(rep1.failed, failed);
    assert_int_equal(rep1.first_failed, 3);
    assert_string_equal(rep1.first_failure.message,
                        rep.first_failure.message);
    assert_same_results(&one, &sink);
    mem_sink_free(&one);
    mem_sink_free(&sink);
    case_free(&c);
}

static void test_ensemble_run_fails_runs_whose_time_settings_differ(
    void **state)
{
    static const char *const inputs[] = {"FINAL TIME", "TIME STEP"};
    static const char *const saved[] = {"x"};
    ensemble_case c;
    case_init(&c, fragile_model, inputs, 2, saved, 1, 8);
    for (size_t r = 0; r < 8; r++) {
        c.inputs[r * 2] = r == 2 ? 12 : 10;
        c.inputs[r * 2 + 1] = r == 4 ? 0 : 1;
    }
    mem_sink sink;
    ps_ensemble_report rep;
    assert_int_equal(run_case(&c, 2, 1, &sink, &rep, NULL), PS_OK);
    assert_int_equal(sink.layout.ntimes, 11);
    assert_int_equal(rep.failed, 2);
    assert_int_equal(rep.first_failed, 2);
    assert_int_equal(rep.first_failure.status, PS_ERR_DATA);
    assert_non_null(strstr(rep.first_failure.message, "time settings"));
    for (size_t r = 0; r < 8; r++) {
        int bad = r == 2 || r == 4;
        assert_int_equal(sink.status[r], bad ? PS_RUN_FAILED : PS_RUN_OK);
        assert_int_equal(!!isnan(mem_sink_value(&sink, r, 0, 0)), bad);
    }
    mem_sink_free(&sink);
    case_free(&c);
}

static const char *capacity_model =
    "capacity = 0 ~ ~ |\n"
    "x = INTEG(1, 1 / capacity) ~ ~ |\n"
    "INITIAL TIME = 0 ~ Year ~ |\n"
    "FINAL TIME = 10 ~ Year ~ |\n"
    "TIME STEP = 1 ~ Year ~ |\n";

static void test_ensemble_run_takes_time_settings_from_a_run_that_starts(
    void **state)
{
    static const char *const inputs[] = {"capacity", "FINAL TIME"};
    static const char *const saved[] = {"x"};
    ensemble_case c;
    case_init(&c, capacity_model, inputs, 2, saved, 1, 5);
    /* The model's own capacity cannot start; run 0's neither. */
    for (size_t r = 0; r < 5; r++) {
        c.inputs[r * 2] = r == 0 ? 0 : 2;
        c.inputs[r * 2 + 1] = 5;
    }
    mem_sink sink;
    ps_ensemble_report rep;
    assert_int_equal(run_case(&c, 2, 1, &sink, &rep, NULL), PS_OK);
    assert_int_equal(sink.layout.ntimes, 6);
    assert_true(sink.times[5] == 5);
    assert_int_equal(rep.failed, 1);
    assert_int_equal(rep.first_failed, 0);
    assert_int_equal(sink.status[0], PS_RUN_FAILED);
    assert_int_equal(sink.status[1], PS_RUN_OK);
    assert_true(mem_sink_value(&sink, 1, 0, 0) == 0.5);
    assert_true(mem_sink_value(&sink, 1, 0, 5) == 5.5);
    mem_sink_free(&sink);
    case_free(&c);
}

static void test_ensemble_run_fails_when_no_run_can_start(void **state)
{
    static const char *const inputs[] = {"capacity"};
    static const char *const saved[] = {"x"};
    ensemble_case c;
    case_init(&c, capacity_model, inputs, 1, saved, 1, 3);
    mem_sink sink;
    ps_error err;
    assert_int_equal(run_case(&c, 2, 0, &sink, NULL, &err),
                     PS_ERR_NONFINITE);
    assert_true(strncmp(err.message, "run 0: ", 7) == 0);
    assert_non_null(strstr(err.message, "x"));
    assert_int_equal(sink.begins, 0);
    assert_int_equal(sink.ends, 0);
    mem_sink_free(&sink);
    case_free(&c);
}

int main(void)
{
    /* The adaptive methods must not abort the process on GSL errors. */
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_ensemble_run_is_bit_identical_at_any_thread_count),
        cmocka_unit_test(
            test_ensemble_run_takes_inputs_from_a_function_like_a_matrix),
        cmocka_unit_test(test_ensemble_run_equals_ps_simulate_run_by_run),
        cmocka_unit_test(
            test_ensemble_run_draws_differ_between_runs_and_seeds),
        cmocka_unit_test(
            test_ensemble_run_applies_fixed_overrides_under_the_inputs),
        cmocka_unit_test(test_ensemble_run_marks_failed_runs_and_goes_on),
        cmocka_unit_test(
            test_ensemble_run_fails_runs_whose_time_settings_differ),
        cmocka_unit_test(
            test_ensemble_run_takes_time_settings_from_a_run_that_starts),
        cmocka_unit_test(test_ensemble_run_fails_when_no_run_can_start),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
