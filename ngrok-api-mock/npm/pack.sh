#!/usr/bin/env bash
# Packs the npm package with the emulator built for this platform:
#   ngrok-api-mock/npm/pack.sh [--profile release|dev] [--binary FILE] [--out DIR]
# Builds the binary with cargo (release by default) unless --binary names
# one, stages the package under target/npm-package, and writes
# ngrok-api-mock-<version>.tgz to DIR (default target/npm). Prints the
# tarball's path last.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# Where cargo puts what it builds: CARGO_TARGET_DIR when set, as cargo does.
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
PROFILE=release
BIN=""
OUT="$ROOT/target/npm"
while [ $# -gt 0 ]; do
  case "$1" in
    --profile) PROFILE="$2"; shift 2 ;;
    --binary) BIN="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    *) echo "pack.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ -z "$BIN" ]; then
  (cd "$ROOT" && cargo build --quiet --profile "$PROFILE" -p ngrok-api-mock)
  dir="$PROFILE"; [ "$PROFILE" = dev ] && dir=debug
  BIN="$TARGET/$dir/ngrok-api-mock"
fi
[ -x "$BIN" ] || { echo "pack.sh: $BIN is not an executable" >&2; exit 1; }
PLATFORM="$(node -p 'process.platform + "-" + process.arch')"
STAGE="$ROOT/target/npm-package"
rm -rf "$STAGE"
mkdir -p "$STAGE/native/$PLATFORM" "$OUT"
cp -R "$HERE/package.json" "$HERE/index.js" "$HERE/index.d.ts" "$HERE/README.md" "$HERE/bin" "$STAGE/"
cp "$BIN" "$STAGE/native/$PLATFORM/ngrok-api-mock"
strip "$STAGE/native/$PLATFORM/ngrok-api-mock" 2>/dev/null || true
chmod 755 "$STAGE/native/$PLATFORM/ngrok-api-mock"
(cd "$STAGE" && npm pack --silent --pack-destination "$OUT" >/dev/null)
VERSION="$(node -p "require('$STAGE/package.json').version")"
echo "$OUT/ngrok-api-mock-$VERSION.tgz"
