#!/usr/bin/env node
'use strict';
// Thin launcher: the compiled CLI lives in dist/ (built by `npm run build`, which `npm start` runs first).
require('../dist/cli/main.js').main(process.argv);
