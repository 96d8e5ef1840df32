/**
 * bench/sandbox-cdc: CDC events per second the Salesforce emulator's CometD endpoint delivers to one real faye
 * subscriber on loopback (long-polling, as jsforce streams). The service's CDC target is 2 000 events/s; the
 * emulator must deliver at least 3x that so it never limits the service's own benchmarks.
 *
 * Two workloads, each bounded by --events:
 *  - burst: all events are in the log before the subscriber's next connect (catch-up, e.g. after a replay);
 *  - live: a producer appends --chunk events per event-loop turn while the subscriber is connected.
 * The rate is events received / time from the first append to the last event received.
 *
 *   npx tsx bench/sandbox-cdc.ts [--events 20000] [--chunk 50]
 */
import { createRequire } from 'node:module';
import Fastify from 'fastify';
import { ScaledClock } from '@crm-sync/sandbox';
import type { ChangeEventPayload } from '@crm-sync/sandbox';
import { InMemoryChangeEventLog } from '@crm-sync/sandbox';
import { registerCometd } from '@crm-sync/sandbox';
import { numberOption } from './support/bench-options';
import { log, report, round, type Row } from './support/bench-report';

const TARGET_EVENTS_PER_SECOND = 6_000;
const CHANNEL = '/data/ChangeEvents';

interface FayeSubscription {
  then(onFulfilled: () => void, onRejected: (error: unknown) => void): void;
}
interface FayeClient {
  setHeader(name: string, value: string): void;
  subscribe(channel: string, listener: (data: { event: { replayId: number } }) => void): FayeSubscription;
  disconnect(): { then(onFulfilled: () => void, onRejected: () => void): void } | undefined;
}
const faye = createRequire(__filename)('faye') as { Client: new (url: string) => FayeClient };

for (const name of ['http_proxy', 'HTTP_PROXY']) delete process.env[name];

/** A realistic UPDATE payload (~0.5 kB on the wire), as the record store emits for a Lead edit. */
function leadUpdate(index: number): { schema: string; payload: ChangeEventPayload } {
  return {
    schema: 'V2MGwDA2aIP0yQS98S2L6Q',
    payload: {
      ChangeEventHeader: {
        entityName: 'Lead',
        recordIds: [`00Q5f${String(index).padStart(10, '0')}AAA`],
        changeType: 'UPDATE',
        changeOrigin: 'com/salesforce/api/rest/62.0;client=bench',
        transactionKey: `00006948-0ac9-7da3-edb3-${String(index).padStart(12, '0')}`,
        sequenceNumber: 1,
        commitTimestamp: Date.now(),
        commitNumber: 1100638524517 + index,
        commitUser: '0055f000005mc66AAA',
        changedFields: ['Status', 'Phone', 'LastModifiedDate'],
      },
      Status: 'Working - Contacted',
      Phone: null,
      LastModifiedDate: new Date().toISOString(),
    },
  };
}

async function measure(workload: 'burst' | 'live', events: number, chunk: number): Promise<Row> {
  const app = Fastify({ logger: false });
  let requests = 0;
  app.addHook('onRequest', async () => {
    requests += 1;
  });
  const clock = new ScaledClock();
  const eventLog = new InMemoryChangeEventLog(clock);
  registerCometd(app, { log: eventLog, clock, authenticate: () => ({ userId: '0055f000005mc66AAA' }), cdcEntities: () => ['Lead'] });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  const client = new faye.Client(`http://127.0.0.1:${port}/cometd/62.0`);
  client.setHeader('Authorization', 'OAuth bench');
  try {
    let received = 0;
    let lastReplayId = 0;
    let outOfOrder = 0;
    let done: () => void = () => undefined;
    const allReceived = new Promise<void>((resolve) => (done = resolve));
    await new Promise<void>((resolve, reject) => {
      client
        .subscribe(CHANNEL, (data) => {
          if (data.event.replayId <= lastReplayId) outOfOrder += 1;
          lastReplayId = data.event.replayId;
          received += 1;
          if (received === events) done();
        })
        .then(resolve, reject);
    });
    const requestsBefore = requests;
    const started = process.hrtime.bigint();
    if (workload === 'burst') {
      for (let index = 0; index < events; index += chunk) {
        eventLog.append(Array.from({ length: Math.min(chunk, events - index) }, (_, offset) => leadUpdate(index + offset)));
      }
    } else {
      for (let index = 0; index < events; index += chunk) {
        eventLog.append(Array.from({ length: Math.min(chunk, events - index) }, (_, offset) => leadUpdate(index + offset)));
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    const deadline = setTimeout(() => done(), 120_000);
    await allReceived;
    clearTimeout(deadline);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (received < events) throw new Error(`${workload}: only ${received} of ${events} events arrived within 120 s`);
    const httpRequests = requests - requestsBefore;
    log(`${workload}: ${received} events in ${round(seconds, 2)} s over ${httpRequests} long-poll requests`);
    return {
      workload,
      events: received,
      seconds: round(seconds, 2),
      events_per_s: Math.round(received / seconds),
      events_per_request: round(received / Math.max(1, httpRequests), 1),
      out_of_order: outOfOrder,
    };
  } finally {
    await new Promise<void>((resolve) => {
      const reply = client.disconnect();
      if (reply) reply.then(resolve, resolve);
      else resolve();
    });
    await app.close();
  }
}

async function main(): Promise<void> {
  const events = numberOption('events', 20_000);
  const chunk = numberOption('chunk', 50);
  const rows = [await measure('burst', events, chunk), await measure('live', events, chunk)];
  const slowest = Math.min(...rows.map((row) => Number(row.events_per_s)));
  report({
    bench: 'sandbox-cdc',
    targets: { [`events_per_s >= ${TARGET_EVENTS_PER_SECOND} (3x the service's 2 000/s)`]: slowest >= TARGET_EVENTS_PER_SECOND },
    rows,
    notes: [`one faye 1.4 subscriber on ${CHANNEL}, long-polling on loopback; up to 1 000 events per /meta/connect reply`],
  });
  if (slowest < TARGET_EVENTS_PER_SECOND) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
