#!/bin/sh
# The MPI variant of plansim: configures it (-DPLANSIM_MPI=ON, Open MPI
# from Debian, which scripts/setup.sh installs) in its own build folder,
# builds the plansim command there, and runs the tests only that build
# registers: jobs of several ranks under mpirun (tests/mpi, mpi_*) and a
# batch job on a one-node Slurm cluster (tests/slurm, slurm_*).  Every
# other test runs in the plain builds (scripts/test.sh): the MPI build's
# code differs only in cluster/.
#
#   scripts/test_mpi.sh                    build-mpi/ beside build/
#   PLANSIM_MPI_BUILD_DIR=dir scripts/test_mpi.sh
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build=${PLANSIM_MPI_BUILD_DIR:-$root/build-mpi}

if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DPLANSIM_MPI=ON
fi
cmake --build "$build" -j "$(nproc)" --target plansim
"$root/scripts/ctest_listing_skips.sh" "$build" -R '^(mpi|slurm)_'
