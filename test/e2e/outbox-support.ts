/**
 * Shared by the outbox e2e tests: a test database, both emulators with their real clients, and a
 * dispatcher with fast retry delays.
 */
import pino from 'pino';
import type { DeadLetterAlerts } from '../../src/alerts/dead-letter-alert';
import { createMondayClient, type MondayPort } from '../../src/monday';
import type { Logger } from '../../src/observability/logger';
import { OutboxDispatcher, type OutboxDispatcherOptions } from '../../src/outbox/dispatcher';
import type { SalesforcePort } from '../../src/salesforce';
import type { OutboxCommand } from '../../src/sync-commands/outbox-command';
import { DEMO_BOARDS, startMondayEmulator, type MondayEmulator } from '@crm-sync/sandbox';
import type { SalesforceEmulator } from '@crm-sync/sandbox';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { connect, startEmulator } from './salesforce-client-support';
import { linkedItems } from '../../src/sync-projector/linked-items';

export interface OutboxWorld {
  db: TestDatabase;
  sf: SalesforceEmulator;
  salesforce: SalesforcePort;
  mondayEmulator: MondayEmulator;
  monday: MondayPort;
  logger: Logger;
  close(): Promise<void>;
}

export async function startOutboxWorld(): Promise<OutboxWorld> {
  const db = await createTestDatabase();
  const sf = await startEmulator();
  const salesforce = await connect(sf);
  const mondayEmulator = await startMondayEmulator({ seed: 'demo' });
  const monday = createMondayClient({ apiUrl: mondayEmulator.url, apiToken: mondayEmulator.apiToken, apiVersion: '2025-10', signingSecret: null, webhookToken: null });
  const logger = pino({ level: process.env.OUTBOX_TEST_LOG ?? 'silent' });
  return {
    db,
    sf,
    salesforce,
    mondayEmulator,
    monday,
    logger,
    close: async () => {
      await mondayEmulator.close();
      await sf.close();
      await db.drop();
    },
  };
}

/** Millisecond retry delays so retries happen within a test's patience. */
export const FAST_POLICY = { baseDelayMs: 10, maxDelayMs: 40, reauthDelayMs: 10, rateLimitFallbackMs: 20 };

export function dispatcherFor(
  world: OutboxWorld,
  options: OutboxDispatcherOptions = {},
  extra: { monday?: MondayPort; alerts?: DeadLetterAlerts; now?: () => Date } = {},
): OutboxDispatcher {
  return new OutboxDispatcher(
    {
      pool: world.db.pool,
      salesforce: world.salesforce,
      monday: extra.monday ?? world.monday,
      logger: world.logger,
      linkedItems: (itemIds) => linkedItems(world.db.pool, itemIds),
      alerts: extra.alerts ?? null,
      ...(extra.now ? { now: extra.now } : {}),
    },
    { pollIntervalMs: 20, batchSize: 500, ...options, policy: { ...FAST_POLICY, ...options.policy } },
  );
}

export async function eventsOfType(world: OutboxWorld, type: string): Promise<Array<{ stream: string; payload: Record<string, unknown>; source_event_id: string }>> {
  const { rows } = await world.db.pool.query<{ stream: string; payload: Record<string, unknown>; source_event_id: string }>(
    'SELECT stream, payload, source_event_id FROM events WHERE type = $1 ORDER BY position',
    [type],
  );
  return rows;
}

/** A `monday.create_item` of a Lead on the demo Leads board, keyed by its Salesforce Id column. */
export function leadCreateCommand(salesforceId: string, name: string): OutboxCommand {
  const columns = DEMO_BOARDS.leads.columns;
  return {
    kind: 'monday.create_item',
    target: 'monday',
    objectKey: 'lead',
    boardId: String(DEMO_BOARDS.leads.id),
    groupId: null,
    salesforceObject: 'Lead',
    salesforceId,
    name,
    columnValues: { [columns.lastName]: name },
    createLabelsIfMissing: false,
    salesforceIdColumn: columns.salesforceId,
  };
}
