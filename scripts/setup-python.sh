#!/usr/bin/env bash
# Creates the test venv (.cache/venv) with the pinned packages of
# scripts/requirements-test.txt, then generates the ONNX node tests of that
# onnx release (.cache/onnx-1.23/node) and the onnx.reference oracle set
# (.cache/onnx-1.23/oracle). Idempotent: each step runs again only when its
# inputs changed. Needs PyPI (pip); the product itself does not.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${STRATA_VENV:-.cache/venv}
DATA=${STRATA_ONNX_DATA:-.cache/onnx-1.23}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

req_sum=$(sha256sum scripts/requirements-test.txt | cut -d' ' -f1)
if [ "$(cat "$VENV/.requirements" 2>/dev/null)" != "$req_sum" ]; then
  echo "setup-python: creating $VENV"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check \
    -r scripts/requirements-test.txt
  echo "$req_sum" >"$VENV/.requirements"
fi

gen_sum=$( (echo "$req_sum"; cat scripts/gen-onnx-node-tests.py) | sha256sum | cut -d' ' -f1)
if [ "$(cat "$DATA/.generated" 2>/dev/null)" != "$gen_sum" ]; then
  echo "setup-python: generating the onnx node tests and oracle set in $DATA"
  rm -rf "$DATA"
  "$VENV/bin/python" -W ignore scripts/gen-onnx-node-tests.py "$DATA"
  echo "$gen_sum" >"$DATA/.generated"
fi
echo "setup-python: $VENV and $DATA ready"
