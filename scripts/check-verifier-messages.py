#!/usr/bin/env python3
"""Fails unless every verifier / type-inference message of the strata dialect
is exercised by a -verify-diagnostics test.

Usage: check-verifier-messages.py SOURCE_DIR

Messages are assembled from string pieces; each literal piece of a call to
emitShapeError / emitOpError / emitError / emitOptionalError in ir/ (with at
least two words of text) must appear verbatim in some expectation of a
test/ir/*-invalid.mlir or test/passes/*.mlir file (the gradient rules'
messages come out of --strata-autodiff). Pieces are matched after stripping the leading op name.
"""
import pathlib
import re
import sys

src = pathlib.Path(sys.argv[1])
calls = re.compile(r"\b(emitShapeError|emitOpError|emitError|emitOptionalError)\s*\(")
literal = re.compile(r'"((?:[^"\\]|\\.)*)"')


def call_text(text, start):
    """The argument text of the call whose '(' is at text[start-1]; a call
    ends at the matching ')' of `emit...(` or at the end of the statement."""
    depth, i = 1, start
    while i < len(text) and depth:
        c = text[i]
        if c == '"':
            i = text.index('"', i + 1) if text[i + 1] != '"' else i + 1
            while text[i - 1] == "\\":
                i = text.index('"', i + 1)
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        i += 1
    # Streamed pieces (`emitOpError("a") << x << "b"`) follow the call.
    end = text.find(";", i)
    return text[start:end]


pieces = {}
for path in sorted((src / "ir").rglob("*.cpp")):
    if "reference" in path.parts:
        continue
    text = path.read_text()
    for m in calls.finditer(text):
        for lit in literal.findall(call_text(text, m.end())):
            piece = re.sub(r"^'strata\.[a-z0-9_]*'\s*", "", lit).strip()
            piece = piece.replace('\\"', '"')
            if len(piece.split()) >= 2:
                pieces.setdefault(piece, f"{path.relative_to(src)}")

tests = "\n".join(
    line
    for p in sorted((src / "test" / "ir").glob("*-invalid.mlir")) +
    sorted((src / "test" / "passes").glob("*.mlir"))
    for line in p.read_text().splitlines()
    if "expected-error" in line or "expected-note" in line)
missing = [(where, piece) for piece, where in sorted(pieces.items())
           if piece not in tests]
for where, piece in missing:
    print(f"{where}: message piece not exercised by any test: \"{piece}\"")
print(f"{len(pieces)} message pieces, {len(missing)} not exercised")
sys.exit(1 if missing else 0)
