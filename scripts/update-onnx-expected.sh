#!/usr/bin/env bash
# Rewrites the expected-status lists of the ONNX conformance ctests from a
# fresh run (after a change that makes tests pass; review the diff).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
DATA=${STRATA_ONNX_DATA:-.cache/onnx-1.23}
record() { # DIR FILE
  "$BUILD_DIR/bin/strata-conformance" "$1" |
    grep -E '^test_[^ ]*: ' | sed -E 's/^([^:]+): ([a-z-]+).*/\1 \2/' >"$2"
  echo "$2: $(grep -c ' passed$' "$2") passed of $(wc -l <"$2")"
}
record /usr/share/libonnx-testdata/data/node test/onnx/expected-debian.txt
for folder in pytorch-converted pytorch-operator simple; do
  record /usr/share/libonnx-testdata/data/$folder test/onnx/expected-debian-$folder.txt
done
record "$DATA/node" test/onnx/expected-onnx-1.23.txt
record "$DATA/oracle" test/onnx/expected-oracle-1.23.txt
