#!/usr/bin/env bash
# Conformance with ngrok's own Rust crate (ngrok-api 0.12.1 from crates.io):
# builds the emulator binary in the workspace, then this standalone project
# into the same target directory, and runs it. The program starts the
# emulator (with --legacy-writes, for the edge services) and drives every
# service the crate can write; it exits non-zero on the first service that
# fails, after trying them all.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

# One target directory for both builds: CARGO_TARGET_DIR when set, as cargo
# does, else the workspace's.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
cargo build --quiet -p ngrok-api-mock
NGROK_API_MOCK_BIN="$CARGO_TARGET_DIR/debug/ngrok-api-mock" \
  cargo run --quiet --locked --manifest-path "$HERE/Cargo.toml" -- "$@"
