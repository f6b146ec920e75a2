#!/bin/sh
# Runs the 2020-2025 back-test through `plansim fit` and writes its
# Markdown table into README.md between the markers
#   <!-- fit:begin -->  and  <!-- fit:end -->
# and the 2025 base check (base_check.sh) between
#   <!-- base:begin -->  and  <!-- base:end -->
# so the calibration and fit tables of the README are generated, not typed.
#   models/qianjiang/fit.sh [PLANSIM]
# PLANSIM defaults to $PLANSIM, then build/cli/plansim in the repository.
# With --check, the README is left alone and the status says whether it
# is up to date (0) or not (1).
set -u
check=0
if [ "${1:-}" = "--check" ]; then
    check=1
    shift
fi
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
plansim=${1:-${PLANSIM:-$root/build/cli/plansim}}
readme=$here/README.md
scenario=$root/scenarios/backtest_2020.yaml
observed=$here/data/observed_2020_2025.csv

for m in '<!-- fit:begin -->' '<!-- fit:end -->' '<!-- base:begin -->' \
    '<!-- base:end -->'; do
    if ! grep -qxF -- "$m" "$readme"; then
        echo "fit.sh: no line '$m' in $readme" >&2
        exit 2
    fi
done

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
"$plansim" fit "$scenario" --observed "$observed" --format md \
    >"$tmp/table" 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 2; }
# The base check's own status says whether a figure fails; the README
# shows it either way.
sh "$here/base_check.sh" "$plansim" >"$tmp/base.out" 2>"$tmp/err"
case $? in
0 | 1) { echo '```'; cat "$tmp/base.out"; echo '```'; } >"$tmp/base" ;;
*) cat "$tmp/err" >&2; exit 2 ;;
esac

# The README with the lines between each pair of markers replaced.
awk -v table="$tmp/table" -v base="$tmp/base" '
$0 == "<!-- fit:begin -->" || $0 == "<!-- base:begin -->" {
    file = $0 == "<!-- fit:begin -->" ? table : base
    print
    print ""
    while ((getline line < file) > 0) print line
    print ""
    skip = 1
    next
}
$0 == "<!-- fit:end -->" || $0 == "<!-- base:end -->" { skip = 0 }
!skip { print }' "$readme" >"$tmp/readme"

if [ "$check" -eq 1 ]; then
    if cmp -s "$tmp/readme" "$readme"; then
        echo "README.md base check and fit table are up to date"
        exit 0
    fi
    echo "README.md base check or fit table is out of date: run models/qianjiang/fit.sh" >&2
    diff "$readme" "$tmp/readme" >&2
    exit 1
fi
cat "$tmp/readme" >"$readme"
cat "$tmp/base" "$tmp/table"
