/**
 * bench/cdc: Salesforce Change Data Capture into the event store. Human Lead edits in the Salesforce
 * emulator (this process, a real-time clock) reach the CDC ingest (SalesforceCdcIngest over the
 * faye streaming adapter, in its own process, as the service runs it) over CometD on loopback, and
 * are appended to `events` with their replay id.
 *
 * Two workloads:
 *  - burst: --burst changes (default 10 000) made as fast as the emulator takes them;
 *  - paced: --rate changes/s (default 500) for --seconds (default 10).
 * Figures per workload:
 *  - append_per_s: events / (last recorded_at - first recorded_at): how fast the ingest appends;
 *  - e2e_per_s: events / (last recorded_at - first emulator commit);
 *  - lag: recorded_at (`now()` of the appending transaction, i.e. just BEFORE our commit) minus
 *    the event's commitTimestamp (the emulator's commit; its clock runs at scale 1, checked at start);
 *  - visible lag: when this process saw the row (LISTEN + read, i.e. just AFTER our commit) minus
 *    commitTimestamp. Our commit lies between the two.
 *
 *   npx tsx bench/cdc.ts [--burst 10000] [--rate 500] [--seconds 10] [--records 200]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Client, Pool } from 'pg';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { openDataSource, poolOf } from '../src/database/data-source';
import { EVENTS_CHANNEL } from '../src/event-store/append';
import { storeChangeBatch } from '../src/ingest/salesforce/change-batch.store';
import { SalesforceCdcIngest } from '../src/ingest/salesforce/salesforce-cdc.ingest';
import { createChangeEventStream, createSalesforceClient } from '../src/salesforce';
import { ScaledClock } from '@crm-sync/sandbox';
import { startSalesforceEmulator, type SalesforceEmulator } from '@crm-sync/sandbox';
import { createBenchDatabase, eventsPerCommit, maxPosition, type BenchDatabase } from './support/bench-database';
import { numberOption } from './support/bench-options';
import { log, percentile, report, round, type Row } from './support/bench-report';
import { cpuBetween, cpuSnapshot } from './support/cpu-accounting';
import { salesforceOnlyEnv } from '../test/support/salesforce-emulator-env';

const CHILD_FLAG = '--ingest-child';
const TARGET_EVENTS_PER_SECOND = 2_000;
const TARGET_P99_LAG_MS = 100;
const COMPLETION_TIMEOUT_MS = 180_000;

for (const name of ['http_proxy', 'HTTP_PROXY']) delete process.env[name];

// --- the ingest process -------------------------------------------------------------------------

async function runIngestChild(): Promise<void> {
  const config = loadConfig();
  const databaseUrl = config.databaseUrl ?? '';
  const logger = pino({ level: 'warn' }, pino.destination(2));
  // As the service: the DataSource's pool (the CDC positions are read through its entity).
  const dataSource = await openDataSource(databaseUrl, { logger, max: 4, applicationName: 'crm-sync bench cdc' });
  const pool = poolOf(dataSource);
  const salesforce = await createSalesforceClient(config.salesforce);
  const ingest = new SalesforceCdcIngest(pool, databaseUrl, createChangeEventStream(salesforce), ['Lead'], config.salesforce.clientName, logger);
  await ingest.start();
  const deadline = Date.now() + 30_000;
  while (!(ingest.states().length === 1 && ingest.states().every((s) => s.status === 'subscribed'))) {
    if (Date.now() > deadline) throw new Error(`not subscribed: ${JSON.stringify(ingest.states())}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  process.stdout.write('READY\n');
  process.once('SIGTERM', () => {
    void ingest
      .stop()
      .then(() => dataSource.destroy())
      .then(() => process.exit(0));
  });
}

function startIngestProcess(emulator: SalesforceEmulator, db: BenchDatabase): Promise<ChildProcess> {
  const nodeArgs = (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', __filename, CHILD_FLAG], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      DATABASE_URL: db.url,
      ...salesforceOnlyEnv(emulator),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the ingest process did not subscribe within 60 s')), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString('utf8').includes('READY')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => reject(new Error(`the ingest process exited with ${code}`)));
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

// --- watching our commits -------------------------------------------------------------------------

/** LISTENs for appends and reads each new row once: when it became visible, minus its commitTimestamp. */
class CommitWatcher {
  private readonly client: Client;
  private after = 0;
  private reading = false;
  private again = false;
  private stopped = false;
  readonly visibleLagMs: number[] = [];

  constructor(url: string) {
    this.client = new Client({ connectionString: url });
  }

  async start(after: number): Promise<void> {
    this.after = after;
    await this.client.connect();
    this.client.on('notification', () => void this.read());
    await this.client.query(`LISTEN ${EVENTS_CHANNEL}`);
  }

  reset(after: number): void {
    this.after = after;
    this.visibleLagMs.length = 0;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.client.end();
  }

  private async read(): Promise<void> {
    if (this.stopped) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = true;
    try {
      do {
        this.again = false;
        const { rows } = await this.client.query<{ position: string; ct: string }>(
          "SELECT position, payload->>'commitTimestamp' AS ct FROM events WHERE position > $1 ORDER BY position",
          [this.after],
        );
        const seenAt = Date.now();
        for (const row of rows) this.visibleLagMs.push(seenAt - Number(row.ct));
        if (rows.length > 0) this.after = Number(rows[rows.length - 1].position);
      } while (this.again && !this.stopped);
    } catch (error) {
      if (!this.stopped) throw error;
    } finally {
      this.reading = false;
    }
  }
}

// --- workloads ----------------------------------------------------------------------------------

interface Workload {
  name: string;
  changes: number;
  /** Makes the changes; resolves when the last one is committed in the emulator. */
  run(change: (index: number) => void): Promise<void>;
}

function burst(changes: number): Workload {
  return {
    name: 'burst',
    changes,
    run: async (change) => {
      // Chunks of 500 per event-loop turn, so the emulator's CometD can answer while changes keep coming.
      for (let index = 0; index < changes; index++) {
        change(index);
        if (index % 500 === 499) await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}

function paced(rate: number, seconds: number): Workload {
  const changes = Math.round(rate * seconds);
  return {
    name: `paced ${rate}/s`,
    changes,
    run: async (change) => {
      const started = performance.now();
      let made = 0;
      while (made < changes) {
        const due = Math.min(changes, Math.floor(((performance.now() - started) / 1000) * rate) + 1);
        while (made < due) change(made++);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    },
  };
}

async function measure(workload: Workload, emulator: SalesforceEmulator, leadIds: string[], db: BenchDatabase, pool: Pool, watcher: CommitWatcher, ingestPid: number): Promise<Row> {
  const before = await maxPosition(db.url);
  watcher.reset(before);
  const cpuBefore = cpuSnapshot(ingestPid, db.name);
  const started = Date.now();
  await workload.run((index) => {
    const outcome = emulator.control.updateAsHuman('Lead', leadIds[index % leadIds.length], { Title: `${workload.name} ${index}` });
    if (!outcome.ok) throw new Error(`update refused: ${JSON.stringify(outcome)}`);
  });
  const generatedMs = Date.now() - started;
  const deadline = Date.now() + COMPLETION_TIMEOUT_MS;
  for (;;) {
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE position > $1', [before]);
    if (rows[0].n >= workload.changes) break;
    if (Date.now() > deadline) throw new Error(`${workload.name}: only ${rows[0].n} of ${workload.changes} events within ${COMPLETION_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const cpu = cpuBetween(cpuBefore, cpuSnapshot(ingestPid, db.name));
  const { rows } = await pool.query<{ recorded: number; committed: string }>(
    `SELECT EXTRACT(EPOCH FROM recorded_at) * 1000 AS recorded, payload->>'commitTimestamp' AS committed
     FROM events WHERE position > $1 ORDER BY position`,
    [before],
  );
  const recorded = rows.map((r) => Number(r.recorded));
  const committed = rows.map((r) => Number(r.committed));
  const lag = rows.map((_, i) => recorded[i] - committed[i]);
  const firstRecorded = Math.min(...recorded);
  const lastRecorded = Math.max(...recorded);
  const firstCommitted = Math.min(...committed);
  // The watcher may still be reading the tail.
  const visibleDeadline = Date.now() + 5_000;
  while (watcher.visibleLagMs.length < rows.length && Date.now() < visibleDeadline) await new Promise((resolve) => setTimeout(resolve, 20));
  const visible = watcher.visibleLagMs;
  const perEvent = (ms: number) => Math.round((ms * 1000) / rows.length);
  log(`${workload.name}: ${rows.length} events, generated in ${generatedMs} ms, appended over ${Math.round(lastRecorded - firstRecorded)} ms`);
  return {
    workload: workload.name,
    events: rows.length,
    generated_per_s: Math.round((workload.changes * 1000) / Math.max(1, generatedMs)),
    append_per_s: Math.round(((rows.length - 1) * 1000) / Math.max(1, lastRecorded - firstRecorded)),
    e2e_per_s: Math.round((rows.length * 1000) / Math.max(1, lastRecorded - firstCommitted)),
    lag_p50_ms: round(percentile(lag, 50)),
    lag_p99_ms: round(percentile(lag, 99)),
    lag_max_ms: round(Math.max(...lag)),
    visible_p50_ms: round(percentile(visible, 50)),
    visible_p99_ms: round(percentile(visible, 99)),
    events_per_commit: round(await eventsPerCommit(db.url, before), 2),
    ingest_cpu_us_per_event: perEvent(cpu.serviceMs),
    pg_cpu_us_per_event: perEvent(cpu.postgresMs),
    emulator_cpu_us_per_event: perEvent(cpu.benchMs),
    others_cpu_pct: round((100 * cpu.otherMs) / cpu.capacityMs, 0),
  };
}

/**
 * The ingest's store path alone (no CometD, no faye), in this process: N messages through
 * `storeChangeBatch` (the ingest's transaction), `batch` messages per delivery, i.e. per transaction.
 */
async function storePathOnly(pool: Pool, messages: number, batch: number): Promise<Row> {
  const replayBase = 1_000_000_000 + batch * 10_000_000;
  const message = (i: number) => ({
    channel: '/data/LeadChangeEvent',
    replayId: replayBase + i,
    payload: { ChangeEventHeader: { entityName: 'Lead', recordIds: ['00Q5f000001BenchAAA'], changeType: 'UPDATE', changeOrigin: '', commitTimestamp: Date.now(), changedFields: ['Title'] }, Title: `t${i}` },
  });
  const started = performance.now();
  for (let i = 0; i < messages; i += batch) {
    const group = Array.from({ length: Math.min(batch, messages - i) }, (_, k) => message(i + k));
    await storeChangeBatch(pool, group, 'crm-sync');
  }
  const seconds = (performance.now() - started) / 1000;
  return { workload: `store path only, ${batch} message(s)/transaction`, events: messages, append_per_s: Math.round(messages / seconds), events_per_commit: batch };
}

// --- main ---------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const burstChanges = numberOption('burst', 10_000);
  const rate = numberOption('rate', 500);
  const seconds = numberOption('seconds', 10);
  const records = numberOption('records', 200);

  const clock = new ScaledClock(1);
  const emulator = await startSalesforceEmulator({ clock, cdcEntities: ['Lead'] });
  const skewMs = Math.abs(emulator.control.now() - Date.now());
  if (clock.scale !== 1 || skewMs > 5) throw new Error(`the emulator clock must run at wall time (scale ${clock.scale}, skew ${skewMs} ms)`);
  const db = await createBenchDatabase();
  const pool = new Pool({ connectionString: db.url, max: 2 });
  const watcher = new CommitWatcher(db.url);
  let ingest: ChildProcess | null = null;
  try {
    const leadIds = emulator.control.seed(Array.from({ length: records }, (_, i) => ({ type: 'Lead', fields: { LastName: `Bench ${i}`, Company: 'CDC Bench' } })));
    ingest = await startIngestProcess(emulator, db);
    await watcher.start(0);
    const rows: Row[] = [];
    for (const workload of [burst(burstChanges), paced(rate, seconds)]) {
      rows.push(await measure(workload, emulator, leadIds, db, pool, watcher, ingest.pid as number));
    }
    await stopProcess(ingest);
    await watcher.stop();
    for (const batch of [1, 50, 500]) rows.push(await storePathOnly(pool, 3_000, batch));
    const burstRow = rows[0];
    const pacedRow = rows[1];
    report({
      bench: 'cdc',
      targets: {
        [`burst append_per_s >= ${TARGET_EVENTS_PER_SECOND}`]: Number(burstRow.append_per_s) >= TARGET_EVENTS_PER_SECOND,
        [`paced ${rate}/s lag_p99_ms < ${TARGET_P99_LAG_MS}`]: Number(pacedRow.lag_p99_ms) < TARGET_P99_LAG_MS,
      },
      rows,
      notes: [
        `Salesforce emulator (clock scale 1) in the bench process; SalesforceCdcIngest on /data/LeadChangeEvent in its own process (node --import tsx); Lead updates spread over ${records} records`,
        'lag: recorded_at (now() of the appending transaction, just before our commit) - commitTimestamp; visible: when a LISTENing reader saw the row (just after our commit) - commitTimestamp',
        'store path only: the ingest\'s transaction (storeChangeBatch: append + last replay id, asynchronous commit) from this process without CometD, at 1, 50 and 500 messages per transaction',
        'cpu_us_per_event: ingest process, Postgres (our backends + WAL writer/checkpointer), emulator (this process: the changes and CometD); others_cpu_pct: share of the cores busy with work that was not this bench',
      ],
    });
  } finally {
    await watcher.stop().catch(() => undefined);
    if (ingest) await stopProcess(ingest);
    await pool.end();
    await emulator.close();
    await db.drop();
  }
}

if (process.argv.includes(CHILD_FLAG)) {
  runIngestChild().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
} else {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
