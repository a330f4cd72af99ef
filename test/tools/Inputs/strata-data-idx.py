#!/usr/bin/env python3
"""strata-data-idx.py IMAGES LABELS [LABEL_COUNT]: writes a small idx pair
for the strata-data tests: images u8 [4, 2, 3] (image i holds 10 i + j for
j = 0..5) and labels u8 3, 1, 3, 0 (the first LABEL_COUNT of them)."""
import struct
import sys

images, labels = sys.argv[1], sys.argv[2]
count = int(sys.argv[3]) if len(sys.argv) > 3 else 4
with open(images, "wb") as f:
    f.write(struct.pack(">BBBBIII", 0, 0, 0x08, 3, 4, 2, 3))
    f.write(bytes(10 * i + j for i in range(4) for j in range(6)))
with open(labels, "wb") as f:
    f.write(struct.pack(">BBBBI", 0, 0, 0x08, 1, count))
    f.write(bytes([3, 1, 3, 0][:count]))
