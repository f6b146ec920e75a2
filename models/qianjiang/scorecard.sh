#!/bin/sh
# Runs the four scenarios (scenarios/baseline, plan, downside, upside) and
# writes their target scorecards into README.md between the markers
#   <!-- scorecard:begin -->  and  <!-- scorecard:end -->
#   models/qianjiang/scorecard.sh [PLANSIM]
# PLANSIM defaults to $PLANSIM, then build/cli/plansim in the repository.
# The ensembles are the scenarios' own (2000 Latin-hypercube runs, fixed
# seed): the same on any number of cores.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
plansim=${1:-${PLANSIM:-$root/build/cli/plansim}}
readme=$here/README.md

for m in '<!-- scorecard:begin -->' '<!-- scorecard:end -->'; do
    if ! grep -qxF -- "$m" "$readme"; then
        echo "scorecard.sh: no line '$m' in $readme" >&2
        exit 2
    fi
done

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
for s in baseline plan downside upside; do
    "$plansim" run -q "$root/scenarios/$s.yaml" -o "$tmp/$s.h5" --format md \
        >"$tmp/$s.md" 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 2; }
    {
        printf '#### `scenarios/%s.yaml`: %s\n\n' "$s" "$(sed -n 's/^## //p' "$tmp/$s.md" | head -1)"
        grep '^Runs:' "$tmp/$s.md"
        echo
        # The target table only: from its header to the blank line after it.
        awk '/^### Targets/ { on = 1; next } on && /^\|/ { print; seen = 1; next }
             on && seen { exit }' "$tmp/$s.md"
        echo
    } >>"$tmp/block"
done

awk -v block="$tmp/block" '
$0 == "<!-- scorecard:begin -->" {
    print
    print ""
    while ((getline line < block) > 0) print line
    skip = 1
    next
}
$0 == "<!-- scorecard:end -->" { skip = 0 }
!skip { print }' "$readme" >"$tmp/readme"
cat "$tmp/readme" >"$readme"
cat "$tmp/block"
