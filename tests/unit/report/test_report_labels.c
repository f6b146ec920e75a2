/*
 * Labels for readers: the labels file (its errors carry file:line:col),
 * the flagship's labels file covering every scenario (saved variables,
 * targets, inputs and observed series; so it cannot
 * drift), the one rounding rule for probabilities, reports in Chinese
 * and English from labelled summaries, and target labels placed where
 * the fan chart leaves room.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "plansim/scenario.h"
#include "plansim_output/labels.h"
#include "plansim_output/prob_text.h"
#include "report_fixture.h"
#include "report_impl.h"

/* ---- the labels file ------------------------------------------------------
 */

/* Writes `text` to a scratch file and loads it; returns the status, the
   error in *err. */
static ps_status load_text(const char *text, ps_labels **l, ps_error *err)
{
    char path[] = "/tmp/plansim-labels-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    ps_status st = ps_labels_load(path, l, err);
    unlink(path);
    return st;
}

static void test_labels_file_reads_every_section(void **state)
{
    (void)state;
    ps_labels *l = NULL;
    ps_error err;
    assert_int_equal(
        load_text("variables:\n"
                  "  gdp nominal: {zh: 地区生产总值, en: GDP, units_zh: 亿元,\n"
                  "                units_en: 100 million yuan}\n"
                  "  urbanization rate: {zh: 城镇化率, en: Urbanization,\n"
                  "                      percent: true}\n"
                  "  residents: {zh: 常住人口, en: Residents, scale: 1e-4}\n"
                  "targets:\n"
                  "  gdp_700: {zh: 七百亿, en: 70 billion}\n"
                  "inputs:\n"
                  "  chain va ratio: {zh: 增加值率, en: Value-added ratio}\n",
                  &l, &err),
        PS_OK);
    const ps_label *g = ps_labels_find(l, PS_LABEL_VARIABLE, "GDP_Nominal");
    assert_non_null(g); /* Vensim's name matching */
    assert_string_equal(g->zh, "地区生产总值");
    assert_string_equal(g->units_en, "100 million yuan");
    assert_true(g->scale == 1 && !g->percent);
    const ps_label *u =
        ps_labels_find(l, PS_LABEL_VARIABLE, "urbanization rate");
    assert_true(u->percent);
    assert_string_equal(u->units_zh, "");
    assert_true(ps_labels_find(l, PS_LABEL_VARIABLE, "residents")->scale ==
                1e-4);
    assert_string_equal(ps_labels_find(l, PS_LABEL_TARGET, "gdp_700")->en,
                        "70 billion");
    assert_null(ps_labels_find(l, PS_LABEL_TARGET, "gdp nominal"));
    char elem[64];
    const ps_label *e = ps_labels_lookup(
        l, PS_LABEL_INPUT, "chain va ratio[新材料]", elem, sizeof elem);
    assert_non_null(e);
    assert_string_equal(elem, "新材料");
    assert_null(ps_labels_lookup(l, PS_LABEL_INPUT, "va ratio[新材料]", elem,
                                 sizeof elem));
    ps_labels_free(&l);
    assert_null(l);
}

/* The error of a bad file: status, line, column and a phrase. */
static void expect_error(const char *text, int line, int col,
                         const char *phrase)
{
    ps_labels *l = NULL;
    ps_error err;
    assert_int_equal(load_text(text, &l, &err), PS_ERR_DATA);
    assert_null(l);
    if (err.line != line || err.column != col || !strstr(err.message, phrase)) {
        print_error("got %d:%d %s\n", err.line, err.column, err.message);
        fail();
    }
}

static void test_labels_file_errors_name_line_and_column(void **state)
{
    (void)state;
    expect_error("variables:\n  gdp: {zh: 甲, en: A, unit_zh: 亿元}\n", 2, 23,
                 "unknown key 'unit_zh'");
    expect_error("variables:\n  gdp: {zh: 甲}\n", 2, 3, "no en label");
    expect_error("variables:\n  gdp: {zh: 甲, en: A, scale: -1}\n", 2, 30,
                 "scale must be a positive number");
    expect_error("variables:\n  gdp: {zh: 甲, en: A, percent: yes}\n", 2, 32,
                 "percent must be true or false");
    expect_error("targets:\n  t: {zh: 甲, en: A, percent: true}\n", 2, 21,
                 "expected zh or en");
    expect_error("variables:\n  GDP nominal: {zh: 甲, en: A}\n"
                 "  gdp_nominal: {zh: 乙, en: B}\n",
                 3, 3, "given twice");
    expect_error("levers:\n  x: {zh: 甲, en: A}\n", 1, 1,
                 "unknown section 'levers'");
    expect_error("variables:\n  gdp: [zh, en]\n", 2, 3, "expected a mapping");
    expect_error("variables:\n  gdp: {zh: 甲, en: A\n", 3, 1, "comma");
}

static void test_labels_file_beside_the_model(void **state)
{
    (void)state;
    char buf[256];
    assert_string_equal(
        ps_labels_path_for_model("models/q/qianjiang.mdl", buf, sizeof buf),
        "models/q/qianjiang.labels.yaml");
    assert_string_equal(ps_labels_path_for_model("a.b/model", buf, sizeof buf),
                        "a.b/model.labels.yaml");
    assert_null(ps_labels_path_for_model("models/q.mdl", buf, 8));
    /* no file: no labels, no error */
    ps_labels *l = NULL;
    ps_error err;
    assert_int_equal(ps_labels_load_for_model("/nonexistent/m.mdl", &l, &err),
                     PS_OK);
    assert_null(l);
    assert_int_equal(ps_labels_load("/nonexistent/m.labels.yaml", &l, &err),
                     PS_ERR_NOINPUT);
}

/* Every saved variable, target and input of every flagship scenario has
   a label, so the labels file cannot fall behind the scenarios. */
static void test_flagship_labels_cover_every_scenario(void **state)
{
    (void)state;
    const char *src = getenv("PLANSIM_SOURCE_DIR");
    assert_non_null(src);
    static const char *const scenarios[] = {"baseline",       "plan",
                                            "downside",       "upside",
                                            "calibrate_2015", "holdout_2022"};
    char path[4096];
    snprintf(path, sizeof path, "%s/models/qianjiang/qianjiang.labels.yaml",
             src);
    ps_labels *l = NULL;
    ps_error err;
    assert_int_equal(ps_labels_load(path, &l, &err), PS_OK);
    int missing = 0;
    char elem[256];
    for (size_t k = 0; k < sizeof scenarios / sizeof scenarios[0]; k++) {
        ps_scenario *sc = NULL;
        snprintf(path, sizeof path, "%s/scenarios/%s.yaml", src, scenarios[k]);
        if (ps_scenario_load(path, &sc, &err) != PS_OK) {
            print_error("%s: %s\n", err.file, err.message);
            fail();
        }
        assert_non_null(sc->save);
        for (size_t i = 0; i < sc->nsave; i++)
            if (!ps_labels_lookup(l, PS_LABEL_VARIABLE, sc->save[i], elem,
                                  sizeof elem)) {
                print_error("%s: saved variable '%s' has no label\n",
                            scenarios[k], sc->save[i]);
                missing++;
            }
        for (size_t i = 0; i < sc->ntargets; i++) {
            const ps_sc_target *t = &sc->targets[i];
            if (!ps_labels_find(l, PS_LABEL_TARGET, t->name) ||
                !ps_labels_lookup(l, PS_LABEL_VARIABLE, t->variable, elem,
                                  sizeof elem)) {
                print_error("%s: target '%s' or its variable '%s' has no "
                            "label\n",
                            scenarios[k], t->name, t->variable);
                missing++;
            }
        }
        /* observed series: a calibration report names each by the label
           of the variable it measures */
        for (size_t i = 0; sc->observed && i < sc->observed->nseries; i++) {
            const char *name = sc->observed->series[i].name;
            if (!ps_labels_lookup(l, PS_LABEL_VARIABLE, name, elem,
                                  sizeof elem)) {
                print_error("%s: observed series '%s' has no label\n",
                            scenarios[k], name);
                missing++;
            }
        }
        const char *what = "input";
        for (int kind = 0; kind < 3; kind++) {
            size_t n = kind == 0   ? sc->ninputs
                       : kind == 1 ? sc->nlevers
                                   : sc->nfixed;
            for (size_t i = 0; i < n; i++) {
                const char *name = kind == 0   ? sc->inputs[i].name
                                   : kind == 1 ? sc->levers[i].name
                                               : sc->fixed[i].name;
                if (!ps_labels_lookup(l, PS_LABEL_INPUT, name, elem,
                                      sizeof elem)) {
                    print_error("%s: %s '%s' has no label\n", scenarios[k],
                                what, name);
                    missing++;
                }
            }
        }
        ps_scenario_free(&sc);
    }
    ps_labels_free(&l);
    assert_int_equal(missing, 0);
}

/* ---- the labels in the ensemble file ------------------------------------ */

/* `hay` contains `needle`, or the test fails showing both. */
static void assert_has(const char *hay, const char *needle)
{
    if (!hay || !strstr(hay, needle)) {
        print_error("missing: %s\nin:\n%s\n", needle, hay ? hay : "(null)");
        fail();
    }
}

static const ps_h5_input_info *input_named(const ps_h5_assumptions *a,
                                           const char *name)
{
    for (size_t j = 0; j < a->ninputs; j++)
        if (strcmp(a->inputs[j].name, name) == 0)
            return &a->inputs[j];
    fail_msg("no input %s", name);
    return NULL;
}

static void read_all(const char *path, ps_h5_summary **s, ps_h5_assumptions **a)
{
    ps_error err;
    assert_int_equal(ps_h5_summary_read(path, s, &err), PS_OK);
    assert_int_equal(ps_h5_assumptions_read(path, a, &err), PS_OK);
    assert_int_equal(ps_h5_labels_read(path, *s, *a, &err), PS_OK);
}

/* The run stores the labels beside the model's units and long_name;
   they read back, and the report shows them from the file alone. */
static void test_labels_round_trip_through_the_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/plansim-labels-h5-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256], bare[256], rep[256], file[512];
    snprintf(path, sizeof path, "%s/l.h5", dir);
    snprintf(bare, sizeof bare, "%s/b.h5", dir);
    snprintf(rep, sizeof rep, "%s/rep", dir);
    ps_labels *l = NULL;
    ps_error err;
    assert_int_equal(
        load_text("variables:\n"
                  "  gdp: {zh: 地区生产总值, en: GDP, units_zh: 十亿元,\n"
                  "        units_en: billion yuan, scale: 0.1}\n"
                  "targets:\n"
                  "  gdp_700: {zh: 七百亿, en: Seventy billion}\n"
                  "inputs:\n"
                  "  储蓄率: {zh: 储蓄率, en: Saving rate}\n"
                  "  fai growth: {zh: 投资增速, en: Investment growth}\n",
                  &l, &err),
        PS_OK);
    assert_int_equal(rf_write_h5_labelled(path, rf_meta(), 1, l, &err), PS_OK);
    ps_h5_summary *s = NULL;
    ps_h5_assumptions *a = NULL;
    read_all(path, &s, &a);
    assert_string_equal(s->labels_file, l->path);
    const ps_h5_var_summary *v = &s->vars[0];
    assert_string_equal(v->label_zh, "地区生产总值");
    assert_string_equal(v->label_en, "GDP");
    assert_string_equal(v->units_zh, "十亿元");
    assert_string_equal(v->units_en, "billion yuan");
    assert_true(v->display_scale == 0.1 && !v->display_percent);
    assert_string_equal(v->units, "亿元"); /* the model's, unchanged */
    assert_string_equal(v->long_name, "地区生产总值");
    assert_string_equal(s->targets[0].label_en, "Seventy billion");
    assert_string_equal(input_named(a, "储蓄率")->label_en, "Saving rate");
    assert_string_equal(input_named(a, "TFP growth")->label_en, "");
    assert_string_equal(a->levers[0].label_en, "Investment growth");
    assert_string_equal(a->levers[1].label_zh, "");
    ps_h5_summary_free(&s);
    ps_h5_assumptions_free(&a);

    /* a file without labels: none read, and the report says so */
    assert_int_equal(rf_write_h5(bare, 1, &err), PS_OK);
    read_all(bare, &s, &a);
    assert_null(s->labels_file);
    assert_null(s->vars[0].label_zh);
    assert_null(s->targets[0].label_en);
    ps_h5_summary_free(&s);
    ps_h5_assumptions_free(&a);

    /* the English report from the labelled file: its names, its units,
       its scale (431.1 亿元 shows as 43.1 billion yuan) */
    ps_report_options o = {.lang = PS_REPORT_EN};
    assert_int_equal(ps_report_write(path, rep, &o, &err), PS_OK);
    snprintf(file, sizeof file, "%s/fan_GDP.svg", rep);
    char *svg = rf_slurp(file, NULL);
    assert_non_null(svg);
    assert_non_null(strstr(svg, "<title>GDP</title>"));
    assert_non_null(strstr(svg, ">billion yuan</text>"));
    free(svg);
    snprintf(file, sizeof file, "%s/variables.md", rep);
    char *md = rf_slurp(file, NULL);
    assert_non_null(md);
    assert_has(md, "## GDP\n\nUnits: billion yuan.");
    assert_has(md, "| 2025 |   43.1 |");
    free(md);
    snprintf(file, sizeof file, "%s/targets.md", rep);
    md = rf_slurp(file, NULL);
    assert_has(md, "| Seventy billion | 2030 | ≥ 70 ");
    free(md);
    ps_labels_free(&l);
    rf_remove_tree(dir);
}

/* ---- one rounding rule -------------------------------------------------- */

static void expect_prob(double p, const char *dec, const char *pct)
{
    char a[32], b[32];
    assert_string_equal(ps_prob_text(p, PS_PROB_DECIMAL, a, sizeof a), dec);
    assert_string_equal(ps_prob_text(p, PS_PROB_PERCENT, b, sizeof b), pct);
}

static void test_probabilities_round_half_away_on_the_decimal(void **state)
{
    (void)state;
    /* 0.3965 is 0.39649999... as a double: rounded as written */
    expect_prob(0.3965, "0.397", "39.7%");
    expect_prob(0.0005, "0.001", "0.1%");
    expect_prob(0.00049999, "0.000", "0.0%");
    expect_prob(0.125, "0.125", "12.5%");
    expect_prob(0.9995, "1.000", "100.0%");
    expect_prob(1, "1.000", "100.0%");
    expect_prob(0, "0.000", "0.0%");
    expect_prob(79.0 / 200, "0.395", "39.5%");
    expect_prob(NAN, "n/a", "n/a");
    expect_prob(-0.0015, "-0.002", "-0.2%");
    assert_int_equal(ps_prob_thousandths(0.3965), 397);
    /* the report's percentage is the same rule */
    char buf[RP_NUM_MAX];
    assert_string_equal(rp_pct(0.3965, buf), "39.7%");
}

/* ---- label placement --------------------------------------------------- */

static void test_label_goes_above_its_line_when_free(void **state)
{
    (void)state;
    /* line at 200, plot 100-400, busy below the line only */
    rp_span busy[] = {{204, 300}};
    assert_true(rp_label_place(200, 16, 4, 100, 400, busy, 1) == 196);
}

static void test_label_moves_below_when_the_median_is_above(void **state)
{
    (void)state;
    /* the median passes through the default spot, just above the line */
    rp_span busy[] = {{185, 190}};
    assert_true(rp_label_place(200, 16, 4, 100, 400, busy, 1) == 220);
}

static void test_label_goes_to_the_nearest_free_room(void **state)
{
    (void)state;
    /* the band covers 150-300 around the line: the nearest room is above
       it (150 - 16 .. 150) rather than below (300 .. 316) */
    rp_span busy[] = {{150, 300}};
    assert_true(rp_label_place(200, 16, 4, 100, 400, busy, 1) == 150);
    /* and below when that is nearer */
    rp_span low[] = {{110, 260}};
    assert_true(rp_label_place(240, 16, 4, 100, 400, low, 1) == 276);
}

static void test_label_takes_the_least_covered_spot_when_full(void **state)
{
    (void)state;
    rp_span busy[] = {{100, 390}};
    double y = rp_label_place(200, 16, 4, 100, 400, busy, 1);
    assert_true(y >= 390 + 10 && y <= 400); /* mostly in the free 10 px */
}

/* A fan whose median runs along the target's line from the start: the
   default spot (just above the line at the left) is taken by the band,
   so the label must go where the band is not. */
static void test_fan_label_never_crosses_the_band(void **state)
{
    (void)state;
    double times[6] = {2025, 2026, 2027, 2028, 2029, 2030};
    double levels[5] = {0.05, 0.25, 0.5, 0.75, 0.95};
    double q[5 * 6], mean[6], sd[6];
    for (size_t k = 0; k < 6; k++) {
        double w = 2 + 2.0 * (double)k;
        double v[5] = {100 - w, 100 - w / 2, 100, 100 + w / 2, 100 + w};
        for (size_t j = 0; j < 5; j++)
            q[j * 6 + k] = v[j];
        mean[k] = 100;
        sd[k] = w / 2;
    }
    ps_h5_var_summary var = {.name = "x",
                             .model_name = "x",
                             .units = "",
                             .long_name = "指标",
                             .mean = mean,
                             .sd = sd,
                             .quantiles = q,
                             .element = ""};
    ps_h5_target_summary tg = {.name = "t",
                               .label = "指标达到100",
                               .variable = "x",
                               .source = "",
                               .time = 2030,
                               .compare = PS_SC_AT_LEAST,
                               .lo = 100,
                               .hi = NAN,
                               .hits = 10,
                               .runs = 20,
                               .probability = 0.5,
                               .ci_low = 0.3,
                               .ci_high = 0.7,
                               .prior_probability = NAN};
    ps_h5_summary s = {.title = "",
                       .time_units = "year",
                       .runs = 20,
                       .runs_ok = 20,
                       .ntimes = 6,
                       .times = times,
                       .nquantiles = 5,
                       .quantiles = levels,
                       .nvars = 1,
                       .vars = &var,
                       .ntargets = 1,
                       .targets = &tg,
                       .calibration_file = "",
                       .calibration_method = "",
                       .calibration_ess = NAN};
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    ps_error err;
    assert_int_equal(ps_report_fan_svg(out, &s, 0, NULL, &err), PS_OK);
    fclose(out);
    /* the label: where it starts, its text and so its width */
    const char *g = strstr(buf, "<g class=\"target\">");
    assert_non_null(g);
    const char *text = strstr(g, "<text x=\"");
    assert_non_null(text);
    double tx, ty;
    assert_int_equal(sscanf(text, "<text x=\"%lf\" y=\"%lf\"", &tx, &ty), 2);
    const char *open = strchr(text, '>') + 1;
    char label[1024];
    snprintf(label, sizeof label, "%.*s", (int)(strstr(open, "</text>") - open),
             open);
    double xa = tx, xb = tx + rp_text_em(label) * RP_SVG_FONT;
    /* the outer band's vertical extent over the label's width: every
       edge of its polygon that reaches into [xa, xb] */
    const char *poly =
        strstr(buf, "<polygon fill=\"#c6dbef\" stroke=\"none\" points=\"");
    assert_non_null(poly);
    poly = strstr(poly, "points=\"") + strlen("points=\"");
    double px[64], py[64];
    size_t np = 0;
    for (const char *p = poly; *p && *p != '"' && np < 64;) {
        int n;
        if (sscanf(p, "%lf,%lf%n", &px[np], &py[np], &n) != 2)
            break;
        np++;
        p += n;
        while (*p == ' ')
            p++;
    }
    assert_true(np >= 4);
    double ytop = INFINITY, ybot = -INFINITY;
    for (size_t i = 0; i < np; i++) {
        size_t j = (i + 1) % np;
        if (fmax(px[i], px[j]) < xa || fmin(px[i], px[j]) > xb)
            continue;
        ytop = fmin(ytop, fmin(py[i], py[j]));
        ybot = fmax(ybot, fmax(py[i], py[j]));
    }
    assert_true(ybot > ytop);
    /* the default spot, just above the line at the left, is in the band:
       the test would prove nothing otherwise */
    assert_true(ybot > 200 && ytop < 200);
    /* the text (12 px high above its baseline, 4 below) is clear of it */
    int above = ty + 4 <= ytop;
    int below = ty - 12 >= ybot;
    if (!above && !below) {
        print_error("label at y %g inside the band %g-%g over x %g-%g\n", ty,
                    ytop, ybot, xa, xb);
        fail();
    }
    free(buf);
}

/* ---- reports from labelled summaries ---------------------------------- */

static ps_h5_var_summary labelled_var(double *mean, double *sd, double *q)
{
    ps_h5_var_summary v = {.name = "urbanization_rate",
                           .model_name = "urbanization rate",
                           .units = "Dmnl",
                           .long_name = "城镇化率 Urbanization rate",
                           .mean = mean,
                           .sd = sd,
                           .quantiles = q,
                           .element = "",
                           .label_zh = "常住人口城镇化率",
                           .label_en = "Urbanization rate",
                           .units_zh = "",
                           .units_en = "",
                           .display_scale = 1,
                           .display_percent = 1};
    return v;
}

static char *render_targets(const ps_h5_summary *s, ps_report_lang lang)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    ps_report_options o = {.lang = lang};
    ps_error err;
    assert_int_equal(ps_report_targets_md(out, s, &o, &err), PS_OK);
    fclose(out);
    return buf;
}

static void test_reports_speak_the_readers_language(void **state)
{
    (void)state;
    double times[2] = {2025, 2030};
    double levels[5] = {0.05, 0.25, 0.5, 0.75, 0.95};
    double q[10] = {0.6, 0.68, 0.6, 0.69, 0.6, 0.6933, 0.6, 0.70, 0.6, 0.71};
    double mean[2] = {0.6, 0.69}, sd[2] = {0, 0.01};
    ps_h5_var_summary v = labelled_var(mean, sd, q);
    ps_h5_target_summary tg = {.name = "urbanization_72",
                               .label = "常住人口城镇化率达到72%",
                               .label_zh = "常住人口城镇化率达到72%",
                               .label_en = "Urbanization reaches 72%",
                               .variable = "urbanization rate",
                               .source = "",
                               .time = 2030,
                               .compare = PS_SC_AT_LEAST,
                               .lo = 0.72,
                               .hi = NAN,
                               .hits = 793,
                               .runs = 2000,
                               .probability = 0.3965,
                               .ci_low = 0.375,
                               .ci_high = 0.418,
                               .prior_probability = NAN};
    ps_h5_summary s = {.title = "",
                       .time_units = "year",
                       .runs = 2000,
                       .runs_ok = 2000,
                       .ntimes = 2,
                       .times = times,
                       .nquantiles = 5,
                       .quantiles = levels,
                       .nvars = 1,
                       .vars = &v,
                       .ntargets = 1,
                       .targets = &tg,
                       .calibration_file = "",
                       .calibration_method = "",
                       .calibration_ess = NAN,
                       .labels_file = "m.labels.yaml"};
    char *zh = render_targets(&s, PS_REPORT_ZH);
    /* the target as the plan states it, the value as a percentage, the
       probability by the one rule, the interval named for what it is */
    assert_non_null(strstr(zh, "| 常住人口城镇化率达到72% | 2030 | ≥ 72% |"));
    assert_non_null(strstr(zh, "39.7%"));
    assert_non_null(strstr(zh, "69.3%"));
    assert_non_null(strstr(zh, "模拟抽样误差95%区间"));
    assert_non_null(strstr(zh, "5%–95%结果区间"));
    assert_null(strstr(zh, "置信区间"));
    assert_null(strstr(zh, "urbanization"));
    assert_null(strstr(zh, "Dmnl"));
    assert_null(strstr(zh, "本文件未保存面向读者的标签"));
    free(zh);
    char *en = render_targets(&s, PS_REPORT_EN);
    assert_non_null(strstr(en, "# Probability of reaching the targets"));
    assert_non_null(strstr(en, "| Urbanization reaches 72% | 2030 | ≥ 72% |"));
    assert_non_null(strstr(en, "95% Monte Carlo sampling interval"));
    assert_non_null(strstr(en, "5–95% range of outcomes"));
    assert_non_null(strstr(en, "39.7%"));
    assert_null(strstr(en, "达成"));
    assert_null(strstr(en, "urbanization rate"));
    free(en);
    /* the appendix maps the label to the model's name and scale */
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    ps_error err;
    assert_int_equal(ps_report_appendix_md(out, &s, NULL, NULL, &err), PS_OK);
    fclose(out);
    assert_non_null(
        strstr(buf, "| 常住人口城镇化率 | urbanization rate | Dmnl"));
    assert_non_null(strstr(buf, "| ×100（百分数） |"));
    assert_non_null(strstr(buf, "m.labels.yaml"));
    free(buf);
    /* without labels: the model's names, and a note saying so */
    s.labels_file = NULL;
    v.label_zh = v.label_en = NULL;
    v.display_percent = 0;
    v.display_scale = 0;
    tg.label_zh = tg.label_en = NULL;
    zh = render_targets(&s, PS_REPORT_ZH);
    assert_non_null(strstr(zh, "本文件未保存面向读者的标签"));
    assert_non_null(strstr(zh, "≥ 0.72"));
    free(zh);
    en = render_targets(&s, PS_REPORT_EN);
    assert_non_null(strstr(en, "This file stores no labels for readers"));
    free(en);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_labels_file_reads_every_section),
        cmocka_unit_test(test_labels_file_errors_name_line_and_column),
        cmocka_unit_test(test_labels_file_beside_the_model),
        cmocka_unit_test(test_flagship_labels_cover_every_scenario),
        cmocka_unit_test(test_labels_round_trip_through_the_file),
        cmocka_unit_test(test_probabilities_round_half_away_on_the_decimal),
        cmocka_unit_test(test_label_goes_above_its_line_when_free),
        cmocka_unit_test(test_label_moves_below_when_the_median_is_above),
        cmocka_unit_test(test_label_goes_to_the_nearest_free_room),
        cmocka_unit_test(test_label_takes_the_least_covered_spot_when_full),
        cmocka_unit_test(test_fan_label_never_crosses_the_band),
        cmocka_unit_test(test_reports_speak_the_readers_language),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
