/*
 * Fuzz harness of the scenario loader: the input is a scenario file's
 * text, loaded as a file of the harness's temporary folder (where
 * `extends:` and `observed:` files are looked for).  A scenario that
 * loads is applied to the harness model (fuzz_support.h), which checks
 * it first, and the result compiled.  Every failure must be a status with
 * a message, never a crash, a hang, a leak or undefined behaviour.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fuzz_support.h"
#include "plansim/program.h"
#include "plansim/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/fuzz.yaml", fuzz_tmp_dir());
    ps_scenario *sc = NULL;
    ps_error err;
    if (ps_scenario_parse((const char *)data, size, path, &sc, &err) == PS_OK) {
        ps_model *model = fuzz_model_new();
        ps_program *prog = NULL;
        if (ps_scenario_apply(sc, model, &err) == PS_OK)
            ps_program_compile(model, &prog, &err);
        ps_program_free(&prog);
        ps_model_free(&model);
    }
    ps_scenario_free(&sc);
    return 0;
}
