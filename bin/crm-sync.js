#!/usr/bin/env node
'use strict';
// Thin launcher: the compiled CLI lives in dist/ (built by `npm run build`, which `npm start` runs first).
// Heap settings some commands need (the backfill's, see heap-settings.js) are applied before it loads.
require('./heap-settings').applyHeapSettings(process.argv.slice(2));
require('../dist/cli/main.js').main(process.argv);
