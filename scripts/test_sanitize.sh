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
# Left out: the tests tests/release-only.regex names, with the reasons
# written there; scripts/test.sh runs them in the Release build.
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

exec "$root/scripts/ctest_listing_skips.sh" "$build" \
    -E "$("$root/scripts/release_only.sh")" "$@"
