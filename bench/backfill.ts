/**
 * bench/backfill: N Salesforce Leads into monday through `crm-sync backfill` (SOQL COUNT(), Bulk
 * API 2.0 above 10,000, snapshot events, the sync projector and the outbox dispatcher) against the
 * two emulators, with monday's real complexity rules (10M points per minute, create_item 10,000:
 * a ceiling of 1,000 items per budget minute) and the monday clock sped up `scale` times, so a
 * budget minute passes in 60/scale real seconds.
 *
 *   npx tsx bench/backfill.ts [--records 40000,100000] [--scale 20]
 *
 * The backfill runs in a child process (this file with --child), so its peak RSS is its own and
 * not the emulators' (which hold every record and item in memory). Figures:
 * - items per budget minute (items / emulated minutes from the first to the last create), as a
 *   fraction of the 1,000 ceiling; and the stricter items / (those minutes rounded up x 1,000);
 * - monday requests per item, Salesforce requests per record (the org's API usage counter);
 * - COMPLEXITY_BUDGET_EXHAUSTED answers (target: none), peak RSS of the backfill process.
 */
import { spawn } from 'node:child_process';
import { Pool } from 'pg';
import pino from 'pino';
import { readLiveContext } from '../src/app/read-live-context';
import { loadMapping } from '../src/mapping';
import { runBackfill } from '../src/migration/backfill.runner';
import { createMondayClient } from '../src/monday';
import { createSalesforceClient } from '../src/salesforce';
import { ScaledClock } from '../src/sandbox/clock';
import { DEMO_BOARDS, startMondayEmulator } from '../src/sandbox/monday';
import { startSalesforceEmulator } from '../src/sandbox/salesforce';
import { createBenchDatabase } from './support/bench-database';
import { numberListOption, numberOption } from './support/bench-options';
import { log, report, round, type Row } from './support/bench-report';

const MAPPING = `${__dirname}/../examples/nonprofit-leads.yaml`;
const CHILD_PREFIX = 'BACKFILL_CHILD ';
const CEILING_PER_MINUTE = 10_000_000 / 10_000;

async function main(): Promise<void> {
  if (process.argv.includes('--child')) return child();
  const counts = numberListOption('records', [40_000, 100_000]);
  const scale = numberOption('scale', 20);
  const rows: Row[] = [];
  for (const records of counts) {
    rows.push(await measure(records, scale));
    log(JSON.stringify(rows[rows.length - 1]));
  }
  const main40k = rows[0];
  report({
    bench: 'backfill',
    targets: {
      'fraction of budget ceiling >= 0.95': rows.every((r) => Number(r['budget fraction']) >= 0.95),
      'no COMPLEXITY_BUDGET_EXHAUSTED': rows.every((r) => r['budget exhausted'] === 0),
      'monday requests per item <= 0.05': rows.every((r) => Number(r['monday req/item']) <= 0.05),
      'peak RSS < 300 MB': rows.every((r) => Number(r['peak RSS MB']) < 300),
    },
    rows,
    notes: [
      `monday clock x${scale}: a budget minute passes in ${round(60 / scale, 1)} real s; default budget 10M points/min, create_item 10,000 points`,
      `budget fraction = items per emulated minute (first to last create) / ${CEILING_PER_MINUTE}; whole windows = items / (ceil(minutes) x ${CEILING_PER_MINUTE})`,
      'at clock xN every real millisecond of the pipeline costs N emulated ones, so the fraction understates what real time (x1) gives',
      `peak RSS is the backfill process's own (emulators run in the parent); compare rows to see whether it grows with the count (first row: ${String(main40k?.records)})`,
    ],
  });
}

async function measure(records: number, scale: number): Promise<Row> {
  const db = await createBenchDatabase();
  const sf = await startSalesforceEmulator({ seed: 'empty', dailyApiLimit: 1_000_000, bulkQueryPageSize: 10_000 });
  const clock = new ScaledClock(scale);
  const monday = await startMondayEmulator({ seed: 'demo', clock });
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
    };
    log(`backfill of ${records} Leads in a child process`);
    const result = await runChild(env);
    const sfRequests = sf.control.apiUsage().used - usageBefore;
    const entries = monday.control.requestLog();
    const creates = entries.filter((e) => e.fields.includes('create_item') && e.status === 200);
    const first = Date.parse(creates[0]?.at ?? '');
    const last = Date.parse(creates[creates.length - 1]?.at ?? '');
    const minutes = (last - first) / 60_000;
    const windows = Math.max(1, Math.ceil(minutes));
    const items = monday.control.listItems(DEMO_BOARDS.leads.id).filter((item) => item.name.startsWith('Bench Org ')).length;
    const rate = items / Math.max(minutes, 1e-9);
    return {
      records,
      'items created': items,
      'emulated min': round(minutes, 2),
      'items/budget-min': round(rate, 0),
      'budget fraction': round(rate / CEILING_PER_MINUTE, 3),
      'fraction (whole windows)': round(items / (windows * CEILING_PER_MINUTE), 3),
      'budget exhausted': entries.filter((e) => e.errorCodes.includes('COMPLEXITY_BUDGET_EXHAUSTED')).length,
      throttled: entries.filter((e) => e.status === 429).length,
      'monday requests': entries.length,
      'read share of complexity': round(entries.filter((e) => e.operationType !== 'mutation').reduce((n, e) => n + e.complexity, 0) / Math.max(1, entries.reduce((n, e) => n + e.complexity, 0)), 4),
      'monday req/item': round(entries.length / Math.max(1, items), 4),
      'sf requests': sfRequests,
      'sf req/record': round(sfRequests / records, 5),
      'read mode': result.mode,
      'real s': round(result.realMs / 1000, 1),
      'start RSS MB': round(result.baselineRss / 1024 / 1024, 0),
      'peak RSS MB': round(result.peakRss / 1024 / 1024, 0),
      'peak heap MB': round(result.peakHeap / 1024 / 1024, 0),
    };
  } finally {
    await monday.close();
    await sf.close();
    await db.drop();
  }
}

interface ChildResult {
  mode: string;
  realMs: number;
  peakRss: number;
  peakHeap: number;
  baselineRss: number;
  baselineHeap: number;
  complete: boolean;
}

function runChild(env: Record<string, string>): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', ...(process.env.BENCH_CHILD_NODE_ARGS ?? '').split(' ').filter(Boolean), '--import', 'tsx', __filename, '--child'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(CHILD_PREFIX));
      if (code !== 0 || !line) return reject(new Error(`backfill child exited with ${code}:\n${out}`));
      resolve(JSON.parse(line.slice(CHILD_PREFIX.length)) as ChildResult);
    });
  });
}

/** The backfill process: what `crm-sync backfill --object lead` does, plus RSS sampling. */
async function child(): Promise<void> {
  const env = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  };
  const sampler = setInterval(sample, 100);
  const scale = Number(env('BENCH_SCALE'));
  const clock = new ScaledClock(scale);
  const pool = new Pool({ connectionString: env('BENCH_DATABASE'), max: 8 });
  const salesforce = await createSalesforceClient(
    {
      loginUrl: env('BENCH_SF_URL'),
      apiVersion: '62.0',
      clientName: 'crm-sync',
      auth: { flow: 'password', clientId: env('BENCH_SF_CLIENT_ID'), clientSecret: env('BENCH_SF_CLIENT_SECRET'), username: env('BENCH_SF_USERNAME'), password: env('BENCH_SF_PASSWORD') },
    },
    { bulk: { pollIntervalMs: 100 } },
  );
  const monday = createMondayClient(
    { apiUrl: env('BENCH_MONDAY_URL'), apiToken: env('BENCH_MONDAY_TOKEN'), apiVersion: '2025-10', signingSecret: null, webhookToken: null },
    { clock: { now: () => clock.now(), sleep: (ms) => new Promise((r) => setTimeout(r, clock.realDelay(ms))) } },
  );
  const mapping = loadMapping(MAPPING);
  const live = await readLiveContext(mapping, salesforce, monday);
  if (typeof global.gc === 'function') global.gc();
  const baseline = process.memoryUsage();
  const started = Date.now();
  const summary = await runBackfill(
    { pool, databaseUrl: env('BENCH_DATABASE'), salesforce, monday, logger: pino({ level: 'warn' }), mapping, live },
    { object: 'lead' },
  );
  const realMs = Date.now() - started;
  sample();
  if (typeof global.gc === 'function') global.gc();
  process.stderr.write(`[bench child] retained after the run: heap ${Math.round(process.memoryUsage().heapUsed / 1048576)} MB, rss ${Math.round(process.memoryUsage().rss / 1048576)} MB\n`);
  clearInterval(sampler);
  await pool.end();
  const lead = summary.objects[0];
  process.stderr.write(`[bench child] ${JSON.stringify(summary)}\n`);
  process.stdout.write(`${CHILD_PREFIX}${JSON.stringify({ mode: lead?.mode ?? 'none', realMs, peakRss, peakHeap, baselineRss: baseline.rss, baselineHeap: baseline.heapUsed, complete: summary.complete })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
