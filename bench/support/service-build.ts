import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '../..');

export interface ServiceBuild {
  /** The compiled CLI entry point, what `npm start` runs (bin/crm-sync.js requires dist/cli/main.js). */
  entry: string;
  remove(): void;
}

/**
 * Compiles src/ as `npm run build` does, but into a temporary directory, so the bench measures the
 * service as it runs in production (plain JavaScript, no tsx loader: ~40 MiB less RSS) without
 * touching the checkout's dist/. migrations/ and node_modules/ are linked beside it.
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
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { entry: join(dir, 'dist/cli/main.js'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
