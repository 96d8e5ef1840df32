/**
 * Shared by the backfill and monday catch-up e2e tests: a test database, the Salesforce emulator
 * (empty org: the tests seed what they need, without change events), the monday emulator with the
 * demo boards on a fast clock, both real clients, and the example mapping bound to the live schemas.
 */
import type { Pool } from 'pg';
import pino from 'pino';
import { readLiveContext } from '../../src/migration/read-live-context';
import { buildSyncContext } from '../../src/sync-projector/build-sync-context';
import { BackfillPipeline } from '../../src/migration/backfill-pipeline';
import { OutboxDispatcher, type OutboxDispatcherOptions } from '../../src/outbox/dispatcher';
import { LinkIndex } from '../../src/sync-projector/link-index';
import { linkedItems } from '../../src/sync-projector/linked-items';
import { loadMapping, type Mapping } from '../../src/mapping';
import { createMondayClient, type MondayClock, type MondayPort } from '../../src/monday';
import { runBackfill, type BackfillOptions, type BackfillSummary } from '../../src/migration/backfill.runner';
import type { CachedContext } from '../../src/sync-projector/sync-context-cache';
import type { JsforceSalesforceClient, SalesforceClientOptions } from '../../src/salesforce';
import { ScaledClock } from '@crm-sync/sandbox';
import { DEMO_BOARDS, startMondayEmulator, type MondayEmulator, type MondayEmulatorOptions } from '@crm-sync/sandbox';
import type { SalesforceEmulator, SeedRecord } from '@crm-sync/sandbox';
import { EXAMPLE_MAPPING } from '../support/sandbox-schemas';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { connect, startEmulator } from './salesforce-client-support';

const FAST_RETRIES = { baseDelayMs: 10, maxDelayMs: 40, reauthDelayMs: 10, rateLimitFallbackMs: 20 };

/** Emulated ms per real ms on monday's clock: a budget minute passes in one real second. */
export const TIME_SCALE = 60;

export interface BackfillWorld {
  db: TestDatabase;
  sf: SalesforceEmulator;
  salesforce: JsforceSalesforceClient;
  mondayEmulator: MondayEmulator;
  monday: MondayPort;
  mapping: Mapping;
  live: CachedContext;
  /** `crm-sync backfill` in this process; `pool`: the database as the run sees it (default db.pool). */
  backfill(options?: BackfillOptions, pool?: Pool): Promise<BackfillSummary>;
  /** The projector and a dispatcher in this process (as `crm-sync backfill` runs them). */
  pipeline(): Promise<BackfillPipeline>;
  /**
   * A dispatcher as another service instance runs one, on the same database and emulators (not
   * started): it claims whatever is ready, a lapsed claim's commands included.
   */
  otherInstanceDispatcher(options?: OutboxDispatcherOptions): OutboxDispatcher;
  /** Waits `ms` of monday's (scaled) time. */
  mondaySleep(ms: number): Promise<void>;
  close(): Promise<void>;
}

export async function startBackfillWorld(
  options: { monday?: MondayEmulatorOptions; salesforce?: SalesforceClientOptions; mappingPath?: string; mondayApiVersion?: string } = {},
): Promise<BackfillWorld> {
  const db = await createTestDatabase();
  const sf = await startEmulator({ seed: 'empty' });
  const salesforce = await connect(sf, 'password', options.salesforce);
  const clock = new ScaledClock(TIME_SCALE);
  const mondayEmulator = await startMondayEmulator({ seed: 'demo', clock, ...options.monday });
  const mondayClock: MondayClock = { now: () => clock.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, clock.realDelay(ms))) };
  const monday = createMondayClient(
    { apiUrl: mondayEmulator.url, apiToken: mondayEmulator.apiToken, apiVersion: options.mondayApiVersion ?? '2025-10', signingSecret: null, webhookToken: null },
    { clock: mondayClock },
  );
  const mapping = loadMapping(options.mappingPath ?? EXAMPLE_MAPPING);
  const live = await readLiveContext(mapping, salesforce, monday);
  const logger = pino({ level: process.env.BACKFILL_TEST_LOG ?? 'silent' });
  return {
    db,
    sf,
    salesforce,
    mondayEmulator,
    monday,
    mapping,
    live,
    backfill: (backfillOptions = {}, pool = db.pool) =>
      runBackfill(
        { pool, databaseUrl: db.url, salesforce, monday, logger, mapping, live },
        { ...backfillOptions, bulk: { now: mondayClock.now, ...backfillOptions.bulk }, pipeline: { dispatcher: { policy: FAST_RETRIES }, ...backfillOptions.pipeline } },
      ),
    pipeline: () =>
      BackfillPipeline.start(
        { pool: db.pool, databaseUrl: db.url, salesforce, monday, logger, context: (links) => buildSyncContext(mapping, live, links) },
        { dispatcher: { policy: FAST_RETRIES } },
      ),
    otherInstanceDispatcher: (dispatcherOptions = {}) =>
      new OutboxDispatcher(
        { pool: db.pool, salesforce, monday, logger, mapping: buildSyncContext(mapping, live, new LinkIndex()).mapping, linkedItems: (itemIds) => linkedItems(db.pool, itemIds) },
        { policy: FAST_RETRIES, pollIntervalMs: 50, ...dispatcherOptions },
      ),
    mondaySleep: mondayClock.sleep,
    close: async () => {
      await mondayEmulator.close();
      await sf.close();
      await db.drop();
    },
  };
}

export const BOARDS = {
  lead: DEMO_BOARDS.leads.id,
  account: DEMO_BOARDS.accounts.id,
  opportunity: DEMO_BOARDS.opportunities.id,
  contact: DEMO_BOARDS.contacts.id,
};

/** Leads the example mapping's `backfill.where` selects (partners created after 2024-07-01). */
export function partnerLeads(count: number, prefix: string, extra: (i: number) => Record<string, unknown> = () => ({})): SeedRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    type: 'Lead',
    fields: {
      FirstName: 'Pat',
      LastName: `${prefix} ${i}`,
      Company: `${prefix} Org ${i}`,
      Email: `${prefix.toLowerCase().replace(/\W/g, '')}${i}@example.org`,
      City: `City ${i % 50}`,
      Role__c: 'Partner',
      CreatedDate: '2025-01-15T10:00:00.000Z',
      ...extra(i),
    },
  }));
}

type Item = ReturnType<MondayEmulator['control']['listItems']>[number];

/** The items of a board whose Salesforce Id column is set, by that Id. */
export function itemsBySalesforceId(world: BackfillWorld, boardId: number): Map<string, Item[]> {
  const out = new Map<string, Item[]>();
  for (const item of world.mondayEmulator.control.listItems(boardId)) {
    const id = cell(item, 'salesforce_id');
    if (typeof id !== 'string') continue;
    out.set(id, [...(out.get(id) ?? []), item]);
  }
  return out;
}

/** A cell's stored data in the emulator (text: the string; board_relation: the linked item ids; email: {email, text}). */
export function cell(item: Item, column: string): unknown {
  return item.values[column]?.data ?? null;
}

export function mondayMutations(world: BackfillWorld): number {
  return world.mondayEmulator.control.requestLog().filter((e) => e.operationType === 'mutation').length;
}
