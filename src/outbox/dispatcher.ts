import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { DeadLetterAlerts } from '../alerts/dead-letter-alert';
import type { MondayPort } from '../monday/monday.port';
import type { ResolvedMapping } from '../mapping/resolved-mapping';
import type { SalesforcePort } from '../salesforce/salesforce.port';
import { groupForDispatch, type DispatchGroups } from './batch-groups';
import { claimCommands, saveProgress, type ClaimedCommand } from './claim';
import { ClaimLease } from './claim-lease';
import { isTransientDatabaseError } from '../event-store/transient-error';
import { dispatcherError, internalError, toDispatchError, type DispatchError } from './dispatch-error';
import { decideFailure, DEFAULT_FAILURE_POLICY, type FailurePolicyOptions } from './failure-policy';
import { fieldLocation } from './field-location';
import { leaseGuardedPorts } from './lease-guarded-ports';
import { failed, type DispatchContext, type HandlerResult, type HandlerResults } from './handlers/handler-types';
import { handleMondayCreates } from './handlers/monday-create-item.handler';
import { handleMondayRefreshes } from './handlers/monday-refresh-item.handler';
import { handleMergeFollowUps } from './handlers/monday-merge-follow-up.handler';
import { handleMondayWrites } from './handlers/monday-write.handler';
import { handleLeadConversions } from './handlers/salesforce-convert-lead.handler';
import { handleSalesforceCreates } from './handlers/salesforce-create.handler';
import { handleSalesforceDeletes } from './handlers/salesforce-delete.handler';
import { handleSalesforceMerges } from './handlers/salesforce-merge.handler';
import { handleSalesforceUpdates } from './handlers/salesforce-update.handler';
import { outboxMetrics } from './outbox-metrics';
import type { OutboxWake } from './outbox-notifications';
import { recordOutcomes, type Settlement } from './record-outcomes';
import { commandFailedEvent, commandSucceededEvent, type StoredError } from './result-events';
import { describeRecord } from './describe-record';
import { scrubSecrets } from './scrub-secrets';

export interface OutboxDispatcherDeps {
  pool: Pool;
  salesforce: SalesforcePort;
  monday: MondayPort;
  logger: Logger;
  /** For hints that name the mapping line, the converted status and Id columns the commands omit. */
  mapping?: ResolvedMapping | null;
  /**
   * Which monday items the sync already links (item id -> Salesforce Id), for the create's match:
   * the projectors own the links (`linkedItems` in src/sync-projector); the dispatcher only asks.
   */
  linkedItems: (itemIds: readonly string[]) => Promise<Map<string, string>>;
  alerts?: DeadLetterAlerts | null;
  /** Wakes the loop when rows are inserted (OutboxNotifications); without it the loop only polls. */
  wake?: OutboxWake | null;
  /** Cut out of every failure before it is stored (a CRM error message may echo a token). */
  secretValues?: readonly string[];
  now?: () => Date;
  /** Monotonic milliseconds for leases (default performance.now). */
  clock?: () => number;
}

/** Short enough that another instance takes a dead one's commands over well within 30 s (interface.md 5). */
export const DEFAULT_LEASE_MS = 20_000;

/**
 * A claim's lease while a write is in flight, which bounds each of its requests (write-deadline.ts):
 * a request still unanswered after about 44 s is cut (a transient failure, retried; creates look
 * their record up first), below the clients' own timeouts (Salesforce 120 s, monday 65 s), so that
 * an instance killed mid-write has its commands taken over within 45 s.
 */
export const DEFAULT_WRITE_LEASE_MS = 45_000;

/**
 * Outcomes recorded per transaction. Each command's status and events stay in one transaction; a
 * bulk-import claim of 20,000 commands recorded at once serialized all their events (values
 * included) into one statement, the bulk path's largest allocation.
 */
const SETTLEMENTS_PER_TRANSACTION = 1_000;

export interface OutboxDispatcherOptions {
  /** Commands claimed per batch (default 200). */
  batchSize?: number;
  /**
   * How long a claim is ours unless renewed; the dispatcher renews it every quarter lease while it
   * works, so this is how long a dead instance's commands wait to be taken over (default 20 s).
   */
  leaseMs?: number;
  /** Poll interval when idle and not woken (default 1 s); retries that come due are found by it. */
  pollIntervalMs?: number;
  /**
   * The lease a claim is extended to while a write of it is in flight (default 45 s); each request's
   * timeout is capped by what is left of it. An instance that dies mid-write has its commands taken
   * over after at most this long.
   */
  writeLeaseMs?: number;
  /** Lease a write must still have left once extended, when it starts (default half the lease). */
  sendMarginMs?: number;
  policy?: Partial<FailurePolicyOptions>;
}

/**
 * Sends outbox commands to the CRMs; runs on every instance. Each batch: claim ready record heads
 * (claim.ts), group them (batch-groups.ts), run the handlers of each group side by side, decide what
 * each failure means (failure-policy.ts), and record every outcome with its events in one
 * transaction (record-outcomes.ts). Dead letters are alerted after they are committed.
 */
export class OutboxDispatcher {
  private readonly batchSize: number;
  /** How long a claim holds its commands; a dead dispatcher's commands wait this long to be taken over. */
  readonly leaseMs: number;
  private readonly pollIntervalMs: number;
  private readonly sendMarginMs: number;
  /** The lease a claim holds while a write of it is in flight (also a bulk-import job's, around its upload). */
  readonly writeLeaseMs: number;
  private readonly clock: () => number;
  private readonly policy: FailurePolicyOptions;
  private readonly now: () => Date;
  private active = false;
  private loop: Promise<void> | null = null;
  private current: Promise<number> | null = null;
  private wakeUp: (() => void) | null = null;
  private pendingWake = false;
  private unsubscribe: (() => void) | null = null;
  private salesforceUser: Promise<string> | null = null;
  private mondayUser: Promise<string> | null = null;

  constructor(
    private readonly deps: OutboxDispatcherDeps,
    options: OutboxDispatcherOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 200;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.sendMarginMs = options.sendMarginMs ?? Math.floor(this.leaseMs / 2);
    this.writeLeaseMs = options.writeLeaseMs ?? DEFAULT_WRITE_LEASE_MS;
    this.clock = deps.clock ?? (() => performance.now());
    this.policy = { ...DEFAULT_FAILURE_POLICY, ...options.policy };
    this.now = deps.now ?? (() => new Date());
  }

  /** Whether the loop is started (and not stopped). */
  get running(): boolean {
    return this.active;
  }

  start(): void {
    if (this.active) return;
    this.active = true;
    this.unsubscribe = this.deps.wake?.onInserted(() => this.poke()) ?? null;
    this.loop = this.run();
  }

  /** Stops claiming, finishes the batch in flight (its outcomes are recorded), then resolves. */
  async stop(): Promise<void> {
    this.active = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.poke();
    await this.loop;
    this.loop = null;
  }

  /** Resolves when no batch is in flight. */
  async idle(): Promise<void> {
    await this.current?.catch(() => undefined);
  }

  /** Claims and dispatches one batch; returns how many commands it claimed. */
  dispatchOnce(): Promise<number> {
    const batch = this.dispatchBatch();
    this.current = batch;
    return batch.finally(() => {
      if (this.current === batch) this.current = null;
    });
  }

  private async run(): Promise<void> {
    while (this.active) {
      let claimed = 0;
      this.pendingWake = false;
      try {
        claimed = await this.dispatchOnce();
      } catch (error) {
        this.deps.logger.error({ err: error }, 'outbox dispatch batch failed; retrying after the poll interval');
      }
      if (claimed === 0 && this.active) await this.sleep(this.pollIntervalMs);
    }
  }

  private poke(): void {
    if (this.wakeUp) this.wakeUp();
    // An insert noticed while a claim is running (that may have found nothing yet): don't sleep.
    else this.pendingWake = true;
  }

  private sleep(ms: number): Promise<void> {
    if (this.pendingWake) {
      this.pendingWake = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = null;
        done();
      };
    });
  }

  /**
   * One claim: its lease is renewed while the batch runs, re-confirmed (the fencing check) right
   * before the batch is sent, and every write checks it still holds (leaseGuardedPorts): a claim that
   * was taken over, or whose lease may have lapsed, sends nothing more.
   */
  private async dispatchBatch(): Promise<number> {
    const claimToken = randomUUID();
    const claimedAt = this.clock();
    const claimed = await claimCommands(this.deps.pool, { limit: this.batchSize, leaseMs: this.leaseMs, claimToken });
    if (claimed.length === 0) return 0;
    return this.dispatchUnderLease(claimed, claimToken, claimedAt);
  }

  /** `claimedAt`: a local time (this.clock) no later than the one Postgres last set the lease at. */
  private async dispatchUnderLease(claimed: ClaimedCommand[], claimToken: string, claimedAt: number): Promise<number> {
    const lease = new ClaimLease(this.deps.pool, claimed.map((c) => c.id), claimToken, {
      leaseMs: this.leaseMs,
      writeLeaseMs: this.writeLeaseMs,
      clock: this.clock,
      claimedAt,
      onRenewalError: (error) => this.deps.logger.warn({ err: error, commands: claimed.length }, 'outbox lease renewal failed; the next one retries'),
    });
    lease.keepRenewed();
    try {
      const ours = await lease.confirm();
      if (ours.size < claimed.length) {
        outboxMetrics.claimsLost.inc({ stage: 'before_send' }, claimed.length - ours.size);
        this.deps.logger.warn({ commands: claimed.length, held: ours.size }, 'outbox claim lost before sending (lease lapsed or taken over); not sent by this dispatcher');
      }
      const toSend = claimed.filter((c) => ours.has(c.id));
      if (toSend.length > 0) await this.dispatchClaimed(toSend, lease);
      return claimed.length;
    } finally {
      lease.stop();
    }
  }

  /**
   * Sends commands claimed elsewhere under `claimToken` (a bulk-import job's rows, whose claim the
   * job held while it ran): fenced, handled and settled as a claim of this dispatcher's own. How long
   * that claim's last renewal holds is not known here, and need not be: the first confirmation is
   * issued at once and nothing is sent before it answers; a command it returns is still in flight
   * under this token (no one claimed it since), and its answer alone bounds the lease from then on.
   */
  dispatchHeld(claimed: ClaimedCommand[], claimToken: string): Promise<number> {
    return claimed.length === 0 ? Promise.resolve(0) : this.dispatchUnderLease(claimed, claimToken, this.clock());
  }

  /** `me.id` of our monday token, asked once; a failed ask is asked again next time. */
  private mondayUserId(): Promise<string> {
    this.mondayUser ??= this.deps.monday.me().then(
      (me) => me.id,
      (error: unknown) => {
        this.mondayUser = null;
        throw error;
      },
    );
    return this.mondayUser;
  }

  private async dispatchClaimed(claimed: ClaimedCommand[], lease: ClaimLease): Promise<void> {
    const claimToken = lease.token;
    outboxMetrics.batchSize.observe(claimed.length);
    for (const c of claimed) outboxMetrics.dispatched.inc({ kind: c.command.kind });

    let requests = 0;
    // The projector has revised what each command carries (or cancelled it) up to its claim: send as claimed.
    const sentAt = this.now();
    const ctx: DispatchContext = {
      ...leaseGuardedPorts(this.deps, {
        beforeWrite: () => lease.beginWrite(this.sendMarginMs),
        deadline: lease.deadline(),
        afterWrite: () => {
          lease.endWrite();
          if (!lease.lost()) return;
          outboxMetrics.claimsLost.inc({ stage: 'during_send' });
          this.deps.logger.error({ commands: claimed.length }, 'an outbox write outlived its claim\'s lease (renewals late or failing): it may overlap a takeover of its commands');
        },
      }),
      mapping: this.deps.mapping ?? null,
      now: this.now,
      sentAt,
      saveProgress: (command, progress) => saveProgress(this.deps.pool, command.id, claimToken, progress),
      countRequests: (target, n) => {
        requests += n;
        outboxMetrics.apiRequests.inc({ target }, n);
      },
      salesforceUserId: () => (this.salesforceUser ??= this.deps.salesforce.identity().then((me) => me.userId)),
      mondayUserId: () => this.mondayUserId(),
      linkedItems: this.deps.linkedItems,
    };
    const results = await runGroups(groupForDispatch(claimed), ctx);
    // A write refused for a lost lease leaves its command unsettled: whoever holds it now records it.
    const refused = claimed.filter((c) => isLeaseLostResult(results.get(c.id)));
    if (refused.length > 0) {
      outboxMetrics.claimsLost.inc({ stage: 'while_sending' }, refused.length);
      this.deps.logger.warn({ commands: refused.map((c) => c.id) }, 'outbox claim lost while sending; the rest of these commands is left to the dispatcher that takes them over');
    }
    const settled = refused.length === 0 ? claimed : claimed.filter((c) => !refused.includes(c));
    const settlements = settled.map((c) => this.settleSafely(c, results.get(c.id) ?? failed(dispatcherError('UNEXPECTED', 'the handler returned no result')), sentAt));
    const recorded = new Set<number>();
    for (let at = 0; at < settlements.length; at += SETTLEMENTS_PER_TRANSACTION) {
      const page = settlements.slice(at, at + SETTLEMENTS_PER_TRANSACTION);
      for (const id of await this.recordIsolated(claimToken, page)) recorded.add(id);
      page.forEach((s, i) => (settlements[at + i] = s)); // recordIsolated may have made one a dead letter
    }
    outboxMetrics.requestsPerCommand.observe(requests / claimed.length);
    for (const s of settlements) this.report(s, recorded.has(s.claimed.id));
  }

  /** `settle`, with a failure to settle one command (a bug) making that command an INTERNAL_ERROR dead letter. */
  private settleSafely(claimed: ClaimedCommand, result: HandlerResult, sentAt: Date): Settlement {
    try {
      return this.settle(claimed, result, sentAt);
    } catch (error) {
      return this.internalDeadLetter(claimed, internalError(error, 'settling the outcome failed'));
    }
  }

  /** An INTERNAL_ERROR dead letter, built without the mapping lookups `settle` does (they may be what failed). */
  private internalDeadLetter(claimed: ClaimedCommand, failure: DispatchError): Settlement {
    const action = decideFailure(failure, { attempts: claimed.attempts }, this.policy);
    const error: StoredError = scrubSecrets({ ...failure, ...(action.action === 'dead_letter' ? { hint: action.hint } : {}) }, this.deps.secretValues ?? []);
    return { claimed, status: 'dead', error, events: [commandFailedEvent(claimed, error, true, this.now())] };
  }

  /**
   * `recordOutcomes`, and when it fails for a reason other than the database (an event Postgres cannot
   * store, e.g. a value with a NUL a CRM returned), settlement by settlement: one that cannot be
   * recorded alone becomes an INTERNAL_ERROR dead letter without its events.
   */
  private async recordIsolated(claimToken: string, settlements: Settlement[]): Promise<Set<number>> {
    try {
      return await recordOutcomes(this.deps.pool, claimToken, settlements);
    } catch (error) {
      if (isTransientDatabaseError(error) || settlements.length === 0) throw error;
      const recorded = new Set<number>();
      for (let i = 0; i < settlements.length; i++) {
        const settlement = settlements[i];
        let ids: Set<number>;
        try {
          ids = await recordOutcomes(this.deps.pool, claimToken, [settlement]);
        } catch (alone) {
          if (isTransientDatabaseError(alone)) throw alone;
          const dead = this.internalDeadLetter(settlement.claimed, internalError(alone, 'recording the outcome failed'));
          settlements[i] = dead;
          ids = await recordOutcomes(this.deps.pool, claimToken, [dead]);
        }
        for (const id of ids) recorded.add(id);
      }
      return recorded;
    }
  }

  /** `sentAt`: when the batch began to be sent, before any of its writes landed. */
  private settle(claimed: ClaimedCommand, result: HandlerResult, sentAt: Date): Settlement {
    const now = this.now();
    if (result.ok) {
      return { claimed, status: 'done', error: null, events: [...result.events, commandSucceededEvent(claimed, result.written, result.result, now, sentAt)] };
    }
    const { objectKey } = claimed.command;
    const location = fieldLocation(this.deps.mapping ?? null, objectKey, result.error);
    const action = decideFailure(result.error, { attempts: claimed.attempts, objectKey, fieldPath: location ?? undefined, target: claimed.command.target, commandKind: claimed.command.kind }, this.policy);
    const error: StoredError = scrubSecrets({ ...result.error, ...(action.action === 'dead_letter' ? { hint: action.hint } : {}) }, this.deps.secretValues ?? []);
    const dead = action.action === 'dead_letter';
    return {
      claimed,
      status: dead ? 'dead' : 'pending',
      delay: action.action === 'retry' ? action.delay : undefined,
      error,
      events: [...result.events, commandFailedEvent(claimed, error, dead, now)],
    };
  }

  private report(settlement: Settlement, recorded: boolean): void {
    const { claimed, status, error } = settlement;
    const kind = claimed.command.kind;
    const context = { commandId: claimed.id, kind, record: claimed.recordId, crm: claimed.command.target, attempt: claimed.attempts };
    if (!recorded) {
      // Sent under a lease that ran out mid-request (its renewals failed): the new owner's outcome is the command's.
      outboxMetrics.staleOutcomes.inc({ kind, status });
      this.deps.logger.error({ ...context, status, code: error?.code }, 'outbox command was taken over while this dispatcher was sending it; this late outcome is not the command\'s result');
      return;
    }
    outboxMetrics.latency.observe({ kind }, Math.max(0, this.now().getTime() - claimed.createdAt.getTime()) / 1000);
    if (status === 'done') {
      outboxMetrics.succeeded.inc({ kind });
      this.deps.logger.debug(context, 'outbox command succeeded');
      return;
    }
    const code = error?.code ?? 'UNEXPECTED';
    outboxMetrics.failed.inc({ kind, code });
    if (status === 'pending') {
      this.deps.logger.warn({ ...context, code, err: error?.message }, 'outbox command failed; will retry');
      return;
    }
    outboxMetrics.deadLettered.inc({ kind, code });
    this.deps.logger.error({ ...context, code, err: error?.message, hint: error?.hint }, 'outbox command dead-lettered');
    this.deps.alerts?.deadLettered({
      commandId: claimed.id,
      kind,
      target: claimed.command.target,
      objectKey: claimed.command.objectKey,
      record: describeRecord(claimed.command),
      error: { code, message: error?.message ?? '' },
      hint: error?.hint ?? '',
      causedBy: claimed.causedBy,
    });
  }
}

/**
 * Runs every group's handler side by side; a handler that throws fails each command of its group,
 * except that a bug met by a group (INTERNAL_ERROR, a dead letter at once) is narrowed down first:
 * each command runs alone, so one command the code cannot handle does not dead-letter its whole
 * batch. (A handler that threw after sending sends those commands once more; creates continue from
 * their saved progress.)
 */
async function runGroups(groups: DispatchGroups, ctx: DispatchContext): Promise<HandlerResults> {
  const tasks: Array<[readonly ClaimedCommand[], () => Promise<HandlerResults>]> = [];
  for (const [object, commands] of groups.salesforceCreates) tasks.push([commands, () => handleSalesforceCreates(object, commands, ctx)]);
  for (const [object, commands] of groups.salesforceUpdates) tasks.push([commands, () => handleSalesforceUpdates(object, commands, ctx)]);
  if (groups.salesforceDeletes.length > 0) tasks.push([groups.salesforceDeletes, () => handleSalesforceDeletes(groups.salesforceDeletes, ctx)]);
  if (groups.leadConversions.length > 0) tasks.push([groups.leadConversions, () => handleLeadConversions(groups.leadConversions, ctx)]);
  if (groups.salesforceMerges.length > 0) tasks.push([groups.salesforceMerges, () => handleSalesforceMerges(groups.salesforceMerges, ctx)]);
  for (const [board, commands] of groups.mondayCreates) tasks.push([commands, () => handleMondayCreates(board, commands, ctx)]);
  for (const [board, commands] of groups.mondayWrites) tasks.push([commands, () => handleMondayWrites(board, commands, ctx)]);
  if (groups.mondayRefreshes.length > 0) tasks.push([groups.mondayRefreshes, () => handleMondayRefreshes(groups.mondayRefreshes, ctx)]);
  if (groups.mondayMergeFollowUps.length > 0) tasks.push([groups.mondayMergeFollowUps, () => handleMergeFollowUps(groups.mondayMergeFollowUps, ctx)]);

  const all: HandlerResults = new Map();
  for (const c of groups.invalid) all.set(c.id, failed(dispatcherError('INVALID_COMMAND', `unknown command kind ${JSON.stringify((c.command as { kind?: unknown }).kind)}`)));
  const outcomes = await Promise.all(
    tasks.map(async ([commands, handle]) => {
      try {
        return await handle();
      } catch (error) {
        const failure = toDispatchError(error);
        if (failure.code === 'INTERNAL_ERROR' && commands.length > 1) return runAlone(commands, ctx);
        return new Map(commands.map((c) => [c.id, failed(failure)]));
      }
    }),
  );
  for (const results of outcomes) for (const [id, result] of results) all.set(id, result);
  return all;
}

function isLeaseLostResult(result: HandlerResult | undefined): boolean {
  return result !== undefined && !result.ok && result.error.code === 'LEASE_LOST';
}

async function runAlone(commands: readonly ClaimedCommand[], ctx: DispatchContext): Promise<HandlerResults> {
  const all: HandlerResults = new Map();
  for (const command of commands) {
    const results = await runGroups(groupForDispatch([command]), ctx);
    for (const [id, result] of results) all.set(id, result);
  }
  return all;
}
