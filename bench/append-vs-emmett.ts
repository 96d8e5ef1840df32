/**
 * bench/append-vs-emmett: the same append workload against our event store (`appendEvents`) and
 * against emmett's PostgreSQL event store (`appendToStream`), on the same Postgres in the same run,
 * each in its own fresh database, through the same pg driver and pool size.
 *
 * Workload: N concurrent appenders, each appending M events of one monday webhook payload (~0.6 kB)
 * to 50 streams of its own (no cross-appender stream contention, so emmett's optimistic stream
 * version check never conflicts), either one event per append or B events per append.
 * Rounds alternate ours/emmett so a burst of other load on the shared machine hits both alike;
 * the median round is reported.
 *
 *   npx tsx bench/append-vs-emmett.ts [--appenders 10] [--events 1000] [--batch 20] [--rounds 3]
 */
import { randomUUID } from 'node:crypto';
import { getPostgreSQLEventStore, type PostgresEventStore } from '@event-driven-io/emmett-postgresql';
import { Pool } from 'pg';
import { appendEvents, BatchingAppender, type NewEvent } from '../src/event-store';
import type { MondayUpdateColumnValue } from '../src/event-store';
import { samplePayloads } from '../test/support/monday-webhooks';
import { createBenchDatabase, type BenchDatabase } from './support/bench-database';
import { numberOption } from './support/bench-options';
import { log, report, round, type Row } from './support/bench-report';
import { cpuBetween, cpuSnapshot } from './support/cpu-accounting';

const STREAMS_PER_APPENDER = 50;

type Store = 'ours' | 'ours-batching' | 'emmett';
type Mode = 'single' | 'batched';

interface Target {
  store: Store;
  db: BenchDatabase;
  pool: Pool;
  /** Appends `payloads` to one stream in one call (one transaction). */
  append(stream: string, payloads: MondayUpdateColumnValue[]): Promise<void>;
  /** Only single-event appends (the BatchingAppender groups concurrent ones itself). */
  singleOnly?: boolean;
  close(): Promise<void>;
}

interface Measured {
  eventsPerSecond: number;
  postgresCpuUsPerEvent: number;
  clientCpuUsPerEvent: number;
  othersCpuPct: number;
}

async function main(): Promise<void> {
  const appenders = numberOption('appenders', 10);
  const eventsPerAppender = numberOption('events', 1_000);
  const batch = numberOption('batch', 20);
  const rounds = numberOption('rounds', 3);

  const targets: Target[] = [];
  try {
    targets.push(await ourStore(appenders), await ourBatchingStore(appenders), await emmettStore(appenders));
    const results = new Map<string, Measured[]>();
    for (let r = 1; r <= rounds; r++) {
      for (const mode of ['single', 'batched'] as const) {
        // Alternate which store goes first, so neither always runs on a warmer (or busier) machine.
        const order = (r % 2 === 1 ? targets : [...targets].reverse()).filter((t) => mode === 'single' || !t.singleOnly);
        for (const target of order) {
          const measured = await run(target, mode, appenders, eventsPerAppender, mode === 'single' ? 1 : batch);
          log(`round ${r} ${mode} ${target.store}: ${Math.round(measured.eventsPerSecond)} events/s`);
          const key = `${mode}/${target.store}`;
          results.set(key, [...(results.get(key) ?? []), measured]);
        }
      }
    }
    const rows: Row[] = [];
    const ratios: Record<string, number> = {};
    for (const mode of ['single', 'batched'] as const) {
      const emmett = median(results.get(`${mode}/emmett`) ?? []);
      for (const store of ['ours', 'ours-batching', 'emmett'] as const) {
        const samples = results.get(`${mode}/${store}`);
        if (!samples) continue;
        const m = median(samples);
        const ratio = m.eventsPerSecond / emmett.eventsPerSecond;
        if (store !== 'emmett') ratios[`${mode}/${store}`] = ratio;
        rows.push({
          mode,
          events_per_append: mode === 'single' ? 1 : batch,
          store,
          events_per_s: Math.round(m.eventsPerSecond),
          ours_vs_emmett: store === 'emmett' ? '' : `${round(ratio, 2)}x`,
          postgres_cpu_us_per_event: round(m.postgresCpuUsPerEvent, 0),
          client_cpu_us_per_event: round(m.clientCpuUsPerEvent, 0),
          others_cpu_pct: round(m.othersCpuPct, 0),
        });
      }
    }
    report({
      bench: 'append-vs-emmett',
      rows,
      targets: Object.fromEntries(Object.entries(ratios).map(([key, ratio]) => [`${key} faster than emmett (${round(ratio, 2)}x)`, ratio > 1])),
      notes: [
        `${appenders} concurrent appenders x ${eventsPerAppender} events each per run, pool of ${appenders} connections per store; median of ${rounds} alternating rounds`,
        'ours-batching: the same single-event appends through BatchingAppender (what the webhook ingest uses: concurrent appends share one INSERT and one commit)',
        'ours: appendEvents on a Pool (one prepared INSERT ... ON CONFLICT DO NOTHING over jsonb_to_recordset of the batch, autocommit, one coalesced NOTIFY after the commit); emmett 0.42: appendToStream (BEGIN, emt_append_to_stream(), COMMIT)',
        'client_cpu: the bench process (driver + store code); postgres_cpu: the backends of that store\'s database + WAL writer/checkpointer',
      ],
    });
  } finally {
    for (const target of targets) await target.close();
  }
}

async function run(target: Target, mode: Mode, appenders: number, eventsPerAppender: number, perAppend: number): Promise<Measured> {
  const calls = Math.ceil(eventsPerAppender / perAppend);
  const payload = samplePayloads.update_column_value() as MondayUpdateColumnValue;
  const before = cpuSnapshot(null, target.db.name);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: appenders }, async (_, a) => {
      for (let c = 0; c < calls; c++) {
        const stream = `${mode}-${a}-${c % STREAMS_PER_APPENDER}`;
        const payloads = Array.from({ length: perAppend }, () => ({ ...payload, triggerUuid: randomUUID() }));
        await target.append(stream, payloads);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuBetween(before, cpuSnapshot(null, target.db.name));
  const events = appenders * calls * perAppend;
  return {
    eventsPerSecond: events / seconds,
    postgresCpuUsPerEvent: (cpu.postgresMs * 1000) / events,
    clientCpuUsPerEvent: (cpu.benchMs * 1000) / events,
    othersCpuPct: (100 * cpu.otherMs) / cpu.capacityMs,
  };
}

async function ourStore(poolSize: number): Promise<Target> {
  const db = await createBenchDatabase();
  const pool = new Pool({ connectionString: db.url, max: poolSize });
  return {
    store: 'ours',
    db,
    pool,
    append: async (stream, payloads) => {
      const events: NewEvent[] = payloads.map((p) => ({
        source: 'monday',
        sourceEventId: p.triggerUuid,
        stream,
        type: 'monday.column_changed',
        origin: 'user',
        occurredAt: new Date(),
        payload: p,
      }));
      const results = await appendEvents(pool, events);
      if (results.some((r) => !r.appended)) throw new Error('ours: an event was not appended');
    },
    close: async () => {
      await pool.end();
      await db.drop();
    },
  };
}

async function ourBatchingStore(poolSize: number): Promise<Target> {
  const target = await ourStore(poolSize);
  const appender = new BatchingAppender(target.pool);
  return {
    ...target,
    store: 'ours-batching',
    singleOnly: true,
    append: async (stream, [p]) => {
      const result = await appender.append({
        source: 'monday',
        sourceEventId: p.triggerUuid,
        stream,
        type: 'monday.column_changed',
        origin: 'user',
        occurredAt: new Date(),
        payload: p,
      });
      if (!result.appended) throw new Error('ours-batching: an event was not appended');
    },
  };
}

async function emmettStore(poolSize: number): Promise<Target> {
  const db = await createBenchDatabase({ migrated: false });
  const pool = new Pool({ connectionString: db.url, max: poolSize });
  const store: PostgresEventStore = getPostgreSQLEventStore(db.url, { connectionOptions: { pool } });
  await store.schema.migrate();
  return {
    store: 'emmett',
    db,
    pool,
    append: async (stream, payloads) => {
      await store.appendToStream(
        stream,
        payloads.map((p) => ({ type: 'monday.column_changed', data: { ...p } })),
      );
    },
    close: async () => {
      await store.close();
      await pool.end();
      await db.drop();
    },
  };
}

function median(values: Measured[]): Measured {
  const sorted = [...values].sort((a, b) => a.eventsPerSecond - b.eventsPerSecond);
  return sorted[Math.floor(sorted.length / 2)];
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
