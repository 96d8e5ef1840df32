/**
 * bench/subscription: lag from an append's commit to the subscriber's callback, at a paced rate.
 *
 * K concurrent appenders share a schedule of one single-event `appendEvents` every 1000/R ms (R
 * events/s in total). Each event carries its send time in the payload; the append's commit time is
 * taken when its promise resolves. A SubscriptionRunner woken by EventNotifications (LISTEN/NOTIFY)
 * records when its handler sees each event. Lag = handler time - commit time (= handler time -
 * payload send time - append duration). Everything runs in this process on one monotonic clock.
 *
 *   npx tsx bench/subscription.ts [--rate 1000] [--events 20000] [--appenders 4]
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import pino from 'pino';
import { openDataSource, poolOf } from '../src/database/data-source';
import { appendEvents, EventNotifications, LeaderLock, SubscriptionRunner, type MondayUpdateColumnValue, type NewEvent } from '../src/event-store';
import { samplePayloads } from '../test/support/monday-webhooks';
import { createBenchDatabase } from './support/bench-database';
import { numberOption } from './support/bench-options';
import { log, percentile, report, round } from './support/bench-report';
import { cpuBetween, cpuSnapshot } from './support/cpu-accounting';

const TARGET_P99_MS = 10;
const DRAIN_TIMEOUT_MS = 30_000;

interface Timed {
  sentAt: number;
  committedAt?: number;
  handledAt?: number;
}

async function main(): Promise<void> {
  const rate = numberOption('rate', 1_000);
  const total = numberOption('events', 20_000);
  const appenders = numberOption('appenders', 4);

  const db = await createBenchDatabase();
  const appendPool = new Pool({ connectionString: db.url, max: appenders });
  // As the service: the runner's transactions run on a TypeORM DataSource's pool (withTransaction).
  const runnerData = await openDataSource(db.url, { logger: pino({ level: 'warn' }), max: 2, applicationName: 'crm-sync bench' });
  const runnerPool = poolOf(runnerData);
  const notifications = new EventNotifications(db.url);
  const timings = new Map<string, Timed>();
  let callbacks = 0;
  const runner = new SubscriptionRunner(
    runnerPool,
    notifications,
    {
      name: 'bench-lag',
      handle: async (events) => {
        const now = performance.now();
        callbacks++;
        for (const event of events) {
          const timed = timings.get(event.sourceEventId);
          if (timed) timed.handledAt = now;
        }
      },
    },
    new LeaderLock(db.url, 'bench-lag'),
  );
  try {
    await notifications.start();
    runner.start();
    await waitFor(() => runner.status().leader, 10_000, 'the runner did not become leader');

    log(`${total} events at ${rate}/s from ${appenders} appenders`);
    const cpuBefore = cpuSnapshot(null, db.name);
    const spacingMs = 1_000 / rate;
    const start = performance.now() + 50;
    const payload = samplePayloads.update_column_value();
    await Promise.all(
      Array.from({ length: appenders }, async (_, a) => {
        for (let i = a; i < total; i += appenders) {
          const due = start + i * spacingMs;
          const wait = due - performance.now();
          if (wait > 1) await new Promise((r) => setTimeout(r, wait));
          const id = randomUUID();
          const timed: Timed = { sentAt: performance.now() };
          timings.set(id, timed);
          const event: NewEvent = {
            source: 'monday',
            sourceEventId: id,
            stream: `monday:item:${i % 500}`,
            type: 'monday.column_changed',
            origin: 'user',
            occurredAt: new Date(),
            payload: Object.assign({}, payload, { triggerUuid: id, benchSentAt: timed.sentAt }) as MondayUpdateColumnValue,
          };
          await appendEvents(appendPool, [event]);
          timed.committedAt = performance.now();
        }
      }),
    );
    const appendSeconds = (performance.now() - start) / 1000;
    await waitFor(() => runner.status().eventsHandled >= total, DRAIN_TIMEOUT_MS, 'the subscriber did not see every event');
    const cpu = cpuBetween(cpuBefore, cpuSnapshot(null, db.name));

  const lags: number[] = [];
    const fromSend: number[] = [];
    const appendLatencies: number[] = [];
    let seenBeforeResolved = 0;
    for (const t of timings.values()) {
      if (t.committedAt === undefined || t.handledAt === undefined) continue;
      appendLatencies.push(t.committedAt - t.sentAt);
      fromSend.push(t.handledAt - t.sentAt);
      const lag = t.handledAt - t.committedAt;
      if (lag < 0) seenBeforeResolved++;
      lags.push(Math.max(0, lag));
    }
    const p99 = percentile(lags, 99);
    report({
      bench: 'subscription',
      rows: [
        {
          events: lags.length,
          achieved_rate_per_s: Math.round(total / appendSeconds),
          lag_p50_ms: round(percentile(lags, 50), 2),
          lag_p99_ms: round(p99, 2),
          lag_max_ms: round(Math.max(...lags), 2),
          from_send_p50_ms: round(percentile(fromSend, 50), 2),
          from_send_p99_ms: round(percentile(fromSend, 99), 2),
          append_p50_ms: round(percentile(appendLatencies, 50), 2),
          append_p99_ms: round(percentile(appendLatencies, 99), 2),
          events_per_callback: round(lags.length / Math.max(1, callbacks), 2),
          others_cpu_pct: round((100 * cpu.otherMs) / cpu.capacityMs, 0),
        },
      ],
      targets: { [`lag p99 < ${TARGET_P99_MS} ms (${round(p99, 2)} ms)`]: p99 < TARGET_P99_MS },
      notes: [
        `${appenders} appenders, each appendEvents of one event on a Pool (its own transaction; one coalesced NOTIFY sent after the commit, not awaited); SubscriptionRunner with defaults (batch 500, poll 1 s) on its own pool`,
        `lag = handler time - time the append promise resolved; ${seenBeforeResolved} events were handled before their append promise resolved (counted as 0 ms); from_send = handler time - send time, an upper bound that includes the append itself`,
        'the read guard (pg_snapshot_xmin) is cluster-wide: an open transaction in ANY database on the server holds subscribers back, so other work on a shared server shows up here as lag',
      ],
    });
  } finally {
    await runner.stop().catch(() => undefined);
    await notifications.stop();
    await appendPool.end();
    await runnerData.destroy();
    await db.drop();
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number, message: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(message);
    await new Promise((r) => setTimeout(r, 10));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
