#!/bin/sh
# Validation tests of the Qianjiang District model (models/qianjiang), in
# the spirit of Barlas (1996): structure tests (units, mass balance),
# extreme conditions, behaviour bounds, the 2025 base and the 2020-2025
# back-test.  One group per CTest test:
#   qianjiang_test.sh GROUP
# Environment (set by tests/models/CMakeLists.txt):
#   PLANSIM    the plansim binary
#   ROOT       the repository
#   WORK_BASE  a folder where each run makes its scratch folder
set -u

group=${1:?usage: qianjiang_test.sh GROUP}
: "${PLANSIM:?}" "${ROOT:?}" "${WORK_BASE:?}"

MODEL=$ROOT/models/qianjiang/qianjiang.mdl
SCENARIOS=$ROOT/scenarios
. "$(dirname "$0")/../support/expect.sh"
expect_begin "qj-$group"

# simulate NAME=VALUE...: the model with these constants set, saved
# yearly, to $WORK/sim.csv; a failed run fails the check.
simulate() {
    n=$#
    for a in "$@"; do
        set -- "$@" --set "$a"
    done
    shift "$n"
    run "$PLANSIM" simulate "$MODEL" "$@"
    expect_status 0
    cp "$WORK/out" "$WORK/sim.csv"
}

# check_rows DESCRIPTION AWK-CONDITION: every saved row of $WORK/sim.csv
# meets the condition, written with v("variable name") for the value of a
# variable in that row and p("variable name") for its value in the row
# before (the condition is not checked on the first row when it uses p).
check_rows() {
    desc=$1
    cond=$2
    awk -F, -v desc="$desc" '
    function v(name) {
        if (!(name in col)) { printf "no column %s\n", name; bad = 1; exit 1 }
        return $(col[name]) + 0
    }
    function p(name) { v(name); uses_prev = 1; return prev[col[name]] }
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    {
        uses_prev = 0
        ok = ('"$cond"')
        if (!ok && !(uses_prev && NR == 2)) {
            printf "%s: fails at time %s\n", desc, $1; bad = 1
        }
        for (i = 1; i <= NF; i++) prev[i] = $i + 0
    }
    END { exit bad }' "$WORK/sim.csv" >"$WORK/check" 2>&1 ||
        fail "$(cat "$WORK/check")"
}

# value TIME NAME: the value of a variable at a saved time of sim.csv.
value() {
    awk -F, -v t="$1" -v name="$2" '
        NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
        $1 + 0 == t + 0 && c { print $c; found = 1 }
        END { exit !found }' "$WORK/sim.csv"
}

# The bounds a plausible run keeps at every saved time: positive stocks,
# shares in [0, 1] that add up to 1, ratios in economic ranges.
PLAUSIBLE='v("gdp real") > 0 && v("gdp real") < 5000 &&
    v("capital stock") > 0 && v("residents") > 30 && v("residents") < 80 &&
    v("city population") > 0 && v("town population") > 0 &&
    v("rural population") > 0 &&
    v("urbanization rate") > 0.4 && v("urbanization rate") < 0.97 &&
    v("primary share") > 0 && v("secondary share") > 0 &&
    v("tertiary share") > 0 &&
    (v("primary share") + v("secondary share") + v("tertiary share") - 1)^2 < 1e-18 &&
    v("capital output ratio") > 1 && v("capital output ratio") < 12 &&
    v("fai gdp ratio") >= 0 && v("fai gdp ratio") < 2 &&
    v("industry va ratio") > 0.05 && v("industry va ratio") < 0.8 &&
    v("gdp real growth") > -0.2 && v("gdp real growth") < 0.3 &&
    v("job ratio") > 0.3 && v("job ratio") < 3'

test_units() {
    run "$PLANSIM" check --units "$MODEL"
    expect_status 0
    [ ! -s "$WORK/err" ] || fail "units check reports: $(head -5 "$WORK/err")"
    # Every variable has units: no empty third column.
    awk -F '\t' '$3 == "" { print "no units: " $1; bad = 1 } END { exit bad }' \
        "$WORK/out" >"$WORK/check" || fail "$(cat "$WORK/check")"
}

test_base_2025() {
    run sh "$ROOT/models/qianjiang/base_check.sh" "$PLANSIM"
    expect_status 0
    grep -q "10 of 10 figures within 0.5 %" "$WORK/out" ||
        fail "base check: $(cat "$WORK/out")"
}

# Extreme condition: no investment at all.  Capital only depreciates, so
# it falls every year at the depreciation rate, real GDP falls, and the
# industrial chains only retire capacity.
test_no_investment() {
    simulate "initial fai gdp ratio=0"
    check_rows "investment is zero" 'v("fai") == 0 && v("gfcf real") == 0'
    check_rows "capital decays" 'v("capital stock") < p("capital stock")'
    check_rows "real GDP falls" 'v("gdp real") < p("gdp real")'
    check_rows "industrial output falls" \
        'v("industrial output real") < p("industrial output real")'
    check_rows "still plausible" "$PLAUSIBLE"
    # Euler with a quarter step: K(2035) = K(2025) (1 - delta/4)^40.
    k0=$(value 2025 "capital stock")
    k1=$(value 2035 "capital stock")
    awk -v a="$k0" -v b="$k1" 'BEGIN {
        e = b / (a * (1 - 0.096 / 4) ^ 40) - 1; exit !(e * e < 1e-20) }' ||
        fail "capital 2035 is $k1, not $k0 * (1 - 0.096/4)^40"
}

# Extreme condition: nobody moves in or out.  Net migration is zero and
# the population changes by births and deaths alone; moves between the
# city, the towns and the countryside leave the total unchanged.
test_zero_migration() {
    simulate "normal in migration rate=0" "normal out migration rate=0"
    check_rows "no migration" \
        'v("in migration") == 0 && v("out migration") == 0 && v("net migration") == 0'
    p0=$(value 2025 residents)
    p1=$(value 2035 residents)
    awk -v a="$p0" -v b="$p1" 'BEGIN {
        e = b / (a * (1 + (0.0065 - 0.008) / 4) ^ 40) - 1; exit !(e * e < 1e-20) }' ||
        fail "residents 2035 are $p1, not $p0 * (1 + (b - d)/4)^40"
    # Rural residents still move to the city: urbanization still rises.
    check_rows "urbanization rises" 'v("urbanization rate") > p("urbanization rate")'
}

# Flat prices: with no deflator growth the deflator stays 1 and nominal
# GDP equals real GDP at every time.
test_flat_deflator() {
    simulate "deflator growth=0"
    check_rows "deflator stays 1" 'v("deflator index") == 1'
    check_rows "nominal equals real" \
        '(v("gdp nominal") - v("gdp real"))^2 <= 1e-24 * v("gdp real")^2'
    check_rows "nominal and real growth agree" \
        '(v("gdp nominal growth") - v("gdp real growth"))^2 < 1e-24'
}

# Mass balance: the change of the residents is births - deaths + net
# migration, and the change of capital is capital formation -
# depreciation, under the default and under settings that push every
# flow between the population stocks.
test_mass_balance() {
    for sets in "" \
        "reclassification rate=0.05|urbanization policy effect=2|town to city rate=0.1" \
        "initial fai gdp ratio=0|normal in migration rate=0.06" \
        "fai growth=0.4|max fai gdp ratio=3|migration perception delay=0.5"; do
        old_ifs=$IFS
        IFS='|'
        # shellcheck disable=SC2086
        set -- $sets
        IFS=$old_ifs
        simulate "$@"
        check_rows "population balance ($sets)" \
            'v("population balance error")^2 <= 1e-20 * v("residents")^2'
        check_rows "capital balance ($sets)" \
            'v("capital balance error")^2 <= 1e-20 * v("capital stock")^2'
        check_rows "residents are the sum of their parts ($sets)" \
            '(v("residents") - v("city population") - v("town population") - v("rural population"))^2 < 1e-20'
    done
}

# A run to 2035 stays finite and plausible: the default, and corners of
# the parameter ranges of the scenarios.
test_horizon() {
    simulate
    check_rows "default run" "$PLAUSIBLE"
    simulate "fai growth=0.2" "initial fai gdp ratio=1.1" "gfcf conversion=0.95" \
        "capital share=0.6" "tfp growth=0.02" "depreciation rate=0.05" \
        "new materials capital productivity=4.5" "capacity utilization=0.95" \
        "normal in migration rate=0.032" "normal transfer rate=0.02" \
        "industrial fai share=0.25" "deflator growth=0.02"
    check_rows "high corner" "$PLAUSIBLE"
    simulate "fai growth=0.05" "initial fai gdp ratio=0.5" "gfcf conversion=0.55" \
        "capital share=0.4" "tfp growth=0" "depreciation rate=0.11" \
        "capacity utilization=0.5" "normal in migration rate=0.017" \
        "normal transfer rate=0.008" "deflator growth=-0.01" \
        "working age share trend=-0.009"
    check_rows "low corner" "$PLAUSIBLE"
}

# Every scenario runs its ensemble with no failed run, and the 5-95 %
# band of key variables stays plausible in 2035.
test_ensembles() {
    for s in baseline plan downside upside; do
        run "$PLANSIM" run -q "$SCENARIOS/$s.yaml" --runs 400 --threads 2 \
            -o "$WORK/$s.h5"
        expect_status 0
        grep -qE "Runs: 400 \(ok 400, failed 0" "$WORK/out" ||
            fail "$s: $(grep Runs: "$WORK/out")"
        [ "$(grep -c ' expected ' "$WORK/out")" -eq 13 ] ||
            fail "$s: the scorecard does not have 13 targets"
        run "$PLANSIM" summary "$WORK/$s.h5" --format csv
        expect_status 0
        awk -F, -v s="$s" '
        function check(name, lo, hi) {
            if ($2 == name && ($5 < lo || $5 > hi)) {
                printf "%s: %s %s %s = %s outside [%s, %s]\n", s, $2, $3, $4, $5, lo, hi
                bad = 1
            }
        }
        $1 == "variable" && ($4 == "p05" || $4 == "p95") {
            check("gdp nominal", 300, 3000)
            check("urbanization rate", 0.55, 0.95)
            check("residents", 40, 75)
            check("capital output ratio", 1.5, 10)
            check("tertiary share", 0.2, 0.8)
            check("gdp real growth", -0.05, 0.2)
        }
        END { exit bad }' "$WORK/out" >"$WORK/check" || fail "$(cat "$WORK/check")"
    done
}

# The 2020-2025 back-test reproduces the 14th-plan outcomes: every
# observed variable within a MAPE of 10 % (the acceptance bound of
# Chinese SD practice), average real growth 5.9 % within 0.2 points and
# urbanization 62 % within 0.5 points.
test_backtest() {
    run "$PLANSIM" fit "$SCENARIOS/backtest_2020.yaml" \
        --observed "$ROOT/models/qianjiang/data/observed_2020_2025.csv" --format csv
    expect_status 0
    awk -F, '
        $2 == "mape_percent" && $3 + 0 >= 10 { printf "%s: MAPE %s %%\n", $1, $3; bad = 1 }
        $2 == "mape_percent" { n++ }
        END { if (n < 10) { print "fewer than 10 variables compared"; bad = 1 }
              exit bad }' "$WORK/out" >"$WORK/check" || fail "$(cat "$WORK/check")"
    run "$PLANSIM" run -q "$SCENARIOS/backtest_2020.yaml" -o "$WORK/bt.h5"
    expect_status 0
    run "$PLANSIM" summary "$WORK/bt.h5" --format csv
    expect_status 0
    awk -F, '
        $1 == "variable" && $3 == 2025 && $4 == "p50" { v[$2] = $5 }
        END {
            g = v["gdp real growth 5y"]; u = v["urbanization rate"]
            if ((g - 0.059)^2 > 0.002^2) { printf "real growth 2021-25 %s, not 5.9 %%\n", g; bad = 1 }
            if ((u - 0.62)^2 > 0.005^2) { printf "urbanization 2025 %s, not 62 %%\n", u; bad = 1 }
            if ((v["fai growth 5y"] - 0.126)^2 > 0.001^2) { printf "FAI growth %s\n", v["fai growth 5y"]; bad = 1 }
            if ((v["primary share"] - 0.086)^2 > 0.002^2 || (v["secondary share"] - 0.361)^2 > 0.005^2) {
                printf "structure 2025 %s : %s\n", v["primary share"], v["secondary share"]; bad = 1 }
            exit bad
        }' "$WORK/out" >"$WORK/check" || fail "$(cat "$WORK/check")"
}

# The fit table of the model README is the output of fit.sh.
test_fit_readme() {
    run sh "$ROOT/models/qianjiang/fit.sh" --check "$PLANSIM"
    expect_status 0
}

# doc_output NAME: the sample output that docs/calibration.md shows after
# its "<!-- output: NAME -->" marker (the fenced block that follows).
doc_output() {
    awk -v mark="<!-- output: $1 -->" '
        $0 == mark { found = 1; next }
        found && /^```/ { if (inside) exit; inside = 1; next }
        inside { print }' "$ROOT/docs/calibration.md"
}

# docs/calibration.md: its two commands, run as it shows them, print what
# it shows; and calibrating on 2020-2025 lowers the 700 亿 probability.
test_calibration() {
    cd "$WORK" || exit 1
    run "$PLANSIM" calibrate "$SCENARIOS/calibrate_2020.yaml"
    expect_status 0
    doc_output calibrate >"$WORK/want"
    cmp -s "$WORK/want" "$WORK/out" ||
        fail "calibrate prints other than docs/calibration.md shows: $(diff "$WORK/want" "$WORK/out" | head -10)"
    run "$PLANSIM" run "$SCENARIOS/plan.yaml" \
        --posterior calibrate_2020-posterior.h5 -o plan-calibrated.h5
    expect_status 0
    expect_match err "calibrated 'industrial fai share', which this scenario does not draw"
    doc_output forecast >"$WORK/want"
    cmp -s "$WORK/want" "$WORK/out" ||
        fail "the forecast prints other than docs/calibration.md shows: $(diff "$WORK/want" "$WORK/out" | head -10)"
    run "$PLANSIM" fit "$SCENARIOS/calibrate_2020.yaml" \
        --posterior calibrate_2020-posterior.h5 \
        --observed "$ROOT/models/qianjiang/data/observed_2020_2025.csv"
    expect_status 0
    doc_output fit >"$WORK/want"
    cmp -s "$WORK/want" "$WORK/out" ||
        fail "fit prints other than docs/calibration.md shows: $(diff "$WORK/want" "$WORK/out" | head -10)"
    # the prior column is plansim run's own probability of the scenario
    run "$PLANSIM" run -q "$SCENARIOS/plan.yaml" -o plan.h5 --format csv
    p=$(awk -F, '$1 == "target" && $2 == "gdp_700" && $4 == "probability" { print $5 }' "$WORK/out")
    run "$PLANSIM" summary plan-calibrated.h5 --format csv
    p0=$(awk -F, '$1 == "target" && $2 == "gdp_700" && $4 == "prior_probability" { print $5 }' "$WORK/out")
    p1=$(awk -F, '$1 == "target" && $2 == "gdp_700" && $4 == "probability" { print $5 }' "$WORK/out")
    [ -n "$p" ] && [ "$p" = "$p0" ] ||
        fail "prior probability $p0 is not plansim run's $p"
    awk -v a="$p1" -v b="$p0" 'BEGIN { exit !(a != "" && a < b) }' ||
        fail "calibration did not lower P(700): $p0 -> $p1"
}

case $group in
units | base_2025 | no_investment | zero_migration | flat_deflator | \
    mass_balance | horizon | ensembles | backtest | fit_readme | calibration)
    "test_$group" ;;
*)
    echo "unknown group: $group" >&2
    exit 2
    ;;
esac

expect_end "qj $group"
