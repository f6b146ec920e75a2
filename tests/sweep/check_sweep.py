"""Checks of the files `plansim sweep` writes, done as an analyst would:
with xarray, numpy and the csv module, nothing specific to plansim.

    check_sweep.py surface FILE.h5 FILE.csv RUNS
    check_sweep.py same FILE1.h5 FILE2.h5
    check_sweep.py matches-run SWEEP.h5 RUN.h5 LEVER VALUE
    check_sweep.py failed FILE.h5 RUNS
    check_sweep.py some-failed FILE.h5 RUNS

Exits 0 when the check holds, 1 with a message when it does not, and 77
(skipped) when xarray or numpy is missing.
"""
import csv
import math
import sys

try:
    import numpy as np
    import xarray as xr
except ImportError as e:  # pragma: no cover - depends on the machine
    print(f"skipped: {e} (Debian packages python3-xarray, python3-numpy)")
    sys.exit(77)

# lever_growth.mdl with lever.yaml: GDP(2030) = G0 (1 + base + lever)^5,
# base ~ U(A, B).
A, B = 0.04, 0.12


def fail(msg):
    print(f"FAIL: {msg}")
    sys.exit(1)


def exact(target, lever, g0):
    """P(target) in closed form at a grid point."""
    if target == "gdp_700":  # GDP >= 700: base >= g* - lever
        g = (700 / g0) ** 0.2 - 1
        p = (B + lever - g) / (B - A)
    elif target == "gdp_cap_800":  # GDP <= 800: base <= g - lever
        g = (800 / g0) ** 0.2 - 1
        p = (g - lever - A) / (B - A)
    else:
        fail(f"no closed form for target {target}")
    return min(1.0, max(0.0, p))


def surface(path, csv_path, runs):
    """A sweep over growth lever x GDP 2025 of lever.yaml."""
    runs = int(runs)
    ds = xr.open_dataset(path)
    if ds.probability.dims != ("target", "growth_lever", "GDP_2025"):
        fail(f"probability has dims {ds.probability.dims}")
    if ds.failed.dims != ("growth_lever", "GDP_2025"):
        fail(f"failed has dims {ds.failed.dims}")
    if list(ds.target.values) != ["gdp_700", "gdp_cap_800"]:
        fail(f"targets are {list(ds.target.values)}")
    if not np.allclose(ds.growth_lever.values, [0, 0.01, 0.02, 0.03, 0.04],
                       rtol=0, atol=1e-15):
        fail(f"growth_lever is {ds.growth_lever.values}")
    if list(ds.GDP_2025.values) != [400.0, 420.0, 440.0, 460.0]:
        fail(f"GDP_2025 is {ds.GDP_2025.values}")
    attrs = ds.growth_lever.attrs
    if attrs.get("model_name") != "growth lever" or attrs.get("long_name") != "政策增长":
        fail(f"growth_lever attributes {attrs}")
    if attrs.get("lever_kind") != "lever":
        fail(f"growth_lever is a {attrs.get('lever_kind')}")
    if ds.GDP_2025.attrs.get("lever_kind") != "fixed value":
        fail(f"GDP_2025 is a {ds.GDP_2025.attrs.get('lever_kind')}")
    if ("units" in ds.GDP_2025.attrs
            or ds.GDP_2025.attrs.get("vensim_units") != "亿元"):
        fail(f"GDP_2025 units {ds.GDP_2025.attrs.get('units')!r}, "
             f"vensim_units {ds.GDP_2025.attrs.get('vensim_units')!r}")
    if int(ds.attrs["runs"]) != runs or int(ds.attrs["seed"]) != 20251201:
        fail(f"attributes runs {ds.attrs.get('runs')} seed {ds.attrs.get('seed')}")
    if not str(ds.attrs.get("title", "")).startswith("增长杠杆情景"):
        fail(f"title {ds.attrs.get('title')!r}")
    if "growth lever" not in str(ds.attrs.get("scenario_yaml", "")):
        fail("the scenario text is not in the file")
    if str(ds.target_label.sel(target="gdp_700").values) != "地区生产总值力争达到700亿元":
        fail("target_label lost its Chinese text")
    if not np.all(ds.runs.values == runs) or not np.all(ds.failed.values == 0):
        fail("some runs are missing or failed")
    p = ds.probability.values
    if not np.array_equal(p, ds.hits.values / ds.runs.values):
        fail("probability is not hits / runs")
    if not (np.all(ds.ci_low.values <= p) and np.all(p <= ds.ci_high.values)):
        fail("a probability lies outside its interval")
    worst = 0.0
    for t in ds.target.values:
        for lever in ds.growth_lever.values:
            for g0 in ds.GDP_2025.values:
                want = exact(str(t), float(lever), float(g0))
                got = float(ds.probability.sel(target=t, growth_lever=lever,
                                               GDP_2025=g0))
                se = math.sqrt(want * (1 - want) / runs)
                if abs(got - want) > 3 * se + 1e-12:
                    fail(f"{t} at lever {lever}, GDP 2025 {g0}: P = {got}, "
                         f"exact {want}, more than 3 standard errors ({se})")
                if se > 0:
                    worst = max(worst, abs(got - want) / se)
    # The CSV holds the same numbers, in long form.
    with open(csv_path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    want_cols = ["growth lever", "GDP 2025", "target", "probability",
                 "ci_low", "ci_high", "hits", "runs"]
    if list(rows[0].keys()) != want_cols:
        fail(f"CSV columns {list(rows[0].keys())}")
    if len(rows) != p.size:
        fail(f"CSV has {len(rows)} rows, not {p.size}")
    for row in rows:
        sel = dict(target=row["target"], growth_lever=float(row["growth lever"]),
                   GDP_2025=float(row["GDP 2025"]))
        for col in ("probability", "ci_low", "ci_high"):
            if float(row[col]) != float(ds[col].sel(**sel)):
                fail(f"CSV {col} {row[col]} differs from the file at {sel}")
        for col in ("hits", "runs"):
            if int(row[col]) != int(ds[col].sel(**sel)):
                fail(f"CSV {col} {row[col]} differs from the file at {sel}")
    print(f"{p.size} probabilities within {worst:.2f} standard errors of the "
          f"closed form; the CSV agrees")


def same(path_a, path_b):
    a, b = xr.open_dataset(path_a), xr.open_dataset(path_b)
    for name in ("probability", "ci_low", "ci_high", "hits", "runs", "failed"):
        x, y = a[name].values, b[name].values
        nan = x.dtype.kind == "f"
        if not np.array_equal(x, y, equal_nan=nan):
            fail(f"{name} differs between {path_a} and {path_b}")
    print("identical probabilities")


def matches_run(sweep_path, run_path, lever, value):
    """The sweep at one grid point equals `plansim run` there (the same
    inputs: common random numbers)."""
    ds = xr.open_dataset(sweep_path)
    s = xr.open_dataset(run_path, group="summary")
    dim = lever.replace(" ", "_")
    for t in ds.target.values:
        hits = int(ds.hits.sel(target=t, **{dim: float(value)}))
        want = int(s.target_hits.sel(target=t))
        if hits != want:
            fail(f"{t}: the sweep counts {hits} hits at {lever} = {value}, "
                 f"plansim run {want}")
    print("the sweep at the scenario's value counts the hits plansim run counts")


def failed(path, runs):
    ds = xr.open_dataset(path)
    runs = int(runs)
    if list(ds.failed.values) != [0, runs]:
        fail(f"failed is {ds.failed.values}")
    bad = ds.probability.sel(shock=1.0).values
    if not np.all(np.isnan(bad)) or not np.all(ds.runs.sel(shock=1.0).values == 0):
        fail(f"P where every run failed is {bad}, not NaN")
    if not np.all(ds.runs.sel(shock=0.0).values == runs):
        fail("runs missing where none failed")
    print("failed runs counted, their probabilities NaN")


def some_failed(path, runs):
    """fragile.yaml: the same runs fail at every grid point."""
    ds = xr.open_dataset(path)
    runs = int(runs)
    failed = ds.failed.values
    if not (0 < failed.min() and failed.min() == failed.max() < runs):
        fail(f"failed is {failed}: not the same runs at every point")
    counted = ds.runs.values
    if not np.all(counted + failed == runs):
        fail(f"runs {counted} + failed {failed} is not {runs}")
    if not np.array_equal(ds.probability.values, ds.hits.values / counted):
        fail("probability is not hits over the runs that ended well")
    print(f"{int(failed[0])} of {runs} runs failed at every point, left out")


def main(argv):
    checks = {"surface": surface, "same": same, "matches-run": matches_run,
              "failed": failed, "some-failed": some_failed}
    if len(argv) < 3 or argv[1] not in checks:
        print(__doc__)
        return 64
    checks[argv[1]](*argv[2:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
