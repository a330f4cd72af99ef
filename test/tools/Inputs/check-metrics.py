#!/usr/bin/env python3
"""check-metrics.py METRICS.csv [--loss-falls R] [--min-test-accuracy A]:
checks strata-run's metrics.csv: the header, and that the first train row's
loss is at least R times the last one's, and the last test row's accuracy is
at least A."""
import argparse
import csv
import sys

p = argparse.ArgumentParser()
p.add_argument("metrics")
p.add_argument("--loss-falls", type=float)
p.add_argument("--min-test-accuracy", type=float)
a = p.parse_args()
with open(a.metrics) as f:
    rows = list(csv.DictReader(f))
    f.seek(0)
    header = f.readline().strip()
if header != "step,phase,loss,accuracy,samples_per_s":
    sys.exit(f"unexpected header {header!r}")
train = [r for r in rows if r["phase"] == "train"]
test = [r for r in rows if r["phase"] == "test"]
if a.loss_falls:
    first, last = float(train[0]["loss"]), float(train[-1]["loss"])
    if not first >= a.loss_falls * last:
        sys.exit(f"train loss {first} -> {last}: did not fall {a.loss_falls}x")
    print(f"train loss {first:.4f} -> {last:.4f}")
if a.min_test_accuracy is not None:
    acc = float(test[-1]["accuracy"])
    if acc < a.min_test_accuracy:
        sys.exit(f"test accuracy {acc} < {a.min_test_accuracy}")
    print(f"test accuracy {acc:.4f}")
