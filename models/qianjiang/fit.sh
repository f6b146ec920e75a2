#!/bin/sh
# Writes the generated tables of README.md between their markers:
#   <!-- base:begin -->     <!-- base:end -->     the 2025 base check
#                                                 (base_check.sh)
#   <!-- fit:begin -->      <!-- fit:end -->      the fit of the 2015-2021
#                                                 calibration in sample
#   <!-- holdout:begin -->  <!-- holdout:end -->  and on the 2022-2025
#                                                 hold-out
# so the README's tables are generated, not typed.  The calibration is
# run here (scenarios/calibrate_2015.yaml, its own seed: the same on any
# number of cores), then scored with `plansim fit` at its posterior
# medians.
#   models/qianjiang/fit.sh [--check] [PLANSIM]
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

for m in base fit holdout; do
    for e in begin end; do
        if ! grep -qxF -- "<!-- $m:$e -->" "$readme"; then
            echo "fit.sh: no line '<!-- $m:$e -->' in $readme" >&2
            exit 2
        fi
    done
done

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
"$plansim" calibrate -q "$root/scenarios/calibrate_2015.yaml" \
    -o "$tmp/post.h5" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 2; }
"$plansim" fit "$root/scenarios/calibrate_2015.yaml" --posterior "$tmp/post.h5" \
    --format md >"$tmp/fit" 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 2; }
"$plansim" fit "$root/scenarios/holdout_2022.yaml" --posterior "$tmp/post.h5" \
    --format md >"$tmp/holdout" 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 2; }
# The base check's own status says whether a figure fails; the README
# shows it either way.
sh "$here/base_check.sh" "$plansim" >"$tmp/base.out" 2>"$tmp/err"
case $? in
0 | 1) { echo '```'; cat "$tmp/base.out"; echo '```'; } >"$tmp/base" ;;
*) cat "$tmp/err" >&2; exit 2 ;;
esac

# The README with the lines between each pair of markers replaced.
awk -v dir="$tmp" '
/^<!-- (base|fit|holdout):begin -->$/ {
    name = $0
    sub(/^<!-- /, "", name)
    sub(/:begin -->$/, "", name)
    print
    print ""
    file = dir "/" name
    while ((getline line < file) > 0) print line
    close(file)
    print ""
    skip = 1
    next
}
/^<!-- (base|fit|holdout):end -->$/ { skip = 0 }
!skip { print }' "$readme" >"$tmp/readme"

if [ "$check" -eq 1 ]; then
    if cmp -s "$tmp/readme" "$readme"; then
        echo "README.md base check and fit tables are up to date"
        exit 0
    fi
    echo "README.md base check or fit tables are out of date: run models/qianjiang/fit.sh" >&2
    diff "$readme" "$tmp/readme" >&2
    exit 1
fi
cat "$tmp/readme" >"$readme"
cat "$tmp/base" "$tmp/fit" "$tmp/holdout"
