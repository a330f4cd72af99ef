#!/usr/bin/env bash
# Long run (outside the test command): trains the Fashion-MNIST examples end
# to end through the compiled CPU path with their own job settings (6000
# steps) and checks the test accuracy against the targets: the MLP at least
# 0.85, the CNN at least 0.89. Prints the accuracy and the compile and
# train times. Usage: scripts/train-fashion-mnist.sh [mlp|cnn|all]
# (default all). Work files in .cache/train-fashion-mnist/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
BIN=$PWD/${BUILD_DIR:-build}/bin
FM=${STRATA_FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
which=${1:-all}
run() { # NAME STEPS MIN_ACCURACY
  work=.cache/train-fashion-mnist/$1
  rm -rf "$work/ws"
  python3 test/runtime/train-fashion-mnist.py "$BIN" "$FM" \
    "examples/singa/fashion-mnist-$1.conf" "$2" "$3" "$work"
}
if [ "$which" = mlp ] || [ "$which" = all ]; then run mlp 6000 0.85; fi
if [ "$which" = cnn ] || [ "$which" = all ]; then run cnn 6000 0.89; fi
