/**
 * bench/run-all: every bench/*.ts except this one, one after another, each as its own child process
 * (`node --import tsx bench/<name>.ts`), then the JSON line each printed: the `BENCH_RESULT {...}`
 * line of support/bench-report.ts, or else any stdout line that is a JSON object.
 * A bench that fails is reported and the others still run; the exit code says whether all succeeded.
 *
 *   npx tsx bench/run-all.ts [--only ingest,subscription]
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { JSON_LINE_PREFIX } from './support/bench-report';

/** Generous per-bench limit: benches are bounded themselves; this only catches a hang. */
const BENCH_TIMEOUT_MS = 15 * 60_000;

interface Outcome {
  bench: string;
  exitCode: number | null;
  json: string[];
}

async function main(): Promise<void> {
  const onlyIndex = process.argv.indexOf('--only');
  const only = onlyIndex >= 0 ? new Set((process.argv[onlyIndex + 1] ?? '').split(',')) : null;
  const benches = readdirSync(__dirname)
    .filter((file) => file.endsWith('.ts') && file !== basename(__filename))
    .map((file) => file.replace(/\.ts$/, ''))
    .filter((name) => only === null || only.has(name))
    .sort();
  const outcomes: Outcome[] = [];
  for (const bench of benches) {
    process.stderr.write(`\n=== bench/${bench}.ts ===\n`);
    outcomes.push(await runBench(bench));
  }
  process.stdout.write('\n=== results (one JSON line per bench) ===\n');
  for (const outcome of outcomes) {
    if (outcome.json.length > 0) for (const line of outcome.json) process.stdout.write(`${line}\n`);
    else process.stdout.write(`${JSON.stringify({ bench: outcome.bench, error: `exited with ${outcome.exitCode} without a result line` })}\n`);
  }
  const failed = outcomes.filter((o) => o.exitCode !== 0);
  if (failed.length > 0) {
    process.stderr.write(`failed: ${failed.map((o) => o.bench).join(', ')}\n`);
    process.exitCode = 1;
  }
}

function runBench(bench: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, `${bench}.ts`)], {
      cwd: join(__dirname, '..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const json: string[] = [];
    const plain: string[] = [];
    const collect = (line: string): void => {
      if (line.startsWith(JSON_LINE_PREFIX)) json.push(line.slice(JSON_LINE_PREFIX.length));
      else if (line.startsWith('{') && isJsonObject(line)) plain.push(line);
    };
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) collect(line);
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), BENCH_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      collect(pending);
      resolve({ bench, exitCode: code, json: json.length > 0 ? json : plain });
    });
  });
}

function isJsonObject(line: string): boolean {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
