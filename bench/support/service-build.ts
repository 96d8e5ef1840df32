import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '../..');

export interface ServiceBuild {
  /** The compiled twin of support/service-entry.ts (startService alone, no sandbox, no sync engine). */
  entry: string;
  /** The temporary directory: also the service's working directory, so nothing lands in the checkout. */
  dir: string;
  remove(): void;
}

/**
 * Compiles src/ as `npm run build` does, but into a temporary directory, so the bench measures the
 * service as it runs in production (plain JavaScript, no tsx loader: ~40 MiB less RSS) without
 * touching the checkout's dist/. migrations/ and node_modules/ are linked beside it, and a small
 * entry script starts the service as support/service-entry.ts does.
 */
export async function buildService(): Promise<ServiceBuild> {
  const dir = mkdtempSync(join(tmpdir(), 'crm-sync-bench-build-'));
  try {
    await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(dir, 'dist')], {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: { stdout?: string }) => {
      // tsc still emits when other files have type errors; a missing entry point is caught below.
      process.stderr.write(`[bench] tsc reported problems (emitting anyway):\n${(error.stdout ?? '').split('\n').slice(0, 10).join('\n')}\n`);
    });
    symlinkSync(join(ROOT, 'migrations'), join(dir, 'migrations'));
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    writeFileSync(join(dir, 'service-entry.js'), COMPILED_ENTRY);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { entry: join(dir, 'service-entry.js'), dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A build made beforehand (a directory holding dist/ compiled from some revision, with node_modules/
 * and migrations/ beside it), kept after the run: for A/B runs of two revisions on the same machine
 * in the same hour (`bench/ingest.ts --service-build DIR`).
 */
export function existingBuild(dir: string): ServiceBuild {
  const root = resolve(dir);
  if (!existsSync(join(root, 'dist/app/start-service.js'))) throw new Error(`${root} has no dist/app/start-service.js`);
  for (const linked of ['migrations', 'node_modules']) if (!existsSync(join(root, linked))) symlinkSync(join(ROOT, linked), join(root, linked));
  writeFileSync(join(root, 'service-entry.js'), COMPILED_ENTRY);
  return { entry: join(root, 'service-entry.js'), dir: root, remove: () => undefined };
}

/** support/service-entry.ts against the compiled dist/. */
const COMPILED_ENTRY = `'use strict';
require('reflect-metadata');
const { startService, stopOnSignals } = require('./dist/app/start-service');
const { loadConfig } = require('./dist/config');
const { createLogger } = require('./dist/observability/logger');
(async () => {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, secretValues: config.secretValues });
  const service = await startService(config, { logger });
  stopOnSignals(service, logger);
})().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + '\\n');
  process.exit(1);
});
`;
