#!/usr/bin/env bash
# Conformance with ngrok's official Python client: builds and starts the
# emulator, installs the pinned client into a virtualenv under target/, and
# runs the pytest suite beside this script against the emulator.
#
# Extra arguments go to pytest (e.g. `tests/python/run.sh -k ip_policies -x`).
# PYTHON picks the interpreter (default python3).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

PYTHON="${PYTHON:-python3}"
VENV="$ROOT/target/python-conformance/venv"
PINS=(ngrok-api==0.19.0 pytest==9.2.0)
API_KEY="conformance-key"

if [ ! -x "$VENV/bin/python" ]; then
  echo "==> creating a virtualenv in target/python-conformance/venv"
  "$PYTHON" -m venv "$VENV"
fi
STAMP="$VENV/.pins"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "${PINS[*]}" ]; then
  echo "==> installing ${PINS[*]}"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${PINS[@]}"
  echo "${PINS[*]}" > "$STAMP"
fi

echo "==> building the emulator"
cargo build --quiet -p ngrok-api-mock
BIN="$ROOT/target/debug/ngrok-api-mock"

WORK="$(mktemp -d)"
MOCK_PID=""
cleanup() {
  if [ -n "$MOCK_PID" ] && kill -0 "$MOCK_PID" 2>/dev/null; then
    kill "$MOCK_PID" 2>/dev/null || true
    wait "$MOCK_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

echo "==> starting the emulator"
# The suite writes every service, edges included: an account that still may.
"$BIN" --port 0 --api-key "$API_KEY" --legacy-writes > "$WORK/stdout" 2> "$WORK/stderr" &
MOCK_PID=$!

URL=""
for _ in $(seq 1 100); do
  if ! kill -0 "$MOCK_PID" 2>/dev/null; then
    echo "the emulator exited before it was ready:" >&2
    cat "$WORK/stderr" >&2
    exit 1
  fi
  line="$(head -n 1 "$WORK/stdout" 2>/dev/null || true)"
  case "$line" in
    http://*) URL="$line"; break ;;
  esac
  sleep 0.1
done
if [ -z "$URL" ]; then
  echo "the emulator printed no URL within 10 s" >&2
  exit 1
fi

ready=""
for _ in $(seq 1 100); do
  if "$VENV/bin/python" - "$URL" <<'PY' 2>/dev/null
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1] + "/__mock/health", timeout=2) as r:
    sys.exit(0 if r.status == 200 else 1)
PY
  then
    ready=1
    break
  fi
  sleep 0.1
done
if [ -z "$ready" ]; then
  echo "the emulator at $URL did not answer within 10 s" >&2
  exit 1
fi
echo "==> emulator ready at $URL"

status=0
NGROK_MOCK_URL="$URL" NGROK_MOCK_API_KEY="$API_KEY" \
  "$VENV/bin/python" -m pytest "$HERE" -p no:cacheprovider -q -rfE "$@" || status=$?
exit "$status"
