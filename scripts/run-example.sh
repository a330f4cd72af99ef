#!/usr/bin/env bash
# The main job on the built-in example: installs what is needed, builds, and
# compiles the Fashion-MNIST MLP example to strata IR, printing it; then runs
# its forward pass in the reference evaluator on random inputs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
BIN=${BUILD_DIR:-build}/bin
"$BIN/stratac" examples/models/fashion-mnist-mlp.mlir --emit=mlir
