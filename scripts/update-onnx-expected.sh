#!/usr/bin/env bash
# Rewrites the expected-status lists of the ONNX conformance ctests from a
# fresh run (after a change that makes tests pass; review the diff).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
DATA=${STRATA_ONNX_DATA:-.cache/onnx-1.23}
record() { # DIR FILE [strata-conformance options]
  "$BUILD_DIR/bin/strata-conformance" "$1" "${@:3}" |
    grep -E '^test_[^ ]*: ' | sed -E 's/^([^:]+): ([a-z-]+).*/\1 \2/' >"$2"
  echo "$2: $(grep -c ' passed$' "$2") passed of $(wc -l <"$2")"
}
record /usr/share/libonnx-testdata/data/node test/onnx/expected-debian.txt
for folder in pytorch-converted pytorch-operator simple; do
  record /usr/share/libonnx-testdata/data/$folder test/onnx/expected-debian-$folder.txt
done
record "$DATA/node" test/onnx/expected-onnx-1.23.txt
record "$DATA/oracle" test/onnx/expected-oracle-1.23.txt
# The compiled CPU path on the onnx 1.23 node tests, and the list of tests it
# does not pass that the reference evaluator passes (docs/ONNX-CPU.md).
record "$DATA/node" test/onnx/expected-cpu-1.23.txt --backend=cpu
python3 scripts/onnx-cpu-differences.py "$BUILD_DIR" "$DATA/node" \
  test/onnx/expected-onnx-1.23.txt test/onnx/expected-cpu-1.23.txt >docs/ONNX-CPU.md
