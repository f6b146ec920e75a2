#!/bin/sh
# Writes the seeds of the HDF5 readers' harness (fuzz_h5.c) into OUTDIR
# with the given plansim: small files of every kind plansim writes, an
# ensemble, a sensitivity result, a posterior and a sweep.  Used by scripts/fuzz_smoke.sh and by the
# replay test fuzz_replay_h5.
#
#   fuzz/h5_seeds.sh PLANSIM OUTDIR
set -eu

plansim=$1
out=$2
cases=$(cd "$(dirname "$0")/../tests/calibrate/cases" && pwd)
mkdir -p "$out"
rm -f "$out"/*.h5
"$plansim" run -q "$cases/logistic.yaml" --runs 8 -o "$out/ensemble.h5" \
    >/dev/null
"$plansim" sensitivity -q "$cases/logistic.yaml" --method morris \
    --samples 2 -o "$out/sensitivity.h5" >/dev/null
"$plansim" calibrate -q "$cases/logistic.yaml" --method is \
    --particles 40 -o "$out/posterior.h5" >/dev/null
"$plansim" sweep -q "$cases/logistic.yaml" --vary "stocking=0:20:2" \
    --runs 4 -o "$out/sweep.h5" >/dev/null
