#!/bin/sh
# The fuzz smoke run: builds the libFuzzer harnesses of fuzz/ with clang
# under AddressSanitizer and UndefinedBehaviorSanitizer (a build folder of
# its own, PLANSIM_FUZZ=ON, tests off), gathers each harness's seeds
# (fuzz/corpus/<name>/, fuzz/regress/<name>/, the files fuzz/seeds.txt
# names, and for the HDF5 readers small files written by that build's
# plansim) and runs every harness for a while.  Any crash, leak,
# sanitizer report or input slower than the timeout fails the run; the
# input is left in the work folder (the path is printed) and belongs in
# fuzz/regress/<name>/ once the bug is fixed.
#
#   scripts/fuzz_smoke.sh [HARNESS...]     all four by default:
#                                          mdl scenario observed h5
#   PLANSIM_FUZZ_SECONDS=300 scripts/fuzz_smoke.sh
#                                          fuzz longer (default 20 s each)
#   PLANSIM_FUZZ_BUILD_DIR=dir             build there (default build-fuzz)
#
# Needs clang and libFuzzer's runtime (Debian: clang, libclang-rt-14-dev;
# scripts/setup.sh installs them).  The corpus grows in
# <build>/fuzz-work/<name>/corpus between runs.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build=${PLANSIM_FUZZ_BUILD_DIR:-$root/build-fuzz}
seconds=${PLANSIM_FUZZ_SECONDS:-20}
work=$build/fuzz-work
if [ $# -gt 0 ]; then
    harnesses=$*
else
    harnesses="mdl scenario observed h5"
fi

if [ ! -f "$build/CMakeCache.txt" ]; then
    CC=${CC:-clang} cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Debug \
        -DPLANSIM_FUZZ=ON -DBUILD_TESTING=OFF >/dev/null
fi
targets=plansim
for h in $harnesses; do
    targets="$targets fuzz_$h"
done
# shellcheck disable=SC2086
cmake --build "$build" -j "$(nproc)" --target $targets

# Seeds: the committed ones and the files seeds.txt names.
gather_seeds() { # harness corpus-folder
    for d in "$root/fuzz/corpus/$1" "$root/fuzz/regress/$1"; do
        if [ -d "$d" ]; then
            find "$d" -maxdepth 1 -type f ! -name '.*' -exec cp {} "$2" \;
        fi
    done
    grep "^$1 " "$root/fuzz/seeds.txt" | while read -r _ pattern; do
        for f in "$root"/$pattern; do
            if [ -f "$f" ]; then
                # one name per source file: models/solow/solow.mdl ->
                # models_solow_solow.mdl
                cp "$f" "$2/$(echo "${f#"$root"/}" | tr / _)"
            fi
        done
    done
}

status=0
for h in $harnesses; do
    dir=$work/$h
    mkdir -p "$dir/corpus" "$dir/seeds"
    gather_seeds "$h" "$dir/seeds"
    # LeakSanitizer: leaks inside libhdf5 and libfyaml are not plansim's
    # (tests/lsan.supp); telling them apart needs whole stacks through
    # those libraries, which have no frame pointers, hence the slow
    # unwinder for the harnesses that reach them.
    asan=${ASAN_OPTIONS:-}
    if [ "$h" = h5 ]; then
        "$root/fuzz/h5_seeds.sh" "$build/cli/plansim" "$dir/seeds"
    fi
    if [ "$h" = h5 ] || [ "$h" = scenario ]; then
        asan=${asan:+$asan:}fast_unwind_on_malloc=0
    fi
    echo "fuzz_smoke: fuzz_$h for ${seconds} s"
    rc=0
    # -timeout: one input running longer than 10 s is a hang;
    # -rss_limit_mb / -malloc_limit_mb: one input may not take more than
    # 2 GiB; leaks are reported at the end of each input.
    (cd "$dir" && ASAN_OPTIONS=$asan \
        LSAN_OPTIONS=suppressions=$root/tests/lsan.supp \
        nice "$build/fuzz/fuzz_$h" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -malloc_limit_mb=2048 -print_final_stats=1 \
        -dict="$root/fuzz/dict/$h.dict" -artifact_prefix="$dir/" \
        corpus seeds >"$dir/log" 2>&1) || rc=$?
    tail -n 12 "$dir/log" | grep -E '^(stat::|Done)' || true
    if [ "$rc" -ne 0 ]; then
        echo "fuzz_smoke: fuzz_$h failed (exit $rc); its log: $dir/log"
        grep -E 'ERROR|SUMMARY|Test unit written' "$dir/log" || true
        status=1
    fi
done
exit "$status"
