#!/usr/bin/env python3
"""expect-exit.py CODE COMMAND...: runs COMMAND, passes its output through,
and exits 0 only if COMMAND exited with exactly CODE (lit's `not` accepts any
non-zero code)."""
import subprocess
import sys

want = int(sys.argv[1])
got = subprocess.run(sys.argv[2:]).returncode
if got != want:
    sys.stderr.write(f"expect-exit: {sys.argv[2]} exited {got}, expected {want}\n")
    sys.exit(1)
