/* The tiny model of tiny_model.h. */
#include "tiny_model.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mem_sink.h"
#include "plansim/sim.h"

/* x counts years; k is its rate; tab is a lookup. */
static const char *const tiny_model = "k = 1 ~ ~ |\n"
                                      "x = INTEG(k, 0) ~ ~ |\n"
                                      "y = x * 2 ~ ~ |\n"
                                      "tab([(0,0)-(1,1)], (0,0), (1,1)) ~ ~ |\n"
                                      "INITIAL TIME = 0 ~ Year ~ |\n"
                                      "FINAL TIME = 2 ~ Year ~ |\n"
                                      "TIME STEP = 1 ~ Year ~ |\n";

/* nruns runs of the tiny model with k = run index, saving x and y. */
void tiny_init(tiny *t, size_t nruns, int threads, size_t block)
{
    static const char *const saved[] = {"x", "y"};
    static const char *const input[] = {"k"};
    memset(t, 0, sizeof *t);
    t->prog = compile_model(tiny_model);
    find_vars(t->prog, input, 1, &t->input_var);
    find_vars(t->prog, saved, 2, t->save_vars);
    t->inputs = malloc((nruns + 1) * sizeof *t->inputs);
    assert_non_null(t->inputs);
    for (size_t r = 0; r < nruns; r++)
        t->inputs[r] = (double)r;
    ps_sim_options_default(&t->spec.sim);
    t->spec.prog = t->prog;
    t->spec.nruns = nruns;
    t->spec.seed = 7;
    t->spec.ninputs = 1;
    t->spec.input_vars = &t->input_var;
    t->spec.inputs = t->inputs;
    t->spec.nsave = 2;
    t->spec.save_vars = t->save_vars;
    t->spec.threads = threads;
    t->spec.block = block;
}

void tiny_free(tiny *t)
{
    free(t->inputs);
    ps_program_free(&t->prog);
}
