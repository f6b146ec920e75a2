#!/usr/bin/env python3
"""Runs the snippets of Markdown documents and checks their sample outputs.

The docs convention (README.md and docs/*.md):

- a ```sh block is shell commands, run with `sh -e` in document order in a
  scratch folder holding copies of the repository's scenarios/ and models/,
  with the installed plansim first on PATH; files a block writes stay for
  the later blocks of the same document;
- a ```python block is run with Python 3 in the same folder;
- a fenced block on the line right after `<!-- output -->` is the exact
  standard output of the closest ```sh or ```python block before it;
- ```text, ```yaml and ```c blocks are not run (```yaml blocks must parse);
  a fence with no language is refused, since nobody can tell whether it
  was meant to run.

    run_docs.py --repo ROOT --bin DIR --work DIR [--python PY] [--update]
                DOC.md...

Prints one line per snippet and exits 0 when every document passes, 1 when
a snippet fails or prints other than its document shows (with the
document's file:line), 2 on a usage error.  A document stops at its first
failing snippet: the later ones may depend on its files.  With --update,
a sample output that differs is replaced in the document by the real one
(for writers of the docs; the test never passes it).
"""

import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import time

RUNNABLE = ("sh", "python")
NOT_RUN = ("text", "yaml", "c")
OUTPUT_MARK = "<!-- output -->"
FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


class DocError(Exception):
    """A document that breaks the convention, at file:line."""


class Block:
    """One fenced block: its language, text and position."""

    def __init__(self, lang, text, line, after_mark):
        self.lang = lang
        self.text = text
        self.line = line  # the line of the opening fence, from 1
        self.after_mark = after_mark  # right after <!-- output -->
        self.expected = None  # the output block that follows, if any
        self.end = None  # the line of the closing fence


def parse(path):
    """The fenced blocks of a Markdown file, in order, the output blocks
    attached to the runnable block they belong to.  Raises DocError on a
    block that breaks the convention."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    blocks = []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            stripped = lines[i].strip()
            if stripped.startswith("<!-- output") and stripped != OUTPUT_MARK:
                raise DocError(f"{path}:{i + 1}: unknown marker {stripped!r}; "
                               f"write {OUTPUT_MARK!r}")
            if stripped == OUTPUT_MARK and not (
                    i + 1 < len(lines) and FENCE.match(lines[i + 1])):
                raise DocError(f"{path}:{i + 1}: {OUTPUT_MARK} must stand on "
                               "the line right before the output's fence")
            i += 1
            continue
        fence = m.group("fence")
        info = m.group("info").strip()
        lang = info.split()[0] if info else ""
        start = i
        body = []
        i += 1
        while i < len(lines):
            c = FENCE.match(lines[i])
            if (c and c.group("fence")[0] == fence[0]
                    and len(c.group("fence")) >= len(fence)
                    and not c.group("info").strip()):
                break
            body.append(lines[i])
            i += 1
        else:
            raise DocError(f"{path}:{start + 1}: fence never closed")
        end = i + 1
        i += 1
        after_mark = start > 0 and lines[start - 1].strip() == OUTPUT_MARK
        text = "".join(line + "\n" for line in body)
        block = Block(lang, text, start + 1, after_mark)
        block.end = end
        blocks.append(block)
    return attach_outputs(path, blocks)


def attach_outputs(path, blocks):
    """Checks every block's language and gives each output block to the
    closest runnable block before it; returns the runnable and yaml
    blocks.  Raises DocError listing every block that breaks the
    convention."""
    kept = []
    problems = []
    last_runnable = None
    for b in blocks:
        if b.after_mark:
            if last_runnable is None:
                problems.append(f"{path}:{b.line}: an output block with no "
                                "```sh or ```python block before it")
            elif last_runnable.expected is not None:
                problems.append(
                    f"{path}:{b.line}: a second output block for the "
                    f"block at line {last_runnable.line}")
            else:
                last_runnable.expected = b
            continue
        if b.lang in RUNNABLE:
            last_runnable = b
            kept.append(b)
        elif b.lang == "yaml":
            kept.append(b)
        elif b.lang not in NOT_RUN:
            what = f"```{b.lang}" if b.lang else "a fence with no language"
            problems.append(
                f"{path}:{b.line}: {what}: write ```sh or ```python for "
                "what runs, ```text (or ```yaml, ```c) for what does not")
    if problems:
        raise DocError("\n     ".join(problems))
    return kept


def make_scratch(repo, work, doc):
    """A fresh scratch folder for one document, with copies of the
    repository's scenarios/ and models/."""
    name = os.path.relpath(os.path.abspath(doc), repo).replace(os.sep, "_")
    scratch = os.path.join(work, name.removesuffix(".md"))
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    for sub in ("scenarios", "models"):
        src = os.path.join(repo, sub)
        if os.path.isdir(src):
            shutil.copytree(src, os.path.join(scratch, sub), symlinks=True)
    return scratch


def environment(bindir, python, work, scratch):
    """The environment of every snippet: plansim's folder first on PATH,
    then a folder (in WORK) whose python3 is the interpreter the docs are
    checked with, a UTF-8 locale and no terminal."""
    tools = os.path.join(work, ".tools")
    os.makedirs(tools, exist_ok=True)
    link = os.path.join(tools, "python3")
    target = os.path.abspath(shutil.which(python) or python)
    if not os.path.lexists(link):
        try:
            os.symlink(target, link)
        except FileExistsError:  # another page's test made it meanwhile
            pass
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join(
        [os.path.abspath(bindir), tools, env.get("PATH", "/usr/bin:/bin")])
    env["LC_ALL"] = "C.UTF-8"
    env["PYTHONIOENCODING"] = "utf-8"
    env["HOME"] = scratch
    for var in ("COLUMNS", "LINES", "TERM", "PYTHONPATH", "PYTHONHOME"):
        env.pop(var, None)
    return env


def run_block(block, python, scratch, env, timeout):
    """Runs one snippet in the scratch folder; returns (status, stdout,
    stderr) as text."""
    if block.lang == "sh":
        argv = ["sh", "-e", "-c", block.text, "sh"]
    else:
        argv = [python, "-c", block.text]
    try:
        p = subprocess.run(argv, cwd=scratch, env=env, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "", f"no answer after {timeout} s"
    return (p.returncode, p.stdout.decode("utf-8", "replace"),
            p.stderr.decode("utf-8", "replace"))


def check_yaml(doc, block):
    """A ```yaml excerpt parses as YAML; returns an error message or None
    (None also when no YAML library is installed)."""
    try:
        import yaml
    except ImportError:
        if not getattr(check_yaml, "warned", False):
            print("note: no YAML library (python3-yaml): ```yaml blocks "
                  "not parsed", file=sys.stderr)
            check_yaml.warned = True
        return None
    try:
        list(yaml.safe_load_all(block.text))
    except yaml.YAMLError as e:
        return f"{doc}:{block.line}: the ```yaml block does not parse: {e}"
    return None


def tail(text, n=20):
    lines = text.rstrip("\n").split("\n")
    return "\n".join("    " + line for line in lines[-n:])


def replace_outputs(doc, updates):
    """Writes the real outputs into the document: UPDATES is a list of
    (output block, real text)."""
    with open(doc, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for block, text in sorted(updates, key=lambda u: -u[0].line):
        body = text.split("\n")[:-1] if text.endswith("\n") else text.split("\n")
        lines[block.line:block.end - 1] = body
    with open(doc + ".partial", "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    os.replace(doc + ".partial", doc)


def check_document(doc, repo, bindir, python, work, timeout, out,
                   update=False):
    """Runs one document's snippets in order; returns the number of
    failures (0 or 1: a document stops at its first failure).  With
    UPDATE, differing sample outputs are rewritten instead of failing."""
    try:
        blocks = parse(doc)
    except DocError as e:
        print(f"FAIL {e}", file=out)
        return 1
    scratch = make_scratch(repo, work, doc)
    env = environment(bindir, python, work, scratch)
    updates = []
    try:
        return run_blocks(doc, blocks, python, scratch, env, timeout, out,
                          updates if update else None)
    finally:
        if updates:
            replace_outputs(doc, updates)


def run_blocks(doc, blocks, python, scratch, env, timeout, out, updates):
    """Runs the blocks of one document in order; returns 0, or 1 at the
    first failure.  UPDATES, when a list, collects outputs to rewrite."""
    for b in blocks:
        where = f"{doc}:{b.line}"
        if b.lang == "yaml":
            msg = check_yaml(doc, b)
            if msg:
                print(f"FAIL {msg}", file=out)
                return 1
            continue
        started = time.monotonic()
        status, stdout, stderr = run_block(b, python, scratch, env, timeout)
        took = time.monotonic() - started
        if status != 0:
            why = "timed out" if status is None else f"exit status {status}"
            print(f"FAIL {where}: the ```{b.lang} block failed ({why})\n"
                  f"  block:\n{tail(b.text, 40)}\n  stderr:\n{tail(stderr)}",
                  file=out)
            return 1
        if (b.expected is not None and stdout != b.expected.text
                and updates is not None):
            updates.append((b.expected, stdout))
            print(f"upd  {where}: output at line {b.expected.line} "
                  "rewritten", file=out)
            continue
        if b.expected is not None and stdout != b.expected.text:
            diff = difflib.unified_diff(
                b.expected.text.splitlines(keepends=True),
                stdout.splitlines(keepends=True),
                f"{doc}:{b.expected.line} (shown)", "real output")
            print(f"FAIL {where}: the output differs from the one shown at "
                  f"line {b.expected.line}\n" + "".join(diff), file=out)
            return 1
        shown = "output checked" if b.expected is not None else "ran"
        print(f"ok   {where}: {b.lang}, {shown}, {took:.1f} s", file=out)
    return 0


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repo", required=True,
                    help="the repository (scenarios/ and models/ are copied)")
    ap.add_argument("--bin", required=True,
                    help="the folder holding the installed plansim")
    ap.add_argument("--work", required=True,
                    help="where each document gets its scratch folder")
    ap.add_argument("--python", default=sys.executable,
                    help="the Python 3 that runs ```python blocks")
    ap.add_argument("--timeout", type=float, default=900,
                    help="seconds one snippet may take (default 900)")
    ap.add_argument("--update", action="store_true",
                    help="rewrite sample outputs that differ")
    ap.add_argument("docs", nargs="+", metavar="DOC.md")
    args = ap.parse_args(argv)
    if not os.path.isfile(os.path.join(args.bin, "plansim")):
        print(f"run_docs.py: no plansim in {args.bin}", file=sys.stderr)
        return 2
    os.makedirs(args.work, exist_ok=True)
    failed = 0
    for doc in args.docs:
        failed += check_document(doc, os.path.abspath(args.repo), args.bin,
                                 args.python, os.path.abspath(args.work),
                                 args.timeout, sys.stdout, args.update)
    n = len(args.docs)
    print(f"{n - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
