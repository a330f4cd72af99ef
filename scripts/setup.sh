#!/usr/bin/env bash
# Installs every Debian package Strata needs to build and test. Idempotent and
# non-interactive: does nothing when all are present.
set -euo pipefail

PACKAGES=(
  # compiler toolchain and build
  g++ cmake ninja-build ccache lld python3
  # MLIR / LLVM 22 (shared libMLIR, mlir-tblgen, FileCheck, lit)
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
  # SINGA job.conf frontend (protobuf) and ONNX frontend (libonnx 1.12)
  libprotobuf-dev protobuf-compiler libonnx-dev
  # runtime: the artifact format (FlatBuffers schema compiler and headers)
  libflatbuffers-dev flatbuffers-compiler
  # runtime data readers: gzip idx files
  zlib1g-dev
  # runtime: oneDNN, called by compiled CPU kernels for conv / matmul
  libdnnl-dev
  # runtime: LLVM's OpenMP runtime, the threads of the kernels' parallel
  # loops (and of oneDNN, which binds to it)
  libomp-dev
  # ONNX node tests (test/onnx, ctest onnx-conformance-debian)
  libonnx-testdata
  # Fashion-MNIST idx files (ctest runtime-fashion-mnist, strata-data examples)
  dataset-fashion-mnist
  # tests (clang and its runtime for the libFuzzer targets)
  libgtest-dev libgmock-dev clang libclang-rt-14-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "setup: installing ${missing[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
