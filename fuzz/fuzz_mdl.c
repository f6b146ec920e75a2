/*
 * Fuzz harness of the .mdl reader and compiler: the input is model text;
 * it is parsed, compiled, and when both succeed and the run is short
 * (fixed time settings, at most a few thousand steps and small arrays)
 * simulated once with Euler.  Every failure must be a status with a
 * message, never a crash, a leak or undefined behaviour.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "plansim/instance.h"
#include "plansim/mdl.h"
#include "plansim/program.h"
#include "plansim/sim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Steps and values a simulated input may have at most: enough for every
   construct to run, bounded so that one input stays fast. */
enum { MAX_STEPS = 4000, MAX_VALUES = 20000 };

/* Non-zero when `prog` runs at most MAX_STEPS steps of at most
   MAX_VALUES values (read by initialising one instance). */
static int short_run(const ps_program *prog)
{
    if (ps_program_dynamic_time(prog))
        return 0;
    size_t values = 0;
    for (size_t i = 0; i < ps_program_var_count(prog); i++)
        values += ps_program_var_size(prog, i);
    if (values > MAX_VALUES)
        return 0;
    ps_instance *inst = ps_instance_new(prog);
    if (!inst)
        return 0;
    ps_error err;
    int ok = 0;
    if (ps_instance_init(inst, 0, 0, &err) == PS_OK) {
        const ps_time_settings *ts = ps_instance_time(inst);
        double steps = (ts->final_time - ts->initial_time) / ts->time_step;
        ok = isfinite(steps) && steps >= 0 && steps <= MAX_STEPS &&
             ts->saveper >= ts->time_step;
    }
    ps_instance_free(&inst);
    return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ps_model *model = NULL;
    ps_program *prog = NULL;
    ps_error err;
    if (ps_mdl_parse((const char *)data, size, "fuzz.mdl", &model, &err) ==
            PS_OK &&
        ps_program_compile(model, &prog, &err) == PS_OK && short_run(prog)) {
        ps_sim_options opts;
        ps_sim_options_default(&opts);
        ps_series *out = NULL;
        ps_simulate(prog, &opts, &out, &err);
        ps_series_free(&out);
    }
    ps_program_free(&prog);
    ps_model_free(&model);
    return 0;
}
