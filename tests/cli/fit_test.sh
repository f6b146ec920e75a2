#!/bin/sh
# End-to-end tests of `plansim fit`, one group per CTest test:
#   fit_test.sh GROUP        (model, formats, scenario, errors)
# Environment (set by tests/cli/CMakeLists.txt):
#   PLANSIM    the plansim binary
#   MODELS     tests/cli/models
#   WORK_BASE  a folder where each run makes its scratch folder
#
# The model grows exponentially under Euler with TIME STEP 1, so its values
# are exact decimals: Population = 100, 110, 121, 133.1, ... and births is
# a tenth of it.  SAVEPER is 2, so the odd observed times also check that
# the run is compared at every TIME STEP.
set -u

group=${1:?usage: fit_test.sh GROUP}
: "${PLANSIM:?}" "${MODELS:?}" "${WORK_BASE:?}"

. "$(dirname "$0")/../support/expect.sh"
expect_begin "fit-$group"

# field ROW_START COLUMN: whitespace-separated column COLUMN of the line
# of stdout that starts with ROW_START.
field() {
    awk -v start="$1" -v col="$2" \
        'index($0, start) == 1 { print $col; exit }' "$WORK/out"
}

# csv_value VARIABLE STATISTIC: the value of the long-form CSV on stdout.
csv_value() {
    awk -F, -v v="$1" -v s="$2" '$1 == v && $2 == s { print $3; exit }' \
        "$WORK/out"
}

# expect_close WHAT GOT WANT ABSTOL
expect_close() {
    awk -v got="$2" -v want="$3" -v tol="$4" 'BEGIN {
        d = got - want; if (d < 0) d = -d
        exit !(got != "" && d <= tol) }' ||
        fail "$1: got '$2', expected $3 (within $4)"
}

write_model() {
    cat >"$WORK/growth.mdl" <<'EOF'
{UTF-8}
Population = INTEG(births, 100)
	~	people
	~	Grows by a tenth each year.
	|

births = growth rate * Population
	~	people/Year
	~	|

growth rate = 0.1
	~	1/Year
	~	|

人口 = Population
	~	people
	~	The same stock under a Chinese name.
	|

********************************************************
	.Control
********************************************************~
		Simulation Control Parameters
	|

FINAL TIME  = 10
	~	Year
	~	|

INITIAL TIME  = 0
	~	Year
	~	|

SAVEPER  = 2
	~	Year
	~	|

TIME STEP  = 1
	~	Year
	~	|
EOF
}

# Percent errors: Population 0 %, 10 % (100 for 110) and 10 % (121 for
# 133.1): MAPE 6.67 %, RMSPE sqrt(0.02/3) = 8.16 %.  births: 0 % (11 for
# 11), 10 % (11 for 12.1), and no observation at time 3: MAPE 5 %.
write_observed() {
    cat >"$WORK/observed.csv" <<'EOF'
Time,Population,BIRTHS
0,100,
1,100,11
2,,11
3,121,
EOF
}

test_model() {
    write_model
    write_observed
    run "$PLANSIM" fit "$WORK/growth.mdl" --observed "$WORK/observed.csv"
    expect_status 0
    expect_empty err
    expect_match out '^variable +n +MAPE % +RMSPE % +U +U\^M +U\^S +U\^C$'
    expect_match out '^Population +3 +6\.67 +8\.16 '
    expect_match out '^BIRTHS +2 +5\.00 '
    expect_close "Population MAPE" "$(field Population 3)" 6.67 0.001
    expect_close "births MAPE" "$(field BIRTHS 3)" 5.00 0.001

    # Observed = simulated - 10 at every time: all bias.
    printf 'Time,Population\n0,90\n1,100\n2,111\n3,123.1\n' \
        >"$WORK/offset.csv"
    run "$PLANSIM" fit "$WORK/growth.mdl" --observed "$WORK/offset.csv"
    expect_status 0
    expect_match out '^Population +4 .* 1\.000 +0\.000 +0\.000$'

    # --set replaces a constant: growth rate 0 keeps Population at 100.
    run "$PLANSIM" fit "$WORK/growth.mdl" --observed "$WORK/observed.csv" \
        --set "growth rate=0"
    expect_status 0
    # 100 against 100, 100, 121: (0 + 0 + 21/121) / 3
    expect_close "Population MAPE with --set" "$(field Population 3)" \
        "$(awk 'BEGIN { printf "%.2f", 100 * (21 / 121) / 3 }')" 0.001

    # RK4 changes the values, so the fit.
    run "$PLANSIM" fit "$WORK/growth.mdl" --observed "$WORK/observed.csv" \
        --method rk4
    expect_status 0
    [ "$(field Population 3)" != "6.67" ] ||
        fail "--method rk4 gave the Euler fit"

    # A missing observation only: n is 0, the statistics n/a, with a note.
    printf 'Time,Population\n0,\n' >"$WORK/none.csv"
    run "$PLANSIM" fit "$WORK/growth.mdl" --observed "$WORK/none.csv"
    expect_status 0
    expect_match out '^Population +0 +n/a +n/a +n/a +n/a +n/a +n/a$'
    expect_line out "note: Population: no time has both a simulated and an observed value"

    # One observation: percent errors, no decomposition.
    printf 'Time,Population\n1,100\n' >"$WORK/one.csv"
    run "$PLANSIM" fit "$WORK/growth.mdl" --observed "$WORK/one.csv"
    expect_status 0
    expect_match out '^Population +1 +10\.00 +10\.00 +[0-9.]+ +n/a +n/a +n/a$'
    expect_match out '^note: Population: one observation'

    # Observed zeros are left out of the percent errors, and said so.
    printf 'Time,Population\n0,0\n1,100\n' >"$WORK/zero.csv"
    run "$PLANSIM" fit "$WORK/growth.mdl" --observed "$WORK/zero.csv"
    expect_status 0
    expect_match out '^Population +2 +10\.00 '
    expect_line out "note: Population: 1 observed value of 0 left out of MAPE and RMSPE"
}

test_formats() {
    write_model
    write_observed
    run "$PLANSIM" fit "$WORK/growth.mdl" --observed "$WORK/observed.csv" \
        --format md
    expect_status 0
    expect_line out "| Variable | n | MAPE % | RMSPE % | U | U<sup>M</sup> | U<sup>S</sup> | U<sup>C</sup> |"
    expect_line out "|:---|---:|---:|---:|---:|---:|---:|---:|"
    expect_match out '^\| Population \| 3 \| 6\.67 \| 8\.16 \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \|$'
    [ "$(wc -l <"$WORK/out")" -eq 4 ] ||
        fail "md: expected 4 lines, got: $(cat "$WORK/out")"

    run "$PLANSIM" fit "$WORK/growth.mdl" --observed "$WORK/observed.csv" \
        --format csv
    expect_status 0
    expect_empty err
    expect_line out "variable,statistic,value"
    expect_line out "Population,n,3"
    expect_line out "BIRTHS,n,2"
    expect_close "csv MAPE" "$(csv_value Population mape_percent)" \
        "$(awk 'BEGIN { printf "%.15g", 20 / 3 }')" 1e-9
    expect_close "csv RMSPE" "$(csv_value Population rmspe_percent)" \
        "$(awk 'BEGIN { printf "%.15g", 100 * sqrt(0.02 / 3) }')" 1e-9
    # U^M + U^S + U^C = 1
    expect_close "csv components" "$(awk -F, '$1 == "Population" &&
        ($2 == "u_m" || $2 == "u_s" || $2 == "u_c") { s += $3 }
        END { printf "%.15g", s }' "$WORK/out")" 1 1e-12
    [ "$(wc -l <"$WORK/out")" -eq 15 ] ||
        fail "csv: expected 15 lines, got: $(cat "$WORK/out")"

    # Notes go to stderr with csv: stdout stays one table.
    printf 'Time,Population\n0,\n' >"$WORK/none.csv"
    run "$PLANSIM" fit "$WORK/growth.mdl" --observed "$WORK/none.csv" -f csv
    expect_status 0
    expect_line out "Population,mape_percent,"
    expect_match err 'note: Population: no time has both'

    # A tab-separated file with a Chinese column name, aligned.
    printf 'Time\t人口\n0\t100\n1\t100\n3\t121\n' >"$WORK/observed.tab"
    run "$PLANSIM" fit "$WORK/growth.mdl" --observed "$WORK/observed.tab"
    expect_status 0
    expect_match out '^人口 +3 +6\.67 +8\.16 '
    # 人口 is four columns wide: padded to "variable" with four spaces,
    # then two between columns.
    expect_match out '^人口 {6}3  '
}

test_json() {
    # The JSON document holds the numbers of the long CSV; a statistic
    # that cannot be computed is null, with its note.
    write_model
    write_observed
    printf 'Time,Population,BIRTHS\n0,,\n1,100,\n' >"$WORK/thin.csv"
    for obs in "$WORK/observed.csv" "$WORK/thin.csv"; do
        run "$PLANSIM" fit "$WORK/growth.mdl" --observed "$obs" --format csv
        expect_status 0
        cp "$WORK/out" "$WORK/fit.csv"
        run "$PLANSIM" fit "$WORK/growth.mdl" --observed "$obs" --format json
        expect_status 0
        expect_empty err
        "${PYTHON:-python3}" "$(dirname "$0")/../support/check_json.py" fit \
            "$WORK/out" "$WORK/fit.csv" >"$WORK/check" 2>&1 ||
            fail "fit $obs: $(cat "$WORK/check")"
    done
    expect_match out '"u_m": null'
    expect_match out 'no time has both a simulated and an observed value'
}

test_scenario() {
    write_model
    # The scenario halves the step and draws the growth rate from a
    # discrete distribution whose median (0.2) is not its mean (0.25).
    cat >"$WORK/growth.yaml" <<'EOF'
model: growth.mdl
time: {final: 4, step: 0.5}
uncertain:
  growth rate: {dist: discrete, values: [0.2, 0.4], weights: [3, 1]}
EOF
    # At the median, Population is 100 * 1.1^(2t): 121 at 1, 146.41 at 2.
    printf 'Time,Population\n0,100\n1,110\n2,146.41\n' >"$WORK/observed.csv"
    run "$PLANSIM" fit "$WORK/growth.yaml" --observed "$WORK/observed.csv"
    expect_status 0
    # (0 + 11/110 + 0) / 3
    expect_match out '^Population +3 +3\.33 '

    # --set replaces the median: 0.1 gives 100 * 1.05^(2t).
    run "$PLANSIM" fit "$WORK/growth.yaml" --observed "$WORK/observed.csv" \
        --set "growth rate=0.1"
    expect_status 0
    expect_close "MAPE with --set" "$(field Population 3)" \
        "$(awk 'BEGIN { a = 110.25 / 110 - 1; b = 1 - 121.550625 / 146.41
                       printf "%.2f", 100 * (a + b) / 3 }')" 0.001

    # The scenario's horizon applies: time 5 is after its FINAL TIME.
    printf 'Time,Population\n0,100\n5,110\n' >"$WORK/late.csv"
    run "$PLANSIM" fit "$WORK/growth.yaml" --observed "$WORK/late.csv"
    expect_status 65
    expect_match err 'late\.csv:3:1: error: time 5 is outside the run'

    # A scenario naming no variable of the model.
    cat >"$WORK/bad.yaml" <<'EOF'
model: growth.mdl
uncertain:
  growth ratez: {dist: uniform, min: 0.1, max: 0.3}
EOF
    run "$PLANSIM" fit "$WORK/bad.yaml" --observed "$WORK/observed.csv"
    expect_status 65
    expect_match err 'bad\.yaml:3:3: error: .*growth ratez'

    run "$PLANSIM" fit "$WORK/absent.yaml" --observed "$WORK/observed.csv"
    expect_status 66
}

test_errors() {
    write_model
    write_observed
    M="$WORK/growth.mdl"
    O="$WORK/observed.csv"

    # Usage: 64.
    run "$PLANSIM" fit "$M"
    expect_status 64
    expect_match err 'missing --observed'
    run "$PLANSIM" fit --observed "$O"
    expect_status 64
    run "$PLANSIM" fit "$M" "$M" --observed "$O"
    expect_status 64
    run "$PLANSIM" fit "$M" --observed "$O" --format xml
    expect_status 64
    expect_match err "^plansim fit: --format: 'xml' is not table, md, csv or json$"
    run "$PLANSIM" fit "$M" --observed "$O" --method nope
    expect_status 64
    run "$PLANSIM" fit "$M" --observed "$O" --set "growth rate=x"
    expect_status 64
    run "$PLANSIM" fit "$M" --observed "$O" --set "no such thing=1"
    expect_status 64
    expect_match err "no variable 'no such thing'"
    run "$PLANSIM" fit "$M" --observed "$O" --set "births=1"
    expect_status 64

    # Missing files: 66.
    run "$PLANSIM" fit "$M" --observed "$WORK/absent.csv"
    expect_status 66
    expect_match err 'absent\.csv'
    run "$PLANSIM" fit "$WORK/absent.mdl" --observed "$O"
    expect_status 66

    # Bad data: 65, located.
    printf 'Time,Population,"gdp, real"\n0,100,1\n' >"$WORK/col.csv"
    run "$PLANSIM" fit "$M" --observed "$WORK/col.csv"
    expect_status 65
    expect_line err "$WORK/col.csv:1:17: error: column 'gdp, real' names no variable of $M"
    expect_empty out

    printf 'Time,Population,population\n0,100,100\n' >"$WORK/twice.csv"
    run "$PLANSIM" fit "$M" --observed "$WORK/twice.csv"
    expect_status 65
    expect_match err 'twice\.csv:1:17: error: .*same variable'

    printf 'Time,Population\n0,100\n\n1.5,100\n' >"$WORK/between.csv"
    run "$PLANSIM" fit "$M" --observed "$WORK/between.csv"
    expect_status 65
    expect_match err 'between\.csv:4:1: error: time 1\.5 falls between time steps'

    printf 'Time,Population\n0,100\n11,100\n' >"$WORK/late.csv"
    run "$PLANSIM" fit "$M" --observed "$WORK/late.csv"
    expect_status 65
    expect_match err 'late\.csv:3:1: error: time 11 is outside the run'

    printf 'Time,Population\n1,100\n1,100\n' >"$WORK/dup.csv"
    run "$PLANSIM" fit "$M" --observed "$WORK/dup.csv"
    expect_status 65
    expect_match err 'dup\.csv:3:1: error: time 1 appears twice \(first on line 2\)'

    printf 'Time,Population\n0,100\n1,inf\n' >"$WORK/inf.csv"
    run "$PLANSIM" fit "$M" --observed "$WORK/inf.csv"
    expect_status 65
    expect_match err 'inf\.csv:3:3: error: .*infinite'

    printf 'Time,Population\n0,100\n1,abc\n' >"$WORK/text.csv"
    run "$PLANSIM" fit "$M" --observed "$WORK/text.csv"
    expect_status 65
    expect_match err 'text\.csv:3:3: error: invalid number'

    printf 'Time\n0\n' >"$WORK/nocols.csv"
    run "$PLANSIM" fit "$M" --observed "$WORK/nocols.csv"
    expect_status 65

    # A model that fails while running: 65, nothing printed.
    printf 'Time,x\n0,1\n' >"$WORK/x.csv"
    run "$PLANSIM" fit "$MODELS/blowup.mdl" --observed "$WORK/x.csv"
    expect_status 65
    expect_match err 'NaN or infinite'
    expect_empty out
}

case "$group" in
model | formats | scenario | errors | json)
    "test_$group" ;;
*)
    echo "unknown group '$group'" >&2
    exit 2 ;;
esac

expect_end "fit $group"
