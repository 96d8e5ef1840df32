/**
 * bench/replay-read: the CPU of replay's page read alone (`readLogPages` over bench/replay's log,
 * nothing done with the pages), node's and the Postgres backend's, for A/B of builds of the event
 * store in one process. The log (support/replay-log.ts) is generated once into a bench database;
 * the builds alternate pass by pass, each on its own pool (one connection, as replay's reads take).
 * The first pass of each build is a warm-up and is not counted in the means.
 *
 *   npx tsx bench/replay-read.ts --builds /tmp/base-X,/tmp/build-Y [--events 200000] [--pairs 10000] [--rounds 3]
 *
 * Each build is a directory holding dist/ compiled from some revision (tsc -p tsconfig.build.json).
 */
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { Pool } from 'pg';
import { createBenchDatabase } from './support/bench-database';
import { sampleBackendCpu } from './support/cpu-accounting';
import { numberOption, stringOption } from './support/bench-options';
import { generateReplayLog } from './support/replay-log';

type ReadLogPages = (pool: Pool, pageSize: number) => AsyncGenerator<unknown[]>;

async function pass(readLogPages: ReadLogPages, url: string, database: string): Promise<{ events: number; nodeMs: number; postgresMs: number }> {
  const pool = new Pool({ connectionString: url, max: 2 });
  try {
    await pool.query('SELECT 1');
    const backend = sampleBackendCpu(database, 100);
    const before = process.cpuUsage();
    let events = 0;
    for await (const page of readLogPages(pool, 1_000)) events += page.length;
    const cpu = process.cpuUsage(before);
    const postgresMs = backend.stop();
    return { events, nodeMs: (cpu.user + cpu.system) / 1000, postgresMs };
  } finally {
    await pool.end();
  }
}

async function main(): Promise<void> {
  const builds = (stringOption('builds') ?? '').split(',').filter(Boolean);
  if (builds.length === 0) throw new Error('--builds DIR[,DIR...]: directories holding dist/ of the revisions to compare');
  const total = numberOption('events', 200_000);
  const pairs = numberOption('pairs', 10_000);
  const rounds = numberOption('rounds', 3);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const readers = builds.map((dir) => (require(join(resolve(dir), 'dist/event-store/read-log-pages')) as { readLogPages: ReadLogPages }).readLogPages);
  const db = await createBenchDatabase();
  try {
    const pool = new Pool({ connectionString: db.url });
    await generateReplayLog(pool, total, pairs);
    await pool.query('VACUUM ANALYZE events');
    await pool.end();
    const results = builds.map(() => ({ node: [] as number[], postgres: [] as number[] }));
    for (let round = 0; round <= rounds; round++) {
      for (let i = 0; i < builds.length; i++) {
        const load = loadavg()[0];
        const { events, nodeMs, postgresMs } = await pass(readers[i], db.url, db.name);
        const node = nodeMs / (events / 1000);
        const postgres = postgresMs / (events / 1000);
        if (round > 0) {
          results[i].node.push(node);
          results[i].postgres.push(postgres);
        }
        process.stdout.write(`${round === 0 ? 'warm-up' : `round ${round}`} ${builds[i]}: ${events} events, node ${node.toFixed(2)} ms, Postgres ${postgres.toFixed(2)} ms per 1,000 events (load ${load.toFixed(1)})\n`);
      }
    }
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    builds.forEach((dir, i) => process.stdout.write(`mean ${dir}: node ${mean(results[i].node).toFixed(2)} ms, Postgres ${mean(results[i].postgres).toFixed(2)} ms per 1,000 events\n`));
  } finally {
    await db.drop();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
