#!/bin/sh
# Compares the Qianjiang model's 2025 values with the 2025 base of the plan
# text: one line per figure with the relative error, PASS within 0.5 %.
#   models/qianjiang/base_check.sh [PLANSIM]
# PLANSIM defaults to $PLANSIM, then build/cli/plansim in the repository.
# Exit status: 0 all pass, 1 some figure fails, other: the run failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
plansim=${1:-${PLANSIM:-$root/build/cli/plansim}}
model=$here/qianjiang.mdl

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
# tab-separated: the names of subscripted variables hold commas
"$plansim" simulate "$model" -o "$tmp/run.tab" || exit $?

# figure|model variable|base value|source
awk -F '\t' -v tol=0.005 '
BEGIN {
    n = split("地区生产总值（现价，亿元）|gdp nominal|431.1|plan text ch. 1;" \
              "第一产业占比|primary share|0.086|plan text ch. 1;" \
              "第二产业占比|secondary share|0.361|plan text ch. 1;" \
              "第三产业占比|tertiary share|0.553|plan text ch. 1;" \
              "常住人口城镇化率|urbanization rate|0.62|plan text ch. 1;" \
              "城市人口（万人）|city population|26.5|plan text ch. 1;" \
              "规上工业总产值（亿元）|industrial output|200|plan text ch. 1, just over 200;" \
              "食品及农产品加工产值（亿元）|chain output[食品及农产品加工]|95|专栏2 indicator 18;" \
              "常住人口（万人）|residents|49.6|431.1 / 8.7, plan text ch. 1;" \
              "人均地区生产总值（万元）|gdp per resident|8.7|plan text ch. 1", rows, ";")
}
NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
$1 == 2025 {
    fails = 0
    printf "%-30s %10s %10s %9s  %-5s %s\n", "variable", "base", "model", "rel.err", "check", "figure"
    for (r = 1; r <= n; r++) {
        split(rows[r], f, "|")
        if (!(f[2] in col)) { printf "missing column %s\n", f[2]; fails++; continue }
        m = $(col[f[2]]) + 0; b = f[3] + 0
        e = (m - b) / b
        if (e < 5e-7 && e > -5e-7) e = 0   # no "-0.000 %"
        ok = (e <= tol && e >= -tol)
        if (!ok) fails++
        printf "%-30s %10.4g %10.4g %+8.3f%%  %-5s %s (%s)\n", f[2], b, m, 100 * e, ok ? "PASS" : "FAIL", f[1], f[4]
    }
    found = 1
}
END {
    if (!found) { print "no row for 2025" > "/dev/stderr"; exit 2 }
    printf "%d of %d figures within %.1f %%\n", n - fails, n, 100 * tol
    exit fails ? 1 : 0
}' "$tmp/run.tab"
