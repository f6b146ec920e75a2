#!/bin/sh
# Sets plansim up on Debian 12: installs the Debian packages it needs (only
# the missing ones), configures a Release build in build/, builds it and
# installs the plansim command into a prefix (cmake --install), then says
# where it went and whether that folder is on PATH.
# Safe to run again: with everything in place it only rebuilds what changed.
#
#   scripts/setup.sh            set up, build in build/, install
#   PLANSIM_BUILD_DIR=dir scripts/setup.sh
#                               build somewhere else
#   PLANSIM_PREFIX=dir scripts/setup.sh
#                               install into dir/bin (default: /usr/local
#                               as root, $HOME/.local otherwise)
#   PLANSIM_PREFIX= scripts/setup.sh
#                               build only, install nothing
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build=${PLANSIM_BUILD_DIR:-$root/build}
if [ "$(id -u)" -eq 0 ]; then
    default_prefix=/usr/local
else
    default_prefix=${HOME:?}/.local
fi
prefix=${PLANSIM_PREFIX-$default_prefix}

# What the build and the tests use: a C compiler and OpenMP (gcc, whose
# `cc` also builds models into native code at run time), CMake,
# pkg-config, GSL, HDF5, libfyaml, Random123, nettle (SHA-256 of model
# files and of generated code), libzip, libxml2 and libfreexl (spreadsheet inputs: .xlsx, .xls)
# and cmocka (tests); libunistring (UTF-8 decoding and the display
# width of Chinese text in tables and error underlines); Python's h5py,
# xarray with its netCDF4 engine (recommended by xarray, so not pulled in
# by --no-install-recommends) and the netCDF and HDF5 tools, to check
# ensemble files the way analysts open them.  The report's other formats:
# librsvg with cairo (PNG and PDF charts) drawing in fonts-noto-cjk's Noto
# Sans CJK SC, which the charts name, fontconfig finds and the PDFs embed;
# libpng (the PNG files); cmark-gfm with its table extension (index.html
# from the report's Markdown); libxlsxwriter (report.xlsx).  Their tests:
# poppler-utils (pdffonts: the font is embedded), python3-openpyxl (the
# workbook holds the CSVs' numbers) and chromium (index.html in a real
# headless browser).  udunits-2 (the unit library CF names) checks the
# units attributes the files carry when they are written, and its
# command-line tool checks them again in the tests.  python3-yaml for
# the docs test, which checks that the docs' YAML excerpts parse.
# clang with libclang-rt-14-dev (libFuzzer's runtime, which clang's
# packages only recommend, so --no-install-recommends leaves it out) and
# libomp-14-dev (clang's OpenMP) for the fuzz harnesses that
# scripts/fuzz_smoke.sh builds.  Open MPI (openmpi-bin, libopenmpi-dev)
# for the MPI build that scripts/test_mpi.sh makes and tests;
# slurmctld, slurmd and slurm-client with munge for the tests of the
# Slurm batch script (tests/slurm/), which start a one-node cluster.
packages="build-essential cmake pkg-config libgsl-dev libhdf5-dev
libfyaml-dev librandom123-dev nettle-dev libzip-dev libxml2-dev
libfreexl-dev libcmocka-dev libunistring-dev python3-h5py
python3-xarray python3-netcdf4 netcdf-bin hdf5-tools
librsvg2-dev libcairo2-dev libfontconfig-dev libpng-dev fonts-noto-cjk
libcmark-gfm-dev libcmark-gfm-extensions-dev libxlsxwriter-dev
poppler-utils python3-openpyxl chromium libudunits2-dev udunits-bin
python3-yaml clang libclang-rt-14-dev libomp-14-dev openmpi-bin
libopenmpi-dev slurmctld slurmd slurm-client munge"

missing=
for p in $packages; do
    if ! dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null |
        grep -qx installed; then
        missing="$missing $p"
    fi
done

if [ -n "$missing" ]; then
    if [ "$(id -u)" -eq 0 ]; then
        as_root=
    elif command -v sudo >/dev/null 2>&1; then
        as_root=sudo
    else
        echo "setup.sh: need root or sudo to install:$missing" >&2
        exit 1
    fi
    echo "setup.sh: installing$missing"
    $as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    # shellcheck disable=SC2086
    $as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends $missing
fi

if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release
fi
cmake --build "$build" -j "$(nproc)"

if [ -z "$prefix" ]; then
    exit 0
fi
# The install: as the user when the prefix is theirs, else through sudo.
as_root=
mkdir -p "$prefix" 2>/dev/null || true
if [ ! -w "$prefix" ]; then
    if command -v sudo >/dev/null 2>&1; then
        as_root=sudo
    else
        echo "setup.sh: cannot write to $prefix; set PLANSIM_PREFIX" >&2
        exit 1
    fi
fi
$as_root cmake --install "$build" --prefix "$prefix" >/dev/null
bindir=$prefix/bin
echo "setup.sh: plansim installed as $bindir/plansim"
case ":$PATH:" in
*":$bindir:"*) ;;
*)
    echo "setup.sh: $bindir is not on PATH; to call plansim by name, add it:"
    echo "    export PATH=\"$bindir:\$PATH\""
    ;;
esac
