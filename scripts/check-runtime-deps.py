#!/usr/bin/env python3
"""Fails if a runtime binary depends on MLIR or LLVM (directly or through
another library): runs ldd on each file given and looks for libMLIR / libLLVM
in the resolved dependencies."""
import subprocess
import sys

bad = []
for path in sys.argv[1:]:
    out = subprocess.run(["ldd", path], capture_output=True, text=True)
    if out.returncode != 0:
        print(f"ldd {path} failed: {out.stderr.strip()}")
        sys.exit(1)
    for line in out.stdout.splitlines():
        name = line.strip().split()[0] if line.strip() else ""
        if name.startswith("libMLIR") or name.startswith("libLLVM") or \
                "libStrataIR" in name or "libStrataPasses" in name:
            bad.append(f"{path}: {line.strip()}")
    print(f"{path}: {len(out.stdout.splitlines())} libraries, none of MLIR/LLVM"
          if not any(b.startswith(path + ":") for b in bad) else
          f"{path}: links MLIR/LLVM")
if bad:
    print("\n".join(bad))
    sys.exit(1)
