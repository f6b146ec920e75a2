#!/bin/sh
# Validation tests of the Qianjiang District model (models/qianjiang), in
# the spirit of Barlas (1996): structure tests (units, balances, GDP from
# its sectors and projects), extreme conditions, behaviour bounds, the
# 2025 base, the levers a district controls, and the 2015-2021
# calibration with its 2022-2025 hold-out.  One group per CTest test:
#   qianjiang_test.sh GROUP
# Environment (set by tests/models/CMakeLists.txt):
#   PLANSIM    the plansim binary
#   ROOT       the repository
#   WORK_BASE  a folder where each run makes its scratch folder
set -u

group=${1:?usage: qianjiang_test.sh GROUP}
: "${PLANSIM:?}" "${ROOT:?}" "${WORK_BASE:?}"

MODEL=$ROOT/models/qianjiang/qianjiang.mdl
CSV=$ROOT/models/qianjiang/data/projects.csv
SCENARIOS=$ROOT/scenarios
. "$(dirname "$0")/../support/expect.sh"
expect_begin "qj-$group"

# simulate NAME=VALUE...: the model with these constants set, saved
# yearly, to $WORK/sim.tab (tab-separated: names of subscripted
# variables hold commas); a failed run fails the check.
simulate() {
    n=$#
    for a in "$@"; do
        set -- "$@" --set "$a"
    done
    shift "$n"
    rm -f "$WORK/sim.tab"
    run "$PLANSIM" simulate "$MODEL" "$@" -o "$WORK/sim.tab"
    expect_status 0
}

# value TIME NAME: a variable's value at a saved time of sim.tab.
value() {
    awk -F '\t' -v t="$1" -v name="$2" '
        NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
        $1 + 0 == t + 0 && c { print $c; found = 1 }
        END { exit !found }' "$WORK/sim.tab"
}

# check_rows DESCRIPTION AWK-CONDITION: every saved row of sim.tab meets
# the condition, written with v("name") for a variable's value.
check_rows() {
    awk -F '\t' -v desc="$1" '
    function v(name) {
        if (!(name in col)) { printf "no column %s\n", name; bad = 1; exit 1 }
        return $(col[name]) + 0
    }
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    !('"$2"') { printf "%s: fails at time %s\n", desc, $1; bad = 1 }
    END { exit bad }' "$WORK/sim.tab" >"$WORK/check" 2>&1 ||
        fail "$(cat "$WORK/check")"
}

# increasing A B...: each number is larger than the one before.
increasing() {
    awk 'BEGIN { for (i = 2; i < ARGC; i++) if (!(ARGV[i] + 0 > ARGV[i - 1] + 0)) exit 1 }' "$@"
}


# check_prev DESCRIPTION AWK-CONDITION: as check_rows, with p("name") for
# the value in the row before (not checked on the first row).
check_prev() {
    awk -F '\t' -v desc="$1" '
    function v(name) {
        if (!(name in col)) { printf "no column %s\n", name; bad = 1; exit 1 }
        return $(col[name]) + 0
    }
    function p(name) { v(name); return prev[col[name]] }
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    NR > 2 && !('"$2"') { printf "%s: fails at time %s\n", desc, $1; bad = 1 }
    { for (i = 1; i <= NF; i++) prev[i] = $i + 0 }
    END { exit bad }' "$WORK/sim.tab" >"$WORK/check" 2>&1 ||
        fail "$(cat "$WORK/check")"
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
    v("gdp real growth") > -0.2 && v("gdp real growth") < 0.4 &&
    v("job ratio") > 0.3 && v("job ratio") < 3 &&
    v("debt gdp ratio") >= 0 && v("debt gdp ratio") < 5'

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

# Extreme condition: every listed project cancelled.  No project is
# built or spent on; industrial output comes from the existing plants
# alone and GDP 2030 is below the default run's.
test_no_projects() {
    simulate
    with=$(value 2030 "gdp nominal")
    simulate "project delivery draw=0" "cancelled share of slips=1" \
        "chain delivery climate=100"
    check_rows "no project spending" 'v("project investment[新材料]") == 0 && v("project output[新材料]") == 0'
    without=$(value 2030 "gdp nominal")
    increasing "$without" "$with" ||
        fail "GDP 2030 is $without with no project, $with with them"
    check_rows "still plausible" "$PLAUSIBLE"
}

# Extreme condition: nobody moves in or out.  Net migration is zero and
# the population changes by births and deaths alone; moves between the
# city, the towns and the countryside leave the total unchanged.
test_zero_migration() {
    simulate "normal in migration rate=0" "observed net migration rate=0"
    check_rows "no migration" \
        'v("in migration") == 0 && v("out migration") == 0 && v("net migration") == 0'
    p0=$(value 2025 residents)
    p1=$(value 2035 residents)
    awk -v a="$p0" -v b="$p1" 'BEGIN {
        e = b / (a * (1 + (0.0065 - 0.008) / 4) ^ 40) - 1; exit !(e * e < 1e-20) }' ||
        fail "residents 2035 are $p1, not $p0 * (1 + (b - d)/4)^40"
    check_prev "urbanization rises" 'v("urbanization rate") > p("urbanization rate")'
}

# Flat prices: with no deflator growth the deflator stays 1 and nominal
# GDP equals real GDP at every time.
test_flat_deflator() {
    simulate "deflator growth=0"
    check_rows "deflator stays 1" 'v("deflator index") == 1'
    check_rows "nominal equals real" \
        '(v("gdp nominal") - v("gdp real"))^2 <= 1e-24 * v("gdp real")^2'
}

# A run to 2035 stays finite and plausible: the default, and corners of
# the parameter ranges of the scenarios.
test_horizon() {
    simulate
    check_rows "default run" "$PLAUSIBLE"
    simulate "initial fai gdp ratio=1.1" "gfcf conversion=0.95" \
        "chain capital productivity=4.5" "normal utilisation=0.9" \
        "normal in migration rate=0.032" "normal transfer rate=0.02" \
        "deflator growth=0.02" "aluminium price growth=0.06" \
        "special bond applications=100" "visitor growth=0.12" \
        "chain demand growth=0.05" "incentive effect=2"
    check_rows "high corner" "$PLAUSIBLE"
    simulate "initial fai gdp ratio=0.5" "gfcf conversion=0.55" \
        "chain capital productivity=1" "normal utilisation=0.6" \
        "normal in migration rate=0.017" "normal transfer rate=0.008" \
        "deflator growth=-0.01" "aluminium price growth=-0.06" \
        "special bond applications=0" "visitor growth=0.03" \
        "chain demand growth=0.01" "real estate cycle=0.7" \
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
        [ "$(grep -c ' expected ' "$WORK/out")" -eq 20 ] ||
            fail "$s: the scorecard does not have 20 targets"
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
            check("gdp real growth", -0.1, 0.3)
            check("debt gdp ratio", 0, 3)
        }
        END { exit bad }' "$WORK/out" >"$WORK/check" || fail "$(cat "$WORK/check")"
    done
}

# The model's range project is the rows of the project table, and
# at the start the projects still to come add up to the table's
# nameplate output of the rows completed after 2025, chain by chain.
test_projects_read() {
    rows=$(awk -F, 'NR > 1 { n++ } END { print n }' "$CSV")
    simulate
    got=$(head -1 "$WORK/sim.tab" | tr '\t' '\n' | grep -c '^project capex\[')
    [ "$got" -eq "$rows" ] ||
        fail "the model has $got projects, projects.csv $rows rows"
    awk -F, 'NR > 1 && $8 + $9 > 2025 { s[$14] += $6 }
        END { for (c = 1; c <= 5; c++) printf "%d %.6f\n", c, s[c] }' "$CSV" >"$WORK/table"
    i=0
    for c in 新材料 食品及农产品加工 烟草及配套 生物医药 其他工业; do
        i=$((i + 1))
        want=$(awk -v c="$i" '$1 == c { print $2 }' "$WORK/table")
        got=$(value 2025 "project nameplate total[$c]")
        awk -v a="$got" -v b="$want" 'BEGIN { d = a - b; exit !(d * d < 1e-12) }' ||
            fail "$c: the model counts $got 亿 of nameplate output to come, the table $want"
    done
}

# Population, capital and debt: each stock is its start plus its flows,
# under the default and under settings that push every flow.
test_balances() {
    for sets in "" \
        "special bond applications=200|hidden debt freeze=0|platform investment=80" \
        "normal in migration rate=0.06|urbanization policy effect=2|incentive effect=3" \
        "chain delivery climate=5|real estate cycle=0.3|deflator growth=-0.02"; do
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
        check_rows "debt balance ($sets)" \
            'v("debt balance error")^2 <= 1e-20 * (v("government debt")^2 + 1)'
        check_rows "GDP is the sum of its sectors ($sets)" \
            '(v("gdp real") - v("va real[第一产业]") - v("va real[工业]") - v("va real[建筑业]") - v("va real[服务业]"))^2 <= 1e-20 * v("gdp real")^2'
        check_rows "services meet demand up to capacity ($sets)" \
            'v("va real[服务业]") <= v("services demand") * (1 + 1e-12) && v("va real[服务业]") <= v("services capacity") * (1 + 1e-12)'
    done
    # With the freeze, platform debt never grows.
    simulate "platform investment=500"
    check_rows "hidden debt frozen" 'v("platform borrowing") <= v("platform repayments") * (1 + 1e-12)'
}

# No run of the plan scenario has real services value added falling in
# any year of the plan period.
test_services() {
    run "$PLANSIM" run -q "$SCENARIOS/plan.yaml" --runs 400 --threads 2 -o "$WORK/plan.h5"
    expect_status 0
    grep -qE "Runs: 400 \(ok 400, failed 0" "$WORK/out" ||
        fail "plan: $(grep Runs: "$WORK/out")"
    h5dump -y -w 0 -o "$WORK/growth" -d /services_va_growth "$WORK/plan.h5" >/dev/null ||
        fail "cannot read services va growth from the plan's file"
    # the values run by run, each 2025..2035: check 2026..2030
    tr ', ' '\n\n' <"$WORK/growth" | awk 'NF {
            k++; col = (k - 1) % 11
            if (col >= 1 && col <= 5 && $1 + 0 < 0) bad++
        }
        END { if (k != 400 * 11) { printf "read %d values, not 4400\n", k; exit 1 }
              if (bad) { printf "%d run-years with services value added falling\n", bad; exit 1 } }' \
        >"$WORK/check" || fail "$(cat "$WORK/check")"
}

# A deterministic sweep of private chain investment (incentives) moves
# GDP up, and delivering the projects on time beats letting them slip.
test_chain_sweep() {
    prev=""
    for x in 0.5 1 1.5 2; do
        simulate "incentive effect=$x"
        g=$(value 2030 "gdp nominal")
        [ -z "$prev" ] || increasing "$prev" "$g" ||
            fail "GDP 2030 does not rise with chain investment: $prev then $g at incentive effect $x"
        prev=$g
    done
    simulate "chain delivery climate=0"
    on_time=$(value 2030 "gdp nominal")
    simulate "chain delivery climate=3"
    late=$(value 2030 "gdp nominal")
    increasing "$late" "$on_time" ||
        fail "projects on time give GDP 2030 $on_time, late $late"
}

# With no special bonds, investment grows more slowly than with them.
test_zero_bonds() {
    simulate "special bond applications=0"
    none=$(value 2030 "fai growth 5y")
    simulate "special bond applications=80"
    some=$(value 2030 "fai growth 5y")
    increasing "$none" "$some" ||
        fail "FAI growth 2026-30 is $none with no bonds, $some with 80 亿 a year"
    simulate "special bond applications=0"
    check_rows "no bonds issued after the start year" \
        'v("Time") < 2026 || v("special bonds") == 0'
}

# The plan's projects and chains drive GDP 2030: their total Sobol'
# index is clearly above zero.
test_sobol() {
    rows=$(awk -F, 'NR > 1 { n++ } END { print n }' "$CSV")
    group="projects=$(seq -s, -f 'project delivery draw[p%g]' 1 "$rows")"
    run "$PLANSIM" sensitivity "$SCENARIOS/plan.yaml" -N 256 --bootstrap 0 \
        --group "$group" --of "gdp nominal@2030" --format csv
    expect_status 0
    awk -F, '$5 == "projects" || $5 ~ /^chain delivery climate/ { st += $11 }
        $5 == "projects" { p = $11 }
        END { printf "projects %s, projects and chains %s\n", p, st
              exit !(p > 0.05 && st > 0.2) }' "$WORK/out" >"$WORK/check" ||
        fail "total indices on GDP 2030 too small: $(cat "$WORK/check")"
}

# The plan's summary reports the debt over GDP and interest over revenue.
test_debt_reported() {
    run "$PLANSIM" run -q "$SCENARIOS/plan.yaml" --runs 200 -o "$WORK/plan.h5"
    expect_status 0
    run "$PLANSIM" summary "$WORK/plan.h5" --format csv
    expect_status 0
    for v in "debt gdp ratio" "interest revenue ratio" "debt ratio"; do
        grep -q "^variable,$v,2030,p50," "$WORK/out" ||
            fail "the summary has no median of $v in 2030"
    done
}

# The calibration on 2015-2021 and what uses its posterior: the hold-out
# test on 2022-2025 scores 2024 and 2025, the plan forecast keeps the 18
# start values with the calibration, and its prior column is plansim
# run's own probability of the scenario.  200 particles: what is checked
# here does not depend on their number.  (docs/calibration.md runs the
# calibration with its 1000 particles and the docs test compares what it
# prints with what the page shows.)
test_calibration() {
    cd "$WORK" || exit 1
    run "$PLANSIM" calibrate "$SCENARIOS/calibrate_2015.yaml" --particles 200
    expect_status 0
    expect_match out '^calibration: smc, 200 particles'
    run "$PLANSIM" fit "$SCENARIOS/holdout_2022.yaml" \
        --posterior calibrate_2015-posterior.h5 --format csv
    expect_status 0
    expect_match out '^gdp nominal,n,2$'
    run "$PLANSIM" run "$SCENARIOS/plan.yaml" \
        --posterior calibrate_2015-posterior.h5 -o plan-calibrated.h5
    expect_status 0
    expect_match err "calibrated 18 start values of its run"
    run "$PLANSIM" run -q "$SCENARIOS/plan.yaml" -o plan.h5 --format csv
    p=$(awk -F, '$1 == "target" && $2 == "gdp_growth_8" && $4 == "probability" { print $5 }' "$WORK/out")
    run "$PLANSIM" summary plan-calibrated.h5 --format csv
    p0=$(awk -F, '$1 == "target" && $2 == "gdp_growth_8" && $4 == "prior_probability" { print $5 }' "$WORK/out")
    [ -n "$p" ] && [ "$p" = "$p0" ] ||
        fail "prior probability $p0 is not plansim run's $p"
    grep -q '^target,gdp_700,.*,probability,' "$WORK/out" ||
        fail "the summary has no posterior P(GDP 2030 >= 700)"
}

# The fit and base tables of the model README are the output of fit.sh.
test_fit_readme() {
    run sh "$ROOT/models/qianjiang/fit.sh" --check "$PLANSIM"
    expect_status 0
}

case $group in
units | base_2025 | no_projects | zero_migration | flat_deflator | \
    horizon | ensembles | calibration | fit_readme | projects_read | balances | \
    services | chain_sweep | zero_bonds | sobol | debt_reported)
    "test_$group" ;;
*)
    echo "unknown group: $group" >&2
    exit 2
    ;;
esac

expect_end "qj $group"
