#!/bin/sh
# End-to-end tests of the plansim command, one group per CTest test:
#   cli_test.sh GROUP
# Environment (set by tests/cli/CMakeLists.txt):
#   PLANSIM          the plansim binary
#   MODELS           tests/cli/models
#   WORK_BASE        a folder where each run makes its scratch folder
#   PLANSIM_VERSION  the project version --version must print
set -u

group=${1:?usage: cli_test.sh GROUP}
: "${PLANSIM:?}" "${MODELS:?}" "${WORK_BASE:?}" "${PLANSIM_VERSION:?}"

. "$(dirname "$0")/../support/expect.sh"
expect_begin "cli-$group"

# value FILE SEP NAME: the last row's value in the column NAME.
value() {
    awk -F "$2" -v name="$3" '
        NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) col = i; next }
        { last = $col }
        END { if (!col) exit 1; print last }' "$1"
}

# expect_close WHAT GOT WANT RELTOL
expect_close() {
    awk -v got="$2" -v want="$3" -v tol="$4" 'BEGIN {
        d = got - want; if (d < 0) d = -d
        w = want < 0 ? -want : want
        exit !(got != "" && d <= tol * w) }' ||
        fail "$1: got '$2', expected $3 (relative tolerance $4)"
}

# Euler on dS/dt = -k S from S0 with step h, n steps: S0 (1 - k h)^n.
euler_decay() {
    awk -v s="$1" -v k="$2" -v h="$3" -v n="$4" \
        'BEGIN { for (i = 0; i < n; i++) s *= 1 - k * h; printf "%.17g\n", s }'
}

# Classical RK4 on the same problem multiplies S by its Taylor polynomial
# of degree 4 in z = k h at each step.
rk4_decay() {
    awk -v s="$1" -v k="$2" -v h="$3" -v n="$4" 'BEGIN {
        z = k * h; r = 1 - z + z^2 / 2 - z^3 / 6 + z^4 / 24
        for (i = 0; i < n; i++) s *= r; printf "%.17g\n", s }'
}

test_help() {
    for args in "--help" "-h" "help"; do
        run "$PLANSIM" $args
        expect_status 0
        expect_match out '^usage: plansim '
        expect_match out '^  simulate '
        expect_match out '^  check '
        expect_match out '^  conform '
        expect_empty err
    done
    for args in "--version" "-V"; do
        run "$PLANSIM" $args
        expect_status 0
        expect_match out "^plansim $PLANSIM_VERSION( \\(git [0-9a-f]+\\))?\$"
        expect_empty err
    done
    for cmd in simulate check conform; do
        run "$PLANSIM" help "$cmd"
        expect_status 0
        expect_match out "^usage: plansim $cmd "
        expect_empty err
        cp "$WORK/out" "$WORK/help-$cmd"
        run "$PLANSIM" "$cmd" --help
        expect_status 0
        cmp -s "$WORK/out" "$WORK/help-$cmd" ||
            fail "'plansim $cmd --help' differs from 'plansim help $cmd'"
    done
    run "$PLANSIM" help simulate
    for opt in --set --method --abs-tol --rel-tol --output euler rk4 rkf45 \
        rk8pd msbdf; do
        expect_match out "$opt"
    done
    run "$PLANSIM" help check
    expect_match out -- '--units'
}

test_usage() {
    m="$MODELS/decay.mdl"
    for args in "" "--bogus" "-x" "frobnicate" "help frobnicate" \
        "help simulate check" "simulate" "simulate --bogus $m" \
        "simulate $m $m" "simulate $m --set" "simulate $m --set k" \
        "simulate $m --set =1" "simulate $m --set k=abc" \
        "simulate $m --set k=" "simulate $m --set k=1e999" \
        "simulate $m --method nope" "simulate $m --abs-tol -1" \
        "simulate $m --rel-tol zero" "simulate $m --output out.txt" \
        "check" "check $m $m" "check --bogus $m" "conform" \
        "conform --bogus"; do
        # shellcheck disable=SC2086
        run "$PLANSIM" $args
        expect_status 64
        expect_match err '^usage: plansim'
        expect_empty out
    done
    run "$PLANSIM" simulate "$m" --set k=abc
    expect_match err "'abc' is not a finite number"
    run "$PLANSIM" simulate "$m" --method nope
    expect_match err "unknown method 'nope'"
    # an unknown constant is found only once the model is read
    run "$PLANSIM" simulate "$m" --set "no such constant=1"
    expect_status 64
}

test_missing_input() {
    run "$PLANSIM" simulate "$WORK/absent.mdl"
    expect_status 66
    expect_match err "absent\\.mdl"
    run "$PLANSIM" check "$WORK/absent.mdl"
    expect_status 66
    expect_match err "absent\\.mdl"
    run "$PLANSIM" conform "$WORK/absent"
    expect_status 66
    expect_match err "absent"
    mkdir "$WORK/empty"
    run "$PLANSIM" conform "$WORK/empty"
    expect_status 66
    expect_match err "no conformance case"
}

test_malformed() {
    for cmd in simulate check; do
        run "$PLANSIM" "$cmd" "$MODELS/malformed.mdl"
        expect_status 65
        expect_match err '^.*malformed\.mdl:7:15: error: '
        expect_empty out
        run "$PLANSIM" "$cmd" "$MODELS/unknown_name.mdl"
        expect_status 65
        expect_match err '^.*unknown_name\.mdl:7:15: error: .*Stok'
        expect_empty out
    done
}

test_simulate() {
    m="$MODELS/decay.mdl"
    want=$(euler_decay 100 0.1 0.5 20)

    run "$PLANSIM" simulate "$m"
    expect_status 0
    expect_empty err
    expect_match out '^Time,'
    [ "$(head -n 1 "$WORK/out" | tr ',' '\n' | grep -cxE 'Stock|outflow|k')" = 3 ] ||
        fail "stdout header lacks Stock, outflow or k: $(head -n 1 "$WORK/out")"
    [ "$(wc -l <"$WORK/out")" -eq 22 ] ||
        fail "stdout: expected a header and 21 rows (0 to 10 by 0.5)"
    expect_close "Stock at 10 (stdout)" "$(value "$WORK/out" , Stock)" "$want" 1e-12
    expect_close "Time of the last row" "$(value "$WORK/out" , Time)" 10 0
    cp "$WORK/out" "$WORK/stdout.csv"

    run "$PLANSIM" simulate "$m" --output "$WORK/run.csv"
    expect_status 0
    expect_empty out
    cmp -s "$WORK/run.csv" "$WORK/stdout.csv" ||
        fail "--output run.csv differs from the CSV on stdout"
    [ ! -e "$WORK/run.csv.partial" ] || fail "run.csv.partial left behind"

    run "$PLANSIM" simulate -o "$WORK/run.tab" "$m"
    expect_status 0
    head -n 1 "$WORK/run.tab" | grep -q "^Time${TAB}" ||
        fail "run.tab does not start with a tab-separated header"
    expect_close "Stock at 10 (.tab)" "$(value "$WORK/run.tab" "$TAB" Stock)" "$want" 1e-12
    tr "$TAB" , <"$WORK/run.tab" | cmp -s - "$WORK/stdout.csv" ||
        fail "the .tab output holds other values than the .csv one"

    run "$PLANSIM" simulate "$m" --output -
    expect_status 0
    cmp -s "$WORK/out" "$WORK/stdout.csv" || fail "--output - is not stdout"

    run "$PLANSIM" simulate "$m" --set k=0.2 --set "INITIAL TIME=0"
    expect_status 0
    expect_close "Stock at 10 with k=0.2" "$(value "$WORK/out" , Stock)" \
        "$(euler_decay 100 0.2 0.5 20)" 1e-12
    expect_close "k with k=0.2" "$(value "$WORK/out" , k)" 0.2 0

    run "$PLANSIM" simulate "$m" --method rk4
    expect_status 0
    expect_close "Stock at 10 under rk4" "$(value "$WORK/out" , Stock)" \
        "$(rk4_decay 100 0.1 0.5 20)" 1e-12
    for method in rkf45 rk8pd msbdf; do
        run "$PLANSIM" simulate "$m" --method "$method" --abs-tol 1e-10 \
            --rel-tol 1e-10
        expect_status 0
        expect_close "Stock at 10 under $method" \
            "$(value "$WORK/out" , Stock)" 36.787944117144233 1e-6
    done

    # a data variable without an equation takes its series from --data;
    # the table one run wrote serves another model as a dataset
    printf '%s\n' 'd: a, b ~ ~ |' 'Stock[d] ~ ~ |' \
        'twice[d] = 2 * Stock[d] ~ ~ |' 'INITIAL TIME = 0 ~ ~ |' \
        'FINAL TIME = 10 ~ ~ |' 'TIME STEP = 0.5 ~ ~ |' >"$WORK/data.mdl"
    sed '1s/Stock/Stock[a],Stock[ b ]/; 2,$s/^\([^,]*\),\([^,]*\),/\1,\2,\2,/' \
        "$WORK/stdout.csv" >"$WORK/set.csv"
    run "$PLANSIM" simulate "$WORK/data.mdl"
    expect_status 65
    expect_match err "data\.mdl:2:1: error: no dataset gives the values of Stock\[a\]"
    run "$PLANSIM" simulate "$WORK/data.mdl" --data "$WORK/set.csv"
    expect_status 0
    expect_close "twice[b] at 10 from the dataset" \
        "$(value "$WORK/out" , 'twice[b]')" \
        "$(awk -v w="$want" 'BEGIN { printf "%.17g", 2 * w }')" 1e-9

    # --set reaches one element of a subscripted constant, by name
    printf '%s\n' 'd: a, b ~ ~ |' 'k[d] = 1, 2 ~ ~ |' \
        'y[d] = 10 * k[d] ~ ~ |' 'INITIAL TIME = 0 ~ ~ |' \
        'FINAL TIME = 1 ~ ~ |' 'TIME STEP = 1 ~ ~ |' >"$WORK/elems.mdl"
    run "$PLANSIM" simulate "$WORK/elems.mdl" --set "k[ B ]=5"
    expect_status 0
    expect_close "y[a] untouched" "$(value "$WORK/out" , 'y[a]')" 10 1e-12
    expect_close "y[b] from --set" "$(value "$WORK/out" , 'y[b]')" 50 1e-12
    run "$PLANSIM" simulate "$WORK/elems.mdl" --set "k[c]=5"
    expect_status 64
    expect_match err "'k' has no element 'c' in its range 'd' \\(a, b\\)"

    # a folder that does not exist: nothing may be left under either name
    run "$PLANSIM" simulate "$m" --output "$WORK/no-such-dir/run.csv"
    expect_status 73
    expect_match err 'no-such-dir/run\.csv'
    [ ! -e "$WORK/no-such-dir" ] || fail "a file appeared for an uncreatable path"

    # a full device: the write error is reported, not lost
    if [ -w /dev/full ]; then
        run sh -c '"$0" simulate "$1" >/dev/full' "$PLANSIM" "$m"
        expect_status 74
        expect_match err 'No space left on device'
        run sh -c '"$0" --version >/dev/full' "$PLANSIM"
        expect_status 74
    fi

    # a failed run keeps its rows: x grows 1001-fold a month and overflows
    run "$PLANSIM" simulate "$MODELS/blowup.mdl" --output "$WORK/blowup.csv"
    expect_status 65
    expect_match err 'error: .*at time [0-9]+'
    [ -f "$WORK/blowup.csv" ] || fail "the rows before the failure were not written"
    [ ! -e "$WORK/blowup.csv.partial" ] || fail "blowup.csv.partial left behind"
    if [ -f "$WORK/blowup.csv" ]; then
        rows=$(($(wc -l <"$WORK/blowup.csv") - 1))
        [ "$rows" -ge 100 ] && [ "$rows" -lt 201 ] ||
            fail "blowup.csv has $rows rows, expected the 100-odd before overflow"
        awk -F, 'NR > 1 && ($2 == "inf" || $2 == "" || $2 == "nan") { bad = 1 }
                 END { exit bad }' "$WORK/blowup.csv" ||
            fail "blowup.csv holds a non-finite value"
    fi
}

test_check() {
    run "$PLANSIM" check "$MODELS/decay.mdl"
    expect_status 0
    expect_empty err
    expect_line out "variable${TAB}kind${TAB}units${TAB}depends on"
    expect_line out "Stock${TAB}stock${TAB}widgets${TAB}outflow"
    expect_line out "outflow${TAB}flow/auxiliary${TAB}widgets/Month${TAB}k, Stock"
    expect_line out "k${TAB}constant${TAB}1/Month${TAB}-"
    expect_line out "FINAL TIME${TAB}constant${TAB}Month${TAB}-"
    expect_line out "SAVEPER${TAB}constant${TAB}Month${TAB}TIME STEP"
    [ "$(wc -l <"$WORK/out")" -eq 8 ] ||
        fail "check decay.mdl: expected a header and 7 variables"

    run "$PLANSIM" check "$MODELS/lookup.mdl"
    expect_status 0
    expect_line out "effect table${TAB}lookup${TAB}dmnl${TAB}-"
    # the lookup call is a dependency, MAX (a builtin) is not
    expect_line out "effect${TAB}flow/auxiliary${TAB}dmnl${TAB}effect table, Time, k"
}

test_units() {
    run "$PLANSIM" check --units "$MODELS/decay.mdl"
    expect_status 0
    expect_empty err
    expect_line out "k${TAB}constant${TAB}1/Month${TAB}-"

    run "$PLANSIM" check "$MODELS/units_bad.mdl" --units
    expect_status 65
    expect_match err '^.*units_bad\.mdl:16:[0-9]+: units: .'
    [ "$(grep -c ': units: ' "$WORK/err")" -eq 1 ] ||
        fail "units_bad.mdl: expected exactly one units issue"
    expect_line out "stock in months${TAB}flow/auxiliary${TAB}Month${TAB}Stock, k"

    # without --units the same model is valid
    run "$PLANSIM" check "$MODELS/units_bad.mdl"
    expect_status 0
}

# A conformance case folder: conform_case NAME MODEL EXPECTED-FILE TEXT
# (TEXT is written with printf, so it can carry any line ends).
conform_case() {
    mkdir -p "$WORK/cases/$1"
    cp "$MODELS/$2" "$WORK/cases/$1/"
    printf "$4" >"$WORK/cases/$1/$3"
}

test_conform() {
    # Vensim-like expected output: CR-only line ends, 6 digits, constants
    # on the first row only, times 0, 5 and 10 only, a wrong SAVEPER
    # (ignored), Vensim's spelling of names.
    conform_case pass decay.mdl output.tab \
        'Time\tFINAL TIME\tk\tSAVEPER\tstock\r0\t10\t0.1\t99\t100\r5\t\t\t99\t59.8737\r10\t\t\t99\t35.8486\r'
    conform_case wrong decay.mdl output.csv \
        'Time,Stock,outflow\r\n0,100,10\r\n5,60,6\r\n'
    conform_case missing decay.mdl output.csv \
        'Time,Stock,Nonexistent\n0,100,1\n'
    conform_case beyond decay.mdl output.csv 'Time,Stock\n0,100\n11,30\n'
    conform_case npv unsupported.mdl output.tab 'Time\tx\n0\t1\n'
    conform_case two decay.mdl output.csv 'Time,Stock\n0,100\n'
    cp "$MODELS/decay.mdl" "$WORK/cases/two/Other.MDL"
    conform_case nomodel decay.mdl output.csv 'Time,Stock\n0,100\n'
    rm "$WORK/cases/nomodel/decay.mdl"
    : >"$WORK/cases/nomodel/model.xmile"

    run "$PLANSIM" conform "$WORK/cases"
    expect_status 1
    expect_line out "PASS  pass"
    expect_match out "^FAIL  wrong: variable 'Stock' at time 5: expected 60, got 59\\.87369392[0-9]*\$"
    expect_line out "FAIL  missing: variable 'Nonexistent' is not in the model"
    expect_line out "FAIL  beyond: no simulated values at time 11"
    expect_match out '^UNSUPPORTED  npv: unsupported\.mdl:[0-9]+:[0-9]+: function NPV is not supported'
    expect_line out "PASS  two/Other.MDL"
    expect_line out "PASS  two/decay.mdl"
    expect_line out "UNSUPPORTED  nomodel: no Vensim .mdl model in the folder"
    expect_line out "3 passed, 3 failed, 2 unsupported"
    [ "$(tail -n 1 "$WORK/out")" = "3 passed, 3 failed, 2 unsupported" ] ||
        fail "the summary is not the last line"

    # a case folder given directly, and several folders at once
    run "$PLANSIM" conform "$WORK/cases/pass"
    expect_status 0
    expect_line out "PASS  pass"
    expect_line out "1 passed, 0 failed, 0 unsupported"
    run "$PLANSIM" conform "$WORK/cases/pass/" "$WORK/cases/npv"
    expect_status 0
    expect_line out "1 passed, 0 failed, 1 unsupported"
}

# --engine: native code and the interpreter print the same numbers; a
# compiler that fails or is missing gives the interpreter with a note
# (auto) or an error (native); the compiled model is cached.
test_engine() {
    m="$MODELS/lookup.mdl"
    export PLANSIM_CACHE_DIR="$WORK/cache"
    run "$PLANSIM" simulate "$m" --engine interpreted
    expect_status 0
    cp "$WORK/out" "$WORK/interpreted.csv"
    run "$PLANSIM" simulate "$m" --engine native
    expect_status 0
    expect_empty err
    cmp -s "$WORK/out" "$WORK/interpreted.csv" ||
        fail "native and interpreted runs differ"
    [ "$(ls "$WORK/cache" | grep -c '^model-.*\.so$')" -eq 1 ] ||
        fail "expected one cached object in $WORK/cache"
    for cc in /bin/false "$WORK/no-such-cc"; do
        run env PLANSIM_CC="$cc" "$PLANSIM" simulate "$m" --engine auto
        expect_status 0
        expect_match err '^plansim: note: the model runs interpreted \(.*compiler'
        cmp -s "$WORK/out" "$WORK/interpreted.csv" ||
            fail "the fall-back with PLANSIM_CC=$cc changed the results"
        run env PLANSIM_CC="$cc" "$PLANSIM" simulate "$m" --engine native
        expect_status 69
        expect_match err 'compiler'
    done
    # the default comes from PLANSIM_ENGINE
    run env PLANSIM_CC=/bin/false PLANSIM_ENGINE=interpreted "$PLANSIM" simulate "$m"
    expect_status 0
    expect_empty err
    run "$PLANSIM" simulate "$m" --engine fast
    expect_status 64
    expect_match err "--engine must be auto, native or interpreted, not 'fast'"
    run env PLANSIM_ENGINE=fast "$PLANSIM" simulate "$m"
    expect_status 64
    expect_match err "PLANSIM_ENGINE must be auto, native or interpreted"
}

case "$group" in
help | usage | missing_input | malformed | simulate | check | units | conform | engine)
    "test_$group" ;;
*)
    echo "unknown group '$group'" >&2
    exit 2 ;;
esac

expect_end "cli $group"
