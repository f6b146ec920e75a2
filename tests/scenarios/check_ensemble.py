"""Checks of ensemble files made by `plansim run`, done as an analyst would:
with xarray and numpy, nothing specific to plansim.

    check_ensemble.py closed-form FILE.h5
    check_ensemble.py xarray FILE.h5
    check_ensemble.py same FILE1.h5 FILE2.h5
    check_ensemble.py failed FILE.h5 VARIABLE
    check_ensemble.py chains FILE.h5
    check_ensemble.py identical FILE1.h5 FILE2.h5
    check_ensemble.py held FILE.h5.partial

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
    # 亿元 has no udunits-2 reading: no units, the model's text kept
    if "units" in ds.GDP.attrs or ds.GDP.attrs.get("vensim_units") != "亿元":
        fail(f"units are {ds.GDP.attrs.get('units')!r}, vensim_units "
             f"{ds.GDP.attrs.get('vensim_units')!r}")
    if "Conventions" in ds.attrs:
        fail(f"the file claims Conventions {ds.attrs['Conventions']!r}")
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


def chains(path):
    """chains.mdl with cases/chains.yaml: subscripted variables, selected
    by element name, against their closed forms run by run."""
    ds = xr.open_dataset(path)
    want_dims = {"output": ("run", "time", "chain"),
                 "area_output": ("run", "time", "area", "chain"),
                 "emerging_output": ("run", "time", "new_chain"),
                 "project_output": ("run", "time", "chain_2"),
                 "total_output": ("run", "time")}
    for name, dims in want_dims.items():
        if ds[name].dims != dims:
            fail(f"{name} has dims {ds[name].dims}, not {dims}")
    if list(ds.chain.values) != ["新材料", "电子信息", "食品加工"]:
        fail(f"chain is {list(ds.chain.values)}")
    if list(ds.new_chain.values) != ["新材料", "电子信息"]:
        fail(f"new_chain is {list(ds.new_chain.values)}")
    # a variable on part of chain: a range of its own, named apart
    if list(ds.chain_2.values) != ["新材料", "食品加工"]:
        fail(f"chain_2 is {list(ds.chain_2.values)}")
    params = ["growth rate[新材料]", "demand shock[new chain]",
              "base output[新材料]", "base output[电子信息]"]
    if list(ds.param.values) != params:
        fail(f"param is {list(ds.param.values)}")
    p = ds.param_value
    g = p.sel(param="growth rate[新材料]").values
    shock = p.sel(param="demand shock[new chain]").values
    base_x = p.sel(param="base output[新材料]").values
    base_e = p.sel(param="base output[电子信息]").values
    if np.array_equal(base_x, base_e):
        fail("the per-element draws of base output are the same draw")
    out = ds.output
    years = np.arange(6)
    # 新材料: its own growth rate plus the shared shock
    x = out.sel(chain="新材料").values
    want = base_x[:, None] * (1 + (g + shock)[:, None]) ** years[None, :]
    if not np.allclose(x, want, rtol=1e-12, atol=0):
        fail("output[新材料] is not base (1 + g + shock)^n run by run")
    # 电子信息: 0.1 plus the same shock plus the lever held each year
    support = np.array([0, 0.01, 0.02, 0.02, 0.02])
    e = out.sel(chain="电子信息").values
    want = base_e[:, None] * np.concatenate(
        [np.ones((len(g), 1)),
         np.cumprod(1 + 0.1 + shock[:, None] + support[None, :], axis=1)],
        axis=1)
    if not np.allclose(e, want, rtol=1e-12, atol=0):
        fail("output[电子信息] does not follow the shared shock and the lever")
    # 食品加工: fixed base, no shock, the same in every run
    f = out.sel(chain="食品加工").values
    if not np.allclose(f, 110 * 1.05 ** years[None, :], rtol=1e-12, atol=0):
        fail("output[食品加工] is not 110 (1.05)^n")
    a = ds.area_output
    if not np.allclose(a.sel(area="园区").values, 0.4 * out.values,
                       rtol=1e-12, atol=0):
        fail("area_output[园区] is not 0.4 output")
    if not np.array_equal(ds.emerging_output.sel(new_chain="电子信息").values, e):
        fail("emerging_output[电子信息] is not output[电子信息]")
    if not np.array_equal(ds.project_output.sel(chain_2="食品加工").values,
                          f * 0.2):
        fail("project_output[食品加工] is not 0.2 output[食品加工]")
    if not np.allclose(ds.total_output.values, out.sum("chain").values,
                       rtol=1e-12, atol=0):
        fail("total_output is not the sum of output over chain")
    # the summary: same dimensions, numpy's statistics, targets on elements
    s = xr.open_dataset(path, group="summary").assign_coords(
        time=ds.time, chain=ds.chain, area=ds.area, new_chain=ds.new_chain)
    if s.output_quantiles.dims != ("quantile", "time", "chain"):
        fail(f"output_quantiles has dims {s.output_quantiles.dims}")
    if s.area_output_mean.dims != ("time", "area", "chain"):
        fail(f"area_output_mean has dims {s.area_output_mean.dims}")
    want = np.quantile(out.values, s["quantile"].values, axis=0)
    if not np.allclose(s.output_quantiles.values, want, rtol=1e-12, atol=0):
        fail("summary quantiles of output differ from numpy.quantile")
    m = s.output_mean.sel(chain="新材料", time=2030.0)
    if not np.isclose(float(m), x[:, -1].mean(), rtol=1e-12, atol=0):
        fail("output_mean[2030, 新材料] is not the mean over runs")
    if str(s.target_variable.sel(target="xcl_150").values) != "output[新材料]":
        fail("target_variable does not name the element")
    hits = int(np.sum(x[:, -1] >= 150))
    if hits != int(s.target_hits.sel(target="xcl_150")):
        fail(f"target_hits of xcl_150 is not {hits}")
    print(f"output{list(out.chain.values)} by element name, P(xcl_150) = "
          f"{float(s.target_probability.sel(target='xcl_150')):.3f}")


def identical(path_a, path_b):
    """Every dataset of both files, in every group: the same names,
    types, shapes and bytes."""
    import h5py

    def datasets(f):
        out = {}
        f.visititems(lambda name, obj: out.__setitem__(name, obj[()])
                     if isinstance(obj, h5py.Dataset) else None)
        return out

    with h5py.File(path_a, "r") as fa, h5py.File(path_b, "r") as fb:
        a, b = datasets(fa), datasets(fb)
    if sorted(a) != sorted(b):
        fail(f"the files hold other datasets: {sorted(set(a) ^ set(b))}")
    for name in a:
        x, y = np.asarray(a[name]), np.asarray(b[name])
        if x.dtype != y.dtype or x.shape != y.shape:
            fail(f"{name}: {x.dtype}{x.shape} against {y.dtype}{y.shape}")
        if x.dtype.kind in "OSU":
            equal = x.tolist() == y.tolist()
        else:
            equal = x.tobytes() == y.tobytes()
        if not equal:
            fail(f"{name} differs between {path_a} and {path_b}")
    print(f"{len(a)} datasets identical")


def held(path):
    """Prints how many runs a .partial file holds (run_status not 0)."""
    import h5py
    with h5py.File(path, "r") as f:
        print(int(np.count_nonzero(f["run_status"][()])))


def main(argv):
    checks = {"closed-form": closed_form, "xarray": xarray_view,
              "same": same, "failed": failed, "chains": chains,
              "identical": identical, "held": held}
    if len(argv) < 3 or argv[1] not in checks:
        print(__doc__)
        return 64
    checks[argv[1]](*argv[2:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
