"""Checks a report folder the way its readers meet it.

    check_report.py svg DIR [DIR ...]     every SVG parses as XML, is an SVG
                                          with a title, bands, a median line
                                          and text in the CJK font list;
                                          every link of index.md exists
    check_report.py assumptions FILE.h5   xarray and h5py read the
                                          /assumptions group of the ensemble
                                          made from cases/report.yaml
    check_report.py calibration DIR ...   the same for a calibration report:
                                          every density_*.svg and
                                          predictive_*.svg parses as XML and
                                          has its curves or points and
                                          legend; calibration.csv has six
                                          fields a row; every link of
                                          index.md exists

Uses only the standard library for svg; assumptions exits 77 (skipped)
when xarray or h5py is not installed.
"""
import csv
import os
import re
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def fail(msg):
    raise AssertionError(msg)


def check_svg(path):
    root = ET.parse(path).getroot()  # raises on malformed XML
    if root.tag != SVG + "svg":
        fail(f"{path}: root is {root.tag}, not svg")
    if "Noto Sans CJK SC" not in root.get("font-family", ""):
        fail(f"{path}: no CJK font in font-family")
    title = root.find(SVG + "title")
    if title is None or not (title.text or "").strip():
        fail(f"{path}: no title")
    polygons = root.findall(f".//{SVG}polygon")
    fills = {p.get("fill") for p in polygons}
    if len(fills) < 2:
        fail(f"{path}: expected two band tints, got {fills}")
    for p in polygons:
        pts = [tuple(map(float, xy.split(","))) for xy in p.get("points").split()]
        if len(pts) < 4 or len(pts) % 2:
            fail(f"{path}: a band polygon of {len(pts)} points")
    if not root.findall(f".//{SVG}polyline"):
        fail(f"{path}: no median line")
    texts = [t.text or "" for t in root.iter(SVG + "text")]
    if not any(re.fullmatch(r"\d{4}", t) for t in texts):
        fail(f"{path}: no year on the x axis")
    check_bounds(root, path)


def check_bounds(root, path):
    w, h = float(root.get("width")), float(root.get("height"))
    for el in root.iter():
        for a in ("x", "y", "x1", "x2", "y1", "y2", "cx", "cy"):
            v = el.get(a)
            if v is not None and not (-1 <= float(v) <= max(w, h) + 1):
                fail(f"{path}: {el.tag} {a}={v} outside the chart")


def check_calibration_svg(path):
    root = ET.parse(path).getroot()  # raises on malformed XML
    if root.tag != SVG + "svg":
        fail(f"{path}: root is {root.tag}, not svg")
    if "Noto Sans CJK SC" not in root.get("font-family", ""):
        fail(f"{path}: no CJK font in font-family")
    title = root.find(SVG + "title")
    if title is None or not (title.text or "").strip():
        fail(f"{path}: no title")
    check_bounds(root, path)
    legend = [t.text or "" for g in root.iter(SVG + "g")
              if g.get("class") == "legend" for t in g.iter(SVG + "text")]
    name = os.path.basename(path)
    if name.startswith("density_"):
        drawn = [g for g in root.iter(SVG + "g") if g.get("class") == "density"]
        if not drawn or not (drawn[0].findall(SVG + "polyline")
                             or drawn[0].findall(SVG + "line")):
            fail(f"{path}: no density curve")
        if not any(t.startswith("后验") for t in legend):
            fail(f"{path}: no posterior in the legend {legend}")
    elif name.startswith("predictive_"):
        points = [c for g in root.iter(SVG + "g")
                  if g.get("class") == "observed" for c in g.iter(SVG + "circle")]
        if not points:
            fail(f"{path}: no observation drawn")
        if "观测值" not in legend:
            fail(f"{path}: no observations in the legend {legend}")
    else:
        fail(f"{path}: not a chart of a calibration report")


def check_links(folder):
    index = open(os.path.join(folder, "index.md"), encoding="utf-8").read()
    links = re.findall(r"\]\(([^)]+)\)", index)
    if not any(link.endswith(".svg") for link in links):
        fail(f"{folder}/index.md embeds no chart")
    for link in links:
        if not os.path.exists(os.path.join(folder, link)):
            fail(f"{folder}/index.md links to missing {link}")


def svg_main(folders):
    n = 0
    for folder in folders:
        for name in sorted(os.listdir(folder)):
            if name.endswith(".svg"):
                check_svg(os.path.join(folder, name))
                n += 1
        if os.path.exists(os.path.join(folder, "index.md")):
            check_links(folder)
    if n == 0:
        fail("no SVG found")
    print(f"{n} SVG files parse and look like fan charts")


def calibration_main(folders):
    n = 0
    for folder in folders:
        for name in sorted(os.listdir(folder)):
            if name.endswith(".svg"):
                check_calibration_svg(os.path.join(folder, name))
                n += 1
        with open(os.path.join(folder, "calibration.csv"), encoding="utf-8-sig",
                  newline="") as f:
            rows = list(csv.reader(f))
        if rows[0] != ["section", "name", "label", "statistic", "time", "value"]:
            fail(f"{folder}/calibration.csv: header {rows[0]}")
        for row in rows:
            if len(row) != 6:
                fail(f"{folder}/calibration.csv: a row of {len(row)} fields: {row}")
        check_links(folder)
    if n == 0:
        fail("no SVG found")
    print(f"{n} SVG files parse and look like calibration charts")


def assumptions_main(path):
    try:
        import h5py
        import numpy as np
        import xarray as xr
    except ImportError as e:
        print(f"skipped: {e} (Debian packages python3-h5py, python3-xarray)")
        return 77
    a = xr.open_dataset(path, group="assumptions")
    if list(a.fixed.values) != ["fai share"]:
        fail(f"fixed: {list(a.fixed.values)}")
    if float(a.fixed_value.sel(fixed="fai share")) != 0.2:
        fail("fixed_value")
    if a.fixed_label.values[0] != "投资传导系数":
        fail("fixed_label")
    if a.fixed_source.values[0] != "估算, 2024":
        fail("fixed_source")
    if list(a.lever.values) != ["fai growth"]:
        fail(f"lever: {list(a.lever.values)}")
    if a.lever_time.dims != ("lever", "lever_point"):
        fail(f"lever_time dims {a.lever_time.dims}")
    t = a.lever_time.sel(lever="fai growth").values
    v = a.lever_value.sel(lever="fai growth").values
    if not (np.array_equal(t, [2026, 2028, 2030])
            and np.array_equal(v, [0.2, 0.15, 0.1])):
        fail(f"lever path {t} {v}")
    if a.lever_units.values[0] != "1/Year":
        fail("lever_units")
    with h5py.File(path, "r") as f:
        if f["assumptions/lever_label"].asstr()[0] != "固定资产投资增速":
            fail("h5py lever_label")
    print(f"{path}: /assumptions reads back in xarray and h5py")
    return 0


def main(argv):
    if len(argv) >= 2 and argv[0] == "svg":
        svg_main(argv[1:])
        return 0
    if len(argv) >= 2 and argv[0] == "calibration":
        calibration_main(argv[1:])
        return 0
    if len(argv) == 2 and argv[0] == "assumptions":
        return assumptions_main(argv[1])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
