#!/bin/sh
# Checks of the Qianjiang history series 2015-2025
# (models/qianjiang/data/history_2015_2025.csv) against its documentation
# (the "## History 2015–2025" table of models/qianjiang/data/README.md):
#   - every non-empty cell has a row (year, column) in the table, with the
#     same value and a non-empty source;
#   - the three sector shares add up to 1 within 0.002 where all are given;
#   - sector value added adds up to GDP within 0.5 % where all are given;
#   - growth rates are fractions (|g| < 1);
#   - the first column is Time and the rows are the years 2015..2025.
# Environment:
#   ROOT   the repository
# Exit status 0 when every check passes, 1 otherwise.
set -u

: "${ROOT:?}"
DATA=$ROOT/models/qianjiang/data
CSV=$DATA/history_2015_2025.csv
README=$DATA/README.md

failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

[ -f "$CSV" ] || { echo "FAIL: no $CSV" >&2; exit 1; }
[ -f "$README" ] || { echo "FAIL: no $README" >&2; exit 1; }

# table: the rows of the History table as year<TAB>column<TAB>value<TAB>source,
# backticks and surrounding blanks removed.
table() {
    awk '
    function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
    /^## / { inside = ($0 ~ /^## History 2015/); next }
    inside && /^\|/ {
        n = split($0, f, "|")
        # | year | column | value | source |: f[1] and f[n] are empty
        if (n < 6) next
        year = trim(f[2]); col = trim(f[3]); val = trim(f[4])
        src = f[5]
        for (i = 6; i < n; i++) src = src "|" f[i]
        src = trim(src)
        gsub(/`/, "", col); col = trim(col)
        if (year !~ /^[0-9][0-9][0-9][0-9]$/) next
        printf "%s\t%s\t%s\t%s\n", year, col, val, src
    }' "$README"
}

tmp=$(mktemp) || exit 1
trap 'rm -f "$tmp"' EXIT
table >"$tmp"
[ -s "$tmp" ] || fail "README has no rows in a '## History 2015–2025' table"

# Every non-empty cell is documented with the same value and a source.
out=$(awk -F'\t' -v csv="$CSV" '
    FNR == NR { key = $1 SUBSEP $2
                if (key in seen) { printf "README: two rows for %s %s\n", $1, $2; bad = 1 }
                seen[key] = 1; val[key] = $3; src[key] = $4; next }
    END {
        FS = ","
        while ((getline line < csv) > 0) {
            nf = split(line, c, ",")
            if (++row == 1) { for (i = 1; i <= nf; i++) name[i] = c[i]; continue }
            for (i = 2; i <= nf; i++) {
                if (c[i] == "") continue
                key = c[1] SUBSEP name[i]
                if (!(key in seen)) {
                    printf "%s %s = %s: no row in the README table\n", c[1], name[i], c[i]; bad = 1
                } else {
                    if (src[key] == "") {
                        printf "%s %s: empty source\n", c[1], name[i]; bad = 1
                    }
                    if (val[key] == "" || val[key] + 0 != c[i] + 0) {
                        printf "%s %s: csv %s, README %s\n", c[1], name[i], c[i], val[key]; bad = 1
                    }
                }
            }
        }
        exit bad
    }' "$tmp" /dev/null 2>&1) || fail "$out"

# The shape of the file and the arithmetic of its rows.
out=$(awk -F, '
    function abs(x) { return x < 0 ? -x : x }
    function has(n) { return (n in col) && $(col[n]) != "" }
    function v(n) { return $(col[n]) + 0 }
    NR == 1 {
        if ($1 != "Time") { print "first column is " $1 ", not Time"; bad = 1 }
        for (i = 1; i <= NF; i++) col[$i] = i
        width = NF
        next
    }
    {
        if (NF != width) { printf "row %d has %d fields, header %d\n", NR, NF, width; bad = 1 }
        if ($1 + 0 != 2014 + NR - 1) { printf "row %d is year %s, not %d\n", NR, $1, 2014 + NR - 1; bad = 1 }
        if (has("primary share") && has("secondary share") && has("tertiary share")) {
            s = v("primary share") + v("secondary share") + v("tertiary share")
            if (abs(s - 1) > 0.002) { printf "%s: shares add up to %s\n", $1, s; bad = 1 }
        }
        if (has("primary va") && has("secondary va") && has("tertiary va") && has("gdp nominal")) {
            s = v("primary va") + v("secondary va") + v("tertiary va")
            if (abs(s - v("gdp nominal")) > 0.005 * v("gdp nominal")) {
                printf "%s: sectors add up to %s, GDP %s\n", $1, s, v("gdp nominal"); bad = 1
            }
        }
        for (n in col)
            if (n ~ /growth/ && has(n) && abs(v(n)) >= 1) {
                printf "%s: %s = %s is not a fraction\n", $1, n, $(col[n]); bad = 1
            }
    }
    END {
        if (NR != 12) { printf "%d years, not 2015..2025\n", NR - 1; bad = 1 }
        exit bad
    }' "$CSV" 2>&1) || fail "$out"

if [ "$failures" -gt 0 ]; then
    echo "history: $failures check(s) failed" >&2
    exit 1
fi
echo "history: ok"
exit 0
