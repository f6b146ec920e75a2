#!/bin/sh
# check_layers.py finds what breaks the layers, and only that: a small
# tree that keeps them passes; each kind of break fails naming its file
# and line.
# usage: check_layers_test.sh PYTHON CHECK_LAYERS.py
set -u
PYTHON=$1
CHECK=$2
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# A tree that keeps the layers.
tree() {
    rm -rf "$WORK/t"
    mkdir -p "$WORK/t/engine/include/plansim" "$WORK/t/engine/core" \
        "$WORK/t/output/include/plansim_output" "$WORK/t/output/h5" \
        "$WORK/t/cluster/include/plansim_cluster" \
        "$WORK/t/study/include/plansim_study" "$WORK/t/study/solve" "$WORK/t/cli"
    echo '#include "plansim/core.h"' >"$WORK/t/engine/core/core.c"
    echo '#include "core_impl.h"' >>"$WORK/t/engine/core/core.c"
    : >"$WORK/t/engine/core/core_impl.h"
    : >"$WORK/t/engine/include/plansim/core.h"
    printf '#include "plansim/core.h"\n#include "plansim_output/h5.h"\n' \
        >"$WORK/t/output/h5/h5.c"
    : >"$WORK/t/output/include/plansim_output/h5.h"
    printf '#include "plansim/core.h"\n#include "plansim_cluster/job.h"\n' \
        >"$WORK/t/cluster/job.c"
    : >"$WORK/t/cluster/include/plansim_cluster/job.h"
    printf '#include "plansim/core.h"\n#include "plansim_output/h5.h"\n' \
        >"$WORK/t/study/solve/solve.c"
    : >"$WORK/t/study/include/plansim_study/solve.h"
    printf '#include "plansim_output/h5.h"\n#include "plansim_study/solve.h"\n#include "plansim_cluster/job.h"\n#include "cli.h"\n#include "version.h"\n' \
        >"$WORK/t/cli/main.c"
    : >"$WORK/t/cli/cli.h"
    echo 'configure_file(version.h.in ${CMAKE_CURRENT_BINARY_DIR}/version.h' \
        >"$WORK/t/cli/CMakeLists.txt"
    echo '               @ONLY)' >>"$WORK/t/cli/CMakeLists.txt"
}

# expect_break FILE LINE_TEXT: adding the line to FILE fails the check,
# naming FILE.
expect_break() {
    tree
    echo "$2" >>"$WORK/t/$1"
    if "$PYTHON" "$CHECK" "$WORK/t" >"$WORK/out" 2>&1; then
        fail "$1 with $2 passed"
    elif ! grep -q "^$1:[0-9]*: includes" "$WORK/out"; then
        fail "$1 with $2: no line names it"
        cat "$WORK/out"
    fi
}

tree
"$PYTHON" "$CHECK" "$WORK/t" >"$WORK/out" 2>&1 ||
    { fail "a tree that keeps the layers failed"; cat "$WORK/out"; }

expect_break engine/core/core.c '#include "plansim_output/h5.h"'
expect_break engine/core/core.c '#include "cli.h"'
expect_break output/h5/h5.c '#include "cli.h"'
expect_break cluster/job.c '#include "plansim_output/h5.h"'
expect_break cluster/job.c '#include "plansim_study/solve.h"'
expect_break study/solve/solve.c '#include "plansim_cluster/job.h"'
expect_break output/h5/h5.c '#include "core_impl.h"'
expect_break output/h5/h5.c '#include "../../engine/core/core_impl.h"'
expect_break cli/main.c '#include "h5_impl.h"'
expect_break output/h5/h5.c '#include "plansim_study/solve.h"'
expect_break engine/core/core.c '#include "plansim_study/solve.h"'
expect_break study/solve/solve.c '#include "cli.h"'

if [ "$failures" -gt 0 ]; then
    echo "check_layers test: $failures failure(s)"
    exit 1
fi
echo "check_layers test: passed"
