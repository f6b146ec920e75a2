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

    check_report.py readers LANG DIR SUMMARY.csv
                                          the files meant for readers (every
                                          .md but appendix.md, every .svg)
                                          name no model variable, target or
                                          input (names from `plansim summary
                                          --format csv` of the file and from
                                          the appendix, which lists each)
                                          and no model unit (Dmnl, /Year)
                                          (LANG zh); with LANG en, no model
                                          unit and the tables' labels and
                                          headings are English

    check_report.py calib-readers LANG DIR
                                          the same for a calibration report:
                                          the files for readers name no
                                          input, series, model variable or
                                          target (names from its own
                                          calibration.csv) and not the
                                          method's model name (LANG zh);
                                          with LANG en its tables' labels,
                                          headings and chart titles are
                                          English; appendix.md lists every
                                          name

    check_report.py scenario-text LANG DIR
                                          the scenario's title and
                                          description where a report shows
                                          them (index.md's heading and the
                                          paragraph under it; the Scenario
                                          and Description rows and lines of
                                          the other .md files) are in LANG
                                          alone: no ASCII letter (zh), no
                                          Chinese character (en)

Uses only the standard library for svg and readers; assumptions exits 77 (skipped)
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
        if not any(t.startswith(("后验", "Posterior")) for t in legend):
            fail(f"{path}: no posterior in the legend {legend}")
    elif name.startswith("predictive_"):
        points = [c for g in root.iter(SVG + "g")
                  if g.get("class") == "observed" for c in g.iter(SVG + "circle")]
        if not points:
            fail(f"{path}: no observation drawn")
        if "观测值" not in legend and "Observed" not in legend:
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


CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")


def name_pattern(name):
    """A model name as Vensim matches it: case, underscores and runs of
    spaces aside, not inside a longer word."""
    words = [re.escape(w) for w in re.split(r"[ _]+", name.strip()) if w]
    return re.compile(r"(?<![A-Za-z0-9_])" + r"[ _]+".join(words) +
                      r"(?![A-Za-z0-9_])", re.IGNORECASE)


def reader_texts(folder):
    """(file, text) of every file meant for readers; SVG: its text only."""
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if name.endswith(".md") and name != "appendix.md":
            with open(path, encoding="utf-8") as f:
                yield name, f.read()
        elif name.endswith(".svg"):
            root = ET.parse(path).getroot()
            yield name, "\n".join(root.itertext())


def appendix_names(folder):
    """The model's names in appendix.md: the second column of the
    indicator and target tables, the third of the inputs table."""
    names = set()
    section = None
    with open(os.path.join(folder, "appendix.md"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("## "):
                section = line
                continue
            if not line.startswith("| ") or line.startswith("| --"):
                continue
            cells = [c.strip().replace("\\", "") for c in
                     line.strip().strip("|").split(" | ")]
            col = 2 if "Inputs" in section or "输入" in section else 1
            if len(cells) > col and cells[col] not in (
                    "模型变量", "模型常量", "Model variable",
                    "Model constant", "目标名", "Target name"):
                names.add(re.sub(r"\[.*", "", cells[col]))
    return names


def readers_main(lang, folder, summary_csv):
    names = set()
    with open(summary_csv, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            names.add(re.sub(r"\[.*", "", row["name"]))
    listed = appendix_names(folder)
    missing = {n for n in names if n not in listed and
               not any(name_pattern(n).fullmatch(m) for m in listed)}
    if missing:
        fail(f"appendix.md lacks {sorted(missing)}")
    names |= listed
    ascii_names = [n for n in names if re.search(r"[A-Za-z]", n)]
    if len(ascii_names) < 10:
        fail(f"too few model names to check: {ascii_names}")
    patterns = [(n, name_pattern(n)) for n in ascii_names]
    checked = 0
    for name, text in reader_texts(folder):
        checked += 1
        # English labels are English words, which model names are too
        # ("Average interest rate on debt"): only Chinese is checked.
        for n, pat in patterns if lang == "zh" else []:
            m = pat.search(text)
            if m:
                s = max(0, m.start() - 40)
                fail(f"{name}: model name '{n}' for readers: "
                     f"...{text[s:m.end() + 40]}...")
        for unit in ("Dmnl", "/Year", "Year)"):
            if unit in text:
                fail(f"{name}: model unit '{unit}'")
        for note in ("本文件未保存面向读者的标签",
                     "This file stores no labels for readers"):
            if note in text:
                fail(f"{name}: the report says the file has no labels")
    if checked < 5:
        fail(f"{folder}: only {checked} files for readers")
    if lang == "en":
        english_main(folder)
    print(f"{folder}: {checked} files for readers checked ({lang})")


def english_main(folder):
    """Tables' labels and headings in English: the first cell of every
    table row but the scenario's own text, every heading of
    variables.md (an element's name aside) and every chart title."""
    for name in ("targets.md", "variables.md", "assumptions.md", "index.md"):
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            lines = f.read().splitlines()
        for line in lines:
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            if line.startswith("| ") and cells[0] not in (
                    "Scenario", "Description"):
                if CJK.search(cells[0]):
                    fail(f"{name}: not English: {line}")
            if line.startswith("## ") or line.startswith("### "):
                if CJK.search(re.sub(r"\([^)]*\)$", "", line)):
                    fail(f"{name}: heading not English: {line}")
    for svg in sorted(os.listdir(folder)):
        if svg.endswith(".svg"):
            root = ET.parse(os.path.join(folder, svg)).getroot()
            title = root.find(SVG + "title").text or ""
            if CJK.search(re.sub(r"\([^)]*\)$", "", title)):
                fail(f"{svg}: title not English: {title}")


def calibration_names(folder):
    """The scenario's and the model's names a calibration report must keep
    to its appendix, from its calibration.csv: the inputs, the series and
    the variables they measure, the targets and their variables."""
    names = set()
    with open(os.path.join(folder, "calibration.csv"),
              encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            if row["section"] in ("input", "series", "target"):
                names.add(re.sub(r"\[.*", "", row["name"]))
            if row["section"] == "series" and row["statistic"] == "variable":
                names.add(re.sub(r"\[.*", "", row["value"]))
    return names


def calib_readers_main(lang, folder):
    names = calibration_names(folder)
    with open(os.path.join(folder, "appendix.md"), encoding="utf-8") as f:
        appendix = f.read().replace("\\", "")
    missing = sorted(n for n in names if n not in appendix)
    if missing:
        fail(f"appendix.md lacks {missing}")
    ascii_names = [n for n in names if re.search(r"[A-Za-z]", n)]
    if len(ascii_names) < 10:
        fail(f"too few model names to check: {ascii_names}")
    patterns = [(n, name_pattern(n)) for n in ascii_names]
    patterns.append(("smc", name_pattern("smc")))
    checked = 0
    for name, text in reader_texts(folder):
        checked += 1
        # English labels are English words, as model names are: only
        # Chinese is checked for them.
        for n, pat in patterns if lang == "zh" else []:
            m = pat.search(text)
            if m:
                s = max(0, m.start() - 40)
                fail(f"{name}: model name '{n}' for readers: "
                     f"...{text[s:m.end() + 40]}...")
        for note in ("本文件未保存面向读者的标签",
                     "This file stores no labels for readers"):
            if note in text:
                fail(f"{name}: the report says the file has no labels")
    if checked < 5:
        fail(f"{folder}: only {checked} files for readers")
    if lang == "en":
        for name in ("calibration.md", "index.md"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                lines = f.read().splitlines()
            for line in lines:
                cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
                if line.startswith("| ") and cells[0] not in (
                        "Scenario", "Description", "Command"):
                    if CJK.search(cells[0]):
                        fail(f"{name}: not English: {line}")
                if line.startswith("## ") or line.startswith("### "):
                    if CJK.search(line):
                        fail(f"{name}: heading not English: {line}")
        for svg in sorted(os.listdir(folder)):
            if svg.endswith(".svg"):
                root = ET.parse(os.path.join(folder, svg)).getroot()
                for t in root.itertext():
                    if CJK.search(t):
                        fail(f"{svg}: not English: {t}")
    print(f"{folder}: {checked} files for readers checked ({lang})")


def scenario_lines(folder):
    """(file, text) of every place a report shows the scenario's title or
    description: index.md's heading and the paragraph under it, the
    Scenario and Description rows of the tables and the "Scenario:"
    lines of the other .md files."""
    with open(os.path.join(folder, "index.md"), encoding="utf-8") as f:
        lines = f.read().split("\n")
    if not lines[0].startswith("# "):
        fail(f"index.md: no heading: {lines[0]}")
    yield "index.md", lines[0][2:]
    if lines[1] != "" or not lines[2]:
        fail("index.md: no paragraph under the heading")
    for line in lines[2:]:
        if not line:
            break
        yield "index.md", line
    rows = 0
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".md") or name in ("index.md", "appendix.md"):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            for line in f.read().splitlines():
                cells = [c.strip() for c in
                         line.strip().strip("|").split(" | ")]
                if line.startswith("| ") and len(cells) == 2 and cells[0] in (
                        "情景", "说明", "Scenario", "Description"):
                    rows += 1
                    yield name, cells[1]
                for lead in ("情景：", "Scenario: "):
                    if line.startswith(lead):
                        rows += 1
                        yield name, line[len(lead):]
    if rows < 2:
        fail(f"{folder}: the scenario's title is shown in only {rows} rows")


def scenario_text_main(lang, folder):
    checked = 0
    for name, text in scenario_lines(folder):
        checked += 1
        if lang == "zh" and re.search(r"[A-Za-z]", text):
            fail(f"{name}: the scenario's text is not Chinese alone: {text}")
        if lang == "en" and CJK.search(text):
            fail(f"{name}: the scenario's text is not English alone: {text}")
    print(f"{folder}: {checked} lines of the scenario's text checked ({lang})")


def main(argv):
    if len(argv) >= 2 and argv[0] == "svg":
        svg_main(argv[1:])
        return 0
    if len(argv) >= 2 and argv[0] == "calibration":
        calibration_main(argv[1:])
        return 0
    if len(argv) == 3 and argv[0] == "calib-readers":
        calib_readers_main(argv[1], argv[2])
        return 0
    if len(argv) == 4 and argv[0] == "readers":
        readers_main(argv[1], argv[2], argv[3])
        return 0
    if len(argv) == 3 and argv[0] == "scenario-text":
        scenario_text_main(argv[1], argv[2])
        return 0
    if len(argv) == 2 and argv[0] == "assumptions":
        return assumptions_main(argv[1])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
