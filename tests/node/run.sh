#!/usr/bin/env bash
# ngrok's official TypeScript client against the emulator through its npm
# package: packs the package (with the dev build of the emulator, which
# CI has already compiled), installs the tarball and the pinned client into
# a scratch project under target/, as a user would, and runs the node:test
# suite beside this script there.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CLIENT=@ngrok/ngrok-api@0.11.0
WORK="$ROOT/target/node-conformance"

echo "==> packing the npm package"
TARBALL="$("$ROOT/ngrok-api-mock/npm/pack.sh" --profile dev --out "$WORK/dist" | tail -n 1)"

echo "==> installing $(basename "$TARBALL") and $CLIENT into a scratch project"
rm -rf "$WORK/project"
mkdir -p "$WORK/project"
cd "$WORK/project"
printf '{ "name": "uses-ngrok-api-mock", "private": true, "type": "module" }\n' > package.json
npm install --silent --no-audit --no-fund "$TARBALL" "$CLIENT"
cp "$HERE"/*.test.mjs .

echo "==> node --test"
node --test --test-reporter=spec ./*.test.mjs
