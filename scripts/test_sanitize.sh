#!/bin/sh
# The test suite under AddressSanitizer and UndefinedBehaviorSanitizer:
# configures the Sanitize build type (-fsanitize=address,undefined, every
# report fatal) in its own folder, builds it, and runs ctest there, with
# the allocation-failure tests (tests/alloc/) that only this build has.
# Every sanitizer report fails the test that triggered it.  Expects the
# packages of scripts/setup.sh to be installed.  Arguments go to ctest.
#
#   scripts/test_sanitize.sh [CTEST-ARGS...]
#   PLANSIM_SANITIZE_BUILD_DIR=dir scripts/test_sanitize.sh
#                                    build elsewhere (default build-sanitize)
#
# Left out (the -E below), because they would test nothing the rest of
# this suite and the Release suite of scripts/test.sh do not, at many
# times their cost under the sanitizers (measured: each over 100 s even
# alone, the first two over 400 s):
#   test_calib_sbc, test_calib_recovery, model_qianjiang_calibration,
#   calibrate_*       the samplers run thousands of times for their
#                     statistics: the same code as the short test_calib_*
#                     unit tests, which stay;
#   model_qianjiang_ensembles
#                     ensembles of the flagship model: the same paths as
#                     the run_* tests on small models;
#   test_report_cli, test_report_cli_formats, test_report_calibration
#                     every report format rendered again from the
#                     command line: test_report_formats and
#                     test_report_dir render them in-process here;
#   model_qianjiang_fit_readme
#                     the flagship model fitted to its history, as the
#                     README shows it: the calibration code again;
#   bench_smoke       speed figures, which say nothing in this build;
#   docs_*            the docs run the installed plansim; their commands
#                     are the paths the other tests take, and they compare
#                     printed outputs only.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build=${PLANSIM_SANITIZE_BUILD_DIR:-$root/build-sanitize}

if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Sanitize >/dev/null
fi
cmake --build "$build" -j "$(nproc)"

# Leaks are reported (LeakSanitizer) but for the caches libraries keep
# (tests/lsan.supp); a report of either sanitizer ends the process with
# a failure and a stack.
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:detect_stack_use_after_return=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/tests/lsan.supp}
export ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS

CTEST_PARALLEL_LEVEL=${CTEST_PARALLEL_LEVEL:-$(nproc)}
export CTEST_PARALLEL_LEVEL

ctest --test-dir "$build" --output-on-failure \
    -E '^(docs_|calibrate_|test_calib_(sbc|recovery)$|model_qianjiang_(calibration|ensembles|fit_readme)$|bench_smoke$|test_report_(cli|cli_formats|calibration)$)' \
    "$@"
