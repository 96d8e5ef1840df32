import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { createDeadLetterAlerts } from '../alerts';
import type { AppConfig } from '../config/app-config';
import type { HealthRegistry } from '../observability/health-registry';
import type { MondayPort } from '../monday/monday.port';
import type { ResolvedMapping } from '../mapping/resolved-mapping';
import type { SalesforcePort } from '../salesforce/salesforce.port';
import { OutboxDispatcher, type OutboxDispatcherDeps, type OutboxDispatcherOptions } from './dispatcher';
import { outboxDispatchCheck, readLeaseCounts } from './outbox-health';
import { OutboxNotifications } from './outbox-notifications';

export { OutboxDispatcher, type OutboxDispatcherDeps, type OutboxDispatcherOptions } from './dispatcher';
export { OutboxNotifications, OUTBOX_CHANNEL, type OutboxWake } from './outbox-notifications';
export { decideFailure, backoffWindow, DEFAULT_FAILURE_POLICY, type FailureAction, type FailurePolicyOptions } from './failure-policy';
export { isRejectedValue, listDeadLetters, retryDeadLetter, outboxStatus, type DeadLetter, type DeadLetterRecordKeys, type OutboxStatus, type RecordKeysReader } from './dead-letters';
export type { OutboxCommand, OutboxCommandKind, OutboxRow, WrittenValues } from '../sync-commands/outbox-command';

export interface RunningOutboxDispatch {
  dispatcher: OutboxDispatcher;
  /** Stops claiming, finishes the batch in flight, closes LISTEN and sends a pending alert summary. */
  stop(): Promise<void>;
}

/**
 * Everything the service needs to send commands: the LISTEN connection for outbox inserts, the alerts
 * from config, and the dispatcher loop (started). One per instance.
 */
export interface OutboxDispatchInput {
  config: Pick<AppConfig, 'alerts' | 'secretValues'>;
  databaseUrl: string;
  pool: Pool;
  logger: Logger;
  salesforce: SalesforcePort;
  monday: MondayPort;
  mapping: ResolvedMapping | null;
  /** The links the projectors keep (`linkedItems` of src/sync-projector), for the create's match. */
  linkedItems: OutboxDispatcherDeps['linkedItems'];
  health?: HealthRegistry;
  options?: OutboxDispatcherOptions;
}

export async function startOutboxDispatch(input: OutboxDispatchInput): Promise<RunningOutboxDispatch> {
  const logger = input.logger.child({ component: 'outbox' });
  const wake = new OutboxNotifications(input.databaseUrl);
  await wake.start();
  const alerts = createDeadLetterAlerts(input.config, logger);
  const dispatcher = new OutboxDispatcher(
    { pool: input.pool, salesforce: input.salesforce, monday: input.monday, logger, mapping: input.mapping, linkedItems: input.linkedItems, alerts, wake, secretValues: input.config.secretValues },
    input.options,
  );
  dispatcher.start();
  input.health?.register('outbox_dispatcher', async () =>
    outboxDispatchCheck(dispatcher.running, await readLeaseCounts(input.pool, dispatcher.leaseMs)),
  );
  return {
    dispatcher,
    stop: async () => {
      await dispatcher.stop();
      await wake.stop();
      await alerts?.close();
    },
  };
}
