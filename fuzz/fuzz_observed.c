/*
 * Fuzz harness of the observed-data reader (`observed:`): the input's
 * first byte chooses the data file's format (.csv, .tab, .xlsx or .xls,
 * by its value modulo 4) and the rest is the file.  A fixed scenario
 * whose `observed:` section uses every form of series (levels, growth
 * rates, shares, lags, per-year errors, an element of an array) reads
 * it, and when it loads, is checked against the harness model.  Every
 * failure must be a status with a message, never a crash, a leak or
 * undefined behaviour.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_support.h"
#include "plansim/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const extensions[] = {"csv", "tab", "xlsx", "xls"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *ext = extensions[data[0] % 4];
    char name[32], text[1024], path[4200];
    snprintf(name, sizeof name, "data.%s", ext);
    fuzz_tmp_write(name, data + 1, size - 1);
    snprintf(
        text, sizeof text,
        "model: obs.mdl\n"
        "observed:\n"
        "  file: %s\n"
        "  error: {model: normal, cv: 0.02}\n"
        "  series:\n"
        "    gdp real growth: {error: {model: normal, sd: 0.005}}\n"
        "    gdp nominal:\n"
        "      error: {model: lognormal, cv: 0.01, by year: {2022: 0.03}}\n"
        "    primary share: {column: primary share}\n"
        "    industrial output growth:\n"
        "      variable: industrial output\n"
        "      measure: growth\n"
        "      lag: 1\n"
        "    secondary share:\n"
        "      variable: secondary value added\n"
        "      measure: share\n"
        "      of: gdp real\n"
        "    output[新材料]:\n",
        name);
    snprintf(path, sizeof path, "%s/fuzz.yaml", fuzz_tmp_dir());
    ps_scenario *sc = NULL;
    ps_error err;
    if (ps_scenario_parse(text, strlen(text), path, &sc, &err) == PS_OK) {
        ps_model *model = fuzz_model_new();
        ps_scenario_check(sc, model, &err);
        ps_model_free(&model);
    }
    ps_scenario_free(&sc);
    return 0;
}
