#!/usr/bin/env node
// The `ngrok-api-mock` command: runs the emulator binary shipped in this
// package with the same arguments, passing on stop signals and its exit status.
'use strict';
const { spawn } = require('node:child_process');
const { binaryPath } = require('..');

let exe;
try {
  exe = binaryPath();
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
const child = spawn(exe, process.argv.slice(2), { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => child.kill(sig));
}
child.on('error', (e) => {
  console.error(`ngrok-api-mock: cannot run ${exe}: ${e.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  process.exit(code === null ? 128 + (require('node:os').constants.signals[signal] || 0) : code);
});
