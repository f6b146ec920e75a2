#!/bin/sh
# index.html in a real browser: Debian's headless chromium opens the page
# of a report from file:// with host names resolving nowhere, and the
# test asserts that the page logs nothing to the console (a script error,
# a blocked load or a Content-Security-Policy violation would) and that
# its screenshot is not blank.  A control page that logs an error first
# proves the console is being read.  Skipped when chromium is absent.
# Environment (set by CMakeLists.txt):
#   PLANSIM    the plansim binary
#   CASES      tests/unit/report/cases
#   CHECK      check_formats.py
#   PYTHON     Debian's python3
#   CHROMIUM   /usr/bin/chromium, or empty
#   WORK_BASE  a folder for the scratch folder
set -u
: "${PLANSIM:?}" "${CASES:?}" "${CHECK:?}" "${WORK_BASE:?}"
CHROMIUM=${CHROMIUM:-}
PYTHON=${PYTHON:-}
if [ -z "$CHROMIUM" ]; then
    echo "skipped: chromium is not installed (Debian package chromium)"
    exit 77
fi
if [ -z "$PYTHON" ]; then
    echo "skipped: /usr/bin/python3 not found (to decode the screenshot)"
    exit 77
fi

. "$(dirname "$0")/../../support/expect.sh"
expect_begin "html-chromium"

# browse PAGE SHOT: a 1280 x 2000 screenshot of PAGE into SHOT; the
# browser's log in $WORK/log.  No sandbox: the test may run as root.
browse() {
    rm -f "$2"
    HOME="$WORK" timeout 180 "$CHROMIUM" --headless --no-sandbox \
        --disable-gpu --no-first-run --disable-extensions \
        --disable-background-networking --disable-sync \
        --host-resolver-rules='MAP * ~NOTFOUND' \
        --proxy-server='127.0.0.1:9' --proxy-bypass-list='<-loopback>' \
        --user-data-dir="$WORK/profile" --enable-logging=stderr --v=0 \
        --window-size=1280,2000 --screenshot="$2" "file://$1" \
        >"$WORK/log" 2>&1
    browse_status=$?
}

# The control: a console error must show up in the log.
printf '%s\n' '<!DOCTYPE html><html><body><p>control</p>' \
    '<script>console.error("plansim-console-control")</script>' \
    '</body></html>' >"$WORK/control.html"
browse "$WORK/control.html" "$WORK/control.png"
grep -q 'CONSOLE.*plansim-console-control' "$WORK/log" || {
    echo "FAIL: chromium logged no console message for the control page" \
        "(status $browse_status); the check would be blind:" >&2
    grep -v dbus "$WORK/log" | tail -20 >&2
    exit 1
}

run "$PLANSIM" run -q "$CASES/report.yaml" -o "$WORK/r.h5"
expect_status 0
run "$PLANSIM" report "$WORK/r.h5" --output "$WORK/rep"
expect_status 0

browse "$WORK/rep/index.html" "$WORK/shot.png"
[ "$browse_status" -eq 0 ] ||
    fail "chromium exited with $browse_status: $(grep -v dbus "$WORK/log" | tail -5)"
if grep -q 'CONSOLE' "$WORK/log"; then
    fail "index.html logged to the console:"
    grep 'CONSOLE' "$WORK/log" >&2
fi
[ -s "$WORK/shot.png" ] || fail "chromium wrote no screenshot"
[ -s "$WORK/shot.png" ] && { "$PYTHON" "$CHECK" png "$WORK/shot.png" 1280 2000 ||
    fail "the screenshot of index.html"; }

expect_end "html-chromium"
