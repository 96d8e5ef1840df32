/**
 * Batched CDC delivery (issue 4 throughput): a channel hands `onEvents` everything queued at once,
 * capped at maxBatch; a failed delivery comes again as a whole from the last resolved batch, and the
 * ingest stores each delivery's events with its LAST replay id in one transaction (invariant 5).
 */
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { SalesforceCdcIngest } from '../../src/ingest/salesforce/salesforce-cdc.ingest';
import {
  createChangeEventStream,
  createSalesforceClient,
  type ChangeEventMessage,
  type ChangeEventStream,
  type ChannelListener,
  type JsforceSalesforceClient,
} from '../../src/salesforce';
import { startSalesforceEmulator, type SalesforceEmulator } from '@crm-sync/sandbox';
import { expectEventually } from '../support/eventually';
import { salesforceOnlyEnv } from '../support/salesforce-emulator-env';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const LEADS = '/data/LeadChangeEvent';
const FAST_STREAM = { backoff: { initialMs: 20, maxMs: 200 } };
const silent = pino({ level: 'silent' });

function lastNameOf(message: ChangeEventMessage): string {
  const name = message.payload.Name as { LastName?: string } | undefined;
  return String(name?.LastName ?? message.payload.LastName);
}

/** Wraps a stream so a test can intercept every delivery the ingest receives. */
function interceptDeliveries(
  inner: ChangeEventStream,
  around: (batch: ChangeEventMessage[], handle: (batch: ChangeEventMessage[]) => Promise<void>) => Promise<void>,
): ChangeEventStream {
  return {
    subscribe: (channel, from, listener) => {
      const onEvents = listener.onEvents?.bind(listener);
      if (!onEvents) throw new Error('the ingest is expected to take batches');
      return inner.subscribe(channel, from, { ...listener, onEvents: (batch) => around(batch, onEvents) });
    },
    states: () => inner.states(),
    close: () => inner.close(),
  };
}

describe('Batched CDC delivery', () => {
  let emulator: SalesforceEmulator;
  let db: TestDatabase;
  let client: JsforceSalesforceClient;
  const streams: ChangeEventStream[] = [];
  const ingests: SalesforceCdcIngest[] = [];

  beforeEach(async () => {
    emulator = await startSalesforceEmulator({ cometd: { holdMs: 200 } });
    db = await createTestDatabase();
    const config = loadConfig({}, salesforceOnlyEnv(emulator));
    client = await createSalesforceClient(config.salesforce);
  });
  afterEach(async () => {
    for (const ingest of ingests.splice(0)) await ingest.stop();
    for (const stream of streams.splice(0)) await stream.close();
    await db.drop();
    await emulator.close();
  });

  function stream(options: { maxBatch?: number } = {}): ChangeEventStream {
    const created = createChangeEventStream(client, { ...FAST_STREAM, ...options });
    streams.push(created);
    return created;
  }

  /** Leads created while nobody listens, plus the replay id to resume from before them. */
  async function leadsQueuedWhileDown(names: string[]): Promise<number> {
    const probe = stream();
    let last: number | null = null;
    const handle = probe.subscribe(LEADS, -1, { onEvent: async (m) => void (last = m.replayId) });
    await expectEventually(() => expect(handle.state().status).toBe('subscribed'));
    emulator.control.createAsHuman('Lead', { LastName: 'Before', Company: 'Batch Co' });
    await expectEventually(() => expect(last).not.toBeNull());
    await handle.close();
    for (const name of names) emulator.control.createAsHuman('Lead', { LastName: name, Company: 'Batch Co' });
    return last!;
  }

  const lastIdOf = (batch: ChangeEventMessage[]) => batch[batch.length - 1]?.replayId;
  const names = (count: number) => Array.from({ length: count }, (_, i) => `L${i}`);

  it('messages queued on a channel reach onEvents together, in order, never more than maxBatch per delivery', async () => {
    const from = await leadsQueuedWhileDown(names(20));
    const deliveries: string[][] = [];
    let lastDelivery: ChangeEventMessage[] = [];
    let active = 0;
    let maxActive = 0;
    const listener: ChannelListener = {
      onEvents: async (batch) => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        deliveries.push(batch.map(lastNameOf));
        lastDelivery = batch;
        await Promise.resolve();
        active -= 1;
      },
    };
    const handle = stream({ maxBatch: 8 }).subscribe(LEADS, from, listener);

    await expectEventually(() => expect(deliveries.flat()).toEqual(names(20)));
    expect(deliveries.length).toBeLessThan(20);
    expect(Math.max(...deliveries.map((d) => d.length))).toBe(8);
    expect(maxActive).toBe(1);
    expect(handle.state().lastReplayId).toBe(lastIdOf(lastDelivery));
  });

  it('a rejected batch comes again whole, from the first message after the last resolved batch', async () => {
    const from = await leadsQueuedWhileDown(names(12));
    const attempts: ChangeEventMessage[][] = [];
    const resolved: ChangeEventMessage[][] = [];
    let failed = false;
    const listener: ChannelListener = {
      onEvents: async (batch) => {
        attempts.push(batch);
        if (!failed && resolved.length === 1) {
          failed = true;
          throw new Error('database unavailable');
        }
        resolved.push(batch);
      },
    };
    const handle = stream({ maxBatch: 5 }).subscribe(LEADS, from, listener);

    await expectEventually(() => expect(resolved.flat().map(lastNameOf)).toEqual(names(12)));
    expect(failed).toBe(true);
    // What comes after the failure starts with the whole failed batch, from its first message: nothing skipped.
    expect(attempts[1]!.length).toBeGreaterThan(1);
    const redelivered = attempts.slice(2).flat().slice(0, attempts[1]!.length);
    expect(redelivered.map(lastNameOf)).toEqual(attempts[1]!.map(lastNameOf));
    expect(lastNameOf(attempts[1]![0]!)).toBe(names(12)[resolved[0]!.length]);
    expect(handle.state().lastReplayId).toBe(lastIdOf(resolved[resolved.length - 1]!));
  });

  it('the ingest stores a failed batch exactly once on redelivery, and the stored replay id never runs ahead of stored events', async () => {
    const first = new SalesforceCdcIngest(db.pool, db.url, stream(), ['Lead'], 'crm-sync', silent, { takeoverIntervalMs: 100 });
    ingests.push(first);
    await first.start();
    await expectEventually(() => expect(first.states().map((s) => s.status)).toEqual(['subscribed']));
    emulator.control.createAsHuman('Lead', { LastName: 'Seed', Company: 'Batch Co' });
    const rows = async () =>
      (await db.pool.query<{ source_event_id: string; payload: { replayId: number; fields: { LastName?: string } } }>(
        "SELECT source_event_id, payload FROM events WHERE type = 'salesforce.record_changed' ORDER BY position",
      )).rows;
    const storedReplayId = async () => {
      const { rows: position } = await db.pool.query<{ replay_id: string }>('SELECT replay_id FROM cdc_positions WHERE channel = $1', [LEADS]);
      return position[0] ? Number(position[0].replay_id) : null;
    };
    await expectEventually(async () => expect(await rows()).toHaveLength(1));
    await first.stop();
    for (const name of names(30)) emulator.control.createAsHuman('Lead', { LastName: name, Company: 'Batch Co' });

    const committedLast: number[] = [];
    const positionWhenFailing: Array<number | null> = [];
    let failures = 0;
    const intercepted = interceptDeliveries(stream({ maxBatch: 7 }), async (batch, handle) => {
      const last = batch[batch.length - 1]!.replayId;
      if (committedLast.length === 1 && failures === 0) {
        // Fails before storing: nothing of this batch may be stored, the position stays at the last commit.
        failures += 1;
        positionWhenFailing.push(await storedReplayId());
        throw new Error('database unavailable');
      }
      await handle(batch);
      if (committedLast.length === 2 && failures === 1) {
        // Fails after its commit: the adapter redelivers a batch that is already stored.
        failures += 1;
        throw new Error('acknowledgement lost');
      }
      committedLast.push(last);
    });
    const second = new SalesforceCdcIngest(db.pool, db.url, intercepted, ['Lead'], 'crm-sync', silent, { takeoverIntervalMs: 100 });
    ingests.push(second);
    await second.start();

    await expectEventually(async () => expect((await rows()).map((r) => r.payload.fields.LastName)).toEqual(['Seed', ...names(30)]), { timeoutMs: 15_000 });
    expect(failures).toBe(2);
    expect(positionWhenFailing).toEqual([committedLast[0]]);
    const stored = await rows();
    expect(new Set(stored.map((r) => r.source_event_id)).size).toBe(31);
    await expectEventually(async () => expect(await storedReplayId()).toBe(stored[30]!.payload.replayId));
    expect(committedLast[committedLast.length - 1]).toBe(stored[30]!.payload.replayId);
  });
});
