#!/usr/bin/env python3
"""cifar10-shaped-data.py OUT.csv RECORDS SEED: CIFAR-10-shaped records
(3 x 32 x 32 values in [0, 255], labels 0-9) as CSV lines "label,v1,...":
each class has its own colour (a fixed per-class mean per channel) plus
uniform noise, so a convolutional net can learn the classes. strata-data
converts the file to kvfile records (and computes the mean file)."""
import random
import sys

out, records, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
colours = random.Random(99)
means = [[colours.uniform(60, 195) for _ in range(3)] for _ in range(10)]
rng = random.Random(seed)
with open(out, "w") as f:
    for _ in range(records):
        label = rng.randrange(10)
        values = []
        for c in range(3):
            m = means[label][c]
            values += [f"{min(255.0, max(0.0, m + rng.uniform(-60, 60))):.0f}"
                       for _ in range(32 * 32)]
        f.write(",".join([str(label)] + values) + "\n")
