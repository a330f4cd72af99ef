#!/usr/bin/env bash
# Installs what is needed, builds, and runs every test (lit, GoogleTest, the
# plugin example, the op-coverage check) through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j "$(nproc)"
