#!/bin/sh
# Checks of the project table of the Qianjiang District model,
# models/qianjiang/data/projects.csv, against its companion
# models/qianjiang/data/projects.md and the model file:
#   - every row has a well-formed set of 15 fields and a source in
#     projects.md (a plan line "l.N" or an address; rows of assumed
#     capacity are marked "assumption" there);
#   - nameplate output = capacity x output value per unit, within rounding;
#   - start years in 2015..2030, construction and ramp-up years > 0,
#     utilisation in (0, 1], slip probability in [0, 1], a known status;
#   - chains are the chains of qianjiang.mdl (its range `chain`);
#   - the 2030 chain targets of projects.md are the scenarios' targets
#     (scenarios/baseline.yaml);
#   - the nameplate sum of each chain is the one projects.md reports; the
#     comparison of sums with the targets is printed.
# Environment:
#   ROOT       the repository
#   WORK_BASE  a folder for the scratch folder (default: $TMPDIR or /tmp)
# Exits 0 when every check passes, else 1.
set -u

: "${ROOT:?}"
WORK_BASE=${WORK_BASE:-${TMPDIR:-/tmp}}
export WORK_BASE

DATA=$ROOT/models/qianjiang/data
CSV=$DATA/projects.csv
DOC=$DATA/projects.md
MODEL=$ROOT/models/qianjiang/qianjiang.mdl
SCENARIO=$ROOT/scenarios/baseline.yaml
. "$(dirname "$0")/../support/expect.sh"
expect_begin "qj-projects"

for f in "$CSV" "$DOC" "$MODEL" "$SCENARIO"; do
    [ -r "$f" ] || { fail "cannot read $f"; expect_end "qj projects"; }
done

# The chains the model knows: the elements of its range `chain`, one a
# line, in order.
awk '
    /^chain:[ \t]*$/ { want = 1; next }
    want { gsub(/^[ \t]+|[ \t]+$/, ""); n = split($0, e, /[ \t]*,[ \t]*/)
           for (i = 1; i <= n; i++) print e[i]; exit }' "$MODEL" >"$WORK/chains"
[ "$(wc -l <"$WORK/chains")" -eq 5 ] ||
    fail "expected 5 chains in $MODEL, found: $(tr '\n' ' ' <"$WORK/chains")"

# The 2030 targets of the scenarios (scenarios/baseline.yaml): each
# chain's output target, "chain<TAB>value", and industrial output as
# "total".
awk -v OFS='\t' '
    /variable: "chain output\[/ { c = $0; sub(/.*chain output\[/, "", c); sub(/\].*/, "", c); next }
    /variable: industrial output$/ { c = "total"; next }
    c != "" && /at least:/ { v = $0; sub(/.*at least:[ \t]*/, "", v); print c, v; c = "" }
    /^  - name:/ { c = "" }' "$SCENARIO" >"$WORK/model_targets"
[ "$(wc -l <"$WORK/model_targets")" -eq 5 ] ||
    fail "expected 5 output targets in $SCENARIO, found: $(tr '\n\t' ' =' <"$WORK/model_targets")"

# The targets projects.md states: the table between <!-- targets --> and
# <!-- /targets -->, "chain<TAB>value".
awk -F '|' -v OFS='\t' '
    /<!-- targets -->/ { on = 1; next }
    /<!-- \/targets -->/ { on = 0 }
    on && NF > 3 {
        c = $2; v = $3
        gsub(/^[ \t]+|[ \t]+$/, "", c); gsub(/[ \t]/, "", v)
        if (v ~ /^[0-9.]+$/) print c, v
    }' "$DOC" >"$WORK/doc_targets"
[ -s "$WORK/doc_targets" ] || fail "projects.md has no <!-- targets --> table"

# Targets of projects.md agree with the scenarios'.
awk -F '\t' '
    FNR == NR { m[$1] = $2; next }
    { d[$1] = $2; total += $2 }
    END {
        for (c in m) {
            if (c == "total") {
                if (total + 0 < m[c] - 1e-9) {
                    printf "projects.md chain targets add to %s, under the model total %s\n", total, m[c]; bad = 1 }
            } else if (!(c in d)) {
                printf "projects.md has no target for %s\n", c; bad = 1
            } else if (d[c] + 0 != m[c] + 0) {
                printf "target of %s: projects.md %s, model %s\n", c, d[c], m[c]; bad = 1 }
        }
        exit bad
    }' "$WORK/model_targets" "$WORK/doc_targets" >"$WORK/check" ||
    fail "$(cat "$WORK/check")"

# Row checks.  Fields: 1 project, 2 chain, 3 capacity, 4 capacity unit,
# 5 output value per unit, 6 nameplate output, 7 utilisation, 8 start
# year, 9 construction years, 10 ramp-up years, 11 slip probability,
# 12 status, 13 id (p1, p2, ... in row order: the model's range
# project), 14 chain number (the chain's position in the model's range
# chain, in the order of the chains above), 15 quota bound (1 for the
# cigarette plant alone, whose output follows the quota).
HEADER='project,chain,capacity,capacity unit,output value per unit,nameplate output,utilisation,start year,construction years,ramp-up years,slip probability,status,id,chain number,quota bound'
[ "$(head -1 "$CSV" | tr -d '\r')" = "$HEADER" ] ||
    fail "header of projects.csv is not: $HEADER"

awk -F, '
    function num(x) { return x ~ /^-?[0-9]+(\.[0-9]+)?$/ }
    FILENAME == ARGV[1] { chain[$0] = ++nchains; next }
    FNR == 1 { next }
    {
        sub(/\r$/, "")
        row = "row " FNR - 1 " (" $1 ")"
        if (NF != 15) { printf "%s: %d fields, not 15\n", row, NF; bad = 1; next }
        if ($13 != "p" (FNR - 1)) { printf "%s: id %s is not p%d\n", row, $13, FNR - 1; bad = 1 }
        if (($2 in chain) && $14 != chain[$2]) {
            printf "%s: chain number %s is not %d, the position of %s\n", row, $14, chain[$2], $2; bad = 1 }
        if ($15 != ($1 ~ /^100亿产值烟厂/ ? 1 : 0)) {
            printf "%s: quota bound %s (1 for the cigarette plant only)\n", row, $15; bad = 1 }
        if ($1 == "") { printf "%s: no project name\n", row; bad = 1 }
        if (!($2 in chain)) { printf "%s: chain \"%s\" is not a chain of the model\n", row, $2; bad = 1 }
        for (i = 3; i <= 11; i++) if (i != 4 && !num($i)) {
            printf "%s: field %d \"%s\" is not a number\n", row, i, $i; bad = 1; next }
        if ($3 <= 0 || $5 <= 0) { printf "%s: capacity and value per unit must be > 0\n", row; bad = 1 }
        if ($4 == "") { printf "%s: no capacity unit\n", row; bad = 1 }
        p = $3 * $5; e = $6 - p; if (e < 0) e = -e
        if (e > 0.0005 + 1e-4 * p) {
            printf "%s: nameplate %s is not capacity %s x value per unit %s = %s\n", row, $6, $3, $5, p; bad = 1 }
        if ($7 <= 0 || $7 > 1) { printf "%s: utilisation %s outside (0, 1]\n", row, $7; bad = 1 }
        if ($8 != int($8) || $8 < 2015 || $8 > 2030) { printf "%s: start year %s outside 2015..2030\n", row, $8; bad = 1 }
        if ($9 <= 0) { printf "%s: construction years %s not > 0\n", row, $9; bad = 1 }
        if ($10 <= 0) { printf "%s: ramp-up years %s not > 0\n", row, $10; bad = 1 }
        if ($11 < 0 || $11 > 1) { printf "%s: slip probability %s outside [0, 1]\n", row, $11; bad = 1 }
        if ($12 != "operating" && $12 != "building" && $12 != "planned") {
            printf "%s: status \"%s\" is not operating, building or planned\n", row, $12; bad = 1 }
        if ($12 == "operating" && $8 + $9 > 2025) {
            printf "%s: operating in 2025 but completed in %s\n", row, $8 + $9; bad = 1 }
        if (seen[$1]++) { printf "%s: project listed twice\n", row; bad = 1 }
        rows++
    }
    END { if (!rows) { print "no rows"; bad = 1 } exit bad }' \
    "$WORK/chains" "$CSV" >"$WORK/check" || fail "$(cat "$WORK/check")"

# Every row has its source in projects.md: a line naming the project (or
# the project without its trailing （...） product suffix) that cites a
# plan line (l.N) or an address; rows of assumed capacity also say
# "assumption" on that line.
awk -F, '
    FILENAME == ARGV[1] { doc[++n] = $0; next }
    FNR == 1 { next }
    {
        name = $1; base = name
        if (match(base, /（[^（]*）$/) && RSTART > 1) base = substr(base, 1, RSTART - 1)
        found = 0; sourced = 0; assumed = 0
        for (i = 1; i <= n; i++) {
            if (index(doc[i], name) || index(doc[i], base)) {
                found = 1
                if (doc[i] ~ /(^|[^A-Za-z])l\.[0-9]+|https?:\/\//) sourced = 1
                if (doc[i] ~ /assumption/) assumed = 1
            }
        }
        if (!found) { printf "%s: not in projects.md\n", name; bad = 1 }
        else if (!sourced) { printf "%s: projects.md cites no plan line or address for it\n", name; bad = 1 }
        if (found && $4 ~ /assumed/ && !assumed) {
            printf "%s: capacity is assumed but projects.md does not say \"assumption\"\n", name; bad = 1 }
    }
    END { exit bad }' "$DOC" "$CSV" >"$WORK/check" || fail "$(cat "$WORK/check")"

# The comparison: nameplate sum by chain (all rows, operating rows, at
# the rows' utilisation) against the targets of projects.md, and the
# sums projects.md reports (the first number column of its comparison
# table: "| chain | nameplate, all rows | ...").
awk -F, -v OFS='\t' 'FNR > 1 {
        sub(/\r$/, "")
        all[$2] += $6; used[$2] += $6 * $7
        if ($12 == "operating") op[$2] += $6
    }
    END { for (c in all) print c, all[c], op[c] + 0, used[c] }' "$CSV" >"$WORK/sums"
awk -F '|' -v OFS='\t' '
    /\| *chain *\| *nameplate, all rows/ { on = 1; next }
    on && !/^\|/ { on = 0 }
    on && NF > 3 {
        c = $2; v = $3
        gsub(/^[ \t]+|[ \t]+$/, "", c); gsub(/[ \t]/, "", v)
        if (v ~ /^[0-9.]+$/) print c, v
    }' "$DOC" >"$WORK/doc_sums"

awk -F '\t' '
    FILENAME == ARGV[1] { t[$1] = $2; order[++n] = $1; next }
    FILENAME == ARGV[2] { all[$1] = $2; op[$1] = $3; used[$1] = $4; next }
    { doc[$1] = $2 }
    END {
        printf "%-18s %10s %10s %12s %8s %8s %8s\n", "chain", "nameplate", "operating", "utilised", "target", "np/tgt", "doc"
        for (i = 1; i <= n; i++) {
            c = order[i]
            r = (t[c] > 0) ? all[c] / t[c] : 0
            printf "%-18s %10.1f %10.1f %12.1f %8.0f %8.2f %8s\n", c, all[c], op[c], used[c], t[c], r, (c in doc) ? doc[c] : "-"
            ta += all[c]; to += op[c]; tu += used[c]; tt += t[c]
            if (!(c in doc)) { missing = missing " " c }
            else { e = doc[c] - all[c]; if (e < 0) e = -e; if (e > 0.1) { wrong = wrong sprintf(" %s (doc %s, table %.2f)", c, doc[c], all[c]) } }
        }
        for (c in all) if (!(c in t)) { printf "%-18s %10.1f   (no target in projects.md)\n", c, all[c]; notgt = notgt " " c }
        printf "%-18s %10.1f %10.1f %12.1f %8.0f %8.2f\n", "total", ta, to, tu, tt, (tt > 0 ? ta / tt : 0)
        if (missing != "") print "projects.md reports no nameplate sum for:" missing > "/dev/stderr"
        if (wrong != "") print "projects.md nameplate sums differ from the table:" wrong > "/dev/stderr"
        if (notgt != "") print "chains without a target in projects.md:" notgt > "/dev/stderr"
        exit (missing != "" || wrong != "" || notgt != "")
    }' "$WORK/doc_targets" "$WORK/sums" "$WORK/doc_sums" 2>"$WORK/check" ||
    fail "$(cat "$WORK/check")"

expect_end "qj projects"
