#!/usr/bin/env python3
"""Fails unless every strata op has a round-trip test, a shape-inference test
and a reference-evaluator unit test.

Usage: check-op-coverage.py BUILD_DIR SOURCE_DIR
The op list comes from the op docs that mlir-tblgen generates from ir/ops/*.td.
"""
import pathlib
import re
import sys

build, src = map(pathlib.Path, sys.argv[1:3])
ops = set()
for doc in (build / "ir" / "ops").glob("*Ops.md"):
    ops |= set(re.findall(r"^### `(strata\.[a-z0-9_]+)`", doc.read_text(), re.M))
if not ops:
    sys.exit(f"no op docs found under {build}/ir/ops")


def mentioned(paths):
    text = "\n".join(p.read_text() for p in paths)
    return {op for op in ops if re.search(re.escape(op) + r"\b", text)}


roundtrip = mentioned(p for p in (src / "test" / "ir").glob("*.mlir")
                      if not p.name.endswith("-invalid.mlir"))
inference = mentioned((src / "test" / "passes" / "infer-shapes").glob("*.mlir"))
unit = mentioned((src / "test" / "unit" / "reference").glob("*.cpp"))
# Ops that only declare or read state have no shape to infer.
declared_type_ops = {"strata.parameter", "strata.param_value", "strata.data_input",
                     "strata.cast"}
problems = []
for op in sorted(ops):
    if op not in roundtrip:
        problems.append(f"{op}: no round-trip test in test/ir/")
    if op not in inference and op not in declared_type_ops:
        problems.append(f"{op}: no shape-inference test in test/passes/infer-shapes/")
    if op not in unit and op != "strata.parameter":
        problems.append(f"{op}: no evaluator test in test/unit/reference/")
for p in problems:
    print(p)
print(f"{len(ops)} ops, {len(problems)} missing tests")
sys.exit(1 if problems else 0)
