#!/usr/bin/env python3
"""Units in a plansim HDF5 file, checked against udunits-2 and the model.

    check_units.py MODEL.mdl FILE.h5...

Every `units` attribute in each file must parse with udunits-2 (its own
command-line tool, udunits2, with its default database); every saved
variable (a dataset with model_name) must keep the model's unit text in
`vensim_units`; the file must not claim CF conventions.  Exit 77 (skip)
when h5py or udunits2 is missing.
"""
import re
import shutil
import subprocess
import sys

try:
    import h5py
except ImportError as e:
    print(f"skipped: {e} (Debian package python3-h5py)")
    sys.exit(77)
if not shutil.which("udunits2"):
    print("skipped: udunits2 not found (Debian package udunits-bin)")
    sys.exit(77)


def fail(msg):
    print(f"check_units: {msg}", file=sys.stderr)
    sys.exit(1)


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def model_units(path):
    """Model name (lower case, spaces collapsed) -> its unit text."""
    src = open(path, encoding="utf-8").read().split("\\\\\\---///")[0]
    units = {}
    for eq in src.split("|"):
        parts = eq.split("~")
        if len(parts) < 3:
            continue
        lhs = parts[0].strip().split("\n")[0]
        name = re.split(r"=|:=|\(|\[", lhs)[0].strip()
        u = re.sub(r"\[[^\]]*\]\s*$", "", parts[1]).strip()
        if name:
            units[" ".join(name.lower().replace("_", " ").split())] = u
    return units


def parses(unit, known={}):
    if unit not in known:
        r = subprocess.run(["udunits2", "-U", "-H", unit, "-W", ""],
                           capture_output=True, text=True)
        known[unit] = r.returncode == 0
    return known[unit]


def check(path, units):
    seen = {"units": 0, "vensim_units": 0}

    def visit(name, obj):
        a = obj.attrs
        if "units" in a:
            seen["units"] += 1
            u = text(a["units"])
            if not parses(u):
                fail(f"{path}: {name or '/'}: units {u!r} does not parse "
                     f"with udunits-2")
        if "model_name" in a and isinstance(obj, h5py.Dataset):
            key = " ".join(text(a["model_name"]).lower().replace("_", " ")
                           .split())
            want = units.get(key)
            if want:
                seen["vensim_units"] += 1
                got = text(a["vensim_units"]) if "vensim_units" in a else None
                if got != want:
                    fail(f"{path}: {name}: vensim_units {got!r}, the model "
                         f"says {want!r}")

    with h5py.File(path, "r") as f:
        if "Conventions" in f.attrs:
            fail(f"{path}: claims Conventions {text(f.attrs['Conventions'])!r}")
        visit("", f)
        f.visititems(visit)
    if seen["units"] == 0 or seen["vensim_units"] == 0:
        fail(f"{path}: nothing checked ({seen})")
    print(f"{path}: {seen['units']} units parse with udunits-2, "
          f"{seen['vensim_units']} variables keep the model's unit text")


def main():
    if len(sys.argv) < 3:
        fail("usage: check_units.py MODEL.mdl FILE.h5...")
    units = model_units(sys.argv[1])
    for path in sys.argv[2:]:
        check(path, units)


main()
