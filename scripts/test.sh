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
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j "$(nproc)"
