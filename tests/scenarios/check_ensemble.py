"""Checks of ensemble files made by `plansim run`, done as an analyst would:
with xarray and numpy, nothing specific to plansim.

    check_ensemble.py closed-form FILE.h5
    check_ensemble.py xarray FILE.h5
    check_ensemble.py same FILE1.h5 FILE2.h5
    check_ensemble.py failed FILE.h5 VARIABLE

Exits 0 when the check holds, 1 with a message when it does not, and 77
(skipped) when h5py, xarray or numpy are missing.
"""
import math
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


def closed_form(path):
    """growth.mdl: GDP(2030) = 431.1 (1 + g)^5, g ~ U(0.05, 0.15)."""
    ds = xr.open_dataset(path)
    g = ds.param_value.sel(param="g").values
    gdp = ds.GDP.sel(time=2030.0).values
    if not np.allclose(gdp, 431.1 * (1 + g) ** 5, rtol=1e-12, atol=0):
        fail("GDP in 2030 is not 431.1 (1 + g)^5 run by run")
    a, b = 0.05, 0.15
    g_star = (700 / 431.1) ** (1 / 5) - 1
    exact = (b - g_star) / (b - a)
    s = xr.open_dataset(path, group="summary")
    p = float(s.target_probability.sel(target="gdp_700"))
    lo = float(s.target_ci_low.sel(target="gdp_700"))
    hi = float(s.target_ci_high.sel(target="gdp_700"))
    n = int(s.target_runs.sel(target="gdp_700"))
    se = math.sqrt(exact * (1 - exact) / n)
    if abs(p - exact) > 3 * se:
        fail(f"P = {p}, exact {exact}: more than 3 standard errors ({se})")
    if not lo <= exact <= hi:
        fail(f"exact P {exact} outside the reported interval [{lo}, {hi}]")
    hits = int(np.sum(gdp >= 700))
    if hits != int(s.target_hits.sel(target="gdp_700")):
        fail("target_hits does not count the runs with GDP >= 700")
    print(f"P = {p:.4f} [{lo:.4f}, {hi:.4f}], exact {exact:.4f}, n = {n}")


def xarray_view(path):
    ds = xr.open_dataset(path)
    for dim in ("run", "time", "param"):
        if dim not in ds.dims:
            fail(f"no dimension '{dim}' in {dict(ds.dims)}")
    if ds.GDP.dims != ("run", "time"):
        fail(f"GDP has dims {ds.GDP.dims}")
    if ds.GDP.attrs.get("long_name") != "地区生产总值 (GDP at current prices)":
        fail(f"long_name is {ds.GDP.attrs.get('long_name')!r}")
    if ds.GDP.attrs.get("units") != "亿元":
        fail(f"units are {ds.GDP.attrs.get('units')!r}")
    if str(ds.param_label.sel(param="g").values) != "年均增长率":
        fail("param_label lost its Chinese text")
    if not str(ds.attrs.get("title", "")).startswith("增长情景"):
        fail(f"title is {ds.attrs.get('title')!r}")
    if list(ds.time.values) != [2025.0 + k for k in range(6)]:
        fail(f"time is {ds.time.values}")
    s = xr.open_dataset(path, group="summary")
    q = s.GDP_quantiles.values  # (quantile, time)
    levels = s["quantile"].values
    want = np.quantile(ds.GDP.values, levels, axis=0)
    if not np.allclose(q, want, rtol=1e-12, atol=0):
        fail("summary quantiles differ from numpy.quantile over runs")
    if not np.allclose(s.GDP_mean.values, ds.GDP.mean("run").values, rtol=1e-12):
        fail("summary mean differs from the mean over runs")
    print("xarray sees", dict(ds.dims), "and the summary agrees with numpy")


def same(path_a, path_b):
    a, b = xr.open_dataset(path_a), xr.open_dataset(path_b)
    for name in a.data_vars:
        x, y = a[name].values, b[name].values
        if x.dtype.kind == "f":
            equal = np.array_equal(x.view(np.uint64), y.view(np.uint64))
        else:
            equal = np.array_equal(x, y)
        if not equal:
            fail(f"{name} differs between {path_a} and {path_b}")
    sa = xr.open_dataset(path_a, group="summary")
    sb = xr.open_dataset(path_b, group="summary")
    for name in sa.data_vars:
        if not sa[name].equals(sb[name]):
            fail(f"summary/{name} differs")
    print(f"{len(a.data_vars)} variables identical bit for bit")


def failed(path, var):
    ds = xr.open_dataset(path)
    status = ds.run_status.values
    shock = ds.param_value.sel(param="shock").values
    if not np.array_equal(status == 2, shock == 1):
        fail("the failed runs are not exactly those with shock = 1")
    if not np.all(np.isnan(ds[var].values[status == 2])):
        fail(f"{var} of failed runs is not NaN")
    if np.any(np.isnan(ds["GDP"].values[status == 1])):
        fail("an ok run has NaN values")
    print(f"{int(np.sum(status == 2))} failed runs marked, the others intact")


def main(argv):
    checks = {"closed-form": closed_form, "xarray": xarray_view,
              "same": same, "failed": failed}
    if len(argv) < 3 or argv[1] not in checks:
        print(__doc__)
        return 64
    checks[argv[1]](*argv[2:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
