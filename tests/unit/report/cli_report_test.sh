#!/bin/sh
# `plansim report` from the command line: a report made from a real
# ensemble (cases/report.yaml run by `plansim run`), its files, the Excel
# option, byte-identical reruns, the SVGs parsed as XML, the assumptions
# group read by xarray, and every error exit.  Then calibration reports:
# of the fixture posterior, and of a real calibration
# (scenarios/calibrate_2015.yaml) with a forecast drawn from it, whose
# reports in Chinese and English show the flagship labels file's names
# (check_report.py readers: no model name for readers); a labels file
# beside a model, bad and good.
# Environment (set by CMakeLists.txt):
#   PLANSIM    the plansim binary
#   FIXTURE    report_write_fixture (ensemble files with and without
#              summary, a posterior)
#   CASES      tests/unit/report/cases
#   SCENARIOS  scenarios/ of the source tree
#   GOLDEN     tests/unit/report/golden
#   CHECK      check_report.py
#   PYTHON     Debian's python3, or empty (the Python checks are skipped)
#   WORK_BASE  a folder for the scratch folder
set -u
: "${PLANSIM:?}" "${FIXTURE:?}" "${CASES:?}" "${GOLDEN:?}" "${CHECK:?}"
: "${SCENARIOS:?}"
: "${WORK_BASE:?}"
PYTHON=${PYTHON:-}

. "$(dirname "$0")/../../support/expect.sh"
expect_begin "cli-report"

# The ensemble: a fixed value, a lever, three inputs, three targets.
run "$PLANSIM" run -q "$CASES/report.yaml" -o "$WORK/r.h5"
expect_status 0
[ -f "$WORK/r.h5" ] || { echo "FAIL: plansim run made no ensemble" >&2; exit 1; }

# ---- a report ---------------------------------------------------------
run "$PLANSIM" report "$WORK/r.h5" --output "$WORK/rep"
expect_status 0
expect_match out "^$WORK/rep/index\.md\$"
for f in index.md targets.md targets.csv variables.md variables.csv \
         assumptions.md assumptions.csv appendix.md fan_GDP.svg fan_人口.svg \
         fan_城镇化率.svg; do
    [ -s "$WORK/rep/$f" ] || fail "report: $f missing or empty"
done
ls "$WORK/rep" | grep -q '\.partial$' && fail "report: a .partial file was left"
what="targets.md"
grep -q '^| 地区生产总值力争达到700亿元 *| 2030 | ≥ 700 *| 预期性 |' \
    "$WORK/rep/targets.md" || fail "$what: no scorecard row for gdp_700"
grep -q '模拟抽样误差95%区间' "$WORK/rep/targets.md" ||
    fail "$what: the interval is not named as sampling error"
grep -q '本文件未保存面向读者的标签' "$WORK/rep/targets.md" ||
    fail "$what: a model without labels gives no note"
grep -q '| 常住人口 ≤ 130万 .*| 约束性 |' "$WORK/rep/targets.md" ||
    fail "$what: pop_cap is not binding"
what="assumptions.md"
grep -q '| 投资传导系数 *| *0\.2 |' \
    "$WORK/rep/assumptions.md" || fail "$what: no fixed value"
grep -q '| 固定资产投资增速 *| 2026 → 0\.2，2028 → 0\.15，2030 → 0\.1 |' \
    "$WORK/rep/assumptions.md" || fail "$what: no lever path"
grep -q '| 投资传导系数 *| 固定值 *| fai share *| Dmnl *| 估算, 2024 *|' \
    "$WORK/rep/appendix.md" || fail "appendix.md: no model name of the fixed value"
grep -q '| 随机种子  *| 7  *|' "$WORK/rep/assumptions.md" ||
    fail "$what: no seed"
grep -q '| 抽样方法  *| lhs（拉丁超立方抽样）' "$WORK/rep/assumptions.md" ||
    fail "$what: no sampling method"
grep -q '| 模拟次数  *| 400 次（成功 400，失败 0）' "$WORK/rep/assumptions.md" ||
    fail "$what: no run count"
grep -qE '\| 模型 SHA-256 +\| [0-9a-f]{64} +\|' "$WORK/rep/assumptions.md" ||
    fail "$what: no model hash"
grep -q '^uncertain,g,基础增长率,"triangular(min=0.02, mode=0.05, max=0.08)",0\.0[2-3][0-9]*,0\.0[6-7][0-9]*,,测试$' \
    "$WORK/rep/assumptions.csv" || fail "assumptions.csv: no range for g"
what="the title with markup characters"
grep -q '<text x="24.00" y="34.00" font-size="18" font-weight="bold">地区生产总值</text>' \
    "$WORK/rep/fan_GDP.svg" || fail "$what: fan_GDP.svg title"
grep -q '^# 报告测试情景 \\<A&B> "十五五"$' "$WORK/rep/index.md" ||
    fail "$what: index.md heading"
head -c 3 "$WORK/rep/targets.csv" | od -An -tx1 | grep -q 'ef bb bf' &&
    fail "targets.csv starts with a byte order mark without --excel"

# The same file gives the same report, byte for byte.
run "$PLANSIM" report "$WORK/r.h5" -o "$WORK/rep2"
expect_status 0
for f in "$WORK/rep"/*; do
    cmp -s "$f" "$WORK/rep2/$(basename "$f")" ||
        fail "a second report differs in $(basename "$f")"
done

# --excel: CSV files start with the UTF-8 byte order mark, Markdown not.
run "$PLANSIM" report --excel "$WORK/r.h5" -o "$WORK/xl"
expect_status 0
for f in targets.csv variables.csv assumptions.csv; do
    head -c 3 "$WORK/xl/$f" | od -An -tx1 | grep -q 'ef bb bf' ||
        fail "--excel: $f has no byte order mark"
done
head -c 3 "$WORK/xl/index.md" | od -An -tx1 | grep -q 'ef bb bf' &&
    fail "--excel: index.md has a byte order mark"

# Help goes to stdout.
run "$PLANSIM" report --help
expect_status 0
expect_match out '^usage: plansim report FILE\.h5 --output DIR'
run "$PLANSIM" help report
expect_status 0

# ---- errors -------------------------------------------------------------
run "$PLANSIM" report
expect_status 64
expect_match err 'missing FILE\.h5'
run "$PLANSIM" report "$WORK/r.h5"
expect_status 64
expect_match err 'missing --output DIR'
run "$PLANSIM" report "$WORK/r.h5" "$WORK/r.h5" -o "$WORK/x"
expect_status 64
run "$PLANSIM" report --bogus "$WORK/r.h5" -o "$WORK/x"
expect_status 64
run "$PLANSIM" report "$WORK/missing.h5" -o "$WORK/x"
expect_status 66
expect_match err 'missing\.h5: error: cannot open the ensemble file'
printf 'time,GDP\n2025,1\n' >"$WORK/table.csv"
run "$PLANSIM" report "$WORK/table.csv" -o "$WORK/x"
expect_status 65
expect_match err 'not an HDF5 file'
"$FIXTURE" "$WORK/with.h5" "$WORK/without.h5" "$WORK/post.h5" ||
    fail "report_write_fixture"
run "$PLANSIM" report "$WORK/without.h5" -o "$WORK/x"
expect_status 65
expect_match err 'no summary'
[ -e "$WORK/x" ] && fail "a refused file created the report folder"
run "$PLANSIM" report "$WORK/with.h5" -o "$WORK/table.csv/rep"
expect_status 73
expect_match err 'cannot create the report folder'
run "$PLANSIM" report "$WORK/with.h5" -o "$WORK/fixture-report"
expect_status 0

# ---- a calibration report ---------------------------------------------------
run "$PLANSIM" report "$WORK/post.h5" --output "$WORK/cal"
expect_status 0
expect_match out "^$WORK/cal/index\.md\$"
for f in index.md calibration.md calibration.csv density_capital_share.svg \
         density_产能_利用率_新材料_.svg predictive_gdp_nominal.svg \
         predictive_增长率__实际_.svg; do
    [ -s "$WORK/cal/$f" ] || fail "calibration report: $f missing or empty"
done
# and the other formats: PNG and PDF of the four charts, HTML, workbook
# and the technical appendix
[ "$(ls "$WORK/cal" | wc -l)" -eq 18 ] ||
    fail "calibration report: not 18 files: $(ls "$WORK/cal")"
grep -q '^| 资本产出弹性 \\<α>  *| 后验 |  *0\.4900 |' \
    "$WORK/cal/calibration.md" ||
    fail "calibration.md: no posterior row for capital share"
grep -q '^| 资本产出弹性 \\<α>  *| capital share  *|' "$WORK/cal/appendix.md" ||
    fail "appendix.md: capital share not mapped to its label"
grep -q '^target,gdp_500,.*,posterior_probability,2025,0\.4$' \
    "$WORK/cal/calibration.csv" || fail "calibration.csv: no posterior probability"
run "$PLANSIM" report "$WORK/post.h5" -o "$WORK/cal2"
expect_status 0
for f in "$WORK/cal"/*; do
    cmp -s "$f" "$WORK/cal2/$(basename "$f")" ||
        fail "a second calibration report differs in $(basename "$f")"
done
if command -v xmllint >/dev/null 2>&1; then
    xmllint --noout "$WORK/cal"/*.svg || fail "xmllint: a chart is not XML"
fi
run "$PLANSIM" report "$WORK/post.h5.partial" -o "$WORK/x"
expect_status 66

# A real calibration, a forecast from it, and the reports of both.
run "$PLANSIM" calibrate -q -n 40 -t 2 "$SCENARIOS/calibrate_2015.yaml" \
    -o "$WORK/calibrate_2015-posterior.h5"
expect_status 0
run "$PLANSIM" report "$WORK/calibrate_2015-posterior.h5" \
    --output "$WORK/calibration-report"
expect_status 0
grep -q '^校准方法：回火序贯蒙特卡洛，40 个粒子' \
    "$WORK/calibration-report/index.md" || fail "real calibration: index.md"
# calibrate stored the model's labels: the report names inputs and
# series for readers, in Chinese or English as --lang says
grep -q '^### 第五次经济普查非农增加值修订倍数$' \
    "$WORK/calibration-report/index.md" ||
    fail "real calibration: no Chinese label of an input"
run "$PLANSIM" report "$WORK/calibrate_2015-posterior.h5" --lang en \
    --output "$WORK/calibration-report-en"
expect_status 0
grep -q '^Calibrated by tempered sequential Monte Carlo with 40 particles' \
    "$WORK/calibration-report-en/index.md" ||
    fail "real calibration: no English index.md"
grep -q '^### Urbanization rate of residents$' \
    "$WORK/calibration-report-en/index.md" ||
    fail "real calibration: no English label of a series"
grep -q '<title>GDP (current prices)</title>' \
    "$WORK/calibration-report-en/predictive_gdp_nominal.svg" ||
    fail "real calibration: no English chart title"
[ -s "$WORK/calibration-report/density_visitor_growth.svg" ] ||
    fail "real calibration: no density_visitor_growth.svg"
[ -s "$WORK/calibration-report/predictive_gdp_nominal.svg" ] ||
    fail "real calibration: no predictive_gdp_nominal.svg"
run "$PLANSIM" run -q -n 50 -t 2 "$SCENARIOS/plan.yaml" \
    --posterior "$WORK/calibrate_2015-posterior.h5" -o "$WORK/plan.h5"
expect_status 0
run "$PLANSIM" report "$WORK/plan.h5" -o "$WORK/plan-report"
expect_status 0
grep -q '校准输入取自后验文件 .*calibrate_2015-posterior\.h5（方法 回火序贯蒙特卡洛，有效样本量' \
    "$WORK/plan-report/index.md" || fail "forecast: index.md names no posterior"
grep -q '| 性质 *| 先验概率 | 达成概率 |' "$WORK/plan-report/targets.md" ||
    fail "forecast: targets.md has no prior probability"
# The flagship in the reader's language: the run stored the model's
# labels, the Chinese report shows them (a rate as a percentage, the
# target as the plan states it) and the English one too.
grep -q '^| 常住人口城镇化率达到72% *| 2030 | ≥ 72% *|' \
    "$WORK/plan-report/targets.md" ||
    fail "flagship: the urbanization target is not in percent"
run "$PLANSIM" report "$WORK/plan.h5" --lang en -o "$WORK/plan-report-en"
expect_status 0
grep -q '^| Urbanization rate reaches 72% *| 2030 | ≥ 72% *|' \
    "$WORK/plan-report-en/targets.md" || fail "flagship: no English scorecard"
grep -q '95% Monte Carlo sampling interval' \
    "$WORK/plan-report-en/targets.md" || fail "flagship: no English interval"
"$PLANSIM" summary "$WORK/plan.h5" --format csv >"$WORK/plan-summary.csv" ||
    fail "plansim summary --format csv"
# The terminal and the report round a probability alike.
p=$(awk -F, '$1 == "target" && $2 == "residents_50" &&
    $4 == "probability" { print $5 }' "$WORK/plan-summary.csv")
[ -n "$p" ] || fail "flagship: no probability of residents_50"
term=$("$PLANSIM" summary "$WORK/plan.h5" | awk '/常住人口50万人/ { print $(NF-3) }')
rep=$(grep '^| 常住人口50万人' "$WORK/plan-report/targets.md" |
    awk -F'|' '{ gsub(/ /, "", $7); print $7 }')
[ -n "$term" ] && [ -n "$rep" ] || fail "flagship: probability not found"
[ "$(echo "$term" | awk '{ printf "%.1f%%", $1 * 100 }')" = "$rep" ] ||
    fail "flagship: terminal $term and report $rep disagree"
# The scenario's title and description in the reader's language: the
# English text of plan.yaml in the English report only, and the other way.
grep -q '^# 规划情景（专项债与土地供应扩大，重点项目按期建设）$' \
    "$WORK/plan-report/index.md" || fail "flagship: no Chinese title"
grep -q '^# Plan scenario (more special-purpose bonds and land supply' \
    "$WORK/plan-report-en/index.md" || fail "flagship: no English title"
grep -q '^More special-purpose bond applications' \
    "$WORK/plan-report-en/index.md" || fail "flagship: no English description"
grep -q '<title>Plan scenario (more special-purpose' \
    "$WORK/plan-report-en/index.html" || fail "flagship: index.html not English"
grep -q '<title>规划情景（' "$WORK/plan-report/index.html" ||
    fail "flagship: index.html not Chinese"
grep -q 'special-purpose\|Plan:' "$WORK/plan-report/index.md" \
    "$WORK/plan-report/index.html" "$WORK/plan-report/assumptions.md" &&
    fail "flagship: English scenario text in the Chinese report"
grep -q '^# Calibration on 2015–2021 (2022–2025 held out' \
    "$WORK/calibration-report-en/index.md" ||
    fail "real calibration: no English title"
grep -q '^# 校准：2015—2021年' "$WORK/calibration-report/index.md" ||
    fail "real calibration: no Chinese title"
# One language given: both reports show it; one string: both show it.
mkdir -p "$WORK/one"
cp "$CASES/report.mdl" "$WORK/one/"
sed -e 's/^title: .*/title: {en: English only}/' \
    -e 's/^description: .*/description: {zh: 只有中文, en: Both}/' \
    "$CASES/report.yaml" >"$WORK/one/report.yaml"
run "$PLANSIM" run -q -n 20 "$WORK/one/report.yaml" -o "$WORK/one/r.h5"
expect_status 0
run "$PLANSIM" summary "$WORK/one/r.h5"
expect_status 0
expect_match out "^English only\$"
run "$PLANSIM" report "$WORK/one/r.h5" -o "$WORK/one/zh"
expect_status 0
run "$PLANSIM" report "$WORK/one/r.h5" --lang en -o "$WORK/one/en"
expect_status 0
grep -q '^# English only$' "$WORK/one/zh/index.md" ||
    fail "one language: the Chinese report does not fall back to English"
grep -q '^只有中文$' "$WORK/one/zh/index.md" ||
    fail "one language: no Chinese description"
grep -q '^Both$' "$WORK/one/en/index.md" ||
    fail "one language: no English description"
grep -q '^# 报告测试情景 .*十五五' "$WORK/rep/index.md" ||
    fail "one string: not the Chinese report's title"
run "$PLANSIM" report "$WORK/r.h5" --lang en -o "$WORK/rep-en"
expect_status 0
grep -q '^# 报告测试情景 .*十五五' "$WORK/rep-en/index.md" ||
    fail "one string: not the English report's title"
# A language the scenario reader does not know is an error at its key.
sed -e 's/^title: .*/title: {zh: 标题, fr: Titre}/' "$CASES/report.yaml" \
    >"$WORK/one/bad.yaml"
run "$PLANSIM" run -q -n 20 "$WORK/one/bad.yaml" -o "$WORK/one/bad.h5"
expect_status 65
expect_match err "bad\.yaml:4:17: error: unknown key 'fr' in 'title'"
[ -e "$WORK/one/bad.h5" ] && fail "a bad title language still made a file"
run "$PLANSIM" report "$WORK/plan.h5" --lang fr -o "$WORK/x-fr"
expect_status 64
expect_match err "--lang must be zh or en"
[ -e "$WORK/x-fr" ] && fail "--lang fr created the folder"

# ---- labels files ----------------------------------------------------------
mkdir -p "$WORK/lab"
cp "$CASES/report.mdl" "$CASES/report.yaml" "$WORK/lab/"
printf 'variables:\n  GDP: {zh: 地区生产总值, en: GDP, unit_zh: 亿元}\n' \
    >"$WORK/lab/report.labels.yaml"
run "$PLANSIM" run -q "$WORK/lab/report.yaml" -o "$WORK/lab/r.h5"
expect_status 65
expect_match err "report\.labels\.yaml:2:30: error: 'GDP': unknown key 'unit_zh'"
[ -e "$WORK/lab/r.h5" ] && fail "a bad labels file still made an ensemble"
cat >"$WORK/lab/report.labels.yaml" <<'EOF_LABELS'
variables:
  GDP: {zh: 地区生产总值, en: Gross domestic product, units_zh: 亿元,
        units_en: 100 million yuan}
  人口: {zh: 常住人口, en: Resident population, units_zh: 万人,
         units_en: "10,000 persons"}
  城镇化率: {zh: 城镇化率, en: Urbanization rate, percent: true}
targets:
  gdp_700: {zh: 地区生产总值达到700亿元, en: GDP reaches 70 billion yuan}
EOF_LABELS
run "$PLANSIM" run -q "$WORK/lab/report.yaml" -o "$WORK/lab/r.h5"
expect_status 0
run "$PLANSIM" report "$WORK/lab/r.h5" --lang en -o "$WORK/lab/en"
expect_status 0
grep -q '^| GDP reaches 70 billion yuan *| 2030 | ≥ 700 *|' \
    "$WORK/lab/en/targets.md" || fail "labels: no English target"
grep -q '^## Gross domestic product$' "$WORK/lab/en/variables.md" ||
    fail "labels: no English variable name"
grep -q '<title>Urbanization rate</title>' "$WORK/lab/en/fan_城镇化率.svg" ||
    fail "labels: no English chart title"
head -1 "$WORK/plan-report/targets.csv" |
    grep -q ',kind_zh,prior_probability,probability,' ||
    fail "forecast: targets.csv has no prior_probability"

# ---- with Debian's python3 -------------------------------------------------
if [ -n "$PYTHON" ] && [ -x "$PYTHON" ]; then
    "$PYTHON" "$CHECK" svg "$WORK/rep" "$WORK/fixture-report" "$GOLDEN" \
        >"$WORK/check" 2>&1 || { cat "$WORK/check"; fail "check_report.py svg"; }
    "$PYTHON" "$CHECK" calibration "$WORK/cal" "$WORK/calibration-report" \
        "$WORK/calibration-report-en" >"$WORK/check" 2>&1 ||
        { cat "$WORK/check"; fail "check_report.py calibration"; }
    "$PYTHON" "$CHECK" calib-readers zh "$WORK/calibration-report" \
        >"$WORK/check" 2>&1 ||
        { cat "$WORK/check"; fail "check_report.py calib-readers zh"; }
    "$PYTHON" "$CHECK" calib-readers en "$WORK/calibration-report-en" \
        >"$WORK/check" 2>&1 ||
        { cat "$WORK/check"; fail "check_report.py calib-readers en"; }
    "$PYTHON" "$CHECK" readers zh "$WORK/plan-report" \
        "$WORK/plan-summary.csv" >"$WORK/check" 2>&1 ||
        { cat "$WORK/check"; fail "check_report.py readers zh"; }
    "$PYTHON" "$CHECK" readers en "$WORK/plan-report-en" \
        "$WORK/plan-summary.csv" >"$WORK/check" 2>&1 ||
        { cat "$WORK/check"; fail "check_report.py readers en"; }
    for d in plan-report calibration-report; do
        "$PYTHON" "$CHECK" scenario-text zh "$WORK/$d" >"$WORK/check" 2>&1 ||
            { cat "$WORK/check"; fail "check_report.py scenario-text zh $d"; }
        "$PYTHON" "$CHECK" scenario-text en "$WORK/$d-en" >"$WORK/check" 2>&1 ||
            { cat "$WORK/check"; fail "check_report.py scenario-text en $d"; }
    done
    "$PYTHON" "$CHECK" assumptions "$WORK/r.h5" >"$WORK/check" 2>&1
    rc=$?
    cat "$WORK/check"
    [ "$rc" -eq 0 ] || [ "$rc" -eq 77 ] || fail "check_report.py assumptions"
else
    echo "python3 not found: the SVG and xarray checks are skipped"
fi

expect_end "cli_report_test"
