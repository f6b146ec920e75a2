#!/usr/bin/env python3
"""The layers of plansim's source and which may include which.

    engine/   models, runs, ensembles, statistics
                                      -> includes only its own headers
    output/   files, tables, reports  -> the engine's public headers
    cluster/  the processes of a job  -> the engine's public headers
    study/    studies over ensembles  -> the engine's and output's
    cli/      the command line        -> the engine's, output's, cluster's,
                                         study's

A quoted #include in a layer must name a public header of a layer it may
use ("plansim/..." for the engine, "plansim_output/..." for output,
"plansim_cluster/..." for cluster, "plansim_study/..." for study) or a
header of its own folder tree; anything else (a header of a higher layer,
or of a lower layer's insides) is reported as FILE:LINE with the header,
and the check exits with 1.  Headers generated at build time are those
a CMakeLists.txt of the layer makes with configure_file.

    check_layers.py [ROOT]     (default: the repository holding this file)
"""
import os
import re
import sys

# layer -> (its public include namespace, the layers it may use)
LAYERS = {
    "engine": ("plansim", []),
    "output": ("plansim_output", ["engine"]),
    "cluster": ("plansim_cluster", ["engine"]),
    "study": ("plansim_study", ["engine", "output"]),
    "cli": (None, ["engine", "output", "cluster", "study"]),
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
# configure_file(TEMPLATE .../NAME.h): a header made at build time
GENERATED = re.compile(r"configure_file\(\s*\S+\s+\S*?([\w.-]+\.h)[\s)]")


def sources(folder):
    for top, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            if name.endswith((".c", ".h")):
                yield os.path.join(top, name)


def own_headers(folder):
    """Paths (relative to any of its folders) of a layer's own headers."""
    found = set()
    for path in sources(folder):
        rel = os.path.relpath(path, folder).split(os.sep)
        for k in range(len(rel)):
            found.add("/".join(rel[k:]))
    for top, _, files in os.walk(folder):
        if "CMakeLists.txt" in files:
            with open(os.path.join(top, "CMakeLists.txt"),
                      encoding="utf-8") as f:
                found.update(GENERATED.findall(f.read()))
    return found


def check(root):
    problems = []
    owners = {}  # public namespace -> layer
    for layer, (ns, _) in LAYERS.items():
        if ns:
            owners[ns] = layer
    for layer, (ns, uses) in LAYERS.items():
        folder = os.path.join(root, layer)
        if not os.path.isdir(folder):
            problems.append(f"{layer}/: missing")
            continue
        own = own_headers(folder)
        for path in sources(folder):
            with open(path, encoding="utf-8", errors="replace") as f:
                for line_no, line in enumerate(f, 1):
                    m = INCLUDE.match(line)
                    if not m:
                        continue
                    header = m.group(1)
                    first = header.split("/", 1)[0]
                    where = f"{os.path.relpath(path, root)}:{line_no}"
                    if "/" in header and first in owners:
                        owner = owners[first]
                        if owner != layer and owner not in uses:
                            problems.append(
                                f"{where}: includes {header}, a header of "
                                f"{owner}/, which {layer}/ may not use")
                        continue
                    if header.startswith("..") or header not in own:
                        problems.append(
                            f"{where}: includes {header}, which is neither "
                            f"its own nor a public header of "
                            f"{', '.join(uses) or 'no other layer'}")
    return problems


def main(argv):
    root = argv[1] if len(argv) > 1 else os.path.dirname(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    problems = check(root)
    for p in problems:
        print(p)
    if problems:
        print(f"check_layers: {len(problems)} include(s) break the layers")
        return 1
    print("check_layers: every include keeps to its layer")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
