#!/usr/bin/env python3
"""check-fashion-mnist.py STRATA_DATA DIR: converts the Fashion-MNIST test
set (DIR/t10k-*-ubyte.gz) with `strata-data convert --from idx`, checks that
`strata-data info` reports its known facts (10,000 records of shape [28, 28]
stored as bytes, 1,000 per label 0..9), and that the first records dumped
equal the idx bytes read here with Python's gzip module."""
import gzip
import os
import re
import struct
import subprocess
import sys
import tempfile

tool, folder = sys.argv[1], sys.argv[2]
images = os.path.join(folder, "t10k-images-idx3-ubyte.gz")
labels = os.path.join(folder, "t10k-labels-idx1-ubyte.gz")


def run(*args):
    result = subprocess.run([tool, *args], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{tool} {' '.join(args)} failed ({result.returncode}):\n"
                 f"{result.stdout}{result.stderr}")
    return result.stdout


with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "test.bin")
    run("convert", "--from", "idx", "--images", images, "--labels", labels,
        "-o", out)
    info = run("info", out)
    print(info)
    expected = ["records: 10000", "shape [28, 28]: 10000 records",
                "values: 10000 records as pixel bytes, 0 as floats, in [0, 255]",
                "labels: 10 distinct"]
    expected += [f"label {k}: 1000 records" for k in range(10)]
    lines = info.splitlines()
    missing = [line for line in expected if line not in lines]
    if missing:
        sys.exit("info lacks: " + "; ".join(missing))

    # An independent read of the idx files.
    raw_images = gzip.open(images).read()
    raw_labels = gzip.open(labels).read()
    magic, count, rows, cols = struct.unpack(">IIII", raw_images[:16])
    assert (magic, count, rows, cols) == (0x803, 10000, 28, 28)
    dump = run("dump", out, "--records", "3").splitlines()
    for i in range(3):
        pixels = raw_images[16 + i * 784:16 + (i + 1) * 784]
        want = (f"record {i}: shape [28, 28], label {raw_labels[8 + i]}, "
                "pixel: " + " ".join(str(b) for b in pixels))
        if dump[i] != want:
            sys.exit(f"record {i} differs:\n got {dump[i][:200]}\nwant {want[:200]}")
print("fashion-mnist test set: 10000 records, 1000 per label, records 0-2 match")
