#include "model_fixture.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "plansim/mdl.h"

ps_program *compile_text(const char *text)
{
    ps_model *model = NULL;
    ps_program *prog = NULL;
    ps_error err;
    ps_status st = ps_mdl_parse(text, strlen(text), "inline.mdl", &model, &err);
    if (st == PS_OK)
        st = ps_program_compile(model, &prog, &err);
    if (st != PS_OK)
        ps_error_print(stderr, &err);
    assert_int_equal(st, PS_OK);
    ps_model_free(&model);
    return prog;
}

ps_status compile_error(const char *text, ps_error *err)
{
    ps_model *model = NULL;
    ps_program *prog = NULL;
    ps_status st = ps_mdl_parse(text, strlen(text), "inline.mdl", &model, err);
    if (st == PS_OK)
        st = ps_program_compile(model, &prog, err);
    ps_program_free(&prog);
    ps_model_free(&model);
    return st;
}

ps_series *run_text(const char *text, const char *method)
{
    ps_program *prog = compile_text(text);
    ps_sim_options opts;
    ps_sim_options_default(&opts);
    if (method)
        opts.method = method;
    ps_series *s = NULL;
    ps_error err;
    ps_status st = ps_simulate(prog, &opts, &s, &err);
    if (st != PS_OK)
        ps_error_print(stderr, &err);
    assert_int_equal(st, PS_OK);
    ps_program_free(&prog);
    return s;
}

double value_at(const ps_series *s, const char *name, double t)
{
    size_t col = ps_series_find(s, name);
    if (col == (size_t)-1)
        fail_msg("no column '%s'", name);
    for (size_t r = 0; r < s->nrows; r++)
        if (fabs(s->time[r] - t) < 1e-9)
            return ps_series_get(s, r, col);
    fail_msg("no row at time %g", t);
    return NAN;
}
