"""Checks of `plansim sensitivity` files, done as an analyst would: with
xarray and numpy, nothing specific to plansim.

    check_sensitivity.py gfun FILE.h5

The G-function's analytic indices lie within the intervals stored in the
/sensitivity group, and the stored S1 and ST are what SALib's estimators
give on the runs stored in the same file (the Saltelli layout read back
from `run`).

Exits 0 when the checks hold, 1 with a message when they do not, and 77
(skipped) when xarray or numpy are missing.
"""
import sys

try:
    import numpy as np
    import xarray as xr
except ImportError as e:  # pragma: no cover - depends on the machine
    print(f"skipped: {e}")
    sys.exit(77)


def fail(msg):
    print(f"FAIL: {msg}")
    sys.exit(1)


def g_indices(a):
    """Analytic S1, ST of the G-function (SALib's Sobol_G.py)."""
    a = np.asarray(a, dtype=float)
    vi = 1.0 / (3.0 * (1.0 + a) ** 2)
    v = np.prod(1.0 + vi) - 1.0
    s1 = vi / v
    st = vi * (np.prod(1.0 + vi) / (1.0 + vi)) / v
    return s1, st


def salib_sobol(y, k):
    """SALib analyze/sobol.py, first and total order, no bootstrap."""
    y = (y - y.mean()) / y.std()
    step = k + 2
    a, b = y[0::step], y[step - 1::step]
    ab = np.stack([y[j + 1::step] for j in range(k)], axis=1)
    var = np.var(np.r_[a, b])
    s1 = np.mean(b[:, None] * (ab - a[:, None]), axis=0) / var
    st = 0.5 * np.mean((a[:, None] - ab) ** 2, axis=0) / var
    return s1, st


def gfun(path):
    s = xr.open_dataset(path, group="sensitivity")
    if s.attrs.get("method") != "sobol":
        fail(f"method is {s.attrs.get('method')!r}")
    factors = [str(f) for f in s.factor.values]
    if factors != [f"x{i}" for i in range(1, 9)]:
        fail(f"factors {factors}")
    out = "G@1"
    if out not in [str(o) for o in s.output.values]:
        fail(f"no output {out!r} in {s.output.values}")
    s1_true, st_true = g_indices([0, 1, 4.5, 9, 99, 99, 99, 99])
    r = s.sel(output=out)
    for name, exact in (("S1", s1_true), ("ST", st_true)):
        lo, hi = r[f"{name}_low"].values, r[f"{name}_high"].values
        inside = (lo <= exact) & (exact <= hi)
        if not inside.all():
            fail(f"{name}: analytic {exact} outside [{lo}, {hi}]")
        est = r[name].values
        if not np.allclose(est, exact, atol=5e-2, rtol=1e-1):
            fail(f"{name}: {est} against analytic {exact}")
        for i in range(8):
            print(f"{name}[x{i + 1}] = {est[i]:.4f} [{lo[i]:.4f}, {hi[i]:.4f}]"
                  f"  analytic {exact[i]:.4f}")
    # The same numbers from the runs in the file, by SALib's formulas.
    ds = xr.open_dataset(path)
    if not (ds.run_status.values == 1).all():
        fail("not every run is ok")
    y = ds.G.sel(time=1.0).values
    s1, st = salib_sobol(y, 8)
    if not np.allclose(s1, r.S1.values, rtol=1e-9, atol=1e-12):
        fail(f"S1 from the runs {s1} != stored {r.S1.values}")
    if not np.allclose(st, r.ST.values, rtol=1e-9, atol=1e-12):
        fail(f"ST from the runs {st} != stored {r.ST.values}")
    # Row layout: B rows differ from A rows in every input; AB_g takes
    # input g from B.
    x = ds.param_value.values
    step = 10
    a, b, ab0 = x[0::step], x[step - 1::step], x[1::step]
    if not (np.all(ab0[:, 0] == b[:, 0]) and np.all(ab0[:, 1:] == a[:, 1:])):
        fail("run 1 of each base row is not A with x1 from B")
    rank = s["rank"].sel(output=out).values
    if list(np.argsort(rank)[:4]) != [0, 1, 2, 3]:
        fail(f"ranks {rank}: x1..x4 should lead")
    print(f"{len(y)} runs; stored indices equal SALib's estimators on them")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "gfun":
        print(__doc__)
        sys.exit(2)
    gfun(sys.argv[2])
