/**
 * bench/backfill: N Salesforce Leads into monday through `crm-sync backfill` (SOQL COUNT(), Bulk
 * API 2.0 above 10,000, snapshot events, the sync projector and the outbox dispatcher) against the
 * two emulators, with monday's real complexity rules (10M points per minute, create_item 10,000:
 * a ceiling of 1,000 items per budget minute) and the monday clock sped up `scale` times, so a
 * budget minute passes in 60/scale real seconds.
 *
 *   npx tsx bench/backfill.ts [--records 40000,100000] [--scale 20] [--paths mutations,bulk]
 *
 * Each count runs twice on the same seeded data, side by side: `--mode mutations` (create_item
 * mutations, monday API 2025-10 as before) and `--mode bulk` (monday API 2026-10, an admin token, a
 * board new to crm-sync: backfill_items jobs of 20,000 rows). For the bulk path the emulated minutes
 * are the jobs' own (each from its start to its last status read, at the emulator's 500 rows per
 * emulated second); "first to last write" adds crm-sync's reading and projecting between jobs.
 * "jobs" counts ingest_items + backfill_items calls.
 *
 * The backfill runs in a child process, as users run it: the compiled build (bench/support/
 * service-build.ts compiles src/ into a temporary directory) under plain node, with the heap
 * settings bin/crm-sync.js applies to `crm-sync backfill` (bin/heap-settings.js, applied the same
 * way: in the process, before the CLI loads); its peak RSS is its own, not the emulators'
 * (which hold every record and item in memory). Figures:
 * - items per budget minute (items / emulated minutes from the first to the last create), as a
 *   fraction of the 1,000 ceiling; and the stricter items / (those minutes rounded up x 1,000);
 * - monday requests per item, Salesforce requests per record (the org's API usage counter);
 * - COMPLEXITY_BUDGET_EXHAUSTED answers (target: none), peak RSS of the backfill process (the
 *   kernel's high-water mark, so no spike between samples is missed);
 * - the load average when each run starts and ends: other work on the machine shows in the fraction.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { heapFlagsFor } from '../bin/heap-settings';
import { ScaledClock } from '@crm-sync/sandbox';
import { DEMO_BOARDS, startMondayEmulator } from '@crm-sync/sandbox';
import { startSalesforceEmulator } from '@crm-sync/sandbox';
import { createBenchDatabase } from './support/bench-database';
import { numberListOption, numberOption, stringOption } from './support/bench-options';
import { log, report, round, type Row } from './support/bench-report';
import { buildService, type ServiceBuild } from './support/service-build';

const MAPPING = resolve(__dirname, '../examples/nonprofit-leads.yaml');
const HEAP_SETTINGS = resolve(__dirname, '../bin/heap-settings.js');
const CHILD_PREFIX = 'BACKFILL_CHILD ';
const CEILING_PER_MINUTE = 10_000_000 / 10_000;

async function main(): Promise<void> {
  const counts = numberListOption('records', [40_000, 100_000]);
  const scale = numberOption('scale', 20);
  const paths = (stringOption('paths') ?? 'mutations,bulk').split(',') as Array<'mutations' | 'bulk'>;
  if (paths.some((p) => p !== 'mutations' && p !== 'bulk')) throw new Error(`--paths takes mutations and/or bulk, got ${paths.join(',')}`);
  log('compiling src/ as npm run build does');
  const build = await buildService();
  const rows: Row[] = [];
  try {
    for (const records of counts) {
      for (const path of paths) {
        rows.push(await measure(build, records, scale, path));
        log(JSON.stringify(rows[rows.length - 1]));
      }
    }
  } finally {
    build.remove();
  }
  const main40k = rows[0];
  const mutationRows = rows.filter((r) => r.path === 'mutations');
  const bulkRows = rows.filter((r) => r.path === 'bulk');
  const speedup = (r: Row): number => {
    const twin = mutationRows.find((m) => m.records === r.records);
    return twin ? Number(r['items/budget-min']) / Math.max(1, Number(twin['items/budget-min'])) : NaN;
  };
  for (const r of bulkRows) r['x mutation items/budget-min'] = round(speedup(r), 1);
  for (const r of bulkRows) r['x mutation ceiling'] = round(Number(r['items/budget-min']) / CEILING_PER_MINUTE, 1);
  report({
    bench: 'backfill',
    targets: {
      'mutations: fraction of budget ceiling >= 0.95': mutationRows.every((r) => Number(r['budget fraction']) >= 0.95),
      'no COMPLEXITY_BUDGET_EXHAUSTED': rows.every((r) => r['budget exhausted'] === 0),
      'mutations: monday requests per item <= 0.05': mutationRows.every((r) => Number(r['monday req/item']) <= 0.05),
      'bulk: 100,000 Leads in <= 6 jobs and <= 50 monday requests': bulkRows.filter((r) => r.records === 100_000).every((r) => Number(r.jobs) <= 6 && Number(r['monday requests']) <= 50),
      'bulk: >= 10x the mutation path items per budget-minute (same run)': bulkRows.every((r) => !(speedup(r) < 10)),
      'bulk: >= 10x the mutation ceiling (1,000 items/budget-min)': bulkRows.every((r) => Number(r['items/budget-min']) >= 10 * CEILING_PER_MINUTE),
      'peak RSS < 300 MB': rows.every((r) => Number(r['peak RSS MB']) < 300),
    },
    rows,
    notes: [
      `monday clock x${scale}: a budget minute passes in ${round(60 / scale, 1)} real s; default budget 10M points/min, create_item 10,000 points`,
      `budget fraction = items per emulated minute (first to last create) / ${CEILING_PER_MINUTE}; whole windows = items / (ceil(minutes) x ${CEILING_PER_MINUTE})`,
      'at clock xN every real millisecond of the pipeline costs N emulated ones, so the fraction understates what real time (x1) gives',
      'bulk items/budget-min is by job time (each job from its start to its last status read): the minutes monday works on the load; between jobs crm-sync reads and projects, spending no monday budget, and at clock xN that time is the machine\'s load times N. "emulated min, first to last write" is the whole run',
      'x mutation items/budget-min compares with the mutation row of the same run (pipeline-bound on a loaded machine); x mutation ceiling with the 1,000 items per minute mutations can reach at best',
      `peak RSS is the backfill process's own (emulators run in the parent); compare rows to see whether it grows with the count (first row: ${String(main40k?.records)})`,
    ],
  });
}

async function measure(build: ServiceBuild, records: number, scale: number, path: 'mutations' | 'bulk'): Promise<Row> {
  const db = await createBenchDatabase();
  const sf = await startSalesforceEmulator({ seed: 'empty', dailyApiLimit: 1_000_000, bulkQueryPageSize: 10_000 });
  const clock = new ScaledClock(scale);
  const monday = await startMondayEmulator({ seed: 'demo', clock, integrationUserIsAdmin: path === 'bulk' });
  try {
    log(`seeding ${records} Leads`);
    for (let start = 0; start < records; start += 10_000) {
      sf.control.seed(
        Array.from({ length: Math.min(10_000, records - start) }, (_, k) => {
          const i = start + k;
          return {
            type: 'Lead',
            fields: {
              FirstName: 'Pat',
              LastName: `Bench ${i}`,
              Company: `Bench Org ${i}`,
              Email: `bench${i}@example.org`,
              City: `City ${i % 97}`,
              Title: 'Director',
              Role__c: 'Partner',
              CreatedDate: '2025-01-15T10:00:00.000Z',
            },
          };
        }),
      );
    }
    monday.control.clearRequestLog();
    const usageBefore = sf.control.apiUsage().used;
    const env = {
      BENCH_DATABASE: db.url,
      BENCH_SF_URL: sf.url,
      BENCH_SF_CLIENT_ID: sf.credentials.clientId,
      BENCH_SF_CLIENT_SECRET: sf.credentials.clientSecret,
      BENCH_SF_USERNAME: sf.credentials.username,
      BENCH_SF_PASSWORD: sf.credentials.password,
      BENCH_MONDAY_URL: monday.url,
      BENCH_MONDAY_TOKEN: monday.apiToken,
      BENCH_SCALE: String(scale),
      BENCH_MAPPING: MAPPING,
      BENCH_MODE: path,
      BENCH_MONDAY_API_VERSION: path === 'bulk' ? '2026-10' : '2025-10',
    };
    log(`backfill of ${records} Leads in a child process, --mode ${path}`);
    const loadBefore = loadavg()[0];
    const result = await runChild(build, env);
    const loadAfter = loadavg()[0];
    const sfRequests = sf.control.apiUsage().used - usageBefore;
    const entries = monday.control.requestLog();
    const creates = entries.filter((e) => e.fields.includes('create_item') && e.status === 200);
    const jobs = entries.filter((e) => (e.fields.includes('backfill_items') || e.fields.includes('ingest_items')) && e.status === 200);
    const statuses = entries.filter((e) => e.fields.includes('fetch_job_status') && e.status === 200);
    // Bulk: the minutes monday spent on the jobs, each from its start to the last status read before
    // the next job (the reads and projection between jobs are crm-sync's time, not monday's budget).
    const jobMinutes = jobs.reduce((sum, job, k) => {
      const end = statuses.filter((e) => e.at >= job.at && (k + 1 >= jobs.length || e.at < (jobs[k + 1]?.at ?? ''))).at(-1);
      return sum + (end ? (Date.parse(end.at) - Date.parse(job.at)) / 60_000 : 0);
    }, 0);
    const span = path === 'bulk' ? [jobs[0], statuses[statuses.length - 1]] : [creates[0], creates[creates.length - 1]];
    const spanMinutes = (Date.parse(span[1]?.at ?? '') - Date.parse(span[0]?.at ?? '')) / 60_000;
    const minutes = path === 'bulk' ? jobMinutes : spanMinutes;
    const windows = Math.max(1, Math.ceil(minutes));
    const lookups = entries.filter((e) => e.fields.includes('items_page_by_column_values') && e.status === 200).map((e) => e.durationMs);
    const tenth = Math.max(1, Math.floor(creates.length / 10));
    const meanMs = (list: typeof creates): number => list.reduce((n, e) => n + e.durationMs, 0) / Math.max(1, list.length);
    const items = monday.control.listItems(DEMO_BOARDS.leads.id).filter((item) => item.name.startsWith('Bench Org ')).length;
    const rate = items / Math.max(minutes, 1e-9);
    return {
      records,
      path,
      jobs: jobs.length,
      'items created': items,
      'emulated min': round(minutes, 2),
      'emulated min, first to last write': round(spanMinutes, 2),
      'items/budget-min': round(rate, 0),
      'budget fraction': round(rate / CEILING_PER_MINUTE, 3),
      'fraction (whole windows)': round(items / (windows * CEILING_PER_MINUTE), 3),
      'budget exhausted': entries.filter((e) => e.errorCodes.includes('COMPLEXITY_BUDGET_EXHAUSTED')).length,
      throttled: entries.filter((e) => e.status === 429).length,
      'monday requests': entries.length,
      'read share of complexity': round(entries.filter((e) => e.operationType !== 'mutation').reduce((n, e) => n + e.complexity, 0) / Math.max(1, entries.reduce((n, e) => n + e.complexity, 0)), 4),
      'monday req/item': round(entries.length / Math.max(1, items), 4),
      'monday requests by kind': requestsByKind(entries),
      ...(path === 'bulk' ? { 'monday request sequence': requestSequence(entries) } : {}),
      'lookup ms (max)': round(Math.max(0, ...lookups), 0),
      'create batch ms (first/last tenth)': `${round(meanMs(creates.slice(0, tenth)), 0)}/${round(meanMs(creates.slice(-tenth)), 0)}`,
      'sf requests': sfRequests,
      'sf req/record': round(sfRequests / records, 5),
      'read mode': result.mode,
      'real s': round(result.realMs / 1000, 1),
      'backfill CPU s': round(result.cpuMs / 1000, 1),
      'start RSS MB': round(result.baselineRss / 1024 / 1024, 0),
      'peak RSS MB': round(result.peakRss / 1024 / 1024, 0),
      'heap settings': process.env.BENCH_DEFAULT_HEAP ? 'V8 defaults' : heapFlagsFor(['backfill']).join(' ') || 'V8 defaults',
      'heap retained after MB': round(result.retainedHeap / 1024 / 1024, 0),
      'load avg 1 min (start/end)': `${round(loadBefore, 2)}/${round(loadAfter, 2)}`,
      complete: result.complete,
    };
  } finally {
    await monday.close();
    await sf.close();
    await db.drop();
  }
}

type LogEntry = ReturnType<Awaited<ReturnType<typeof startMondayEmulator>>['control']['requestLog']>[number];

/** What a request asked for: its root fields (a batch of mutations is one kind, `create_item`). */
function requestKind(entry: LogEntry): string {
  const fields = [...new Set(entry.fields)].filter((f) => f !== 'complexity' || entry.fields.length === 1);
  return fields.join('+') + (entry.status === 200 ? '' : ` (HTTP ${entry.status})`);
}

/** Monday requests per kind, most first: "create_item 4000, items_page_by_column_values 200, ...". */
function requestsByKind(entries: readonly LogEntry[]): string {
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(requestKind(e), (counts.get(requestKind(e)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([kind, n]) => `${kind} ${n}`).join(', ');
}

/** The requests in order, repeats folded ("fetch_job_status x3"): where each job's requests go. */
function requestSequence(entries: readonly LogEntry[]): string {
  const runs: Array<{ kind: string; n: number }> = [];
  for (const e of entries) {
    const last = runs.at(-1);
    if (last?.kind === requestKind(e)) last.n += 1;
    else runs.push({ kind: requestKind(e), n: 1 });
  }
  return runs.map((r) => (r.n > 1 ? `${r.kind} x${r.n}` : r.kind)).join(', ');
}

interface ChildResult {
  mode: string;
  realMs: number;
  /** CPU the child used, start-up included (GC settings show here). */
  cpuMs: number;
  /** The kernel's high-water mark of the child's RSS (process.resourceUsage().maxRSS), bytes. */
  peakRss: number;
  baselineRss: number;
  retainedHeap: number;
  complete: boolean;
}

/**
 * The backfill as users run it: the compiled build (no tsx loader), the heap settings
 * bin/crm-sync.js applies to `crm-sync backfill`, and `runBackfill` with the clients
 * backfill.command.ts builds; the only difference is the monday clock, scaled like the emulator's
 * (the CLI's pacing reads real time). BENCH_CHILD_NODE_ARGS adds node flags (e.g. --trace-gc);
 * BENCH_DEFAULT_HEAP=1 leaves V8's defaults (to compare).
 */
function runChild(build: ServiceBuild, env: Record<string, string>): Promise<ChildResult> {
  const script = join(build.dir, 'backfill-child.js');
  writeFileSync(script, BACKFILL_CHILD);
  const extra = (process.env.BENCH_CHILD_NODE_ARGS ?? '').split(' ').filter(Boolean);
  // --expose-gc only lets the child measure the heap retained after the run; it changes no GC behaviour.
  const args = ['--expose-gc', ...extra, script];
  log(`child: node ${args.join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: build.dir, env: { ...process.env, ...env, BENCH_HEAP_SETTINGS: HEAP_SETTINGS }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    let result: string | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      // Whatever else the child prints (--trace-gc) goes to stderr as it comes.
      const lines = out.split('\n');
      out = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith(CHILD_PREFIX)) result = line;
        else process.stderr.write(`${line}\n`);
      }
    });
    child.once('exit', (code) => {
      if (out.startsWith(CHILD_PREFIX)) result = out;
      if (code !== 0 || !result) return reject(new Error(`backfill child exited with ${code}`));
      resolve(JSON.parse(result.slice(CHILD_PREFIX.length)) as ChildResult);
    });
  });
}

/** What `crm-sync backfill --object lead` does (src/cli/commands/backfill.command.ts), against the compiled dist/. */
const BACKFILL_CHILD = `'use strict';
// What bin/crm-sync.js does first for \`crm-sync backfill --object lead\`.
if (!process.env.BENCH_DEFAULT_HEAP) require(process.env.BENCH_HEAP_SETTINGS).applyHeapSettings(['backfill', '--object', 'lead']);
require('reflect-metadata');
const { Pool } = require('pg');
const pino = require('pino');
const { readLiveContext } = require('./dist/migration/read-live-context');
const { loadMapping } = require('./dist/mapping');
const { runBackfill } = require('./dist/migration/backfill.runner');
const { createMondayClient } = require('./dist/monday');
const { createSalesforceClient } = require('./dist/salesforce');
// The monday clock of the client, as the emulator's ScaledClock (@crm-sync/sandbox) runs it: the
// package is not compiled into this build, so its two methods are written out here.
class ScaledClock {
  constructor(scale) { this.scale = scale; this.realStart = Date.now(); this.emulatedStart = Date.now(); }
  now() { return this.emulatedStart + (Date.now() - this.realStart) * this.scale; }
  realDelay(ms) { return Math.max(0, Math.ceil(ms / this.scale)); }
}
// Exit (not die) on SIGTERM, so --cpu-prof / --heap-prof still write their profile of a run that hangs.
process.once('SIGTERM', () => process.exit(143));
(async () => {
  const env = (name) => { if (!process.env[name]) throw new Error(name + ' is not set'); return process.env[name]; };
  const clock = new ScaledClock(Number(env('BENCH_SCALE')));
  const pool = new Pool({ connectionString: env('BENCH_DATABASE'), max: 8, application_name: 'crm-sync backfill' });
  const salesforce = await createSalesforceClient(
    { loginUrl: env('BENCH_SF_URL'), apiVersion: '62.0', clientName: 'crm-sync',
      auth: { flow: 'password', clientId: env('BENCH_SF_CLIENT_ID'), clientSecret: env('BENCH_SF_CLIENT_SECRET'), username: env('BENCH_SF_USERNAME'), password: env('BENCH_SF_PASSWORD') } },
    { bulk: { pollIntervalMs: 100 } },
  );
  const monday = createMondayClient(
    { apiUrl: env('BENCH_MONDAY_URL'), apiToken: env('BENCH_MONDAY_TOKEN'), apiVersion: env('BENCH_MONDAY_API_VERSION'), signingSecret: null, webhookToken: null },
    { clock: { now: () => clock.now(), sleep: (ms) => new Promise((r) => setTimeout(r, clock.realDelay(ms))) } },
  );
  const mapping = loadMapping(env('BENCH_MAPPING'));
  const live = await readLiveContext(mapping, salesforce, monday);
  // BENCH_HEAP_PROFILE=file: where the run allocates, garbage included (open in Chrome DevTools' Memory tab).
  const profile = process.env.BENCH_HEAP_PROFILE ? new (require('node:inspector').Session)() : null;
  const post = (method, params) => new Promise((resolve, reject) => profile.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
  if (profile) {
    profile.connect();
    await post('HeapProfiler.startSampling', { samplingInterval: 32768, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  }
  // The Salesforce query job's progress as the CLI's bar shows it, once per state.
  let lastJobState = '';
  const logQueryJob = (progress) => {
    const job = progress.queryJob;
    if (!job || job.jobId + job.state === lastJobState) return;
    lastJobState = job.jobId + job.state;
    process.stderr.write('[bench child] Salesforce query job ' + job.jobId + ' ' + job.state + ' after ' + job.waitedMs + ' ms\\n');
  };
  const baselineRss = process.memoryUsage().rss;
  const started = Date.now();
  const summary = await runBackfill({ pool, databaseUrl: env('BENCH_DATABASE'), salesforce, monday, logger: pino({ level: 'warn' }), mapping, live }, { object: 'lead', mode: env('BENCH_MODE'), bulk: { sleep: (ms) => new Promise((r) => setTimeout(r, clock.realDelay(ms))), now: () => clock.now() }, onProgress: logQueryJob });
  const realMs = Date.now() - started;
  const cpuMs = (process.cpuUsage().user + process.cpuUsage().system) / 1000;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  if (profile) require('node:fs').writeFileSync(process.env.BENCH_HEAP_PROFILE, JSON.stringify((await post('HeapProfiler.stopSampling', {})).profile));
  if (typeof global.gc === 'function') global.gc();
  const retainedHeap = process.memoryUsage().heapUsed;
  await pool.end();
  const lead = summary.objects[0];
  process.stderr.write('[bench child] ' + JSON.stringify(summary) + '\\n');
  process.stdout.write('${CHILD_PREFIX}' + JSON.stringify({ mode: lead ? lead.mode : 'none', realMs, cpuMs, peakRss, baselineRss, retainedHeap, complete: summary.complete }) + '\\n');
})().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + '\\n');
  process.exit(1);
});
`;

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
