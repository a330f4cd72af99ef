#!/usr/bin/env python3
"""strata-run-data.py OUT.csv RECORDS SEED [FEATURES]: a learnable 4-class
problem as CSV lines "label,x1,...,xF": x uniform in [-1, 1), the label the
argmax of W x for a fixed W (the same for every seed)."""
import random
import sys

out, records, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
features = int(sys.argv[4]) if len(sys.argv) > 4 else 8
w_rng = random.Random(12345)
w = [[w_rng.uniform(-1, 1) for _ in range(8)] for _ in range(4)]
rng = random.Random(seed)
with open(out, "w") as f:
    for _ in range(records):
        x = [rng.uniform(-1, 1) for _ in range(features)]
        scores = [sum(wi * xi for wi, xi in zip(row, x)) for row in w]
        label = max(range(4), key=lambda k: scores[k])
        f.write(",".join([str(label)] + [f"{v:.6f}" for v in x]) + "\n")
