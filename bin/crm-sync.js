#!/usr/bin/env node
'use strict';
// Thin launcher: the compiled CLI lives in dist/ (built by `npm run build`, which `npm start` runs first).
// Heap settings some commands need (see heap-settings.js) are applied before it loads.
const { applyHeapSettings, startupFlagsFor } = require('./heap-settings');

const args = process.argv.slice(2);
const missing = startupFlagsFor(args).filter((flag) => !process.execArgv.includes(flag));
if (missing.length > 0) {
  // V8 reads these only when a process starts: run node again with them and wait for it, passing
  // signals on and exiting as it exits (the command's output goes straight to this terminal).
  const { spawn } = require('node:child_process');
  const child = spawn(process.execPath, [...process.execArgv, ...missing, __filename, ...args], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.once('error', (error) => {
    process.stderr.write(`crm-sync: could not start node: ${error.message}\n`);
    process.exit(1);
  });
  child.once('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
} else {
  applyHeapSettings(args);
  require('../dist/cli/main.js').main(process.argv);
}
