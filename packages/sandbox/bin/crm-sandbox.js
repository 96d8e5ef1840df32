#!/usr/bin/env node
'use strict';
// Thin launcher: the compiled emulators live in dist/ (`npm run build` in this package, or the
// root `npm run build`, which builds this package first).
require('../dist/cli.js')
  .main(process.argv.slice(2))
  .catch((error) => {
    process.stderr.write(`crm-sandbox: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
