#!/bin/sh
# End-to-end tests of `plansim sensitivity`, one group per CTest test:
#   sens_test.sh GROUP
# The models are functions with known indices (Ishigami, Sobol' G) written
# as .mdl files; the indices the command prints (csv) or stores (the
# /sensitivity group) must recover the analytic values within the
# intervals it reports.
# Environment (set by tests/sensitivity/CMakeLists.txt):
#   PLANSIM    the plansim binary
#   CASES      tests/sensitivity/cases
#   CHECK      the Python checker (check_sensitivity.py)
#   PYTHON     Debian's python3 with xarray and numpy
#   WORK_BASE  a folder where each run makes its scratch folder
set -u

group=${1:?usage: sens_test.sh GROUP}
: "${PLANSIM:?}" "${CASES:?}" "${CHECK:?}" "${PYTHON:?}" "${WORK_BASE:?}"

. "$(dirname "$0")/../support/expect.sh"
expect_begin "sens-$group"

# within FILE FACTOR COLUMN EXACT: in the csv output FILE, the row of
# FACTOR has its interval (columns COLUMN+1, COLUMN+2) around EXACT, and
# the estimate (column COLUMN) within SALib's tolerance of it.
within() {
    awk -F, -v f="$2" -v c="$3" -v x="$4" '
        NR > 1 && $5 == f {
            found = 1
            est = $c; lo = $(c + 1); hi = $(c + 2)
            tol = 0.05 + 0.1 * (x < 0 ? -x : x)
            d = est - x
            if (d < 0) d = -d
            ok = lo <= x && x <= hi && d <= tol
            printf "%s column %d: %.4f [%.4f, %.4f], analytic %.4f%s\n",
                   f, c, est, lo, hi, x, ok ? "" : "  <- FAIL"
        }
        END { exit !(found && ok) }' "$1" ||
        fail "$2: column $3 does not recover $4"
}

test_ishigami() {
    run "$PLANSIM" sensitivity "$CASES/ishigami.yaml" --samples 8192 \
        --of 'y@1' --format csv
    expect_status 0
    expect_match err 'k = 3 factors, N = 8192: N\(k\+2\) = 40960 runs'
    expect_line out 'output,variable,time,rank,factor,label,S1,S1_low,S1_high,S1_conf,ST,ST_low,ST_high,ST_conf'
    cp "$WORK/out" "$WORK/i.csv"
    # Columns: 7 S1 (8, 9 its interval), 11 ST (12, 13).
    within "$WORK/i.csv" x1 7 0.313905
    within "$WORK/i.csv" x2 7 0.442411
    within "$WORK/i.csv" x3 7 0
    within "$WORK/i.csv" x1 11 0.557589
    within "$WORK/i.csv" x2 11 0.442411
    within "$WORK/i.csv" x3 11 0.243684
    # Ranked by ST, with the inputs' Chinese labels.
    expect_match out '^y@1,y,1,1,x1,第一个输入,'
    expect_match out '^y@1,y,1,3,x3,第三个输入,'
    # The table names the same ranking.
    run "$PLANSIM" sensitivity "$CASES/ishigami.yaml" -N 1024 --of 'y@1' -q
    expect_status 0
    expect_match out '^ +1 +x1 +第一个输入 +0\.5'
    expect_match out '^ +3 +x3 +第三个输入 +0\.2'
}

test_groups() {
    # {x1, x3} as one factor: S1 = ST = S1 + S3 + S13 = 1 - S2.
    run "$PLANSIM" sensitivity "$CASES/ishigami.yaml" -N 8192 --of 'y@1' \
        --group 'x13=x1, x3' -f csv -q
    expect_status 0
    cp "$WORK/out" "$WORK/g.csv"
    within "$WORK/g.csv" x13 7 0.557589
    within "$WORK/g.csv" x13 11 0.557589
    within "$WORK/g.csv" x2 7 0.442411
    expect_match out '^y@1,y,1,1,x13,第一个输入、第三个输入,'
    run "$PLANSIM" sensitivity "$CASES/ishigami.yaml" -N 64 --of 'y@1' \
        --group 'x13=x1,x3'
    expect_match err 'k = 2 factors \(3 inputs\), N = 64: N\(k\+2\) = 256 runs'
}

test_gfun_file() {
    # The G-function, with the runs and the results in one file, read
    # back with xarray.
    run "$PLANSIM" sensitivity "$CASES/gfun.yaml" -N 8192 --of 'G@1' \
        -o "$WORK/g.h5" -q
    expect_status 0
    [ -e "$WORK/g.h5" ] || fail "no file $WORK/g.h5"
    [ -e "$WORK/g.h5.partial" ] && fail "a .partial file was left"
    "$PYTHON" "$CHECK" gfun "$WORK/g.h5" >"$WORK/check" 2>&1
    rc=$?
    cat "$WORK/check"
    if [ "$rc" -eq 77 ]; then
        echo "skipped: $(cat "$WORK/check")"
        exit 77
    fi
    [ "$rc" -eq 0 ] || fail "check gfun"
    if command -v ncdump >/dev/null 2>&1; then
        run ncdump -h "$WORK/g.h5"
        expect_status 0
        expect_match out 'double ST\(output, factor\)'
        expect_match out 'string factor\(factor\)'
    fi
    # The ensemble part is what `plansim summary` reads.
    run "$PLANSIM" summary "$WORK/g.h5"
    expect_status 0
}

test_morris() {
    run "$PLANSIM" sensitivity "$CASES/gfun.yaml" --method morris \
        --of 'G@1' -f csv
    expect_status 0
    expect_match err 'r = 20 trajectories, p = 4 levels: r\(k\+1\) = 180 runs'
    expect_line out 'output,variable,time,rank,factor,label,mu,mu_star,mu_star_low,mu_star_high,mu_star_conf,sigma'
    # x1 ... x4 in the order of their a_i.
    for i in 1 2 3 4; do
        expect_match out "^G@1,G,1,$i,x$i,"
    done
    # Ishigami on 4 levels: every step of x2 gives |effect| = 7.875.
    run "$PLANSIM" sensitivity "$CASES/ishigami.yaml" -m morris \
        --trajectories 50 --of 'y@1' -f csv -q
    expect_status 0
    expect_match out '^y@1,y,1,[123],x2,第二个输入,[^,]*,7\.875,'
}

test_oat() {
    # Ishigami at the 5 % and 95 % quantiles, x = -+0.9 pi, the others at
    # 0: x1 gives -+sin(0.1 pi), x2 gives 7 sin^2(0.9 pi) both ways, x3
    # nothing.
    run "$PLANSIM" sensitivity "$CASES/ishigami.yaml" --method oat \
        --of 'y@1' -f csv
    expect_status 0
    expect_match err '2k\+1 = 7 runs'
    expect_line out 'output,variable,time,rank,factor,label,base,output_low,output_high,swing'
    expect_match out '^y@1,y,1,1,x1,第一个输入,0,-0\.30901699437494[0-9]*,0\.30901699437494[0-9]*,0\.61803398874989[0-9]*$'
    expect_match out '^y@1,y,1,[23],x2,第二个输入,0,0\.66844051968768[0-9]*,0\.66844051968768[0-9]*,'
    run "$PLANSIM" sensitivity "$CASES/ishigami.yaml" --method oat \
        --low 0.25 --high 0.75 --of 'y@1' -f md -q
    expect_status 0
    expect_match out '^\| +1 \| x1 +\| 第一个输入 +\| +2 \|'
}

test_threads() {
    # Bit-identical results at 1 and 2 threads, with and without a file.
    run "$PLANSIM" sensitivity "$CASES/ishigami.yaml" -N 512 -f csv -q \
        --threads 1
    cp "$WORK/out" "$WORK/t1.csv"
    run "$PLANSIM" sensitivity "$CASES/ishigami.yaml" -N 512 -f csv -q \
        --threads 2 -o "$WORK/t2.h5"
    expect_status 0
    cmp -s "$WORK/t1.csv" "$WORK/out" || fail "1 and 2 threads differ"
    # Another seed: other points, other numbers.
    run "$PLANSIM" sensitivity "$CASES/ishigami.yaml" -N 512 -f csv -q \
        --seed 5
    cmp -s "$WORK/t1.csv" "$WORK/out" && fail "another seed changed nothing"
}

test_errors() {
    run "$PLANSIM" sensitivity "$CASES/ishigami.yaml" --method fast
    expect_status 64
    expect_match err "--method: 'fast' is not sobol, morris or oat"
    run "$PLANSIM" sensitivity "$CASES/ishigami.yaml" --of 'z@1'
    expect_status 64
    expect_match err "the model has no variable 'z'"
    run "$PLANSIM" sensitivity "$CASES/ishigami.yaml" --of 'y@5'
    expect_status 64
    expect_match err '5 is not a saved time \(0 to 1, 2 times\)'
    run "$PLANSIM" sensitivity "$CASES/ishigami.yaml" --of 'target:nope'
    expect_status 64
    expect_match err "no target 'nope' \(targets: y_positive\)"
    run "$PLANSIM" sensitivity "$CASES/ishigami.yaml" --group 'g=x1,x9'
    expect_status 64
    expect_match err "'x9' is not an uncertain input"
    run "$PLANSIM" sensitivity "$CASES/ishigami.yaml" --group 'g=x1' \
        --group 'h=x1,x2'
    expect_status 64
    expect_match err "'x1' is already in another group"
    run "$PLANSIM" sensitivity "$CASES/ishigami.yaml" -m morris --levels 3
    expect_status 64
    run "$PLANSIM" sensitivity "$CASES/ishigami.yaml" --format xml
    expect_status 64
    expect_match err "^plansim sensitivity: --format: 'xml' is not table, md, csv or json$"
    run "$PLANSIM" sensitivity "$CASES/gfun.yaml"
    expect_status 64
    expect_match err 'no targets: name the outputs with --of'
    run "$PLANSIM" sensitivity "$CASES/no_such.yaml"
    expect_status 66
    run "$PLANSIM" sensitivity "$CASES/ishigami.yaml" -N 64 \
        -o "$WORK/no/such/dir/x.h5"
    expect_status 73
    run "$PLANSIM" sensitivity
    expect_status 64
    # A file whose runs cannot fit the output's file system (1.9 TiB here)
    # is refused at the start, as run refuses one, and nothing is made.
    run "$PLANSIM" sensitivity -q "$CASES/../../scenarios/cases/resume.yaml" \
        -N 134217728 --of 'GDP@2500' -o "$WORK/big.h5"
    expect_status 65
    expect_match err "resume\.yaml: error: 536870912 runs .* need 1\.9 TiB \(uncompressed\); the output's file system has"
    [ -e "$WORK/big.h5.partial" ] && fail "a refused sensitivity made a file"
    # A power of 2 is asked for, and rounded up to.
    run "$PLANSIM" sensitivity "$CASES/ishigami.yaml" -N 100 --of 'y@1'
    expect_status 0
    expect_match err 'warning: --samples 100 is not a power of 2 .*: using 128'
    expect_match err 'N = 128: N\(k\+2\) = 640 runs'
}

test_help() {
    run "$PLANSIM" help sensitivity
    expect_status 0
    expect_match out '^usage: plansim sensitivity SCENARIO.yaml'
    run "$PLANSIM" --help
    expect_match out '^  sensitivity '
}

# expect_file_match FILE REGEX: some line of FILE matches.
expect_file_match() {
    grep -q -- "$2" "$1" || fail "$1: no line matches '$2'"
}

test_report() {
    # The report of a sensitivity file: sensitivity.md for readers (in
    # Chinese without the model's names), sensitivity.csv as the command
    # prints it, a sheet of report.xlsx with the CSV's numbers; a plain
    # ensemble's report has none of them.
    cp "$CASES/../models/ishigami.mdl" "$WORK/ishigami.mdl"
    sed -e 's#\.\./models/##' -e 's/label: y为正/label: 函数值为正/' \
        "$CASES/ishigami.yaml" >"$WORK/ishigami.yaml"
    cat >"$WORK/ishigami.labels.yaml" <<'LABELS'
variables:
  y: {zh: 函数值, en: Function value, units_zh: 无量纲, units_en: none}
targets:
  y_positive: {zh: 函数值为正, en: Positive value}
inputs:
  x1: {zh: 第一个输入, en: First input}
  x2: {zh: 第二个输入, en: Second input}
  x3: {zh: 第三个输入, en: Third input}
LABELS
    run "$PLANSIM" sensitivity "$WORK/ishigami.yaml" -N 64 --of 'y@1' \
        --of target:y_positive -o "$WORK/s.h5" -f csv -q
    expect_status 0
    cp "$WORK/out" "$WORK/printed.csv"
    run "$PLANSIM" report "$WORK/s.h5" --lang zh --output "$WORK/zh"
    expect_status 0
    for f in sensitivity.md sensitivity.csv report.xlsx index.html; do
        [ -s "$WORK/zh/$f" ] || fail "the report has no $f"
    done
    cmp -s "$WORK/printed.csv" "$WORK/zh/sensitivity.csv" ||
        fail "sensitivity.csv differs from plansim sensitivity -f csv"
    expect_file_match "$WORK/zh/index.md" '(sensitivity\.md)'
    expect_file_match "$WORK/zh/sensitivity.md" '^## 函数值，1年$'
    expect_file_match "$WORK/zh/sensitivity.md" \
        '^## 目标：函数值为正（是否达成）$'
    expect_file_match "$WORK/zh/sensitivity.md" '^|    1 | 第一个输入 '
    expect_file_match "$WORK/zh/index.html" 'id="file-sensitivity"'
    # No model name for readers: not the inputs', the variable's, the
    # outputs' or the target's.
    if grep -nE \
        '(^|[^A-Za-z0-9_])(x[123]|y|y@1|target|y_positive)([^A-Za-z0-9_]|$)' \
        "$WORK/zh/sensitivity.md"; then
        fail "sensitivity.md shows a model name"
    fi
    # They are in the appendix.
    expect_file_match "$WORK/zh/appendix.md" '| target:y_positive '
    run "$PLANSIM" report "$WORK/s.h5" --lang en --output "$WORK/en"
    expect_status 0
    expect_file_match "$WORK/en/sensitivity.md" '^## Function value, 1$'
    expect_file_match "$WORK/en/sensitivity.md" '^|    1 | First input '
    # A plain ensemble: none of it.
    run "$PLANSIM" run "$WORK/ishigami.yaml" --runs 20 -o "$WORK/e.h5" -q
    expect_status 0
    run "$PLANSIM" report "$WORK/e.h5" --output "$WORK/plain"
    expect_status 0
    [ -e "$WORK/plain/index.md" ] || fail "no plain report"
    for f in sensitivity.md sensitivity.csv; do
        [ -e "$WORK/plain/$f" ] && fail "a plain ensemble's report has $f"
    done
    grep -q sensitivity "$WORK/plain/index.md" &&
        fail "a plain ensemble's index.md links to sensitivity results"
    if ! "$PYTHON" -c 'import openpyxl' 2>/dev/null; then
        [ "$failures" -eq 0 ] || expect_end "sens-$group"
        echo "skipped: report.xlsx not checked: $PYTHON has no openpyxl"
        exit 77
    fi
    "$PYTHON" "$FORMATS" xlsx "$WORK/zh" targets.csv variables.csv \
        assumptions.csv sensitivity.csv || fail "report.xlsx"
}

test_json() {
    # Each method's JSON document holds the numbers of its CSV.
    for method in "oat" "morris --trajectories 10" "sobol -N 64"; do
        # shellcheck disable=SC2086
        run "$PLANSIM" sensitivity "$CASES/ishigami.yaml" -q -m $method \
            --of 'y@1' -f csv
        expect_status 0
        cp "$WORK/out" "$WORK/s.csv"
        # shellcheck disable=SC2086
        run "$PLANSIM" sensitivity "$CASES/ishigami.yaml" -q -m $method \
            --of 'y@1' -f json
        expect_status 0
        "$PYTHON" "$(dirname "$0")/../support/check_json.py" sensitivity \
            "$WORK/out" "$WORK/s.csv" >"$WORK/check" 2>&1 ||
            fail "$method: $(cat "$WORK/check")"
    done
    expect_match out '"label": "第一个输入"'
}

case "$group" in
ishigami | groups | gfun_file | morris | oat | threads | errors | help | json | \
    report)
    "test_$group" ;;
*)
    echo "unknown group '$group'" >&2
    exit 2 ;;
esac
expect_end "sens-$group"
