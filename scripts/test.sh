#!/usr/bin/env bash
# Installs what is needed (Debian packages; the pinned test-only Python
# packages in a venv, from which the onnx 1.23 node tests are generated),
# builds, and runs every test (lit, GoogleTest, the plugin example, the
# op-coverage check, the ONNX conformance runs) through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/setup-python.sh
scripts/build.sh
# ctest runs $(nproc) tests at once: oneDNN's OpenMP threads in each would
# oversubscribe the cores (spinning threads slow every test many times over).
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j "$(nproc)"
