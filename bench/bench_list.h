/*
 * plansim-bench: the registry of benchmarks, in the order they run.
 *
 * X(name, summary): bench_run_<name>() is defined with BENCH_IMPL(name) in
 * bench_<name>.c.  To add a benchmark, write that file, add it to
 * CMakeLists.txt and add a line here.
 */
#ifndef PLANSIM_BENCH_LIST_H
#define PLANSIM_BENCH_LIST_H

#include "bench.h"

#define BENCH_LIST(X)                                                          \
    X(steps, "engine against hand-coded C: ns per step and per equation")      \
    X(arrays, "a 2,000-element array equation against 2,000 scalar copies")    \
    X(simulate, "whole runs through ps_simulate: runs per second")             \
    X(compile, "reading and compiling each model: ms")                         \
    X(ensemble, "Monte Carlo ensembles at 1 and 2 threads: runs per second")   \
    X(writer, "the HDF5 ensemble file: MB of values written per second")       \
    X(memory, "peak memory of an ensemble against its number of runs")         \
    X(flagship,                                                                \
      "the flagship ensemble end to end: runs/s, peak memory, phases")         \
    X(sobol, "a Sobol' analysis of the flagship scenario: runs, s, runs/s")    \
    X(calibrate,                                                               \
      "calibrating the flagship on 2015-2021: runs/s, 1 and 2 threads")        \
    X(report, "the flagship's report in every format: s, charts/s")

/* Runs one benchmark over every model; returns 0, or non-zero after
   printing a FAIL line. */
#define BENCH_IMPL(name) int bench_run_##name(const bench_options *o)

#define BENCH_DECLARE(name, summary) BENCH_IMPL(name);
BENCH_LIST(BENCH_DECLARE)
#undef BENCH_DECLARE

#endif
