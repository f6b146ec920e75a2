"""Checks a report folder the way its readers meet it.

    check_report.py svg DIR [DIR ...]     every SVG parses as XML, is an SVG
                                          with a title, bands, a median line
                                          and text in the CJK font list;
                                          every link of index.md exists
    check_report.py assumptions FILE.h5   xarray and h5py read the
                                          /assumptions group of the ensemble
                                          made from cases/report.yaml

Uses only the standard library for svg; assumptions exits 77 (skipped)
when xarray or h5py is not installed.
"""
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
    w, h = float(root.get("width")), float(root.get("height"))
    for el in root.iter():
        for a in ("x", "y", "x1", "x2", "y1", "y2", "cx", "cy"):
            v = el.get(a)
            if v is not None and not (-1 <= float(v) <= max(w, h) + 1):
                fail(f"{path}: {el.tag} {a}={v} outside the chart")


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
    if len(argv) == 2 and argv[0] == "assumptions":
        return assumptions_main(argv[1])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
