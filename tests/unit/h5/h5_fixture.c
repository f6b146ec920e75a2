/*
 * The fake ensemble of h5_fixture.h.
 */
#include "h5_fixture.h"

#include <math.h>
#include <stdlib.h>

const double fx_times[FX_TIMES] = {2025, 2026, 2027, 2028, 2029, 2030};

const char *const fx_dataset_names[FX_VARS] = {
    "GDP",           "Growth_rate",     "人口",
    "Capital_Stock", "Capital_Stock_2", "a_b_ratio"};

const char fx_scenario_text[] = "title: 钱江区 2030\n"
                                "model: qianjiang.mdl\n"
                                "runs: 10\n"
                                "seed: 20250101\n";

static const ps_h5_var_meta vars[FX_VARS] = {
    {"GDP", "亿元", "地区生产总值", 0, NULL},
    {"Growth rate", "1/year", "GDP 增长率", 0, NULL},
    {"人口", "万人", "常住人口", 0, NULL},
    {"Capital Stock", "亿元", "资本存量", 0, NULL},
    {"Capital_Stock", "亿元", "资本存量（副本）", 0, NULL},
    {"a/b ratio", "Dmnl", NULL, 0, NULL},
};

static const ps_h5_input_meta inputs[FX_INPUTS] = {
    {"储蓄率", "储蓄率 (saving rate)", "统计年鉴 2024",
     "triangular(0.25, 0.30, 0.35)"},
    {"TFP growth", "全要素生产率增长", "literature", "normal(0.01, 0.005)"},
};

static const ps_h5_target_meta targets[FX_TARGETS] = {
    {"gdp_700", "地区生产总值 ≥ 700亿元", "GDP", 2030, PS_SC_AT_LEAST, 700, 0,
     1, "十五五规划纲要"},
    {"growth_band", "增速 5%–6%", "Growth rate", 2028, PS_SC_BETWEEN, 0.05,
     0.06, 0, NULL},
    {"pop_cap", "人口 ≤ 130万", "人口", 2030, PS_SC_AT_MOST, 0, 130, 0, "规划"},
};

static const char *const scenario_names[1] = {"qianjiang.yaml"};
static const char *const scenario_texts[1] = {fx_scenario_text};

static const ps_h5_meta meta = {
    .title = "钱江区 十五五 情景",
    .description = "Fixture ensemble: 测试",
    .nscenario_files = 1,
    .scenario_names = scenario_names,
    .scenario_texts = scenario_texts,
    .model_file = "qianjiang.mdl",
    .model_sha256 =
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    .seed = 18446744073709551557ULL,
    .sampling = "lhs",
    .engine_version = "0.1.0-test",
    .command_line = "plansim run qianjiang.yaml -o out.h5",
    .time_units = "year",
    .nvars = FX_VARS,
    .vars = vars,
    .ninputs = FX_INPUTS,
    .inputs = inputs,
    .ntargets = FX_TARGETS,
    .targets = targets,
};

const ps_h5_meta *fx_meta(void)
{
    return &meta;
}

double fx_value(size_t r, size_t v, size_t t)
{
    static const double base[FX_VARS] = {615, 0.045, 120, 2000, 2200, 0.5};
    static const double slope[FX_VARS] = {15, 0.001, 1.5, 100, 110, -0.02};
    static const double step[FX_VARS] = {2, 0.0025, 0.8, 30, 33, 0.01};
    static const double wobble[FX_VARS] = {12, 0.0005, 0.5, 40, 44, 0.003};
    if (r == FX_FAILED_RUN && t >= 2)
        return NAN;
    return base[v] + slope[v] * (double)t + step[v] * (double)r +
           wobble[v] * sin(1.7 * (double)r + 0.3 * (double)v);
}

double fx_input(size_t r, size_t j)
{
    return j == 0 ? 0.25 + 0.01 * (double)r : 0.01 + 0.001 * (double)r;
}

unsigned char fx_status(size_t r)
{
    return r == FX_FAILED_RUN ? PS_RUN_FAILED : PS_RUN_OK;
}

static const size_t block_first[FX_NBLOCKS] = {6, 0, 9, 3};

size_t fx_block_first(size_t i)
{
    return block_first[i];
}

size_t fx_block_count(size_t i)
{
    size_t first = block_first[i];
    return first + FX_BLOCK <= FX_RUNS ? FX_BLOCK : FX_RUNS - first;
}

static ps_status write_block(ps_h5_sink *sink, size_t i, ps_error *err)
{
    size_t first = fx_block_first(i), n = fx_block_count(i);
    unsigned char status[FX_BLOCK];
    double values[FX_BLOCK * FX_VARS * FX_TIMES];
    double in[FX_BLOCK * FX_INPUTS];
    for (size_t k = 0; k < n; k++) {
        size_t r = first + k;
        status[k] = fx_status(r);
        for (size_t v = 0; v < FX_VARS; v++)
            for (size_t t = 0; t < FX_TIMES; t++)
                values[(k * FX_VARS + v) * FX_TIMES + t] = fx_value(r, v, t);
        for (size_t j = 0; j < FX_INPUTS; j++)
            in[k * FX_INPUTS + j] = fx_input(r, j);
    }
    return ps_h5_sink_type.write_block(sink, first, n, status, values, in, err);
}

ps_status fx_write(const char *path, const ps_h5_options *opts, size_t nblocks,
                   int summarize, int commit, ps_error *err)
{
    return fx_write_meta(path, fx_meta(), opts, nblocks, summarize, commit,
                         err);
}

ps_status fx_write_meta(const char *path, const ps_h5_meta *m,
                        const ps_h5_options *opts, size_t nblocks,
                        int summarize, int commit, ps_error *err)
{
    ps_h5_sink *sink;
    ps_status st = ps_h5_sink_open(path, m, opts, &sink, err);
    if (st != PS_OK)
        return st;
    const ps_ensemble_layout layout = {
        .nruns = FX_RUNS,
        .ntimes = FX_TIMES,
        .times = fx_times,
        .nsave = FX_VARS,
        .save = NULL,
        .ninputs = FX_INPUTS,
        .block = FX_BLOCK,
    };
    st = ps_h5_sink_type.begin(sink, &layout, err);
    for (size_t i = 0; i < nblocks && st == PS_OK; i++)
        st = write_block(sink, i, err);
    if (st == PS_OK && nblocks == FX_NBLOCKS)
        st = ps_h5_sink_type.end(sink, err);
    if (st == PS_OK && summarize)
        st = ps_h5_sink_summarize(sink, err);
    ps_error close_err;
    ps_status cst = ps_h5_sink_close(&sink, commit && st == PS_OK,
                                     st == PS_OK ? err : &close_err);
    return st != PS_OK ? st : cst;
}
