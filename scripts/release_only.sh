#!/bin/sh
# Prints the regular expression of the tests that run in the Release
# build only (tests/release-only.regex, which says why), for ctest's -R
# and -E.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
grep -v '^#' "$root/tests/release-only.regex" | grep -v '^$'
