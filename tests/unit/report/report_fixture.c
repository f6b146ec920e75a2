/*
 * The report tests' fixtures (report_fixture.h).
 */
#include "report_fixture.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plansim/ensemble.h"

/* ---- in memory ------------------------------------------------------------ */

static double times[RF_TIMES] = {2025, 2026, 2027, 2028, 2029, 2030};
static double levels[7] = {0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95};

static double gdp_mean[RF_TIMES] = {431.1, 474.0, 521.6, 574.3, 632.8, 697.7};
static double gdp_sd[RF_TIMES] = {0, 12.3, 27.0, 44.6, 65.5, 90.3};
static double gdp_q[7 * RF_TIMES] = {
    431.1, 455.2, 480.9, 506.3, 534.1, 563.5, /* 5 %  */
    431.1, 459.7, 490.3, 521.6, 556.2, 590.8, /* 10 % */
    431.1, 466.0, 503.4, 542.9, 585.7, 629.4, /* 25 % */
    431.1, 473.7, 520.4, 571.8, 628.2, 690.2, /* 50 % */
    431.1, 482.1, 540.2, 604.9, 677.3, 757.6, /* 75 % */
    431.1, 489.6, 558.7, 636.8, 725.1, 823.9, /* 90 % */
    431.1, 493.4, 564.8, 646.5, 740.0, 847.0, /* 95 % */
};

/* The ratio has no value in 2027 (a gap in the chart). */
#define GAP NAN
static double ratio_mean[RF_TIMES] = {0.05, 0.0505, GAP, 0.0515, 0.052, 0.0525};
static double ratio_sd[RF_TIMES] = {0.006, 0.006, GAP, 0.006, 0.006, 0.006};
static double ratio_q[7 * RF_TIMES] = {
    0.040, 0.041, GAP, 0.043, 0.044, 0.045,       /* 5 %  */
    0.042, 0.043, GAP, 0.045, 0.046, 0.047,       /* 10 % */
    0.045, 0.046, GAP, 0.048, 0.049, 0.050,       /* 25 % */
    0.050, 0.0505, GAP, 0.0515, 0.052, 0.0525,    /* 50 % */
    0.055, 0.056, GAP, 0.058, 0.059, 0.060,       /* 75 % */
    0.058, 0.059, GAP, 0.061, 0.062, 0.063,       /* 90 % */
    0.060, 0.061, GAP, 0.063, 0.064, 0.065,       /* 95 % */
};

static ps_h5_var_summary vars[2] = {
    {.name = "GDP",
     .model_name = "GDP",
     .units = "亿元",
     .long_name = "地区生产总值",
     .mean = gdp_mean,
     .sd = gdp_sd,
     .quantiles = gdp_q},
    {.name = "a_b_c",
     .model_name = "a<b & \"c\"",
     .units = "%",
     .long_name = "比率 <&> \"引号\" 'x'",
     .mean = ratio_mean,
     .sd = ratio_sd,
     .quantiles = ratio_q},
};

static double gdp_by[RF_TIMES] = {0, 0, 0, 0, 0.05, 0.48};
static double band_by[RF_TIMES] = {0.2, 0.3, GAP, 0.6, 0.5, 0.4};
static double cap_by[RF_TIMES] = {GAP, GAP, GAP, GAP, GAP, GAP};

static ps_h5_target_summary targets[3] = {
    {.name = "gdp_700",
     .label = "地区生产总值力争达到700亿元",
     .variable = "GDP",
     .source = "规划纲要",
     .time = 2030,
     .compare = PS_SC_AT_LEAST,
     .lo = 700,
     .hi = NAN,
     .binding = 0,
     .hits = 48,
     .runs = 100,
     .probability = 0.48,
     .ci_low = 0.3846,
     .ci_high = 0.5768,
     .probability_by_time = gdp_by},
    {.name = "ratio_band",
     .label = "比率 5%–6% <&> \"区间\", |x|",
     .variable = "a<b & \"c\"",
     .source = "",
     .time = 2028,
     .compare = PS_SC_BETWEEN,
     .lo = 0.05,
     .hi = 0.06,
     .binding = 1,
     .hits = 60,
     .runs = 100,
     .probability = 0.6,
     .ci_low = 0.502,
     .ci_high = 0.6905,
     .probability_by_time = band_by},
    {.name = "ratio_cap",
     .label = "",
     .variable = "a<b & \"c\"",
     .source = "",
     .time = 2030,
     .compare = PS_SC_AT_MOST,
     .lo = NAN,
     .hi = 0.064,
     .binding = 0,
     .hits = 0,
     .runs = 0,
     .probability = NAN,
     .ci_low = 0,
     .ci_high = 1,
     .probability_by_time = cap_by},
};

static const ps_h5_summary summary = {
    .title = "钱江区 <测试> & \"情景\"",
    .time_units = "year",
    .runs = 101,
    .runs_ok = 100,
    .runs_failed = 1,
    .runs_pending = 0,
    .ntimes = RF_TIMES,
    .times = times,
    .nquantiles = 7,
    .quantiles = levels,
    .nvars = 2,
    .vars = vars,
    .ntargets = 3,
    .targets = targets,
};

const ps_h5_summary *rf_summary(void)
{
    return &summary;
}

static ps_h5_input_info inputs[2] = {
    {.name = "储蓄率",
     .label = "储蓄率 (saving rate)",
     .source = "统计年鉴, 2024",
     .distribution = "triangular(min=0.25, mode=0.3, max=0.35)",
     .runs = 100,
     .p05 = 0.2658,
     .p95 = 0.3342},
    {.name = "TFP growth",
     .label = "",
     .source = "",
     .distribution = "normal(mean=0.01, sd=0.005)",
     .runs = 0,
     .p05 = NAN,
     .p95 = NAN},
};

static ps_h5_fixed_info fixed[2] = {
    {.name = "depreciation rate",
     .units = "1/year",
     .label = "折旧率",
     .source = "Zhang \"et al.\" 2004",
     .value = 0.08},
    {.name = "tfp growth", .units = "1/year", .label = "", .source = "",
     .value = 0.02},
};

static double lever_t0[3] = {2026, 2028, 2030};
static double lever_v0[3] = {0.2, 0.18, 0.15};
static double lever_t1[1] = {2026};
static double lever_v1[1] = {0.25};

static ps_h5_lever_info levers[2] = {
    {.name = "fai growth",
     .units = "1/year",
     .label = "固定资产投资增速",
     .source = "规划纲要 第三章",
     .n = 3,
     .time = lever_t0,
     .value = lever_v0},
    {.name = "tax | rate",
     .units = "Dmnl",
     .label = "税率",
     .source = "",
     .n = 1,
     .time = lever_t1,
     .value = lever_v1},
};

static const ps_h5_assumptions assumptions = {
    .title = "钱江区 <测试> & \"情景\"",
    .description = "两行说明\n第二行",
    .created = "2025-06-01T08:30:00Z",
    .engine_version = "0.1.0-test",
    .command_line = "plansim run s.yaml -o out.h5",
    .model_file = "qianjiang.mdl",
    .model_sha256 =
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    .sampling = "lhs",
    .has_seed = 1,
    .seed = 18446744073709551557ULL,
    .ninputs = 2,
    .inputs = inputs,
    .nfixed = 2,
    .fixed = fixed,
    .nlevers = 2,
    .levers = levers,
};

const ps_h5_assumptions *rf_assumptions(void)
{
    return &assumptions;
}

/* ---- on disk ------------------------------------------------------------- */

static const ps_h5_var_meta file_vars[1] = {{"GDP", "亿元", "地区生产总值", 0, NULL}};

static const ps_h5_input_meta file_inputs[2] = {
    {"储蓄率", "储蓄率 (saving rate)", "统计年鉴", "uniform(min=0.25, max=0.35)"},
    {"TFP growth", NULL, NULL, "uniform(min=0, max=0.01)"},
};

static const ps_h5_target_meta file_targets[1] = {
    {"gdp_700", "地区生产总值 ≥ 700亿元", "GDP", 2030, PS_SC_AT_LEAST, 700, 0,
     0, "规划"},
};

static const double file_lever_t0[3] = {2026, 2028, 2030};
static const double file_lever_v0[3] = {0.2, 0.18, 0.15};
static const double file_lever_t1[1] = {2027};
static const double file_lever_v1[1] = {0.25};

static const ps_h5_fixed_meta file_fixed[2] = {
    {"depreciation rate", "1/Year", 0.08, "折旧率", "Zhang et al. 2004"},
    {"tfp growth", NULL, 0.02, NULL, NULL},
};

static const ps_h5_lever_meta file_levers[2] = {
    {"fai growth", "1/Year", 3, file_lever_t0, file_lever_v0, "固定资产投资增速",
     "规划纲要"},
    {"tax rate", "Dmnl", 1, file_lever_t1, file_lever_v1, NULL, NULL},
};

static const char *const scenario_names[1] = {"report.yaml"};
static const char *const scenario_texts[1] = {"title: 报告\nmodel: x.mdl\n"};

static const ps_h5_meta file_meta = {
    .title = "报告 <测试>",
    .description = "fixture",
    .nscenario_files = 1,
    .scenario_names = scenario_names,
    .scenario_texts = scenario_texts,
    .model_file = "x.mdl",
    .model_sha256 = "00",
    .seed = 42,
    .sampling = "mc",
    .engine_version = "0.1.0-test",
    .command_line = "plansim run report.yaml -o out.h5",
    .time_units = "year",
    .nvars = 1,
    .vars = file_vars,
    .ninputs = 2,
    .inputs = file_inputs,
    .ntargets = 1,
    .targets = file_targets,
    .nfixed = 2,
    .fixed = file_fixed,
    .nlevers = 2,
    .levers = file_levers,
};

const ps_h5_meta *rf_meta(void)
{
    return &file_meta;
}

double rf_input(size_t r, size_t j)
{
    return j == 0 ? 0.25 + 0.005 * (double)r : 0.01 - 0.0005 * (double)r;
}

ps_status rf_write_h5(const char *path, int summarize, ps_error *err)
{
    return rf_write_h5_meta(path, &file_meta, summarize, err);
}

ps_status rf_write_h5_meta(const char *path, const ps_h5_meta *meta,
                           int summarize, ps_error *err)
{
    return rf_write_h5_labelled(path, meta, summarize, NULL, err);
}

ps_status rf_write_h5_labelled(const char *path, const ps_h5_meta *meta,
                               int summarize, const ps_labels *labels,
                               ps_error *err)
{
    return rf_write_h5_sensitivity(path, labels, NULL, summarize, meta, err);
}

ps_status rf_write_h5_sensitivity(const char *path, const ps_labels *labels,
                                  const ps_h5_sensitivity *x, int summarize,
                                  const ps_h5_meta *meta, ps_error *err)
{
    ps_h5_sink *sink;
    ps_status st =
        ps_h5_sink_open(path, meta ? meta : &file_meta, NULL, &sink, err);
    if (st != PS_OK)
        return st;
    const ps_ensemble_layout layout = {
        .nruns = RF_RUNS,
        .ntimes = RF_TIMES,
        .times = times,
        .nsave = 1,
        .save = NULL,
        .ninputs = 2,
        .block = RF_RUNS,
    };
    unsigned char status[RF_RUNS];
    double values[RF_RUNS * RF_TIMES];
    double in[RF_RUNS * 2];
    for (size_t r = 0; r < RF_RUNS; r++) {
        status[r] = r == RF_FAILED_RUN ? PS_RUN_FAILED : PS_RUN_OK;
        for (size_t t = 0; t < RF_TIMES; t++)
            values[r * RF_TIMES + t] = r == RF_FAILED_RUN && t >= 2
                                           ? NAN
                                           : 431.1 + 10.0 * (double)(r * t);
        for (size_t j = 0; j < 2; j++)
            in[r * 2 + j] = rf_input(r, j);
    }
    st = ps_h5_sink_type.begin(sink, &layout, err);
    if (st == PS_OK)
        st = ps_h5_sink_type.write_block(sink, 0, RF_RUNS, status, values, in,
                                         err);
    if (st == PS_OK)
        st = ps_h5_sink_type.end(sink, err);
    if (st == PS_OK && summarize)
        st = ps_h5_sink_summarize(sink, err);
    if (st == PS_OK)
        st = ps_h5_sink_write_labels(sink, labels, err);
    if (st == PS_OK && x)
        st = ps_h5_sink_write_sensitivity(sink, x, err);
    ps_error close_err;
    ps_status cst = ps_h5_sink_close(&sink, st == PS_OK,
                                     st == PS_OK ? err : &close_err);
    return st != PS_OK ? st : cst;
}

char *rf_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n < cap - 1)
            break;
        char *bigger = realloc(buf, 2 * cap);
        if (!bigger) {
            free(buf);
            buf = NULL;
        } else {
            buf = bigger;
            cap *= 2;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

void rf_remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (!S_ISDIR(st.st_mode)) {
        remove(path);
        return;
    }
    DIR *dir = opendir(path);
    if (dir) {
        struct dirent *e;
        while ((e = readdir(dir))) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            size_t n = strlen(path) + strlen(e->d_name) + 2;
            char *sub = malloc(n);
            if (sub) {
                snprintf(sub, n, "%s/%s", path, e->d_name);
                rf_remove_tree(sub);
                free(sub);
            }
        }
        closedir(dir);
    }
    rmdir(path);
}
