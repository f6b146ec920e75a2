#!/bin/sh
# Safe output files, one group per CTest test:  output_test.sh GROUP
#   concurrent  a second run on the same output is refused (73) while the
#               first goes on and commits a whole file
#   symlink     a link planted as OUT.h5.partial is neither followed nor
#               replaced
#   force       an existing result is replaced only with --force
#   file_size   a file-size limit (ulimit -f) ends as a write error (74)
# Environment (set by tests/scenarios/CMakeLists.txt):
#   PLANSIM    the plansim binary
#   CASES      tests/scenarios/cases
#   WORK_BASE  a folder where each run makes its scratch folder
set -u

group=${1:?usage: output_test.sh GROUP}
: "${PLANSIM:?}" "${CASES:?}" "${WORK_BASE:?}"

. "$(dirname "$0")/../support/expect.sh"
expect_begin "output-$group"

# wait_for FILE: until FILE exists (at most 20 s).
wait_for() {
    i=0
    while [ ! -e "$1" ] && [ $i -lt 400 ]; do
        sleep 0.05
        i=$((i + 1))
    done
    [ -e "$1" ] || fail "$1 never appeared"
}

test_concurrent() {
    "$PLANSIM" run -q "$CASES/slow.yaml" --threads 1 -o "$WORK/c.h5" \
        >"$WORK/first.out" 2>"$WORK/first.err" &
    pid=$!
    wait_for "$WORK/c.h5.partial"
    run "$PLANSIM" run -q "$CASES/slow.yaml" --threads 1 -o "$WORK/c.h5"
    expect_status 73
    expect_match err 'c\.h5\.partial: error: already exists: another run may be writing it, or an interrupted run left it; resume it with --resume .*c\.h5\.partial, or remove it'
    kill -0 $pid 2>/dev/null ||
        fail "the first run ended before the second was refused"
    # --force replaces a result, never a file being written
    run "$PLANSIM" run -q "$CASES/slow.yaml" --threads 1 --force -o "$WORK/c.h5"
    expect_status 73
    expect_match err 'c\.h5\.partial: error: already exists'
    # a sweep's surface and a posterior are guarded the same way
    run "$PLANSIM" sweep -q "$CASES/growth.yaml" --runs 10 \
        --vary 'GDP 2025=400:460:2' -o "$WORK/c.h5"
    expect_status 73
    expect_match err 'c\.h5\.partial: error: already exists'
    wait $pid
    status=$?
    what="the first run"
    expect_status 0
    [ -e "$WORK/c.h5.partial" ] && fail "the first run left its .partial"
    run "$PLANSIM" summary "$WORK/c.h5"
    expect_status 0
    expect_line out 'Runs: 1000 (ok 1000, failed 0, pending 0)'
}

test_symlink() {
    printf 'precious\n' >"$WORK/victim"
    cp "$WORK/victim" "$WORK/victim.orig"
    ln -s "$WORK/victim" "$WORK/out.h5.partial"
    run "$PLANSIM" run -q "$CASES/growth.yaml" --runs 100 -o "$WORK/out.h5"
    expect_status 73
    expect_match err 'out\.h5\.partial: error: already exists'
    cmp -s "$WORK/victim" "$WORK/victim.orig" ||
        fail "the link's target was changed"
    [ -L "$WORK/out.h5.partial" ] || fail "the link was replaced"
    [ "$(readlink "$WORK/out.h5.partial")" = "$WORK/victim" ] ||
        fail "the link points elsewhere"
    [ -e "$WORK/out.h5" ] && fail "a refused run left out.h5"
    # a dangling link: nothing is created where it points
    ln -s "$WORK/missing" "$WORK/d.h5.partial"
    run "$PLANSIM" run -q "$CASES/growth.yaml" --runs 100 -o "$WORK/d.h5"
    expect_status 73
    [ -e "$WORK/missing" ] && fail "a dangling link was followed"
    # the same for a CSV table and a report's files
    ln -s "$WORK/victim" "$WORK/sim.csv.partial"
    run "$PLANSIM" simulate "$CASES/../models/growth.mdl" -o "$WORK/sim.csv"
    expect_status 73
    expect_match err 'sim\.csv\.partial: error: already exists'
    cmp -s "$WORK/victim" "$WORK/victim.orig" ||
        fail "simulate changed the link's target"
    run "$PLANSIM" run -q "$CASES/growth.yaml" --runs 100 -o "$WORK/g.h5"
    expect_status 0
    mkdir "$WORK/rep"
    ln -s "$WORK/victim" "$WORK/rep/targets.md.partial"
    run "$PLANSIM" report "$WORK/g.h5" -o "$WORK/rep" --force
    expect_status 73
    expect_match err 'targets\.md\.partial: error: already exists'
    cmp -s "$WORK/victim" "$WORK/victim.orig" ||
        fail "report changed the link's target"
}

# cksum_of FILE: its checksum and size.
cksum_of() {
    cksum <"$1"
}

test_force() {
    run "$PLANSIM" run -q "$CASES/growth.yaml" --runs 100 -o "$WORK/f.h5"
    expect_status 0
    before=$(cksum_of "$WORK/f.h5")
    run "$PLANSIM" run -q "$CASES/growth.yaml" --runs 200 -o "$WORK/f.h5"
    expect_status 73
    expect_line err "error: $WORK/f.h5 exists; --force replaces it"
    expect_empty out
    [ "$(cksum_of "$WORK/f.h5")" = "$before" ] || fail "f.h5 was changed"
    [ -e "$WORK/f.h5.partial" ] && fail "a refused run left a .partial"
    run "$PLANSIM" run -q "$CASES/growth.yaml" --runs 200 --force -o "$WORK/f.h5"
    expect_status 0
    run "$PLANSIM" summary "$WORK/f.h5"
    expect_line out 'Runs: 200 (ok 200, failed 0, pending 0)'
    # every command that writes a result
    model="$CASES/../models/growth.mdl"
    refused_then_forced simulate "$model" -o "$WORK/s.csv"
    refused_then_forced sweep -q "$CASES/growth.yaml" --runs 10 \
        --vary 'GDP 2025=400:460:2' -o "$WORK/w.h5"
    refused_then_forced sweep -q "$CASES/growth.yaml" --runs 10 \
        --vary 'GDP 2025=400:460:2' --csv "$WORK/w.csv"
    refused_then_forced sensitivity -q "$CASES/growth.yaml" --method oat \
        -o "$WORK/o.h5"
    refused_then_forced report "$WORK/f.h5" -o "$WORK/rep"
    refused_then_forced discover "$WORK/f.h5" --target gdp_700 -o "$WORK/disc"
}

# refused_then_forced ARGS...: plansim ARGS writes its result; again, it
# is refused (73) before any work; with --force, it replaces it.
refused_then_forced() {
    run "$PLANSIM" "$@"
    expect_status 0
    run "$PLANSIM" "$@"
    expect_status 73
    expect_match err 'exists; --force replaces it|is not empty; --force writes into it'
    run "$PLANSIM" "$@" --force
    expect_status 0
}

test_file_size() {
    # 200 blocks of 512 bytes: far less than the ensemble's 1.3 MB.
    (
        ulimit -f 200 || exit 77
        "$PLANSIM" run -q "$CASES/growth.yaml" -o "$WORK/big.h5" \
            >"$WORK/out" 2>"$WORK/err"
    )
    status=$?
    [ "$status" -eq 77 ] && { echo "skipped: ulimit -f is not allowed"; exit 77; }
    what="run past a file-size limit"
    expect_status 74
    expect_match err 'big\.h5\.partial: error: .*File too large'
    [ -e "$WORK/big.h5" ] && fail "a failed run left big.h5"
    # as on a full disk, the runs written so far stay in the .partial
    [ -e "$WORK/big.h5.partial" ] || fail "no .partial, unlike a full disk"
    # a table past the limit: 74 and no file, whole or partial
    (
        ulimit -f 1
        "$PLANSIM" simulate "$CASES/../models/growth.mdl" \
            --set 'TIME STEP=0.001' -o "$WORK/big.csv" \
            >"$WORK/out" 2>"$WORK/err"
    )
    status=$?
    what="simulate past a file-size limit"
    expect_status 74
    expect_match err 'big\.csv: error: cannot write .*: File too large'
    [ -e "$WORK/big.csv" ] && fail "a failed simulate left big.csv"
    [ -e "$WORK/big.csv.partial" ] && fail "a failed simulate left its .partial"
}

case "$group" in
concurrent | symlink | force | file_size)
    "test_$group" ;;
*)
    echo "output_test.sh: unknown group '$group'" >&2
    exit 2 ;;
esac
expect_end "output $group"
