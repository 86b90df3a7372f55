#!/usr/bin/env bash
# Conformance with ngrok's official Python client, through the emulator's
# own Python package: builds the package's wheel (the `ngrok-api-mock`
# command and the `ngrok_api_mock` module with its pytest plugin), installs
# it with the pinned client into a fresh virtualenv under target/, and runs
# the pytest suite beside this script. The plugin's `ngrok_api_mock` fixture
# starts the emulator; nothing here does.
#
# Extra arguments go to pytest (e.g. `tests/python/run.sh -k ip_policies -x`).
# PYTHON picks the interpreter (default python3).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

PYTHON="${PYTHON:-python3}"
WORK="$ROOT/target/python-conformance"
TOOLS="$WORK/tools"
VENV="$WORK/venv"
WHEELS="$WORK/wheels"
MATURIN=maturin==1.16.0
PINS=(ngrok-api==0.19.0 pytest==9.2.0)

# The build tool lives in a virtualenv of its own, kept between runs.
if [ ! -x "$TOOLS/bin/maturin" ]; then
  echo "==> installing $MATURIN"
  "$PYTHON" -m venv "$TOOLS"
  "$TOOLS/bin/python" -m pip install --quiet --disable-pip-version-check "$MATURIN"
fi

# The dev profile shares its build with `cargo build -p ngrok-api-mock`, so
# CI compiles the emulator once; `pip install ./ngrok-api-mock` builds the
# same wheel in release.
echo "==> building the wheel"
rm -rf "$WHEELS"
"$TOOLS/bin/maturin" build --quiet --profile dev --strip -m ngrok-api-mock/Cargo.toml -o "$WHEELS"
WHEEL="$(ls "$WHEELS"/ngrok_api_mock-*.whl)"

echo "==> installing $(basename "$WHEEL") and ${PINS[*]} into a fresh virtualenv"
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$WHEEL" "${PINS[@]}"

cd "$WORK"
status=0
"$VENV/bin/python" -m pytest "$HERE" -p no:cacheprovider -q -rfE "$@" || status=$?
if [ "$status" -eq 0 ] && [ "$#" -eq 0 ]; then
  echo "==> a test file with only the fixture, no conftest.py"
  "$VENV/bin/python" -m pytest "$HERE/example" --noconftest -p no:cacheprovider -q -rfE || status=$?
fi
exit "$status"
