# Shared helpers of the shell test scripts (sourced, not run):
#
#   expect_begin NAME     make the scratch folder $WORK (removed on exit)
#   run CMD...            run CMD: status in $status, output in $WORK/out
#                         and $WORK/err, $what names the check
#   expect_status N       the last run exited with N
#   expect_line S LINE    stream S (out or err) holds exactly this line
#   expect_match S REGEX  some line of stream S matches
#   expect_empty S        stream S is empty
#   fail MESSAGE          count a failed check
#   check ARGS...         run "$PYTHON" "$CHECK" ARGS (a test's Python
#                         checker): a failed check, or with status 77
#                         the whole group skipped, saying why
#   expect_end NAME       exit 1 when a check failed, else 0 ("NAME: ok")
#
# Requires WORK_BASE (a folder for scratch folders) in the environment.

expect_begin() {
    : "${WORK_BASE:?}"
    WORK=$(mktemp -d "$WORK_BASE/$1.XXXXXX") || exit 1
    trap 'rm -rf "$WORK"' EXIT
    failures=0
    TAB=$(printf '\t')
    CR=$(printf '\r')
}

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

run() {
    what="$*"
    "$@" >"$WORK/out" 2>"$WORK/err"
    status=$?
}

expect_status() {
    if [ "$status" -ne "$1" ]; then
        fail "$what: exit status $status, expected $1"
        sed 's/^/    stderr: /' "$WORK/err" | head -20 >&2
    fi
}

expect_line() {
    grep -qxF -- "$2" "$WORK/$1" ||
        fail "$what: no line '$2' in std$1 ($(head -c 400 "$WORK/$1"))"
}

expect_match() {
    grep -qE -- "$2" "$WORK/$1" ||
        fail "$what: nothing matches /$2/ in std$1 ($(head -c 400 "$WORK/$1"))"
}

expect_empty() {
    [ ! -s "$WORK/$1" ] ||
        fail "$what: std$1 is not empty: $(head -c 300 "$WORK/$1")"
}

check() {
    "$PYTHON" "$CHECK" "$@" >"$WORK/check" 2>&1
    rc=$?
    cat "$WORK/check"
    if [ "$rc" -eq 77 ]; then
        echo "skipped: $(cat "$WORK/check")"
        exit 77
    fi
    [ "$rc" -eq 0 ] || fail "check $*"
}

expect_end() {
    if [ "$failures" -gt 0 ]; then
        echo "$1: $failures check(s) failed" >&2
        exit 1
    fi
    echo "$1: ok"
    exit 0
}
