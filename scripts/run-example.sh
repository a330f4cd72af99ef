#!/usr/bin/env bash
# The main job on the built-in example: installs what is needed, builds, and
# trains the Fashion-MNIST MLP job (examples/singa/fashion-mnist-mlp.conf,
# SINGA's job format) end to end on the CPU:
#   1. converts Debian's Fashion-MNIST idx files (dataset-fashion-mnist) to
#      kvfile records (strata-data), once, into .cache/fashion-mnist/;
#   2. compiles the job to an artifact (stratac -o): autodiff and the job's
#      updater in the IR, lowered and compiled to native code;
#   3. trains it with strata-run (the job's 6000 steps, a test pass of the
#      10,000 test images every 1000 steps) and prints the test accuracy.
# Metrics and checkpoints go to .cache/fashion-mnist-mlp/. Arguments are
# passed to strata-run (e.g. --steps 1000).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
BIN=$PWD/${BUILD_DIR:-build}/bin
FM=${STRATA_FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
DATA=.cache/fashion-mnist
mkdir -p "$DATA"
if [ ! -f "$DATA/train.bin" ] || [ ! -f "$DATA/test.bin" ]; then
  "$BIN/strata-data" convert --from idx --images "$FM/train-images-idx3-ubyte.gz" \
    --labels "$FM/train-labels-idx1-ubyte.gz" -o "$DATA/train.bin"
  "$BIN/strata-data" convert --from idx --images "$FM/t10k-images-idx3-ubyte.gz" \
    --labels "$FM/t10k-labels-idx1-ubyte.gz" -o "$DATA/test.bin"
fi
WS=.cache/fashion-mnist-mlp
rm -rf "$WS"
mkdir -p "$WS"
echo "== compiling examples/singa/fashion-mnist-mlp.conf"
"$BIN/stratac" examples/singa/fashion-mnist-mlp.conf -o "$WS/model.strata"
"$BIN/strata-run" info "$WS/model.strata"
echo "== training (metrics in $WS/metrics.csv)"
# The job reads fashion-mnist/train.bin and fashion-mnist/test.bin.
"$BIN/strata-run" train "$WS/model.strata" --data-dir .cache --workspace "$WS" "$@"
