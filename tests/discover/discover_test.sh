#!/bin/sh
# End-to-end tests of `plansim discover`, one group per CTest test:
#   discover_test.sh GROUP
# Environment (set by tests/discover/CMakeLists.txt):
#   PLANSIM         the plansim binary
#   CASES           tests/discover/cases
#   SCENARIO_CASES  tests/scenarios/cases (the one-input growth model)
#   WORK_BASE       a folder where each run makes its scratch folder
#
# The takeoff model meets its 150 亿 target exactly when investment rate
# >= 0.3 and tfp growth >= 0.01; population growth (discrete) plays no
# part.
set -u

group=${1:?usage: discover_test.sh GROUP}
: "${PLANSIM:?}" "${CASES:?}" "${SCENARIO_CASES:?}" "${WORK_BASE:?}"

. "$(dirname "$0")/../support/expect.sh"
expect_begin "discover-$group"

# ensemble NAME SCENARIO [ARGS]: runs the scenario into $WORK/NAME.h5.
ensemble() {
    name=$1
    shift
    run "$PLANSIM" run -q "$@" -o "$WORK/$name.h5"
    expect_status 0
}

# value STAT INPUT: the value of the long-form csv row
# limit,1,<step>,INPUT,STAT,<value> in $WORK/out ("" when absent).
value() {
    awk -F, -v s="$1" -v i="$2" \
        '$1 == "limit" && $2 == 1 && $4 == i && $5 == s { print $6 }' \
        "$WORK/out"
}

# within V LO HI WHAT: LO <= V <= HI.
within() {
    awk -v v="$1" -v lo="$2" -v hi="$3" \
        'BEGIN { exit !(v != "" && v + 0 >= lo && v + 0 <= hi) }' ||
        fail "$4: '$1' is not in [$2, $3]"
}

test_box() {
    ensemble t "$CASES/takeoff.yaml"
    run "$PLANSIM" discover "$WORK/t.h5" --target gdp_150 --format csv
    expect_status 0
    expect_empty err
    expect_line out 'kind,box,step,input,statistic,value'
    expect_line out 'runs,,,,cases,495'
    # The box: both lower limits just above the planted ones, no upper
    # limit, and nothing on population growth.
    within "$(value lower 'investment rate')" 0.3 0.31 "investment rate lower"
    within "$(value lower 'tfp growth')" 0.01 0.0105 "tfp growth lower"
    within "$(value p_lower 'investment rate')" 0 1e-10 "its quasi-p"
    within "$(value p_lower 'tfp growth')" 0 1e-10 "its quasi-p"
    [ -z "$(value upper 'investment rate')$(value upper 'tfp growth')" ] ||
        fail "the box has an upper limit"
    grep -q '^limit,.*,population growth,' "$WORK/out" &&
        fail "the box restricts population growth"
    density=$(awk -F, '$1 == "box" && $5 == "density" { print $6 }' "$WORK/out")
    coverage=$(awk -F, '$1 == "box" && $5 == "coverage" { print $6 }' "$WORK/out")
    within "$density" 1 1 "box density"
    within "$coverage" 0.9 1 "box coverage"
    # The ranking: the two inputs that matter first, population growth
    # last and not significant.
    expect_match out '^factor,,,(investment rate|tfp growth),rank,1$'
    expect_match out '^factor,,,(investment rate|tfp growth),rank,2$'
    expect_line out 'factor,,,population growth,rank,3'
    expect_line out 'factor,,,investment rate,direction,1'
    within "$(awk -F, '$4 == "population growth" && $5 == "p_value" { print $6 }' \
        "$WORK/out")" 0.01 1 "population growth's KS p-value"
    # The trajectory: coverage never rises and density never falls while
    # peeling; one chosen step.
    awk -F, '$1 == "trajectory" && $5 == "move" { move = $6 }
             $1 == "trajectory" && $5 == "coverage" {
                 if (seen && move ~ /^peel/ && $6 > last + 1e-12) bad = 1
                 last = $6; seen = 1 }
             END { exit bad }' "$WORK/out" || fail "a peel raised the coverage"
    awk -F, '$1 == "trajectory" && $5 == "density" { if (seen && $6 < last - 1e-12) bad = 1; last = $6; seen = 1 }
             END { exit bad }' "$WORK/out" || fail "density falls along the trajectory"
    # The same box, for people, with the Chinese labels.
    run "$PLANSIM" discover "$WORK/t.h5" --target gdp_150
    expect_status 0
    expect_match out '^Scenario discovery: 地区生产总值达到150亿元 \(gdp_150\)$'
    expect_match out '^  投资率 \(investment rate\): +≥ 0\.30[0-9]*  \(p = [0-9.]+e-[0-9]+\)$'
    expect_match out '^  全要素生产率年增速 \(tfp growth\): +≥ 0\.010[0-9]*  \(p = [0-9.]+e-[0-9]+\)$'
    expect_match out '^  \*  +[0-9]+  peel '
    expect_match out '^ +3  population growth +人口年增速 '
}

test_formats() {
    ensemble t "$CASES/takeoff.yaml" --runs 500
    run "$PLANSIM" discover "$WORK/t.h5" -t gdp_150 --format md
    expect_status 0
    expect_line out '# Scenario discovery: 地区生产总值达到150亿元'
    expect_line out '## Box 1: peeling trajectory'
    expect_match out '^\| investment rate \| 投资率 \| ≥ 0\.3'
    expect_match out '^\| 1 \| (investment rate|tfp growth) \|'
    # --box picks a step on the trajectory: step 0 restricts nothing.
    run "$PLANSIM" discover "$WORK/t.h5" -t gdp_150 --box 0 --format csv
    expect_status 0
    expect_line out 'box,1,0,,restricted,0'
    expect_line out 'box,1,0,,coverage,1'
    grep -q '^limit,' "$WORK/out" && fail "--box 0 printed limits"
    run "$PLANSIM" discover "$WORK/t.h5" -t gdp_150 --box 0
    expect_match out '^No limit: '
    # Without pasting and with other shares the box is still there.
    run "$PLANSIM" discover "$WORK/t.h5" -t gdp_150 --no-paste \
        --peel-alpha 0.1 --min-mass 0.1 --min-coverage 0.8 --max-p 0.01 \
        --format csv
    expect_status 0
    within "$(value lower 'investment rate')" 0.29 0.33 "investment rate lower"
    grep -q '^trajectory,.*,move,paste_' "$WORK/out" &&
        fail "--no-paste pasted"
}

test_json() {
    # The JSON document holds the numbers of the long CSV, with two boxes.
    ensemble t "$CASES/takeoff.yaml" --runs 500
    for opts in "" "--boxes 2 --missed"; do
        # shellcheck disable=SC2086
        run "$PLANSIM" discover "$WORK/t.h5" -t gdp_150 $opts --format csv
        expect_status 0
        cp "$WORK/out" "$WORK/d.csv"
        # shellcheck disable=SC2086
        run "$PLANSIM" discover "$WORK/t.h5" -t gdp_150 $opts --format json
        expect_status 0
        "${PYTHON:-python3}" "$(dirname "$0")/../support/check_json.py" discover \
            "$WORK/out" "$WORK/d.csv" >"$WORK/check" 2>&1 ||
            fail "discover $opts: $(cat "$WORK/check")"
    done
    expect_match out '"label": "投资率"'
    run "$PLANSIM" discover "$WORK/t.h5" -t gdp_150 --format xml
    expect_status 64
    expect_match err "--format: 'xml' is not table, md, csv or json"
}

test_output() {
    ensemble t "$CASES/takeoff.yaml" --runs 500
    run "$PLANSIM" discover "$WORK/t.h5" -t gdp_150 -o "$WORK/d/e"
    expect_status 0
    for f in discovery.md trajectory.csv box.csv factors.csv; do
        [ -s "$WORK/d/e/$f" ] || fail "no $f in the output folder"
        [ -e "$WORK/d/e/$f.partial" ] && fail "$f.partial left behind"
    done
    grep -qx 'box,step,input,label,lower,upper,p_lower,p_upper,min,max' \
        "$WORK/d/e/box.csv" || fail "box.csv has no header"
    grep -q '^1,[0-9]*,investment rate,投资率,0\.3' "$WORK/d/e/box.csv" ||
        fail "box.csv lacks the investment rate limit"
    [ "$(wc -l <"$WORK/d/e/box.csv")" -eq 3 ] || fail "box.csv: not 2 limits"
    grep -q '^3,population growth,人口年增速,' "$WORK/d/e/factors.csv" ||
        fail "factors.csv: population growth is not third"
    head -1 "$WORK/d/e/trajectory.csv" | grep -qx \
        'box,step,move,input,limit,runs,cases,coverage,density,mass,restricted,chosen' ||
        fail "trajectory.csv has no header"
    [ "$(grep -c ',1$' "$WORK/d/e/trajectory.csv")" -eq 1 ] ||
        fail "trajectory.csv: not one chosen step"
    grep -qx '# Scenario discovery: 地区生产总值达到150亿元' "$WORK/d/e/discovery.md" ||
        fail "discovery.md has no title"
    # The same tables printed and written.
    run "$PLANSIM" discover "$WORK/t.h5" -t gdp_150 --format md
    cmp -s "$WORK/out" "$WORK/d/e/discovery.md" ||
        fail "discovery.md differs from --format md"
    # A folder that cannot be made.
    : >"$WORK/file"
    run "$PLANSIM" discover "$WORK/t.h5" -t gdp_150 -o "$WORK/file/sub"
    expect_status 73
}

test_missed_two_boxes() {
    ensemble t "$CASES/takeoff.yaml"
    # Missing the target takes investment rate < 0.3 or tfp growth < 0.01:
    # one box each.
    run "$PLANSIM" discover "$WORK/t.h5" -t gdp_150 --missed --boxes 2 \
        --format csv
    expect_status 0
    expect_line out 'target,,,,cases_are,missed'
    expect_line out 'runs,,,,cases,1505'
    uppers=$(awk -F, '$1 == "limit" && $5 == "upper" { print $2 ":" $4 }' \
        "$WORK/out" | sort | tr '\n' ' ')
    case "$uppers" in
    "1:investment rate 2:tfp growth " | "1:tfp growth 2:investment rate ") ;;
    *) fail "--missed --boxes 2: upper limits '$uppers'" ;;
    esac
    grep -q '^limit,[12],.*,lower,' "$WORK/out" && fail "a lower limit"
    cov=$(awk -F, '$1 == "box" && $5 == "coverage" { s += $6 } END { print s }' \
        "$WORK/out")
    within "$cov" 0.9 1 "the two boxes' coverage"
    # When the first box holds every case there is no second.
    run "$PLANSIM" discover "$WORK/t.h5" -t gdp_150 --boxes 2 --box 27
    expect_status 0
    expect_match out '^Box 2, in the runs outside box 1'
    run "$PLANSIM" discover "$WORK/t.h5" -t gdp_150 --boxes 2 --box 13
    expect_status 0
    expect_line out 'No second box: every case of interest is in box 1.'
}

test_one_input() {
    # GDP 2030 = 431.1 (1 + g)^5 >= 700 exactly when g >= 0.10179.
    ensemble g "$SCENARIO_CASES/growth.yaml" --runs 4000
    run "$PLANSIM" discover "$WORK/g.h5" -t gdp_700 --format csv
    expect_status 0
    within "$(value lower g)" 0.1017 0.106 "g lower"
    [ -z "$(value upper g)" ] || fail "an upper limit on g"
    expect_line out 'factor,,,g,ks_d,1'
}

test_errors() {
    ensemble t "$CASES/takeoff.yaml" --runs 200
    run "$PLANSIM" discover "$WORK/t.h5" -t nope
    expect_status 65
    expect_match err "no target 'nope' \(the targets are: gdp_150, gdp_positive\)"
    run "$PLANSIM" discover "$WORK/t.h5" -t gdp_positive
    expect_status 65
    expect_match err "'gdp_positive' is met in every one of the 200 usable runs"
    run "$PLANSIM" discover "$WORK/t.h5" -t gdp_positive --missed
    expect_status 65
    expect_match err "nothing to discover"
    run "$PLANSIM" discover "$WORK/missing.h5" -t gdp_150
    expect_status 66
    run "$PLANSIM" discover "$CASES/takeoff.yaml" -t gdp_150
    expect_status 65
    expect_match err 'not an HDF5 file'
    run "$PLANSIM" discover "$WORK/t.h5"
    expect_status 64
    expect_match err 'missing --target NAME'
    run "$PLANSIM" discover -t gdp_150
    expect_status 64
    for bad in "--peel-alpha 0.5" "--peel-alpha x" "--min-mass 1" \
        "--min-coverage 1.5" "--max-p 0" "--boxes 3" "--box -1" \
        "--box 1,2" "--format xml" "--paste-alpha 0"; do
        # shellcheck disable=SC2086
        run "$PLANSIM" discover "$WORK/t.h5" -t gdp_150 $bad
        expect_status 64
    done
    run "$PLANSIM" discover "$WORK/t.h5" -t gdp_150 --box 100000
    expect_status 64
    expect_match err 'trajectory 1 has steps 0 to [0-9]+, not 100000'
    run "$PLANSIM" discover --help
    expect_status 0
    expect_match out '^usage: plansim discover FILE.h5 --target NAME'
}

case "$group" in
box | formats | output | missed_two_boxes | one_input | errors | json)
    "test_$group" ;;
*)
    echo "discover_test.sh: unknown group '$group'" >&2
    exit 2 ;;
esac
expect_end "discover $group"
