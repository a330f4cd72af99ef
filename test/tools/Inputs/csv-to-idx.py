#!/usr/bin/env python3
"""csv-to-idx.py IN.csv IMAGES LABELS: writes the "label,x1,...,xF" lines of
IN.csv as an idx pair: IMAGES f32 [N, F] (big-endian), LABELS u8 [N]."""
import struct
import sys

rows = [line.strip().split(",") for line in open(sys.argv[1]) if line.strip()]
features = len(rows[0]) - 1
with open(sys.argv[2], "wb") as f:
    f.write(struct.pack(">BBBBII", 0, 0, 0x0D, 2, len(rows), features))
    for r in rows:
        f.write(struct.pack(">%df" % features, *map(float, r[1:])))
with open(sys.argv[3], "wb") as f:
    f.write(struct.pack(">BBBBI", 0, 0, 0x08, 1, len(rows)))
    f.write(bytes(int(r[0]) for r in rows))
