/**
 * bench/realtime: latency of the real-time sync, human edit -> the other CRM acknowledged our write.
 *
 *   npx tsx bench/realtime.ts [--pairs 200] [--rates 50,500] [--seconds 10] [--service-build DIR]
 *
 * Both emulators run in this process (clock scale 1, zero injected latency); the service with its
 * sync engine (webhooks, CDC, projector, dispatcher) runs in a child process (this file with
 * --child), so its RSS is its own. `--service-build DIR` runs the service from a build made
 * beforehand instead (DIR/dist compiled from some revision, as for bench/ingest): for A/B runs of two
 * revisions in the same hour; the child is then plain JavaScript (no tsx loader), so compare builds
 * with builds. Setup: `--pairs` opportunities made in Salesforce and synced to
 * monday. Then, per direction and rate, an open-loop stream of human edits of NextStep <-> next_step,
 * each with a unique value, spread round-robin over the pairs:
 * - monday -> Salesforce: t0 just before control.changeColumnValues; t1 when the Salesforce
 *   emulator commits our write carrying that value (its change event log's append hook: exact).
 * - Salesforce -> monday: t0 just before control.updateAsHuman; t1 when the monday item holds the
 *   value (the item store polled every 1 ms: resolution 1 ms).
 * The child applies the heap settings bin/crm-sync.js gives `crm-sync start` (bin/heap-settings.js);
 * BENCH_DEFAULT_HEAP=1 leaves V8's defaults, to compare in the same hour.
 * Write requests per change: our write requests (Salesforce REST writes; monday mutation requests)
 * in the phase over the changes. API requests per change count reads too (webhook-driven refreshes).
 */
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { heapFlagsFor } from '../bin/heap-settings';
import { startService, stopOnSignals } from '../src/app/start-service';
import { startSyncEngine } from '../src/app/sync-engine';
import { loadConfig } from '../src/config';
import { installWebhooks } from '../src/ingest/monday/install-webhooks';
import { loadMapping } from '../src/mapping';
import { createMondayClient } from '../src/monday';
import { createLogger } from '../src/observability/logger';
import { createSalesforceClient } from '../src/salesforce';
import { startSandbox, type SandboxEnvironment } from '@crm-sync/sandbox';
import { createBenchDatabase } from './support/bench-database';
import { numberListOption, numberOption, stringOption } from './support/bench-options';
import { processCpuMs } from './support/cpu-accounting';
import { existingBuild } from './support/service-build';
import { log, percentile, report, round, type Row } from './support/bench-report';
import { sampleResident } from './support/service-process';

const ROOT = resolve(__dirname, '..');
const MAPPING = resolve(ROOT, 'examples/nonprofit-leads.yaml');
const OPPORTUNITIES = 9378000526;
const CLIENT = 'crm-sync';

type Direction = 'monday->salesforce' | 'salesforce->monday';
interface Pair {
  salesforceId: string;
  itemId: number;
}

if (process.argv.includes('--child')) void child();
else
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });

/** The service as `crm-sync start` runs it against given CRMs, plus the webhook install sandbox mode does. */
async function child(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, secretValues: config.secretValues });
  const mapping = loadMapping(config.syncConfigPath);
  const salesforce = await createSalesforceClient(config.salesforce);
  const monday = createMondayClient(config.monday);
  const service = await startService(config, {
    logger,
    startSync: async (runtime, url) => {
      const engine = await startSyncEngine(runtime, mapping, { salesforce, monday });
      await installWebhooks(monday, mapping.objects.map((o) => o.monday.board), new URL('/webhooks/monday', url.replace('[::1]', '127.0.0.1')).toString());
      return engine;
    },
  });
  stopOnSignals(service, logger);
}

async function main(): Promise<void> {
  const pairCount = numberOption('pairs', 200);
  const rates = numberListOption('rates', [50, 500]);
  const seconds = numberOption('seconds', 10);
  const sandbox = await startSandbox();
  if (sandbox.monday.clock.scale !== 1) throw new Error('the emulators must run at clock scale 1: request times are emulated time');
  const db = await createBenchDatabase();
  const pool = new Pool({ connectionString: db.url, max: 2 });
  const build = stringOption('service-build');
  const service = await startChild({ ...sandbox.variables, DATABASE_URL: db.url, LOG_LEVEL: 'warn', SYNC_CONFIG: MAPPING }, build);
  try {
    await waitFor(async () => sandbox.monday.control.webhooks().length >= 4 && (await fetch(`${service.url}/health`)).ok, 30_000, 'the service to start');
    log(`service pid ${service.pid}; making ${pairCount} linked opportunity pairs`);
    const pairs = await makePairs(sandbox, pairCount);
    await waitQuiet(sandbox, pool);
    const rows: Row[] = [];
    for (const direction of ['monday->salesforce', 'salesforce->monday'] as const) {
      for (const rate of rates) {
        const count = Math.round(rate * (rate >= 200 ? Math.min(seconds, 4) : seconds));
        log(`${direction} at ${rate} changes/s: ${count} changes`);
        rows.push(await phase(sandbox, pool, service.pid, pairs, direction, rate, count));
        log(JSON.stringify(rows[rows.length - 1]));
        await waitQuiet(sandbox, pool);
      }
    }
    const at = (direction: Direction, rate: number) => rows.find((r) => r.direction === direction && r.rate_per_s === rate);
    const m2s = at('monday->salesforce', 50);
    const s2m = at('salesforce->monday', 50);
    const num = (row: Row | undefined, key: string) => Number(row?.[key] ?? Number.NaN);
    report({
      bench: 'realtime',
      rows,
      targets: {
        'monday->salesforce p50 < 30 ms at 50/s': num(m2s, 'p50_ms') < 30,
        'monday->salesforce p99 < 150 ms at 50/s': num(m2s, 'p99_ms') < 150,
        'salesforce->monday p50 < 50 ms at 50/s': num(s2m, 'p50_ms') < 50,
        'salesforce->monday p99 < 250 ms at 50/s': num(s2m, 'p99_ms') < 250,
        'write requests per change <= 1.0': rows.every((r) => Number(r.write_requests_per_change) <= 1),
        'service RSS peak < 250 MB at 500/s': rows.filter((r) => r.rate_per_s === 500).every((r) => Number(r.service_rss_peak_mib) * 1.048576 < 250),
      },
      notes: [
        `service: ${build === undefined ? 'src/ through tsx' : `the build in ${build}`}; service_cpu_us_per_change: the service process's CPU time in the phase over the changes`,
        `${pairCount} opportunity pairs; NextStep <-> next_step edits with unique values, round-robin over the pairs; zero injected latency; service in a child process`,
        `service heap: ${process.env.BENCH_DEFAULT_HEAP ? 'V8 defaults' : heapFlagsFor(['start']).join(' ') || 'V8 defaults'} (bin/heap-settings.js for start); load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' / ')}`,
        'latency: human edit in one emulator -> our write committed in the other (Salesforce: change event append hook; monday: item store polled every 1 ms)',
      ],
    });
  } finally {
    await service.stop();
    await pool.end();
    await sandbox.close();
    await db.drop();
  }
}

async function makePairs(sandbox: SandboxEnvironment, count: number): Promise<Pair[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const outcome = sandbox.salesforce.control.createAsHuman('Opportunity', { Name: `Realtime bench ${i}`, StageName: 'Follow-up', CloseDate: '2027-06-30' });
    if (!outcome.ok) throw new Error(`createAsHuman failed: ${JSON.stringify(outcome)}`);
    ids.push(outcome.id);
  }
  let pairs: Pair[] = [];
  await waitFor(
    () => {
      const byId = new Map<string, number>();
      for (const item of sandbox.monday.control.listItems(OPPORTUNITIES)) {
        const id = /[a-zA-Z0-9]{18}/.exec(JSON.stringify(item.values.salesforce_id ?? ''))?.[0];
        if (id) byId.set(id, item.id);
      }
      pairs = ids.filter((id) => byId.has(id)).map((id) => ({ salesforceId: id, itemId: byId.get(id) as number }));
      return pairs.length === ids.length;
    },
    60_000,
    'the pairs to be linked',
  );
  return pairs;
}

async function phase(sandbox: SandboxEnvironment, pool: Pool, pid: number, pairs: Pair[], direction: Direction, rate: number, count: number): Promise<Row> {
  const sf = sandbox.salesforce.control;
  const md = sandbox.monday.control;
  const outstanding = new Map<string, { t0: number; itemId: number }>();
  const latencies: number[] = [];
  const acknowledged = (value: string): void => {
    const sent = outstanding.get(value);
    if (!sent) return;
    latencies.push(performance.now() - sent.t0);
    outstanding.delete(value);
  };
  const stopWatching = direction === 'monday->salesforce' ? watchSalesforce(sandbox, acknowledged) : watchMonday(sandbox, outstanding, acknowledged);
  const startedAt = Date.now();
  const { rows: positions } = await pool.query<{ p: string }>('SELECT COALESCE(max(position), 0) AS p FROM events');
  const sfRequestsBefore = sf.requests().length;
  const mdRequestsBefore = md.requestLog().length;
  const rss = sampleResident(pid, 100);
  const cpuBefore = processCpuMs(pid);

  const tag = `${direction === 'monday->salesforce' ? 'm' : 's'}${rate}-`;
  const start = performance.now();
  let sent = 0;
  while (sent < count) {
    const due = Math.min(count, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
    while (sent < due) {
      const pair = pairs[sent % pairs.length];
      const value = `${tag}${sent}`;
      outstanding.set(value, { t0: performance.now(), itemId: pair.itemId });
      if (direction === 'monday->salesforce') md.changeColumnValues({ itemId: pair.itemId, columnValues: { next_step: value } });
      else sf.updateAsHuman('Opportunity', pair.salesforceId, { NextStep: value });
      sent += 1;
    }
    await sleep(1);
  }
  // A value overwritten before it was written (same pair, next round) may be coalesced away: bounded wait.
  await waitFor(() => outstanding.size === 0, 20_000, '').catch(() => undefined);
  await waitQuiet(sandbox, pool);
  stopWatching();
  const memory = rss.stop();
  const serviceCpuMs = processCpuMs(pid) - cpuBefore;

  const sfWrites = sf.requests().slice(sfRequestsBefore).filter((r) => r.client === CLIENT && r.method !== 'GET' && !r.path.includes('/cometd') && !r.path.includes('/oauth'));
  const mdRequests = md.requestLog().slice(mdRequestsBefore).filter((r) => r.userId === sandbox.monday.integrationUserId && Date.parse(r.at) >= startedAt);
  const writes = direction === 'monday->salesforce' ? sfWrites.length : mdRequests.filter((r) => r.operationType === 'mutation').length;
  const requests = sf.requests().slice(sfRequestsBefore).filter((r) => r.client === CLIENT && !r.path.includes('/cometd')).length + mdRequests.length;
  const stages = await stageBreakdown(pool, Number(positions[0].p));
  return {
    direction,
    rate_per_s: rate,
    changes: count,
    acknowledged: latencies.length,
    p50_ms: round(percentile(latencies, 50)),
    p99_ms: round(percentile(latencies, 99)),
    max_ms: round(Math.max(...latencies)),
    write_requests_per_change: round(writes / count, 3),
    api_requests_per_change: round(requests / count, 3),
    service_rss_peak_mib: round(memory.peakMiB),
    service_cpu_us_per_change: Math.round((serviceCpuMs * 1000) / count),
    ...stages,
  };
}

/**
 * Where the time goes, p50 per stage from the service's own timestamps (Postgres now(): the start
 * of each transaction): source change -> event recorded (webhook / CDC ingest), recorded -> decided
 * (projector wake-up and batch), decided -> command finished (dispatcher claim and the CRM call).
 */
async function stageBreakdown(pool: Pool, afterPosition: number): Promise<Row> {
  const { rows } = await pool.query<{ ingest: number | null; decide: number | null; dispatch: number | null }>(
    `WITH human AS (
       SELECT e.position, e.occurred_at, e.recorded_at, d.decided_at
       FROM events e JOIN sync_decisions d USING (position)
       WHERE e.position > $1 AND e.origin = 'user' AND e.type IN ('monday.column_changed', 'salesforce.record_changed')
     ), sent AS (
       SELECT o.created_at, o.finished_at FROM outbox o JOIN human h ON o.caused_by = h.position WHERE o.status = 'done'
     )
     SELECT (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM recorded_at - occurred_at) * 1000) FROM human) AS ingest,
            (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM decided_at - recorded_at) * 1000) FROM human) AS decide,
            (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at) * 1000) FROM sent) AS dispatch`,
    [afterPosition],
  );
  const ms = (v: number | null) => (v === null ? null : round(Number(v)));
  return { ingest_p50_ms: ms(rows[0].ingest), decide_p50_ms: ms(rows[0].decide), dispatch_p50_ms: ms(rows[0].dispatch) };
}

/** Our writes as the Salesforce emulator commits them (NextStep values in change events by our client). */
function watchSalesforce(sandbox: SandboxEnvironment, acknowledged: (value: string) => void): () => void {
  const events = sandbox.salesforce.changeEventLog;
  let after = events.latestReplayId();
  return events.onAppend(() => {
    const fresh = events.readAfter(after, 10_000);
    if (fresh === 'invalid') return;
    for (const event of fresh) {
      after = event.replayId;
      if (!event.payload.ChangeEventHeader.changeOrigin.includes(`client=${CLIENT}`)) continue;
      if (typeof event.payload.NextStep === 'string') acknowledged(event.payload.NextStep);
    }
  });
}

/** Items holding a value we wait for: the emulator has no write hook, so its store is polled each millisecond. */
function watchMonday(sandbox: SandboxEnvironment, outstanding: Map<string, { itemId: number }>, acknowledged: (value: string) => void): () => void {
  const timer = setInterval(() => {
    for (const [value, { itemId }] of outstanding) {
      const data = sandbox.monday.control.getItem(itemId)?.values.next_step?.data;
      if (data !== undefined && JSON.stringify(data).includes(`"${value}"`)) acknowledged(value);
    }
  }, 1);
  return () => clearInterval(timer);
}

/** Webhooks delivered, projector caught up, outbox empty: twice in a row. */
async function waitQuiet(sandbox: SandboxEnvironment, pool: Pool): Promise<void> {
  let quietTimes = 0;
  let last = '';
  await waitFor(
    async () => {
      const stats = sandbox.monday.control.webhookStats();
      const { rows } = await pool.query<{ open: number; behind: number }>(
        `SELECT (SELECT count(*)::int FROM outbox WHERE status IN ('pending', 'in_flight')) AS open,
                (SELECT count(*)::int FROM events e, (SELECT COALESCE(max(transaction_id::text), '0')::xid8 AS tx, COALESCE(max(position), 0) AS pos FROM subscriber_checkpoints WHERE subscriber = 'sync') c WHERE (e.transaction_id, e.position) > (c.tx, c.pos)) AS behind`,
      );
      const quiet = stats.queued + stats.inFlight === 0 && rows[0].open === 0 && rows[0].behind === 0;
      last = JSON.stringify({ webhooks: stats, ...rows[0] });
      quietTimes = quiet ? quietTimes + 1 : 0;
      return quietTimes >= 3;
    },
    60_000,
    'the pipeline to be quiet',
  ).catch((error: unknown) => {
    throw new Error(`${error instanceof Error ? error.message : String(error)}: ${last}`);
  });
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

interface ChildService {
  pid: number;
  url: string;
  stop(): Promise<void>;
}

async function startChild(env: Record<string, string>, buildDir: string | undefined): Promise<ChildService> {
  const port = await freePort();
  // The heap settings bin/crm-sync.js applies for `crm-sync start` before the CLI loads: on the
  // command line here, since this file's imports load the service before child() runs.
  const heapFlags = process.env.BENCH_DEFAULT_HEAP ? [] : heapFlagsFor(['start']);
  const nodeArgs = [...heapFlags, ...(process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean)];
  const entry = buildDir === undefined ? ['--import', 'tsx', __filename, '--child'] : [compiledChildEntry(buildDir)];
  const proc: ChildProcess = spawn(process.execPath, [...nodeArgs, ...entry], {
    cwd: buildDir ?? ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<void>((done) => proc.once('exit', () => done()));
  return {
    pid: proc.pid as number,
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (proc.exitCode !== null) return;
      proc.kill('SIGTERM');
      const killer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** child() against a build's dist/ (the same exports from 9d254ee on), written into the build directory. */
function compiledChildEntry(buildDir: string): string {
  const entry = join(existingBuild(buildDir).dir, 'realtime-child.js');
  writeFileSync(
    entry,
    `'use strict';
require('reflect-metadata');
const { startService, stopOnSignals } = require('./dist/app/start-service');
const { startSyncEngine } = require('./dist/app/sync-engine');
const { loadConfig } = require('./dist/config');
const { installWebhooks } = require('./dist/ingest/monday/install-webhooks');
const { loadMapping } = require('./dist/mapping');
const { createMondayClient } = require('./dist/monday');
const { createLogger } = require('./dist/observability/logger');
const { createSalesforceClient } = require('./dist/salesforce');
(async () => {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, secretValues: config.secretValues });
  const mapping = loadMapping(config.syncConfigPath);
  const salesforce = await createSalesforceClient(config.salesforce);
  const monday = createMondayClient(config.monday);
  const service = await startService(config, {
    logger,
    startSync: async (runtime, url) => {
      const engine = await startSyncEngine(runtime, mapping, { salesforce, monday });
      await installWebhooks(monday, mapping.objects.map((o) => o.monday.board), new URL('/webhooks/monday', url.replace('[::1]', '127.0.0.1')).toString());
      return engine;
    },
  });
  stopOnSignals(service, logger);
})().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + '\\n');
  process.exit(1);
});
`,
  );
  return entry;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}
