/*
 * plansim solve: how far must a lever move for a target's probability to
 * reach P?  A bracketing root finder (plansim_study/lever_root.h) on the
 * probability estimated by the scenario's ensemble with common random
 * numbers, then the same for the ends of P's Monte Carlo interval, which
 * turns the sampling error of P into an interval on the lever.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "interrupt.h"
#include "plansim_study/sweep.h"
#include "plansim_study/lever_root.h"
#include "plansim/stats.h"
#include "plansim_output/prob_text.h"
#include "plansim_output/study_json.h"
#include "progress.h"
#include "study_io.h"
#include "plansim_study/run.h"

/* A safety net far beyond what bisection to any sane tolerance needs. */
#define MAX_EVALUATIONS 400

static void help(FILE *out)
{
    cli_print_usage(out, &cli_solve);
    fputs(
        "\n"
        "Finds the smallest value of LEVER in [A, B] at which the\n"
        "probability of target NAME reaches P (with --largest: the largest\n"
        "value, for a lever that works against the target).  Every\n"
        "evaluation runs the scenario's ensemble with the same seed and the\n"
        "same sampled inputs (common random numbers), so the probability\n"
        "changes only with the lever.\n"
        "\n"
        "The ends are evaluated first; then the bracket where the\n"
        "probability crosses P is halved until it is no wider than the\n"
        "tolerance.  The answer comes with an interval from the Monte Carlo\n"
        "error: the lever values where the probability crosses the ends of\n"
        "the 95 % Wilson interval of P for the number of runs.  More runs\n"
        "narrow it.\n"
        "\n"
        "A lever given as a time path takes one value over the whole run.\n"
        "\n"
        "Options:\n"
        "  -T, --target NAME       the target (required)\n"
        "  -p, --probability P     the probability to reach, 0 < P < 1\n"
        "                          (required)\n"
        "  -l, --lever NAME        a lever, fixed value or model constant\n"
        "                          (required)\n"
        "  -r, --range A:B         where to look (default: the lever's value\n"
        "                          in the scenario -100 % to +100 %; required\n"
        "                          when that value is 0)\n"
        "  -L, --largest           the largest value reaching P (for a lever\n"
        "                          whose increase lowers the probability)\n"
        "  -e, --tolerance T       width of the final bracket (default:\n"
        "                          (B - A) / 1000)\n"
        "  -n, --runs N            runs per evaluation (default: the\n"
        "                          scenario's)\n"
        "  -s, --seed S            random seed (default: the scenario's)\n"
        "  -t, --threads T         threads (default: all cores)\n"
        "  -f, --format FMT        table (aligned text, the default) or\n"
        "                          json\n"
        "  -v, --verbose           every evaluation on stderr\n"
        "  -P, --posterior POST.h5\n"
        "                        draw the calibrated inputs from this\n"
        "                        posterior (plansim calibrate)\n"
        "  -q, --quiet             no progress bar, no warnings about failed\n"
        "                          runs\n"
        "  -h, --help              show this help and exit\n"
        "\n"
        "When no value in [A, B] reaches P, the answer says so and gives\n"
        "the probability at the best end; that is an answer, and the exit\n"
        "status is 0.  A probability that is not monotone in the lever is\n"
        "reported with a warning on stderr.\n"
        "\n"
        "Exit status: 0 an answer (a value, or none in the range), 64\n"
        "usage, 65 a bad scenario or model, or every run failing at some\n"
        "value, 66 a file that cannot be read, 130 interrupted.\n",
        out);
}

typedef struct solve_args {
    const char *scenario, *target, *lever;
    double probability;
    int has_probability, has_range, largest, verbose, quiet;
    int json; /* --format json */
    const char *posterior;
    double a, b, tolerance; /* tolerance 0: the default */
    long long runs;         /* -1: the scenario's */
    int has_seed;
    unsigned long long seed;
    int threads;
} solve_args;

/* Returns -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, solve_args *a)
{
    static const struct option options[] = {
        {"target", required_argument, NULL, 'T'},
        {"probability", required_argument, NULL, 'p'},
        {"lever", required_argument, NULL, 'l'},
        {"range", required_argument, NULL, 'r'},
        {"largest", no_argument, NULL, 'L'},
        {"tolerance", required_argument, NULL, 'e'},
        {"runs", required_argument, NULL, 'n'},
        {"seed", required_argument, NULL, 's'},
        {"threads", required_argument, NULL, 't'},
        {"verbose", no_argument, NULL, 'v'},
        {"format", required_argument, NULL, 'f'},
        {"posterior", required_argument, NULL, 'P'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    char prog[64], msg[512];
    int c, rc;
    long long v = 0;
    a->runs = -1;
    cli_getopt_begin(&cli_solve, argv, prog, sizeof prog);
    while ((c = getopt_long(argc, argv, "T:p:l:r:Le:n:s:t:vf:P:qh", options,
                            NULL)) != -1) {
        switch (c) {
        case 'T':
            if (a->target)
                return cli_usage_error(&cli_solve,
                                       "--target: one target at a time");
            a->target = optarg;
            break;
        case 'p':
            if (study_parse_number(optarg, &a->probability) != 0 ||
                !(a->probability > 0 && a->probability < 1))
                return cli_usage_error(&cli_solve,
                                       "--probability: '%s' is not a number "
                                       "between 0 and 1 (exclusive)",
                                       optarg);
            a->has_probability = 1;
            break;
        case 'l':
            if (a->lever)
                return cli_usage_error(&cli_solve,
                                       "--lever: one lever at a time (vary "
                                       "several with plansim sweep)");
            a->lever = optarg;
            break;
        case 'r':
            if (grid_parse_range(optarg, &a->a, &a->b, msg, sizeof msg))
                return cli_usage_error(&cli_solve, "--range: %s", msg);
            a->has_range = 1;
            break;
        case 'L':
            a->largest = 1;
            break;
        case 'e':
            if (study_parse_number(optarg, &a->tolerance) != 0 ||
                !(a->tolerance > 0))
                return cli_usage_error(&cli_solve,
                                       "--tolerance: '%s' is not a positive "
                                       "number",
                                       optarg);
            break;
        case 'n':
            if ((rc = cli_parse_count(&cli_solve, "--runs", optarg, 1, 1LL << 40, &a->runs)) != 0)
                return rc;
            break;
        case 's':
            if ((rc = cli_parse_seed(&cli_solve, optarg, &a->seed)) != 0)
                return rc;
            a->has_seed = 1;
            break;
        case 't':
            if ((rc = cli_parse_count(&cli_solve, "--threads", optarg, 1, 4096, &v)) != 0)
                return rc;
            a->threads = (int)v;
            break;
        case 'v':
            a->verbose = 1;
            break;
        case 'f':
            rc = cli_parse_table_or_json(&cli_solve, optarg, &a->json);
            if (rc != 0)
                return rc;
            break;
        case 'q':
            a->quiet = 1;
            break;
        case 'P':
            a->posterior = optarg;
            break;
        case 'h':
            help(stdout);
            return 0;
        default:
            return cli_usage_tail(&cli_solve);
        }
    }
    if ((rc = cli_one_operand(&cli_solve, argc, argv, "SCENARIO", &a->scenario)) >= 0)
        return rc;
    if (!a->target)
        return cli_usage_error(&cli_solve, "missing --target NAME");
    if (!a->has_probability)
        return cli_usage_error(&cli_solve, "missing --probability P");
    if (!a->lever)
        return cli_usage_error(&cli_solve, "missing --lever NAME");
    return -1;
}

/* ------------------------------------------------------- evaluations */

typedef struct solve_ctx {
    const solve_args *args;
    const scenario_run *run;
    lever_eval *ev;
    progress_bar *bar;
    int warned;
} solve_ctx;

/* ps_root_fn: the target's hits and runs at lever value x. */
static ps_status probability_at(void *ctx, double x, long long *hits,
                                long long *runs, ps_error *err)
{
    solve_ctx *c = ctx;
    const varied_const *lever = &c->run->varied[0];
    ps_ensemble_report rep;
    memset(&rep, 0, sizeof rep);
    progress_begin(c->bar, !c->args->quiet, c->ev->nruns);
    ps_status st = lever_eval_at(c->ev, &x, hits, runs, &rep, err);
    progress_end(c->bar);
    if (st != PS_OK)
        return st;
    if (rep.failed && !c->warned && !c->args->quiet) {
        fprintf(stderr,
                "plansim solve: warning: %zu of %zu runs failed at %s = %g "
                "and are left out of the probability; the first:\n",
                rep.failed, rep.done, lever->name, x);
        ps_error_print(stderr, &rep.first_failure);
        c->warned = 1;
    }
    if (*runs == 0) {
        const ps_sc_target *t = c->ev->targets[0];
        char why[512] = "";
        if (rep.failed)
            cli_format_error(&rep.first_failure, 1, why, sizeof why);
        return ps_error_set(err, PS_ERR_DATA, NULL, 0, 0,
                            "at %s = %g no run ended with a value of '%s' in "
                            "%g: the probability of '%s' is unknown there%s%s",
                            lever->name, x, t->variable, t->time, t->name,
                            why[0] ? "; the first failure: " : "", why);
    }
    if (c->args->verbose) {
        char p[32];
        fprintf(stderr, "plansim solve: %s = %.10g: P = %s (%lld of %lld)\n",
                lever->name, x,
                ps_prob_text((double)*hits / (double)*runs, PS_PROB_DECIMAL, p,
                             sizeof p),
                *hits, *runs);
    }
    return PS_OK;
}

/* ------------------------------------------------------------ report */

static void rule_text(const ps_sc_target *t, char *buf, size_t size)
{
    switch (t->compare) {
    case PS_SC_AT_LEAST:
        snprintf(buf, size, "%s ≥ %g in %g", t->variable, t->lo, t->time);
        break;
    case PS_SC_AT_MOST:
        snprintf(buf, size, "%s ≤ %g in %g", t->variable, t->hi, t->time);
        break;
    case PS_SC_BETWEEN:
        snprintf(buf, size, "%s in [%g, %g] in %g", t->variable, t->lo, t->hi,
                 t->time);
        break;
    }
}

/* One end of the interval: a value, or how it lies beyond the range. */
static void bound_text(const ps_root_result *r, int largest, char *buf,
                       size_t size)
{
    switch (r->outcome) {
    case PS_ROOT_FOUND:
        snprintf(buf, size, "%.6g", r->x);
        break;
    case PS_ROOT_EVERYWHERE: /* reached already at the worse end */
        snprintf(buf, size, "%s %.6g", largest ? "≥" : "≤", r->x);
        break;
    case PS_ROOT_NOWHERE: /* not even at the better end */
        snprintf(buf, size, "%s %.6g", largest ? "<" : ">", r->x);
        break;
    }
}

/* P with its 95 % Wilson interval, each by the one rounding rule for
   probabilities (plansim_output/prob_text.h), as run and summary print
   them. */
static void print_point(FILE *out, const ps_root_point *pt)
{
    double lo, hi;
    char p[32], l[32], h[32];
    ps_stats_wilson((size_t)pt->hits, (size_t)pt->runs, 0.95, &lo, &hi);
    fprintf(out, "%s [%s, %s] (%lld of %lld runs)",
            ps_prob_text(pt->p, PS_PROB_DECIMAL, p, sizeof p),
            ps_prob_text(lo, PS_PROB_DECIMAL, l, sizeof l),
            ps_prob_text(hi, PS_PROB_DECIMAL, h, sizeof h), pt->hits, pt->runs);
}

static void print_text(const solve_args *a, const scenario_run *r,
                       const ps_sc_target *t, size_t nruns,
                       const ps_root_solver *rs, const ps_root_result *answer,
                       const ps_root_result *ends, double qlo, double qhi,
                       FILE *out);

static ps_solve_point solve_point(const ps_root_point *pt)
{
    ps_solve_point p = {pt->x, pt->p, NAN, NAN, pt->hits, pt->runs};
    if (pt->runs > 0)
        ps_stats_wilson((size_t)pt->hits, (size_t)pt->runs, 0.95, &p.ci_low,
                        &p.ci_high);
    return p;
}

static const char *outcome_name(ps_root_outcome o)
{
    return o == PS_ROOT_FOUND        ? "found"
           : o == PS_ROOT_EVERYWHERE ? "everywhere"
                                     : "nowhere";
}

/* One end of the lever's interval, as bound_text says it. */
static ps_solve_end solve_end(const ps_root_result *r, int largest)
{
    ps_solve_end e = {r->x, "="};
    if (r->outcome == PS_ROOT_EVERYWHERE)
        e.relation = largest ? ">=" : "<=";
    else if (r->outcome == PS_ROOT_NOWHERE)
        e.relation = largest ? "<" : ">";
    return e;
}

/* The answer as one JSON document (ps_solve_print_json). */
static ps_status print_json(const solve_args *a, const scenario_run *r,
                            const ps_sc_target *t, size_t nruns,
                            const ps_root_solver *rs,
                            const ps_root_result *answer,
                            const ps_root_result *ends, double qlo, double qhi,
                            const ps_root_point *p1, const ps_root_point *p2,
                            FILE *out, ps_error *err)
{
    const varied_const *lever = &r->varied[0];
    size_t ti = (size_t)(t - r->sc->targets);
    ps_h5_target_meta target = scenario_target_meta(r, ti);
    ps_solve_report rep = {
        .title = r->sc->title,
        .scenario = r->sc->nfiles ? r->sc->files[0] : a->scenario,
        .seed = a->has_seed ? a->seed : r->sc->seed,
        .target = &target,
        .lever = lever->name,
        .lever_label = lever->label,
        .lever_units = ps_program_var_units(r->prog, lever->var),
        .lever_kind = varied_kind_name(lever->kind),
        .lever_value = lever->value,
        .path_set_aside = lever->path_varies,
        .largest = a->largest,
        .range_low = rs->a,
        .range_high = rs->b,
        .probability = a->probability,
        .tolerance = rs->tol,
        .outcome = outcome_name(answer->outcome),
        .x = answer->x,
        .x_miss = answer->x_miss,
        .at = solve_point(&answer->at),
        .has_interval = answer->outcome != PS_ROOT_NOWHERE,
        .p_low = qlo,
        .p_high = qhi,
        .evaluations = rs->n,
        .runs_per_evaluation = nruns,
        .non_monotone = p1 != NULL,
    };
    if (rep.has_interval) {
        rep.low = solve_end(a->largest ? &ends[1] : &ends[0], a->largest);
        rep.high = solve_end(a->largest ? &ends[0] : &ends[1], a->largest);
    }
    if (p1) {
        rep.before = solve_point(p1);
        rep.after = solve_point(p2);
    }
    return ps_solve_print_json(out, &rep, err);
}

/* Solves for P and, when some value reaches it, for the ends of P's
   Monte Carlo interval; then prints the answer. */
static ps_status solve(const solve_args *a, const scenario_run *r,
                       const ps_sc_target *t, size_t nruns, ps_root_solver *rs,
                       FILE *out, ps_error *err)
{
    const varied_const *lever = &r->varied[0];
    ps_root_answer s;
    ps_status st = ps_root_answer_for(rs, a->probability, &s, err);
    if (st != PS_OK)
        return st;
    if (a->json)
        st = print_json(a, r, t, nruns, rs, &s.answer, s.ends, s.qlo, s.qhi,
                        s.before, s.after, out, err);
    else
        print_text(a, r, t, nruns, rs, &s.answer, s.ends, s.qlo, s.qhi, out);
    if (s.before) {
        char q1[32], q2[32];
        fprintf(stderr,
                "plansim solve: warning: P is not monotone in %s: %s at "
                "%.6g but %s at %.6g; the answer is one crossing of P = "
                "%g, perhaps not the %s\n",
                lever->name,
                ps_prob_text(s.before->p, PS_PROB_DECIMAL, q1, sizeof q1),
                s.before->x,
                ps_prob_text(s.after->p, PS_PROB_DECIMAL, q2, sizeof q2),
                s.after->x, a->probability,
                a->largest ? "largest" : "smallest");
    }
    return st;
}

/* The answer as aligned text. */
static void print_text(const solve_args *a, const scenario_run *r,
                       const ps_sc_target *t, size_t nruns,
                       const ps_root_solver *rs, const ps_root_result *answer_p,
                       const ps_root_result *ends, double qlo, double qhi,
                       FILE *out)
{
    const varied_const *lever = &r->varied[0];
    ps_root_result answer = *answer_p;
    char rule[256];
    rule_text(t, rule, sizeof rule);
    if (r->sc->title)
        fprintf(out, "Scenario:     %s\n", r->sc->title);
    fprintf(out, "Target:       %s%s%s: %s\n", t->name, t->label ? "  " : "",
            t->label ? t->label : "", rule);
    fprintf(out, "Lever:        %s (%s, %g in the scenario%s)\n", lever->name,
            varied_kind_name(lever->kind), lever->value,
            lever->path_varies ? " on average; here one value in every year"
                               : "");
    fprintf(out, "Question:     the %s value in [%g, %g] with P ≥ %g\n",
            a->largest ? "largest" : "smallest", rs->a, rs->b, a->probability);
    if (answer.outcome == PS_ROOT_NOWHERE) {
        fprintf(out,
                "Answer:       none: no value in [%g, %g] reaches P = %g; at "
                "%g the probability is ",
                rs->a, rs->b, a->probability, answer.x);
        print_point(out, &answer.at);
        fputc('\n', out);
    } else {
        fprintf(out, "Answer:       %s = %.6g%s\n", lever->name, answer.x,
                answer.outcome == PS_ROOT_EVERYWHERE
                    ? ", the end of the range: every value in it reaches P"
                    : "");
        fputs("              P = ", out);
        print_point(out, &answer.at);
        fprintf(out, " at %.6g", answer.x);
        if (answer.outcome == PS_ROOT_FOUND)
            fprintf(out, ", below %g at %.6g", a->probability, answer.x_miss);
        fputc('\n', out);
        /* P grows with the lever: the lower P gives the lower value;
           with --largest the other way round. */
        const ps_root_result *low = a->largest ? &ends[1] : &ends[0];
        const ps_root_result *high = a->largest ? &ends[0] : &ends[1];
        char lo_text[64], hi_text[64], ql[32], qh[32];
        bound_text(low, a->largest, lo_text, sizeof lo_text);
        bound_text(high, a->largest, hi_text, sizeof hi_text);
        fprintf(out,
                "Interval:     [%s, %s]: where P crosses %s and %s, the 95 "
                "%% Monte Carlo interval of P = %g with %lld runs\n",
                lo_text, hi_text,
                ps_prob_text(qlo, PS_PROB_DECIMAL, ql, sizeof ql),
                ps_prob_text(qhi, PS_PROB_DECIMAL, qh, sizeof qh),
                a->probability, answer.at.runs);
    }
    fprintf(out,
            "Evaluations:  %zu ensembles of %zu runs (%zu runs), tolerance "
            "%g\n",
            rs->n, nruns, rs->n * nruns, rs->tol);
}

static int run(int argc, char **argv, const ps_ensemble_spread *spread)
{
    solve_args a;
    memset(&a, 0, sizeof a);
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    const char *names[1] = {a.lever};
    scenario_run r;
    lever_eval ev;
    memset(&ev, 0, sizeof ev);
    ps_root_solver rs;
    memset(&rs, 0, sizeof rs);
    size_t *tidx = NULL, ntargets = 0;
    ps_error err;
    cli_study_io io;
    ps_status st = scenario_prepare_varied(a.scenario, names, 1, &r, &err);
    if (st == PS_OK && a.posterior &&
        (st = scenario_use_posterior(&r, a.posterior,
                                     cli_study_hooks(&io, "plansim", a.quiet),
                                     &err)) != PS_OK) {
        scenario_free(&r);
        return cli_fail(&err);
    }
    if (st != PS_OK)
        return st == PS_ERR_USAGE
                   ? cli_usage_error(&cli_solve, "--lever: %s", err.message)
                   : cli_fail(&err);
    if ((st = grid_select_targets(r.sc, &a.target, 1, &tidx, &ntargets,
                                  &err)) != PS_OK) {
        rc = st == PS_ERR_USAGE
                 ? cli_usage_error(&cli_solve, "--target: %s", err.message)
                 : cli_fail(&err);
        goto done;
    }
    if (!a.has_range) {
        /* The scenario's value, -100 % to +100 %. */
        double v = r.varied[0].value;
        if (v == 0 || !isfinite(v)) {
            rc = cli_usage_error(&cli_solve,
                                 "--range A:B is needed: '%s' is %g in the "
                                 "scenario, and the default range is its "
                                 "value -100 %% to +100 %%",
                                 r.varied[0].name, v);
            goto done;
        }
        a.a = v > 0 ? 0 : 2 * v;
        a.b = v > 0 ? 2 * v : 0;
    }
    if (a.tolerance == 0)
        a.tolerance = (a.b - a.a) / 1000;
    size_t nruns = a.runs > 0 ? (size_t)a.runs : r.sc->runs;
    uint64_t seed = a.has_seed ? a.seed : r.sc->seed;
    if ((st = lever_eval_init(&ev, &r, tidx, 1, nruns, seed, a.threads,
                              &err)) != PS_OK) {
        rc = cli_fail(&err);
        goto done;
    }
    progress_bar bar;
    ev.progress = progress_update;
    ev.progress_ctx = &bar;
    ev.cancel = cli_interrupt_flag();
    ev.spread = spread; /* a worker's printing goes nowhere (main.c) */
    solve_ctx ctx = {&a, &r, &ev, &bar, 0};
    ps_root_init(&rs, probability_at, &ctx, a.a, a.b, a.largest, a.tolerance);
    rs.max_evaluations = MAX_EVALUATIONS;
    cli_interrupt intr;
    cli_interrupt_begin(&intr);
    st = solve(&a, &r, &r.sc->targets[tidx[0]], nruns, &rs, stdout, &err);
    cli_interrupt_end(&intr);
    if (st == PS_ERR_INTERRUPTED) {
        fputs("plansim solve: interrupted\n", stderr);
        rc = ps_status_exit_code(st);
    } else {
        rc = st == PS_OK ? 0 : cli_fail(&err);
    }
done:
    ps_root_free(&rs);
    lever_eval_free(&ev);
    free(tidx);
    scenario_free(&r);
    return rc;
}

const cli_command cli_solve = {
    .name = "solve",
    .summary = "the lever value at which a target reaches a probability",
    .synopsis = "SCENARIO.yaml --target NAME --probability P --lever LEVER "
                "[--range A:B] [--largest] [--runs N] [--tolerance T]",
    .help = help,
    .run_spread = run,
};
