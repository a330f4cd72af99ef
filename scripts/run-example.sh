#!/usr/bin/env bash
# The main job on the built-in example: installs what is needed, builds,
# compiles the Fashion-MNIST MLP job (examples/singa/fashion-mnist-mlp.conf,
# SINGA's job format) to strata IR and prints it, runs the train phase's
# forward pass in the reference evaluator on a random batch (the loss of an
# untrained 10-class model is about ln(10) = 2.3), then builds the training
# step (autodiff + the job's updater, in the IR) and runs 20 steps of it on
# that batch: the loss falls as the model fits the batch. (Training on the
# real Fashion-MNIST files with compiled code is issue 6's strata-run.)
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
echo
echo "== 20 training steps (@train_step: gradients and SGD with momentum in the IR) in the reference evaluator:"
train=$(mktemp --suffix=.mlir)
trap 'rm -f "$out" "$train"' EXIT
"$BIN/stratac" --emit=mlir-train examples/singa/fashion-mnist-mlp.conf |
  "$BIN/strata-opt" --strata-updater -o "$train"
"$BIN/strata-reference" "$train" --function train_step --steps 20
