import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { hasEventsAfter, LeaderLock, readCheckpoint, START, SubscriptionRunner } from '../event-store';
import type { MondayPort } from '../monday/monday.port';
import { OutboxDispatcher, type OutboxDispatcherOptions } from '../outbox/dispatcher';
import { countWaitingBoardCreates, countWaitingCommands } from '../outbox/waiting-commands';
import { linkedItems } from '../sync-projector/linked-items';
import { LinkIndex } from '../sync-projector/link-index';
import type { SyncContext } from '../sync-projector/sync-context';
import { SyncProjector, SYNC_PROJECTOR } from '../sync-projector/sync-projector';
import { loadLinks } from '../sync-projector/sync-records.repository';
import type { SalesforcePort } from '../salesforce/salesforce.port';

export interface PipelineDeps {
  pool: Pool;
  databaseUrl: string;
  salesforce: SalesforcePort;
  monday: MondayPort;
  logger: Logger;
  /** Builds the projector's context around the link index the pipeline loads. */
  context: (links: LinkIndex) => SyncContext;
}

export interface PipelineOptions {
  dispatcher?: OutboxDispatcherOptions;
  /** How often the projector looks for events and the drain checks (default 50 ms). */
  pollIntervalMs?: number;
}

/**
 * Who turns the backfill's events into writes. When no service instance holds the sync projector's
 * leadership, the backfill runs the projector and a dispatcher in its own process ('in_process');
 * when a service does, the backfill only appends and the service's projector and dispatchers do the
 * rest ('service'). Either way the two share work through Postgres (leader lock, SKIP LOCKED).
 */
export class BackfillPipeline {
  private constructor(
    private readonly pool: Pool,
    readonly mode: 'in_process' | 'service',
    readonly context: SyncContext | null,
    private readonly projector: SubscriptionRunner | null,
    private readonly dispatcher: OutboxDispatcher | null,
    private readonly pollIntervalMs: number,
    private readonly deps: PipelineDeps | null = null,
    private readonly dispatcherOptions: OutboxDispatcherOptions = {},
  ) {}

  static async start(deps: PipelineDeps, options: PipelineOptions = {}): Promise<BackfillPipeline> {
    const pollIntervalMs = options.pollIntervalMs ?? 50;
    const lock = new LeaderLock(deps.databaseUrl, `projector:${SYNC_PROJECTOR}`);
    if (!(await lock.tryAcquire())) {
      deps.logger.info('a running service holds the sync projector: the backfill only appends events and waits for the service to send them');
      return new BackfillPipeline(deps.pool, 'service', null, null, null, pollIntervalMs);
    }
    const links = new LinkIndex();
    for (const link of await loadLinks(deps.pool)) links.add(link.objectKey, link.salesforceId, link.itemId);
    const context = deps.context(links);
    const projector = new SubscriptionRunner(deps.pool, null, new SyncProjector(() => context, links), lock, {
      pollIntervalMs,
      onError: (error) => deps.logger.error({ err: error, projector: SYNC_PROJECTOR }, 'sync projector batch failed; retrying'),
      onParked: (parked) =>
        deps.logger.error({ position: parked.position, type: parked.eventType, records: parked.recordKeys, err: parked.error.message }, 'event could not be decided and was parked (GET /admin/parked-events)'),
    });
    const dispatcher = new OutboxDispatcher(
      { pool: deps.pool, salesforce: deps.salesforce, monday: deps.monday, logger: deps.logger, mapping: context.mapping, linkedItems: (itemIds) => linkedItems(deps.pool, itemIds) },
      { pollIntervalMs, batchSize: 500, ...options.dispatcher },
    );
    projector.start();
    dispatcher.start();
    return new BackfillPipeline(deps.pool, 'in_process', context, projector, dispatcher, pollIntervalMs, deps, { pollIntervalMs, ...options.dispatcher });
  }

  /**
   * Resolves once everything appended so far is projected and every command it caused (and their
   * follow-ups: links, relations) is done or dead-lettered: outbox settled, projector caught up,
   * outbox still settled (a projector batch committing in between would have added commands).
   */
  async settled(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) return;
      if ((await this.outboxOpen()) === 0 && !(await this.projectorBehind()) && (await this.outboxOpen()) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, this.pollIntervalMs));
    }
  }

  /**
   * Back-pressure: resolves once fewer than `limit` commands wait in the outbox. A backfill reads
   * Salesforce far faster than monday's budget lets the writes out; without this the whole history
   * would sit in the outbox at once, and every claim would scan it.
   */
  async roomInOutbox(limit: number, signal?: AbortSignal): Promise<void> {
    while (!signal?.aborted && (await this.outboxOpen()) >= limit) await new Promise((resolve) => setTimeout(resolve, this.pollIntervalMs));
  }

  /** Holds the writes back (bulk import: creates gather in the outbox until a job's worth is there). */
  async pauseDispatch(): Promise<void> {
    await this.dispatcher?.stop();
  }

  resumeDispatch(): void {
    this.dispatcher?.start();
  }

  /** Resolves once the projector has decided everything appended so far. */
  async projected(signal?: AbortSignal): Promise<void> {
    while (!signal?.aborted && (await this.projectorBehind())) await new Promise((resolve) => setTimeout(resolve, this.pollIntervalMs));
  }

  /** monday.create_item commands waiting in the outbox for a board that no bulk-import job has taken yet. */
  async pendingCreates(boardId: string): Promise<number> {
    return countWaitingBoardCreates(this.pool, boardId);
  }

  /**
   * A dispatcher that sends nothing on its own (never started): bulk-import jobs hand it the
   * commands they held, once each job is over (OutboxDispatcher.dispatchHeld).
   */
  heldCommandSender(): { dispatcher: OutboxDispatcher; linkedItems: (itemIds: readonly string[]) => Promise<Map<string, string>> } {
    if (!this.deps || !this.context) throw new Error('only an in-process pipeline sends writes itself');
    const pool = this.deps.pool;
    const linked = (itemIds: readonly string[]) => linkedItems(pool, itemIds);
    const dispatcher = new OutboxDispatcher(
      { pool, salesforce: this.deps.salesforce, monday: this.deps.monday, logger: this.deps.logger, mapping: this.context.mapping, linkedItems: linked },
      this.dispatcherOptions,
    );
    return { dispatcher, linkedItems: linked };
  }

  async stop(): Promise<void> {
    await this.dispatcher?.stop();
    await this.projector?.stop();
  }

  private outboxOpen(): Promise<number> {
    return countWaitingCommands(this.pool);
  }

  private async projectorBehind(): Promise<boolean> {
    return hasEventsAfter(this.pool, (await readCheckpoint(this.pool, SYNC_PROJECTOR)) ?? START);
  }
}
