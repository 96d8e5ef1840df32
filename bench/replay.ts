/**
 * bench/replay: `crm-sync replay` over a large generated log (issue 21 targets, 1,000,000 events:
 * node CPU at most 15 ms per 1,000 events, peak RSS under 300 MB). The log is generated once in
 * SQL (N linked opportunity pairs, then alternating monday stage changes and Salesforce amount
 * changes on them) into a template database; each run replays its own copy of it.
 *
 *   npx tsx bench/replay.ts [--events 1000000] [--pairs 10000] [--runs 1] [--base-build DIR] [--build DIR]
 *
 * The replay runs in a child process, as users run it: the compiled build (support/
 * service-build.ts) under plain node, with the heap settings bin/crm-sync.js gives `crm-sync
 * replay` (bin/heap-settings.js: its start-up flags on the node command line, as the launcher
 * re-runs node with them, and its run-time flags applied in the process before the code loads).
 * Its peak RSS is the kernel's high-water mark of that process; its CPU is the process's own
 * (user + system, all threads) from just before `replayProjection` to its end.
 *
 * A/B in one run: `--base-build DIR` names a build of another revision (a checkout where `npm run
 * build` was run, e.g. a `git worktree` of the commit before), and the runs alternate base, this
 * build, base, ... on copies of the same log, with that revision's own bin/heap-settings.js.
 * `--build DIR` uses a build made beforehand as "this build" instead of compiling src/ (quicker
 * when trying settings). BENCH_DEFAULT_HEAP=1 runs every child with V8's defaults instead; BENCH_CHILD_NODE_ARGS adds node
 * flags (e.g. `--cpu-prof`); BENCH_REPLAY_OPTIONS (JSON) passes `ReplayOptions` (e.g. a page size to try).
 * BENCH_ALLOCATION_PROFILE=DIR writes each child's allocation profile there (`<pid>.heapprofile`, opens in
 * Chrome DevTools' Memory tab): every allocation sampled, the ones collected since included, by the
 * function that made it (node's `--heap-prof` keeps only what is still alive at exit, which says
 * nothing of the garbage that makes replay's collections).
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { Pool } from 'pg';
import { saveCachedContext } from '../src/sync-projector/sync-context-cache';
import { EXAMPLE_MAPPING, sandboxSchemas } from '../test/support/sandbox-schemas';
import { cloneBenchDatabase, createBenchDatabase, type BenchDatabase } from './support/bench-database';
import { cpuBetween, cpuSnapshot, sampleBackendCpu } from './support/cpu-accounting';
import { numberOption, stringOption } from './support/bench-options';
import { generateReplayLog } from './support/replay-log';
import { log, report, round, type Row } from './support/bench-report';
import { buildService, existingBuild, type ServiceBuild } from './support/service-build';

const CHILD_PREFIX = 'REPLAY_CHILD ';
const THIS_HEAP_SETTINGS = resolve(__dirname, '../bin/heap-settings.js');

interface ChildResult {
  handled: number;
  wallMs: number;
  cpuMs: number;
  peakRss: number;
}

interface Variant {
  name: string;
  build: ServiceBuild;
  heapSettings: string;
}

async function main(): Promise<void> {
  const total = numberOption('events', 1_000_000);
  const pairs = numberOption('pairs', 10_000);
  const runs = numberOption('runs', 1);
  const baseDir = stringOption('base-build');
  const prebuilt = stringOption('build');
  if (!prebuilt) log('compiling src/ as npm run build does');
  const build = prebuilt ? existingBuild(prebuilt) : await buildService();
  const variants: Variant[] = [];
  if (baseDir) {
    const baseHeap = join(resolve(baseDir), 'bin/heap-settings.js');
    variants.push({ name: 'base', build: existingBuild(baseDir), heapSettings: existsSync(baseHeap) ? baseHeap : THIS_HEAP_SETTINGS });
  }
  variants.push({ name: 'this build', build, heapSettings: THIS_HEAP_SETTINGS });
  const template = await createBenchDatabase();
  const rows: Row[] = [];
  try {
    const pool = new Pool({ connectionString: template.url, max: 2 });
    try {
      await saveCachedContext(pool, { live: sandboxSchemas(), salesforceUsers: [], mondayUsers: [] });
      log(`generating ${total} events over ${pairs} linked pairs`);
      await generateReplayLog(pool, total, pairs);
      await pool.query('VACUUM ANALYZE events');
    } finally {
      await pool.end();
    }
    for (let run = 0; run < runs; run++) {
      for (const variant of variants) {
        rows.push(await measure(variant, template, pairs));
        log(JSON.stringify(rows[rows.length - 1]));
      }
    }
  } finally {
    build.remove();
    await template.drop();
  }
  const ours = rows.filter((row) => row.build === 'this build');
  report({
    bench: 'replay',
    targets: {
      'node_cpu_ms_per_1k <= 15': ours.every((row) => Number(row.node_cpu_ms_per_1k) <= 15),
      'peak_rss_mb < 300': ours.every((row) => Number(row.peak_rss_mb) < 300),
    },
    rows,
    notes: [
      'each run replays its own copy of the same generated log in a child process (compiled build, the heap settings of bin/crm-sync.js replay); decisions are pure, commands are dropped',
      'node_cpu_ms_per_1k and postgres_cpu_ms_per_1k are CPU time per 1,000 events (comparable across machine load); others_busy_pct is the share of the 2 cores used by work that is not this replay',
    ],
  });
}

async function measure(variant: Variant, template: BenchDatabase, pairs: number): Promise<Row> {
  const db = await cloneBenchDatabase(template);
  try {
    const loadBefore = loadavg()[0];
    const before = cpuSnapshot(null, db.name);
    // The child's backends end with it: sampled while they run (a backend's CPU counts from its start).
    const backends = sampleBackendCpu(db.name);
    const child = await runChild(variant, db.url);
    const backendMs = backends.stop();
    const cpu = cpuBetween(before, cpuSnapshot(null, db.name));
    const perThousand = (ms: number) => round((ms / child.handled) * 1000, 1);
    // The child is gone by now: its CPU comes from its own report, not /proc.
    const postgresMs = cpu.postgresMs + backendMs;
    const others = Math.max(0, cpu.otherMs - child.cpuMs - backendMs);
    return {
      build: variant.name,
      heap: process.env.BENCH_DEFAULT_HEAP ? 'V8 defaults' : heapFlagsOf(variant.heapSettings).join(' ') || 'V8 defaults',
      events: child.handled,
      pairs,
      seconds: round(child.wallMs / 1000, 1),
      events_per_s: Math.round(child.handled / (child.wallMs / 1000)),
      peak_rss_mb: round(child.peakRss / 2 ** 20, 0),
      node_cpu_ms_per_1k: perThousand(child.cpuMs),
      postgres_cpu_ms_per_1k: perThousand(postgresMs),
      others_busy_pct: round((others / cpu.capacityMs) * 100, 0),
      load_1m: `${round(loadBefore, 1)} -> ${round(cpu.loadAverage1m, 1)}`,
    };
  } finally {
    await db.drop();
  }
}

/** What `crm-sync replay` gets from bin/heap-settings.js: start-up flags (node's command line), then run-time ones. */
function heapFlagsOf(heapSettings: string): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const settings = require(heapSettings) as { startupFlagsFor?: (args: string[]) => string[]; heapFlagsFor: (args: string[]) => string[] };
  return [...(settings.startupFlagsFor?.(['replay']) ?? []), ...settings.heapFlagsFor(['replay'])];
}

function runChild(variant: Variant, databaseUrl: string): Promise<ChildResult> {
  const script = join(variant.build.dir, 'replay-child.js');
  writeFileSync(script, REPLAY_CHILD);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const settings = require(variant.heapSettings) as { startupFlagsFor?: (args: string[]) => string[] };
  const startup = process.env.BENCH_DEFAULT_HEAP ? [] : (settings.startupFlagsFor?.(['replay']) ?? []);
  const extra = (process.env.BENCH_CHILD_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const args = [...startup, ...extra, script];
  log(`${variant.name}: node ${args.join(' ')}`);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: variant.build.dir,
      env: { ...process.env, BENCH_DATABASE: databaseUrl, BENCH_MAPPING: EXAMPLE_MAPPING, BENCH_HEAP_SETTINGS: variant.heapSettings },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.once('exit', (code) => {
      const lines = out.split('\n');
      // Whatever else the child printed (--trace-gc) goes to stderr.
      for (const other of lines) if (other && !other.startsWith(CHILD_PREFIX)) process.stderr.write(`${other}\n`);
      const line = lines.find((l) => l.startsWith(CHILD_PREFIX));
      if (code !== 0 || !line) return reject(new Error(`replay child exited with ${code}: ${out.slice(-2000)}`));
      resolvePromise(JSON.parse(line.slice(CHILD_PREFIX.length)) as ChildResult);
    });
  });
}

/** What `crm-sync replay` does (src/cli/commands/replay.command.ts, encryption off), against the compiled dist/. */
const REPLAY_CHILD = `'use strict';
// What bin/crm-sync.js does first for \`crm-sync replay\` (its start-up flags are on this node's command line).
if (!process.env.BENCH_DEFAULT_HEAP) require(process.env.BENCH_HEAP_SETTINGS).applyHeapSettings(['replay']);
require('reflect-metadata');
const { Pool } = require('pg');
const { loadMapping } = require('./dist/mapping');
const { replayProjection } = require('./dist/migration/replay');
// Exit (not die) on SIGTERM, so --cpu-prof / --heap-prof still write their profile.
process.once('SIGTERM', () => process.exit(143));
if (process.env.BENCH_ALLOCATION_PROFILE) {
  // Inspector calls in the process itself complete synchronously, so the profile is written on exit.
  const session = new (require('node:inspector').Session)();
  session.connect();
  session.post('HeapProfiler.enable');
  session.post('HeapProfiler.startSampling', { samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  process.once('exit', () => session.post('HeapProfiler.stopSampling', (error, result) => {
    if (!error) require('node:fs').writeFileSync(require('node:path').join(process.env.BENCH_ALLOCATION_PROFILE, process.pid + '.heapprofile'), JSON.stringify(result.profile));
  }));
}
(async () => {
  const url = process.env.BENCH_DATABASE;
  const pool = new Pool({ connectionString: url, max: 4, application_name: 'crm-sync replay' });
  const mapping = loadMapping(process.env.BENCH_MAPPING);
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  // BENCH_REPLAY_OPTIONS (JSON): ReplayOptions to try, e.g. {"pageSize": 2000}; none: the command's defaults.
  const result = await replayProjection(pool, url, mapping, undefined, JSON.parse(process.env.BENCH_REPLAY_OPTIONS || '{}'));
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const cpu = process.cpuUsage(cpuBefore);
  const peakRss = process.resourceUsage().maxRSS * 1024;
  await pool.end();
  process.stdout.write('${CHILD_PREFIX}' + JSON.stringify({ handled: result.handled, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, peakRss }) + '\\n');
})().catch((error) => {
  process.stderr.write(String(error && error.stack || error) + '\\n');
  process.exit(1);
});
`;

void main();
