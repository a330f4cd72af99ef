#!/usr/bin/env bash
# The main job on the built-in example: installs what is needed, builds, and
# compiles the Fashion-MNIST MLP example to strata IR, printing it; then runs
# its train phase (loss, accuracy) in the reference evaluator on a random
# batch: the loss of an untrained 10-class model is about ln(10) = 2.3.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
BIN=${BUILD_DIR:-build}/bin
"$BIN/stratac" examples/models/fashion-mnist-mlp.mlir --emit=mlir
echo
echo "== forward pass of the train phase in the reference evaluator (random batch of 64, random init):"
"$BIN/strata-reference" examples/models/fashion-mnist-mlp.mlir --function train --batch 64
