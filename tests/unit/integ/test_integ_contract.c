/*
 * The contract every integrator keeps, run over every method in
 * ps_stepper_types(): accuracy on known solutions, a failed step leaves no
 * trace, non-finite values are caught and located.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "integ_problems.h"

/* Largest absolute error allowed at the end of each reference run. */
typedef struct bound {
    const char *name;
    double decay;    /* y' = -0.5 y, 32 steps of 1/8              */
    double rotation; /* 2-D rotation, 48 steps of 1/8             */
} bound;

static const bound bounds[] = {
    {"euler", 1.5e-2, 0.5},
    {"rk4", 1e-7, 5e-5},
    {"rkf45", 1e-8, 1e-6},
    {"rk8pd", 1e-9, 1e-9},
    {"msbdf", 1e-6, 5e-5},
};

/* A new method must get its bounds here before the battery passes. */
static const bound *bound_of(const char *name)
{
    for (size_t i = 0; i < sizeof bounds / sizeof bounds[0]; i++)
        if (strcmp(bounds[i].name, name) == 0)
            return &bounds[i];
    fail_msg("no error bound for method %s", name);
    return NULL;
}

static void test_every_stepper_follows_exponential_decay(void **state)
{
    const ps_stepper_type *const *types = ps_stepper_types();

    for (size_t i = 0; types[i]; i++) {
        problem p = {.k = 0.5};
        ps_system sys = {rhs_decay, 1, &p};
        double y = 1.0;
        ps_error err;

        assert_int_equal(integrate(types[i], NULL, &sys, 0, 0.125, 32, &y,
                                   &err),
                         PS_OK);
        if (fabs(y - decay_exact(&p, 1.0, 4.0)) > bound_of(types[i]->name)->decay)
            fail_msg("%s: y(4) = %.17g, expected %.17g", types[i]->name, y,
                     decay_exact(&p, 1.0, 4.0));
    }
}

static void test_every_stepper_follows_a_rotation(void **state)
{
    const ps_stepper_type *const *types = ps_stepper_types();

    for (size_t i = 0; types[i]; i++) {
        problem p = {0};
        ps_system sys = {rhs_rotation, 2, &p};
        double y[2] = {1.0, 0.0};
        ps_error err;
        const double tol = bound_of(types[i]->name)->rotation;

        assert_int_equal(integrate(types[i], NULL, &sys, 0, 0.125, 48, y,
                                   &err),
                         PS_OK);
        if (fabs(y[0] - cos(6.0)) > tol || fabs(y[1] - sin(6.0)) > tol)
            fail_msg("%s: y(6) = (%.17g, %.17g)", types[i]->name, y[0], y[1]);
    }
}

/* Steps h = 0.5 from t = 0 until a step fails (at most 100); the failing
   step's start is stored in *t_fail and y is checked against its copy. */
static ps_status step_until_failure(const ps_stepper_type *type,
                                    const ps_system *sys, double y[],
                                    double *t_fail, ps_error *err)
{
    ps_stepper *s = ps_stepper_new(type, sys->dim, NULL);
    ps_status status = PS_OK;
    double before[4];

    assert_non_null(s);
    assert_true(sys->dim <= 4);
    for (int i = 0; i < 100 && status == PS_OK; i++) {
        *t_fail = 0.5 * i;
        memcpy(before, y, sys->dim * sizeof *y);
        status = ps_stepper_apply(s, sys, *t_fail, 0.5, y, NULL, err);
    }
    if (status != PS_OK && memcmp(before, y, sys->dim * sizeof *y) != 0)
        fail_msg("%s: y changed by a failed step", type->name);
    if (status == PS_ERR_NONFINITE)
        assert_true(s->bad_component < sys->dim);
    else
        assert_int_equal(s->bad_component, sys->dim);
    ps_stepper_free(&s);
    return status;
}

static void test_every_stepper_restores_y_when_the_rhs_aborts(void **state)
{
    const ps_stepper_type *const *types = ps_stepper_types();
    /* Abort at different calls, so that different stages fail. */
    const long after[] = {0, 1, 2, 3, 5, 8, 13, 40};

    for (size_t i = 0; types[i]; i++) {
        for (size_t j = 0; j < sizeof after / sizeof after[0]; j++) {
            problem p = {.k = 0.5, .fail_after = after[j], .fail_code = -3};
            ps_system sys = {rhs_decay_failing, 1, &p};
            double y = 1.0, t;
            ps_error err;

            assert_int_equal(step_until_failure(types[i], &sys, &y, &t, &err),
                             PS_ERR_INTEGRATION);
            assert_true(err.has_time);
            if (!(err.time >= t - 1e-6 && err.time <= t + 0.5))
                fail_msg("%s: failure at time %g, outside [%g, %g]",
                         types[i]->name, err.time, t, t + 0.5);
            assert_non_null(strstr(err.message, "code -3"));
        }
    }
}

static void test_every_stepper_fails_when_the_rhs_always_rejects(void **state)
{
    const ps_stepper_type *const *types = ps_stepper_types();

    for (size_t i = 0; types[i]; i++) {
        problem p = {.k = 0.5, .fail_after = 0, .fail_code = 1};
        ps_system sys = {rhs_decay_failing, 1, &p};
        double y = 1.0, t;
        ps_error err;

        assert_int_equal(step_until_failure(types[i], &sys, &y, &t, &err),
                         PS_ERR_INTEGRATION);
        assert_true(y == 1.0 && t == 0.0);
        assert_true(err.has_time);
        assert_true(err.time >= 0.0 && err.time <= 0.5);
        assert_non_null(strstr(err.message, "rejected"));
    }
}

static void test_every_stepper_reports_a_nan_rate_as_nonfinite(void **state)
{
    const ps_stepper_type *const *types = ps_stepper_types();

    for (size_t i = 0; types[i]; i++) {
        problem p = {.k = 0.5, .nan_from = 0.6};
        ps_system sys = {rhs_decay_nan, 2, &p};
        double y[2] = {1.0, 2.0}, t;
        ps_stepper *s = ps_stepper_new(types[i], 2, NULL);
        ps_status status = PS_OK;
        ps_error err;

        assert_non_null(s);
        for (int j = 0; j < 8 && status == PS_OK; j++) {
            double before[2] = {y[0], y[1]};

            t = 0.25 * j;
            status = ps_stepper_apply(s, &sys, t, 0.25, y, NULL, &err);
            if (status != PS_OK)
                assert_memory_equal(before, y, sizeof y);
        }
        if (status != PS_ERR_NONFINITE)
            fail_msg("%s: status %s", types[i]->name, ps_status_name(status));
        assert_int_equal(s->bad_component, 1);
        assert_true(err.has_time);
        /* The NaN appears at 0.6: no step that ends before it may fail. */
        if (!(t + 0.25 >= 0.6 && err.time >= t && err.time <= t + 0.25))
            fail_msg("%s: failure at time %g in the step from %g",
                     types[i]->name, err.time, t);
        assert_non_null(strstr(err.message, "state 1"));
        assert_non_null(strstr(err.message, "NaN"));
        ps_stepper_free(&s);
    }
}

static void test_every_stepper_reports_an_overflow_as_nonfinite(void **state)
{
    const ps_stepper_type *const *types = ps_stepper_types();

    for (size_t i = 0; types[i]; i++) {
        problem p = {0};
        ps_system sys = {rhs_overflow, 2, &p};
        double y[2] = {0.0, 1e308};
        ps_stepper *s = ps_stepper_new(types[i], 2, NULL);
        ps_error err;

        assert_non_null(s);
        assert_int_equal(ps_stepper_apply(s, &sys, 0, 1, y, NULL, &err),
                         PS_ERR_NONFINITE);
        assert_int_equal(s->bad_component, 1);
        assert_true(y[0] == 0.0 && y[1] == 1e308);
        assert_true(err.has_time && err.time > 0 && err.time <= 1);
        assert_string_equal(err.message, "state 1 became infinite");
        ps_stepper_free(&s);
    }
}

/* After a failed step, the same stepper continues correctly from the
   restored y (an adaptive method must forget its failed history). */
static void test_every_stepper_recovers_after_a_failed_step(void **state)
{
    const ps_stepper_type *const *types = ps_stepper_types();

    for (size_t i = 0; types[i]; i++) {
        problem p = {.k = 0.5, .fail_after = 1000000, .fail_code = -1};
        problem q = p;
        ps_system sys = {rhs_decay_failing, 1, &p};
        ps_system ref = {rhs_decay, 1, &q};
        ps_stepper *s = ps_stepper_new(types[i], 1, NULL);
        double y = 1.0, y_ref = 1.0;
        ps_error err;

        assert_non_null(s);
        for (int j = 0; j < 32; j++) {
            if (j == 10) {
                /* Euler makes one call a step; the others fail mid-step. */
                p.fail_after = p.calls + (types[i] == ps_stepper_euler ? 0 : 2);
                assert_int_equal(ps_stepper_apply(s, &sys, 0.125 * j, 0.125,
                                                  &y, NULL, &err),
                                 PS_ERR_INTEGRATION);
                p.fail_after = 1000000;
            }
            assert_int_equal(ps_stepper_apply(s, &sys, 0.125 * j, 0.125, &y,
                                              NULL, &err),
                             PS_OK);
        }
        assert_int_equal(integrate(types[i], NULL, &ref, 0, 0.125, 32, &y_ref,
                                   &err),
                         PS_OK);
        if (fabs(y - y_ref) > bound_of(types[i]->name)->decay)
            fail_msg("%s: %.17g after recovery, %.17g without failure",
                     types[i]->name, y, y_ref);
        ps_stepper_free(&s);
    }
}

/* A caller may change y between steps (a model's reset, a new run): the
   next step starts from the new y, whatever history the method keeps. */
static void test_every_stepper_starts_from_a_changed_state(void **state)
{
    const ps_stepper_type *const *types = ps_stepper_types();

    for (size_t i = 0; types[i]; i++) {
        problem p = {.k = 0.5};
        ps_system sys = {rhs_decay, 1, &p};
        ps_stepper *s = ps_stepper_new(types[i], 1, NULL);
        double y = 1.0;
        ps_error err;

        assert_non_null(s);
        for (int j = 0; j < 32; j++) {
            if (j == 16)
                y *= 3.0;
            assert_int_equal(ps_stepper_apply(s, &sys, 0.125 * j, 0.125, &y,
                                              NULL, &err),
                             PS_OK);
        }
        if (fabs(y - 3.0 * decay_exact(&p, 1.0, 4.0)) >
            3.0 * bound_of(types[i]->name)->decay)
            fail_msg("%s: y(4) = %.17g", types[i]->name, y);
        ps_stepper_free(&s);
    }
}

static void test_every_stepper_accepts_a_system_of_dimension_zero(void **state)
{
    const ps_stepper_type *const *types = ps_stepper_types();

    for (size_t i = 0; types[i]; i++) {
        problem p = {0};
        ps_system sys = {rhs_rotation, 0, &p};
        ps_stepper *s = ps_stepper_new(types[i], 0, NULL);
        ps_error err;

        assert_non_null(s);
        assert_int_equal(ps_stepper_apply(s, &sys, 0, 1, NULL, NULL, &err),
                         PS_OK);
        assert_int_equal(p.calls, 0);
        ps_stepper_free(&s);
    }
}

static void test_every_stepper_is_found_by_its_name(void **state)
{
    const ps_stepper_type *const *types = ps_stepper_types();

    for (size_t i = 0; types[i]; i++) {
        char upper[32];
        size_t n = strlen(types[i]->name);

        assert_true(n < sizeof upper);
        for (size_t j = 0; j <= n; j++)
            upper[j] = (char)(types[i]->name[j] >= 'a' &&
                                      types[i]->name[j] <= 'z'
                                  ? types[i]->name[j] - 'a' + 'A'
                                  : types[i]->name[j]);
        assert_ptr_equal(ps_stepper_type_find(types[i]->name), types[i]);
        assert_ptr_equal(ps_stepper_type_find(upper), types[i]);
        assert_true(types[i]->order >= 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_stepper_follows_exponential_decay),
        cmocka_unit_test(test_every_stepper_follows_a_rotation),
        cmocka_unit_test(test_every_stepper_restores_y_when_the_rhs_aborts),
        cmocka_unit_test(test_every_stepper_fails_when_the_rhs_always_rejects),
        cmocka_unit_test(test_every_stepper_reports_a_nan_rate_as_nonfinite),
        cmocka_unit_test(test_every_stepper_reports_an_overflow_as_nonfinite),
        cmocka_unit_test(test_every_stepper_recovers_after_a_failed_step),
        cmocka_unit_test(test_every_stepper_starts_from_a_changed_state),
        cmocka_unit_test(test_every_stepper_accepts_a_system_of_dimension_zero),
        cmocka_unit_test(test_every_stepper_is_found_by_its_name),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
