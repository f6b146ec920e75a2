#!/bin/sh
# Runs `plansim conform` over the SDXorg/test-models cases kept beside the
# project (PLANSIM_SHARED_DIR/sdx-tests).  A clone without them reports
# the test as skipped (status 77), never as passed or failed.
#   conform_sdx.sh PLANSIM CASES_DIR
plansim=${1:?usage: conform_sdx.sh PLANSIM CASES_DIR}
cases=${2:?usage: conform_sdx.sh PLANSIM CASES_DIR}
if [ ! -d "$cases" ]; then
    echo "skipped: no conformance cases at '$cases' (set PLANSIM_SHARED_DIR)"
    exit 77
fi
exec "$plansim" conform "$cases"
