#!/usr/bin/env python3
"""Damaged ensemble files: every command that reads one ends quickly.

Writes an ensemble with `plansim run`, damages copies of it in a few
dozen deterministic ways (truncations, a zeroed superblock, flipped bytes
in object headers and string heaps, bytes flipped at pseudo-random
offsets) and runs `plansim summary`, `report` and `discover` on each.
Every run must end within its time limit with status 0, 65, 66 or 74,
and a failure must print an error naming the file: never a signal, a
hang or a silent failure.  Damage that hits the file's structure (not
its values, which carry no checksum) must be refused.

usage: damaged_files_test.py PLANSIM SCENARIO WORKDIR
"""
import os
import random
import shutil
import subprocess
import sys
import time

LIMIT = 20  # seconds a command may take, well under the CTest timeout
EXITS = (0, 65, 66, 74)


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def flip(data, off, count, rng):
    b = bytearray(data)
    for i in range(off, min(off + count, len(b))):
        b[i] ^= rng.randrange(1, 256)
    return bytes(b)


def find_all(data, sig):
    out, at = [], data.find(sig)
    while at >= 0:
        out.append(at)
        at = data.find(sig, at + 1)
    return out


def cases(good):
    """(name, bytes, structural) for each damaged copy."""
    rng = random.Random(20261207)
    n = len(good)
    yield "empty", b"", True
    yield "first 100 bytes", good[:100], True
    yield "first half", good[: n // 2], True
    yield "last KiB cut", good[: n - 1024], True
    yield "zeroed superblock", bytes(48) + good[48:], True
    yield "superblock byte 20 flipped", flip(good, 20, 1, rng), True
    yield "superblock checksum flipped", flip(good, 44, 1, rng), True
    for k, at in enumerate(find_all(good, b"OHDR")[:6]):
        yield "object header %d flipped" % k, flip(good, at + 24, 2, rng), True
    # The first string heap holds the strings of the coordinates (every
    # reader needs them); a later one may hold only strings that no
    # command reads, such as the dimension lists of /summary.
    for k, at in enumerate(find_all(good, b"GCOL")[:2]):
        b = bytearray(good)
        b[at + 16 + 8 : at + 16 + 16] = bytes(8)  # first object: size 0
        yield "string heap %d: object of size 0" % k, bytes(b), k == 0
        b = bytearray(good)
        b[at + 16 + 8 : at + 16 + 16] = (1 << 40).to_bytes(8, "little")
        yield "string heap %d: object past its end" % k, bytes(b), k == 0
        b = bytearray(good)
        b[at + 8 : at + 16] = (1 << 50).to_bytes(8, "little")
        yield "string heap %d: size past the file" % k, bytes(b), k == 0
    for k in range(24):
        # Most structure sits in the first pages; values fill the rest.
        off = rng.randrange(4096 if k % 3 else n)
        yield ("%d bytes flipped at %d" % (1 + k % 8, off),
               flip(good, off, 1 + k % 8, rng), False)


def run(plansim, args, label):
    t0 = time.monotonic()
    try:
        r = subprocess.run([plansim] + args, capture_output=True,
                           timeout=LIMIT + 10)
    except subprocess.TimeoutExpired:
        fail("%s: still running after %d s" % (label, LIMIT + 10))
    took = time.monotonic() - t0
    return r.returncode, r.stderr.decode("utf-8", "replace"), took


def main():
    plansim, scenario, work = sys.argv[1:4]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    good_path = os.path.join(work, "good.h5")
    rc = subprocess.run([plansim, "run", "-q", scenario, "--runs", "20",
                         "--threads", "1", "-o", good_path]).returncode
    if rc != 0:
        fail("plansim run gave %d" % rc)
    with open(good_path, "rb") as f:
        good = f.read()
    # The files carry checksums: superblock version 3 (HDF5 1.10 format).
    if good[:8] != b"\x89HDF\r\n\x1a\n" or good[8] != 3:
        fail("the ensemble file's superblock is version %d, not 3" % good[8])
    path = os.path.join(work, "damaged.h5")
    commands = [
        ["summary", path],
        ["report", path, "--output", os.path.join(work, "report"), "--force"],
        ["discover", path, "--target", "gdp_700"],
    ]
    for cmd in commands:
        rc, err, _ = run(plansim, cmd[:1] + [good_path] + cmd[2:],
                         "undamaged " + cmd[0])
        if rc != 0:
            fail("%s of the undamaged file gave %d: %s" % (cmd[0], rc, err))
    ncases = refused = 0
    for name, data, structural in cases(good):
        ncases += 1
        with open(path, "wb") as f:
            f.write(data)
        for cmd in commands:
            label = "%s (%s)" % (cmd[0], name)
            args = cmd + ["--read-timeout", str(LIMIT)]
            rc, err, took = run(plansim, args, label)
            if rc < 0:
                fail("%s: killed by signal %d" % (label, -rc))
            if rc not in EXITS:
                fail("%s: status %d: %s" % (label, rc, err.strip()))
            if rc != 0 and (path + ": error:") not in err:
                fail("%s: status %d without an error naming the file: %r"
                     % (label, rc, err))
            if rc == 0 and structural:
                fail("%s: damaged structure accepted" % label)
            if rc == 74:
                fail("%s: reading took the whole time limit" % label)
            refused += rc != 0
    print("%d damaged files, %d command runs refused with a message, "
          "none crashed or hung" % (ncases, refused))


if __name__ == "__main__":
    main()
