#!/usr/bin/env python3
"""A command's --format json against its CSV or text output.

    check_json.py KIND JSON_FILE OTHER_FILE

KIND is sensitivity, sweep, discover or fit (OTHER_FILE: the command's
CSV, whose numbers are written the same shortest way, so they must be
equal) or solve (OTHER_FILE: its text, whose numbers are rounded).
Every document must parse, carry format_version 1 and its command, and
hold the same numbers; an empty CSV cell is a null.  Exit 1 with the
first difference.
"""
import csv
import json
import math
import re
import sys


def fail(msg):
    print(f"check_json: {msg}", file=sys.stderr)
    sys.exit(1)


def num(cell):
    return None if cell == "" else float(cell)


def same(got, want, what):
    if want is None or (isinstance(want, float) and math.isnan(want)):
        if got is not None:
            fail(f"{what}: {got!r} in JSON, missing in the other output")
        return
    if got is None or float(got) != float(want):
        fail(f"{what}: {got!r} in JSON, {want!r} in the other output")


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def sensitivity(doc, path):
    outputs = {o["name"]: o for o in doc["outputs"]}
    table = rows(path)
    if not table:
        fail("the CSV has no rows")
    measures = [c for c in table[0] if c not in
                ("output", "variable", "time", "rank", "factor", "label",
                 "base")]
    for r in table:
        o = outputs[r["output"]]
        same(o["time"], num(r["time"]), f"{r['output']} time")
        if "base" in r:
            same(o["base"], num(r["base"]), f"{r['output']} base")
        f = o["ranking"][int(r["rank"]) - 1]
        if f["factor"] != r["factor"] or (f["label"] or "") != r["label"]:
            fail(f"{r['output']} rank {r['rank']}: {f['factor']} in JSON, "
                 f"{r['factor']} in CSV")
        for m in measures:
            same(f[m], num(r[m]), f"{r['output']} {r['factor']} {m}")
    if sum(len(o["ranking"]) for o in doc["outputs"]) != len(table):
        fail("the JSON has rows the CSV does not")


def sweep(doc, path):
    levers = [lv["name"] for lv in doc["levers"]]
    targets = {t["name"]: t for t in doc["targets"]}
    table = rows(path)
    seen = 0
    for r in table:
        t = targets[r["target"]]
        at = {n: float(r[n]) for n in levers}
        pts = [p for p in t["points"] if p["levers"] == at]
        if len(pts) != 1:
            fail(f"{r['target']} at {at}: {len(pts)} points in JSON")
        p = pts[0]
        for k in ("probability", "ci_low", "ci_high", "hits", "runs"):
            same(p[k], num(r[k]), f"{r['target']} at {at} {k}")
        seen += 1
    if seen != sum(len(t["points"]) for t in doc["targets"]) or not seen:
        fail("the JSON and the CSV have different points")


def discover(doc, path):
    table = rows(path)
    runs = doc["runs"]
    factors = {f["input"]: f for f in doc["factors"]}
    checked = 0
    for r in table:
        kind, stat, value = r["kind"], r["statistic"], r["value"]
        if kind == "runs":
            want = {"ok": runs["ok"], "used": runs["used"],
                    "cases": doc["cases"]}[stat]
            same(want, num(value), f"runs {stat}")
        elif kind == "factor":
            f = factors[r["input"]]
            key = {"rank": "rank", "ks_d": "ks_d", "p_value": "p_value",
                   "direction": "direction"}[stat]
            same(f[key], num(value), f"factor {r['input']} {stat}")
        elif kind in ("box", "limit", "trajectory"):
            box = doc["boxes"][int(r["box"]) - 1]
            step = int(r["step"])
            if kind == "box":
                if box["chosen_step"] != step:
                    fail(f"box {r['box']}: chosen step {box['chosen_step']}")
                same(box[stat], num(value), f"box {r['box']} {stat}")
            elif kind == "limit":
                lim = [x for x in box["limits"] if x["input"] == r["input"]]
                if len(lim) != 1:
                    fail(f"box {r['box']}: no limit on {r['input']} in JSON")
                key = stat
                same(lim[0][key], num(value),
                     f"box {r['box']} {r['input']} {stat}")
            else:
                s = box["trajectory"][step]
                if stat == "move":
                    want = s["move"] + ("_" + s["side"] if s["side"] else "")
                    if want != value:
                        fail(f"trajectory step {step}: {want} != {value}")
                else:
                    same(s[stat], num(value), f"trajectory {step} {stat}")
        else:
            continue
        checked += 1
    if checked < len(doc["factors"]) + 3:
        fail(f"only {checked} rows compared")


def fit(doc, path):
    variables = {v["name"]: v for v in doc["variables"]}
    table = rows(path)
    for r in table:
        v = variables[r["variable"]]
        same(v[r["statistic"]], num(r["value"]),
             f"{r['variable']} {r['statistic']}")
    if len(table) != 7 * len(doc["variables"]) or not table:
        fail("the JSON and the CSV have different variables")


def g6(x):
    return "%.6g" % x


def prob_text(p):
    """A probability by the one rounding rule (plansim_output/prob_text.h):
    the shortest decimal that reads back as p, rounded to three decimals
    half away from zero."""
    from decimal import Decimal, ROUND_HALF_UP
    return str(Decimal(repr(p)).quantize(Decimal("0.001"),
                                         rounding=ROUND_HALF_UP))


def solve(doc, path):
    text = open(path, encoding="utf-8").read()
    ans = doc["answer"]
    m = re.search(r"Evaluations: +(\d+) ensembles of (\d+) runs", text)
    if not m:
        fail("no Evaluations line in the text")
    same(doc["evaluations"]["ensembles"], float(m.group(1)), "ensembles")
    same(doc["evaluations"]["runs_per_ensemble"], float(m.group(2)),
         "runs per ensemble")
    at = ans["at"]
    m = re.search(r"(\d\.\d{3}) \[(\d\.\d{3}), (\d\.\d{3})\] \((\d+) of (\d+) "
                  r"runs\)", text)
    if not m:
        fail("no probability in the text")
    for k, i in (("probability", 1), ("ci_low", 2), ("ci_high", 3)):
        if prob_text(at[k]) != m.group(i):
            fail(f"{k}: {at[k]} in JSON, {m.group(i)} in the text")
    same(at["hits"], float(m.group(4)), "hits")
    same(at["runs"], float(m.group(5)), "runs")
    if ans["outcome"] == "nowhere":
        if "Answer:       none:" not in text or doc["interval"] is not None:
            fail("JSON says nowhere, the text does not")
        return
    m = re.search(r"Answer: +.* = (\S+?)(,|\n)", text)
    if not m or m.group(1) != g6(ans["value"]):
        fail(f"answer {ans['value']} in JSON, text: {m and m.group(1)}")
    iv = doc["interval"]
    m = re.search(r"Interval: +\[(.*), (.*)\]: where P crosses (\S+) and "
                  r"(\S+),", text)
    if not m:
        fail("no Interval line in the text")
    for end, i in (("low", 1), ("high", 2)):
        e = iv[end]
        rel = {"=": "", "<=": "≤ ", ">=": "≥ ", "<": "< ", ">": "> "}
        if rel[e["relation"]] + g6(e["value"]) != m.group(i):
            fail(f"interval {end}: {e} in JSON, {m.group(i)} in the text")
    if prob_text(iv["probability_low"]) != m.group(3) or \
            prob_text(iv["probability_high"]) != m.group(4):
        fail("the interval's probabilities differ")


def main():
    if len(sys.argv) != 4:
        fail("usage: check_json.py KIND JSON_FILE OTHER_FILE")
    kind, jpath, other = sys.argv[1:]
    try:
        doc = json.load(open(jpath, encoding="utf-8"))
    except ValueError as e:
        fail(f"{jpath} is not JSON: {e}")
    if doc.get("format_version") != 1 or doc.get("command") != kind:
        fail(f"format_version {doc.get('format_version')!r}, command "
             f"{doc.get('command')!r}")
    {"sensitivity": sensitivity, "sweep": sweep, "discover": discover,
     "fit": fit, "solve": solve}[kind](doc, other)


main()
