"""Opens ensemble files the way an analyst would, with xarray and h5py.

    check_xarray.py FILE [FILE ...]

The files are the fixture ensemble of h5_fixture.c (written by
h5_write_fixture); the values are recomputed here from the same closed
forms.  Exits 77 (skipped) when h5py or xarray is not installed.
"""
import math
import sys

try:
    import h5py
    import numpy as np
    import xarray as xr
except ImportError as e:
    print(f"skipped: {e} (Debian packages python3-h5py, python3-xarray)")
    sys.exit(77)

RUNS, TIMES, FAILED = 10, [2025, 2026, 2027, 2028, 2029, 2030], 3
VARS = [  # dataset, model name, units, long_name
    ("GDP", "GDP", "亿元", "地区生产总值"),
    ("Growth_rate", "Growth rate", "1/year", "GDP 增长率"),
    ("人口", "人口", "万人", "常住人口"),
    ("Capital_Stock", "Capital Stock", "亿元", "资本存量"),
    ("Capital_Stock_2", "Capital_Stock", "亿元", "资本存量（副本）"),
    ("a_b_ratio", "a/b ratio", "Dmnl", "a/b ratio"),
]
# The model's unit text as udunits-2 reads it; None: it has no reading,
# and the variable carries only vensim_units.
UDUNITS = {"亿元": None, "1/year": "1/year", "万人": None, "Dmnl": "1"}
BASE = [615, 0.045, 120, 2000, 2200, 0.5]
SLOPE = [15, 0.001, 1.5, 100, 110, -0.02]
STEP = [2, 0.0025, 0.8, 30, 33, 0.01]
WOBBLE = [12, 0.0005, 0.5, 40, 44, 0.003]
LEVELS = [0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95]
TARGETS = [  # name, label, variable dataset, time, test
    ("gdp_700", "地区生产总值 ≥ 700亿元", "GDP", 2030, lambda x: x >= 700),
    ("growth_band", "增速 5%–6%", "Growth_rate", 2028,
     lambda x: (x >= 0.05) & (x <= 0.06)),
    ("pop_cap", "人口 ≤ 130万", "人口", 2030, lambda x: x <= 130),
]


def expected(v):
    x = np.empty((RUNS, len(TIMES)))
    for r in range(RUNS):
        for t in range(len(TIMES)):
            x[r, t] = (BASE[v] + SLOPE[v] * t + STEP[v] * r
                       + WOBBLE[v] * math.sin(1.7 * r + 0.3 * v))
            if r == FAILED and t >= 2:
                x[r, t] = np.nan
    return x


def close(a, b, what):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape or not np.allclose(a, b, rtol=1e-12, atol=0,
                                             equal_nan=True):
        raise AssertionError(f"{what}: {a!r} != {b!r}")


def same(a, b, what):
    if a != b:
        raise AssertionError(f"{what}: {a!r} != {b!r}")


def check_root(path, compressed):
    ds = xr.open_dataset(path)
    same(dict(ds.sizes), {"param": 2, "run": RUNS, "time": len(TIMES)},
         "dimensions")
    same(list(ds.run.values), list(range(RUNS)), "run")
    same(ds.run.attrs["standard_name"], "realization", "run standard_name")
    close(ds.time.values, TIMES, "time")
    same(ds.time.attrs["units"], "year", "time units")
    same(ds.time.attrs["vensim_units"], "year", "time vensim_units")
    same(ds.time.dtype, np.float64, "time is not decoded as a date")
    same(list(ds.param.values), ["储蓄率", "TFP growth"], "param")
    same(ds.param_label.values[1], "全要素生产率增长", "param_label")
    same(ds.param_distribution.values[0], "triangular(0.25, 0.30, 0.35)",
         "param_distribution")
    close(ds.param_value.sel(param="储蓄率").values,
          [0.25 + 0.01 * r for r in range(RUNS)], "param_value")
    status = ds.run_status.values
    same(ds.run_status.dtype, np.int8, "run_status type")
    same(list(status), [2 if r == FAILED else 1 for r in range(RUNS)],
         "run_status")
    same(ds.run_status.attrs["flag_meanings"], "pending ok failed",
         "flag_meanings")

    for v, (name, model, units, long_name) in enumerate(VARS):
        da = ds[name]
        same(da.dims, ("run", "time"), f"{name} dims")
        same(da.attrs["long_name"], long_name, f"{name} long_name")
        same(da.attrs.get("units"), UDUNITS[units], f"{name} units")
        same(da.attrs["vensim_units"], units, f"{name} vensim_units")
        same(da.attrs["model_name"], model, f"{name} model_name")
        close(da.values, expected(v), f"{name} values")
        same(bool(da.encoding.get("zlib", False)), compressed,
             f"{name} compression")
        same(tuple(da.encoding["chunksizes"]), (4, len(TIMES)),
             f"{name} chunks")
    same(ds.GDP.sel(run=5, time=2030).item(), expected(0)[5, 5], "sel")

    same("Conventions" in ds.attrs, False, "no Conventions claimed")
    same(ds.attrs["units_convention"].split(":")[0], "udunits-2",
         "units_convention")
    same(ds.attrs["title"], "钱江区 十五五 情景", "title")
    same(ds.attrs["source"], "plansim 0.1.0-test", "source")
    same(ds.attrs["seed"], 18446744073709551557, "seed")
    same(ds.attrs["n_runs"], RUNS, "n_runs")
    if not ds.attrs["scenario_yaml"].startswith("title: 钱江区 2030\n"):
        raise AssertionError("scenario_yaml")
    return ds


def check_summary(path, ds):
    s = xr.open_dataset(path, group="summary")
    close(s["quantile"].values, LEVELS, "quantile levels")
    ok = ds.run_status.values == 1
    for name, _, units, long_name in VARS:
        x = ds[name].values[ok]
        q = s[f"{name}_quantiles"]
        same(q.dims, ("quantile", "time"), f"{name}_quantiles dims")
        same(q.attrs.get("units"), UDUNITS[units], f"{name}_quantiles units")
        same(q.attrs["vensim_units"], units, f"{name}_quantiles vensim_units")
        if "type 7" not in q.attrs["long_name"]:
            raise AssertionError(f"{name}_quantiles long_name")
        close(q.values, np.quantile(x, LEVELS, axis=0), f"{name} quantiles")
        close(s[f"{name}_mean"].values, np.mean(x, axis=0), f"{name} mean")
        close(s[f"{name}_sd"].values, np.std(x, axis=0, ddof=1), f"{name} sd")
        same(s[f"{name}_mean"].attrs["cell_methods"], "run: mean",
             f"{name}_mean cell_methods")
    # xarray's own quantile over runs agrees too
    xq = ds.GDP.where(ds.run_status == 1, drop=True).quantile(LEVELS,
                                                              dim="run")
    close(s.GDP_quantiles.values, xq.values, "GDP vs DataArray.quantile")

    same(list(s.target.values), [t[0] for t in TARGETS], "targets")
    for i, (tid, label, var, time, test) in enumerate(TARGETS):
        same(s.target_label.values[i], label, f"{tid} label")
        x = ds[var].sel(time=time).values[ok]
        hits = int(test(x).sum())
        same(int(s.target_hits.values[i]), hits, f"{tid} hits")
        same(int(s.target_runs.values[i]), int(ok.sum()), f"{tid} runs")
        close(s.target_probability.values[i], hits / ok.sum(), f"{tid} P")
        lo, hi = s.target_ci_low.values[i], s.target_ci_high.values[i]
        if not 0 <= lo <= hits / ok.sum() <= hi <= 1:
            raise AssertionError(f"{tid} interval [{lo}, {hi}]")
        by = [test(ds[var].values[ok][:, t]).mean() for t in range(len(TIMES))]
        close(s.target_probability_by_time.values[i], by, f"{tid} by time")
    same(s.attrs["runs_ok"], 9, "runs_ok")
    same(s.attrs["runs_failed"], 1, "runs_failed")


def check_h5py(path):
    with h5py.File(path, "r") as f:
        same(f["GDP"].attrs["long_name"], "地区生产总值", "h5py long_name")
        same("Conventions" in f.attrs, False, "h5py: no Conventions")
        same(f["GDP"].attrs["vensim_units"], "亿元", "h5py vensim_units")
        same(f["param"].asstr()[0], "储蓄率", "h5py param")
        same(f["summary/target_label"].asstr()[0], TARGETS[0][1],
             "h5py target_label")
        same(f["GDP"].shape, (RUNS, len(TIMES)), "h5py shape")


def main(paths):
    for path in paths:
        with h5py.File(path, "r") as f:
            compressed = f["GDP"].compression == "gzip"
        ds = check_root(path, compressed)
        check_summary(path, ds)
        check_h5py(path)
        print(f"{path}: ok ({'deflate' if compressed else 'uncompressed'})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
