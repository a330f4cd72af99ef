#!/usr/bin/env bash
# The main job on the built-in example: installs what is needed, builds,
# compiles the Fashion-MNIST MLP job (examples/singa/fashion-mnist-mlp.conf,
# SINGA's job format) to strata IR and prints it, then runs the train phase's
# forward pass in the reference evaluator on a random batch: the loss of an
# untrained 10-class model is about ln(10) = 2.3.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
BIN=${BUILD_DIR:-build}/bin
out=$(mktemp --suffix=.mlir)
trap 'rm -f "$out"' EXIT
"$BIN/stratac" examples/singa/fashion-mnist-mlp.conf -o "$out"
cat "$out"
echo
echo "== forward pass of the train phase in the reference evaluator (random batch, random init):"
"$BIN/strata-reference" "$out" --function train
