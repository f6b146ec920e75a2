"""Are two posterior files the same calibration?

    same_posterior.py A.h5 B.h5

Every dataset (names, shapes, values bit for bit) and every global
attribute but those that name the moment and the command (history,
created, command_line) must be equal.  Exits 0 when they are, 1 with the
first difference when not, 77 (skipped) without h5py and numpy.
"""
import sys

try:
    import h5py
    import numpy as np
except ImportError as e:  # pragma: no cover - depends on the machine
    print(f"skipped: {e}")
    sys.exit(77)

VOLATILE = {"history", "created", "command_line"}


def datasets(f):
    names = []
    f.visititems(lambda n, o: names.append(n) if isinstance(o, h5py.Dataset) else None)
    return sorted(names)


def bits(v):
    v = np.asarray(v)
    return v.view(np.uint64) if v.dtype.kind == "f" and v.dtype.itemsize == 8 else v


def main(path_a, path_b):
    with h5py.File(path_a, "r") as a, h5py.File(path_b, "r") as b:
        names = datasets(a)
        if names != datasets(b):
            print(f"FAIL: other datasets: {sorted(set(names) ^ set(datasets(b)))}")
            return 1
        for n in names:
            x, y = a[n][()], b[n][()]
            if np.shape(x) != np.shape(y) or not np.array_equal(bits(x), bits(y)):
                print(f"FAIL: {n} differs")
                return 1
        keys = sorted(set(a.attrs) | set(b.attrs))
        for k in keys:
            if k in VOLATILE:
                continue
            if k not in a.attrs or k not in b.attrs:
                print(f"FAIL: attribute {k} is in one file only")
                return 1
            if not np.array_equal(bits(a.attrs[k]), bits(b.attrs[k])):
                print(f"FAIL: attribute {k} differs")
                return 1
    print(f"{len(names)} datasets and {len(keys)} attributes the same")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
