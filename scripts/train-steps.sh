#!/usr/bin/env bash
# The long training-step runs of issue 5's acceptance, in the reference
# evaluator on generated data: 20 steps of each model's @train_step on one
# fixed random batch (labels / characters drawn in range), printing each
# step's loss and whether it fell. Usage: scripts/train-steps.sh [STEPS]
# (default 20). Needs a build (scripts/build.sh). Times: docs/TRAINING.md.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BUILD_DIR:-build}/bin
STEPS=${1:-20}
SHARED=${STRATA_SHARED:-../shared}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

run() { # name conf int-range
  local name=$1 conf=$2 range=$3
  echo "== $name ($conf)"
  "$BIN/stratac" --emit=mlir-train "$conf" -o "$OUT/$name.train.mlir"
  "$BIN/strata-opt" --strata-updater "$OUT/$name.train.mlir" -o "$OUT/$name.step.mlir"
  local start=$SECONDS
  "$BIN/strata-reference" "$OUT/$name.step.mlir" --function train_step \
    --steps "$STEPS" --int-range "$range" | tail -n 3
  echo "   $((SECONDS - start)) s"
}

run mnist-mlp "$SHARED/singa-confs/mnist-mlp.conf" 10
run cifar10-cnn "$SHARED/singa-confs/cifar10-cnn.conf" 10
run char-rnn-gru "$SHARED/singa-confs/char-rnn-gru.conf" 101
run rbm examples/singa/rbm.conf 10
run autoencoder examples/singa/autoencoder.conf 10
