import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import type { ConvergenceResult } from '../support/convergence-scenario';
import globalSetup from '../support/global-setup';
import globalTeardown from '../support/global-teardown';
import { startPrivatePostgres } from '../support/private-postgres';

/**
 * `npm run campaign -- --seeds N [--from S] [--seed-timeout SECONDS]`: the randomized convergence
 * scenario once per seed S, S+1, ... in a row, each in its own process bounded in time. Prints
 * `seed S: passed` or `seed S: failed <reason>` per seed and closes with exactly `N passed, M failed`;
 * a failure's seed, last actions and full message go to stderr. Exit code 1 when any seed failed.
 *
 * It runs on its own Postgres: TEST_DATABASE_URL when set, else a private server (initdb in a temp
 * dir) so that no other transaction on a shared server makes its reads wait.
 */
const DEFAULT_SEED_TIMEOUT_S = 360;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { seeds: { type: 'string' }, from: { type: 'string', default: '1' }, 'seed-timeout': { type: 'string', default: String(DEFAULT_SEED_TIMEOUT_S) } },
  });
  const seeds = Number(values.seeds);
  const from = Number(values.from);
  const timeoutMs = Number(values['seed-timeout']) * 1000;
  if (!Number.isInteger(seeds) || seeds < 1 || !Number.isInteger(from) || from < 0 || !(timeoutMs > 0)) {
    throw new Error('usage: npm run campaign -- --seeds N [--from S] [--seed-timeout SECONDS] (N >= 1, S >= 0)');
  }
  // The test database module reads TEST_DATABASE_URL when loaded: without one, the campaign runs
  // itself again with its private server's.
  if (!process.env.TEST_DATABASE_URL) return withPrivatePostgres();
  let passed = 0;
  let failed = 0;
  try {
    await globalSetup();
    for (let seed = from; seed < from + seeds; seed++) {
      const result = await runSeed(seed, timeoutMs);
      if (result.passed) {
        passed += 1;
        process.stdout.write(`seed ${seed}: passed\n`);
      } else {
        failed += 1;
        process.stdout.write(`seed ${seed}: failed ${result.reason}\n`);
        process.stderr.write(`${result.failure}\n\n`);
      }
    }
  } finally {
    await globalTeardown().catch(() => undefined);
  }
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}

async function withPrivatePostgres(): Promise<number> {
  const server = await startPrivatePostgres();
  try {
    return await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', __filename, ...process.argv.slice(2)], { env: { ...process.env, TEST_DATABASE_URL: server.url() }, stdio: 'inherit' });
      child.on('close', (code) => resolve(code ?? 2));
    });
  } finally {
    server.destroy();
  }
}

/** One seed in a child process, killed (by its pid) when it outlives the timeout. */
function runSeed(seed: number, timeoutMs: number): Promise<ConvergenceResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/campaign/convergence-seed.ts', String(seed)], {
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const lines = stdout.trim().split('\n');
      const result = timedOut ? null : resultOf(lines.at(-1) ?? '');
      // What the seed printed besides its result (CONVERGENCE_DEBUG's histories) goes to stderr.
      const printed = result ? lines.slice(0, -1) : lines;
      if (printed.length > 0 && printed.join('') !== '') process.stderr.write(`${printed.join('\n')}\n`);
      if (timedOut) return resolve(failure(seed, `did not finish within ${timeoutMs / 1000} s`, stderr));
      resolve(result ?? failure(seed, `the seed's process exited with code ${code} and no result; its last output: ${lastWords(printed, stderr)}`, stderr));
    });
  });
}

function resultOf(line: string): ConvergenceResult | null {
  try {
    const parsed = JSON.parse(line) as Partial<ConvergenceResult>;
    return typeof parsed === 'object' && parsed !== null && typeof parsed.passed === 'boolean' ? (parsed as ConvergenceResult) : null;
  } catch {
    return null;
  }
}

/** A seed without a result line: its last line of stderr (a crash) or of stdout, for the one-line reason. */
function lastWords(stdout: string[], stderr: string): string {
  const line = stderr.trim().split('\n').at(-1) || stdout.at(-1) || '(nothing)';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

function failure(seed: number, reason: string, stderr: string): ConvergenceResult {
  return { passed: false, reason, failure: `convergence failed with CONVERGENCE_SEED=${seed}: ${reason}\n${stderr.slice(-4000)}` };
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
