#!/bin/sh
# Prints each test that a ctest run skipped, with its reason: CTest lists
# skipped tests without saying why, so the reason is read from the test's
# own output in the run's log (a line starting "skipped:", else its last
# line of output).
#
#   skipped_tests.sh CTEST_OUTPUT LOG
#     CTEST_OUTPUT  what ctest printed (its "did not run" list)
#     LOG           the run's Testing/Temporary/LastTest.log
# Prints nothing when no test was skipped; exits 2 on a missing file.
set -eu

summary=${1:?usage: skipped_tests.sh CTEST_OUTPUT LOG}
log=${2:?usage: skipped_tests.sh CTEST_OUTPUT LOG}
for f in "$summary" "$log"; do
    if [ ! -r "$f" ]; then
        echo "skipped_tests.sh: cannot read $f" >&2
        exit 2
    fi
done

names=$(sed -n 's/^[[:space:]]*[0-9][0-9]* - \(.*\) (Skipped)$/\1/p' "$summary")
[ -n "$names" ] || exit 0

echo
echo "Skipped tests and why:"
echo "$names" | while IFS= read -r name; do
    reason=$(awk -v name="$name" '
        $0 ~ /^[0-9]+\/[0-9]+ Test: / { sub(/^[0-9]+\/[0-9]+ Test: /, ""); inside = ($0 == name); out = 0; next }
        inside && $0 == "Output:" { getline; out = 1; next }
        inside && out && $0 == "<end of output>" { out = 0; inside = 0; next }
        inside && out {
            line = $0
            sub(/^[[:space:]]+/, "", line)
            if (tolower(substr(line, 1, 8)) == "skipped:" && reason == "") {
                reason = substr(line, 9)
                sub(/^[[:space:]]+/, "", reason)
            }
            if (line != "") last = line
        }
        END { print (reason != "" ? reason : (last != "" ? last : "(the test printed no reason)")) }' "$log")
    printf '  %s: %s\n' "$name" "$reason"
done
