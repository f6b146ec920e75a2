#!/usr/bin/env python3
"""The hostile-input corpus: every case is run through the plansim command
with a time limit, and must end in time with the exit status the manifest
gives (a sysexits.h code, 64-78, never a signal) and a message on stderr
that names the file, with line:column where the manifest gives one.

    run_corpus.py PLANSIM CORPUS_DIR WORK_DIR

CORPUS_DIR holds manifest.txt and cases/.  The cases are copied to a fresh
WORK_DIR/corpus folder, where the cases too large or too special to keep in
the repository (long lines, deep nesting, FIFOs, links to devices) are made
first; each command runs there.

manifest.txt, one case a line (blank lines and '#' comments skipped):

    EXIT  WHERE  ARGS...

EXIT is the expected exit status; WHERE is text stderr must contain (the
file's name, or name:line:col); ARGS are plansim's arguments.  Every case
runs under a limit of 20 s of wall time and 2 GiB of address space (no
address-space limit for a sanitizer build, which reserves terabytes of
it for its shadow memory).
"""
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys

TIMEOUT = 20
MEMORY = 2 << 30

MODEL = "model.mdl"  # a valid model in cases/, for scenarios to name


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def generate(d):
    """Makes the generated cases in folder d."""
    w = lambda name, data: write(os.path.join(d, name), data)
    head = b"model: " + MODEL.encode() + b"\n"
    big = 10 * 1000 * 1000
    # nesting far past the limit, in flow and block style
    w("deep_flow.yaml", head + b"x: " + b"[" * 100000 + b"\n")
    w("deep_flow_map.yaml", head + b"x: " + b"{a: " * 100000 + b"\n")
    w("deep_block.yaml",
      head + b"x:\n" + b"".join(b" " * i + b"-\n" for i in range(200)))
    w("deep_dashes.yaml", head + b"save:\n  " + b"- " * 100000 + b"a\n")
    # 10 MB lines
    w("long_plain.yaml", head + b"x: " + b"a" * big + b"\n")
    w("long_unterminated.yaml", head + b'title: "' + b"a" * big + b"\n")
    w("long_flow.yaml", head + b"x: [" + b"aaaaaaaa, " * (big // 10) + b"]\n")
    model = open(os.path.join(d, MODEL), "rb").read()
    w("long_expr.mdl", model.replace(b"g = 0.1", b"g = 0.1" + b" + 0" * (big // 4)))
    w("long_name.mdl", model.replace(b"g = 0.1", b"g = 0.1 " + b"a" * big))
    w("long_comment.mdl", model.replace(b"g = 0.1", b"g = 0.1 {" + b"x" * big))
    w("deep_parens.mdl",
      model.replace(b"g = 0.1", b"g = " + b"(" * 100000 + b"0.1" + b")" * 100000))
    w("deep_unary.mdl", model.replace(b"g = 0.1", b"g = " + b"-" * 100000 + b"0.1"))
    w("long_line.csv", b"Time,GDP\n2025," + b"1" * big + b"\n")
    w("long_cell.csv", b'Time,GDP\n2025,"' + b"x" * big + b'"\n')
    w("wide.csv", b"Time," + b",".join(b"GDP%d" % i for i in range(300000)) + b"\n")
    w("big.yaml", head + b"# " + b"a" * (2 << 20) + b"\n")
    # long lists, whose names are checked against each other
    w("many_items.yaml", head + b"save: [" + b", ".join(b"v%d" % i for i in range(10001)) + b"]\n")
    w("many_saved.yaml", head + b"save: [" + b"".join(b"v%d, " % i for i in range(9999)) + b"v5]\n")
    w("many_sections.yaml", head
      + b"fixed:\n" + b"".join(b"  v%d: 1\n" % i for i in range(10000))
      + b"levers:\n" + b"".join(b"  w%d: {2025: 1}\n" % i for i in range(10000))
      + b"uncertain:\n"
      + b"".join(b"  u%d: {dist: uniform, min: 0, max: 1}\n" % i for i in range(9999))
      + b"  v7: {dist: uniform, min: 0, max: 1}\n")
    w("labels_many_model.yaml", b"model: labels_many_model.mdl\n")
    shutil.copy(os.path.join(d, MODEL), os.path.join(d, "labels_many_model.mdl"))
    w("labels_many_model.labels.yaml", b"variables:\n"
      + b"".join(b"  v%d: {zh: a, en: a}\n" % i for i in range(50000))
      + b"  V7: {zh: b, en: b}\n")
    w("many_pairs.yaml", head + b"correlations:\n"
      + b"".join(b"  - [a%d, b%d, 0.1]\n" % (i, i) for i in range(9999))
      + b"  - [b5, a5, 0.2]\n")
    # what is not a regular file
    os.mkfifo(os.path.join(d, "fifo.yaml"))
    os.mkfifo(os.path.join(d, "fifo.mdl"))
    os.mkfifo(os.path.join(d, "fifo.csv"))
    os.mkfifo(os.path.join(d, "fifo_model.labels.yaml"))
    shutil.copy(os.path.join(d, MODEL), os.path.join(d, "fifo_model.mdl"))
    for name in ("zero.yaml", "zero.mdl", "zero.csv", "zero.xlsx"):
        os.symlink("/dev/zero", os.path.join(d, name))
    os.symlink("/dev/null", os.path.join(d, "null.yaml"))
    os.mkdir(os.path.join(d, "folder.yaml"))


def main():
    plansim, corpus, work = sys.argv[1:4]
    d = os.path.join(work, "corpus")
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(os.path.join(corpus, "cases"), d, symlinks=True)
    generate(d)
    env = dict(os.environ)
    env.pop("PLANSIM_MAX_INPUT_SIZE", None)
    env["LC_ALL"] = "C.UTF-8"

    with open(plansim, "rb") as f:
        image = f.read()
    sanitized = b"__asan_init" in image or b"__tsan_init" in image

    def limit():
        if not sanitized:
            resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    failures = 0
    count = 0
    with open(os.path.join(corpus, "manifest.txt"), encoding="utf-8") as f:
        lines = f.read().splitlines()
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split()
        want, where, args = int(fields[0]), fields[1], fields[2:]
        count += 1
        shown = "manifest.txt:%d: plansim %s" % (number, " ".join(args))
        try:
            p = subprocess.run([plansim] + args, cwd=d, env=env,
                               stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, timeout=TIMEOUT,
                               preexec_fn=limit)
        except subprocess.TimeoutExpired:
            print("FAIL %s: still running after %d s" % (shown, TIMEOUT))
            failures += 1
            continue
        err = p.stderr.decode("utf-8", "replace")
        problems = []
        if p.returncode < 0:
            problems.append("killed by signal %s"
                            % signal.Signals(-p.returncode).name)
        elif not 64 <= p.returncode <= 78:
            problems.append("exit %d is not a sysexits.h code" % p.returncode)
        if p.returncode != want:
            problems.append("exit %d, expected %d" % (p.returncode, want))
        if where not in err:
            problems.append("stderr does not name '%s'" % where)
        if problems:
            failures += 1
            print("FAIL %s: %s\n  stderr: %s"
                  % (shown, "; ".join(problems), err[:400].strip()))
    # nothing is left half-written in the corpus folder
    partial = [n for n in os.listdir(d) if n.endswith(".partial")]
    if partial:
        failures += 1
        print("FAIL left behind: %s" % ", ".join(sorted(partial)))
    print("%d hostile cases, %d failed" % (count, failures))
    return 1 if failures or count == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
