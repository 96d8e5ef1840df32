import type { Pool, PoolClient } from 'pg';
import type { Queryable, RecordedEvent, Subscriber } from '../event-store';
import { counter } from '../observability/metrics-registry';
import { unattachedDecisionSubject } from '../personal-data/derived-values';
import { decide, decidesEachRecord, recordKeysOf, resolvesWaitingForUsers, type RecordKey } from './decide';
import { resolveWaiting } from './links/links.decide';
import type { LinkIndex } from './link-index';
import type { SyncContext } from './sync-context';
import { loadCachedContext } from './sync-context-cache';
import { EmailUserDirectory } from './user-directory';
import { isLinked, waitsForUser, type FieldState, type SyncRecord } from './sync-record';
import {
  deleteRecords,
  insertCommands,
  insertDecisions,
  loadLinks,
  loadRecords,
  loadWaitingRecords,
  revisePendingCommands,
  saveRecords,
  type DecisionRow,
  type PendingCommand,
} from './sync-records.repository';
import { SYNC_PROJECTOR } from '../sync-commands/sync-projector-name';
import { keyOf, RecordBatch } from './record-batch';

const outcomes = counter('crm_sync_projector_outcomes_total', 'Sync projector outcomes by event type, outcome and reason', ['type', 'outcome', 'reason']);

const revisions = counter('crm_sync_projector_command_revisions_total', 'Pending outbox updates the projector rewrote or cancelled because later events changed what they should carry', ['revision']);

export { SYNC_PROJECTOR, keyOf, RecordBatch };

export interface SyncProjectorOptions {
  /** Replay (invariant 10): rebuild state only; commands are dropped, never sent again. */
  emitCommands: boolean;
  /** The decision function (tests put one in front of `decide` that throws for a chosen event). */
  decide?: DecideFunction;
}

export type DecideFunction = typeof decide;

/**
 * The thin runner around the pure `decide`: loads the records a batch concerns, decides event by
 * event, and writes records, outbox commands and decisions in the subscription's transaction, the
 * one that also stores the checkpoint (invariant 4).
 *
 * An event whose decision throws is parked by the runner (subscription-runner.ts, issue 13). Later
 * events of its record are decided as usual, not held back: holding them would freeze the record on
 * both sides until a person acts, and field values carry their source times, so when the parked event
 * is retried (decided then against the record as it is) an older change still never overwrites a
 * newer one, as with a webhook that arrives late.
 */
export class SyncProjector implements Subscriber {
  readonly name = SYNC_PROJECTOR;

  constructor(
    private readonly context: () => SyncContext,
    private readonly links: LinkIndex,
    private readonly options: SyncProjectorOptions = { emitCommands: true },
  ) {}

  async handle(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    const context = this.context();
    // The refresh that appended it may have run on another instance: the lists it stored are the newest.
    if (events.some(resolvesWaitingForUsers)) await this.loadStoredUsers(tx);
    const batch = new RecordBatch(await loadRecords(tx, collectKeys(events, context)));
    const { commands, decisions } = await decideEvents(events, batch, context, this.links, () => loadWaitingRecords(tx), this.options.decide);
    await deleteRecords(tx, batch.retiredIds());
    await saveRecords(tx, batch.changed(), events[events.length - 1].position);
    if (this.options.emitCommands) {
      await insertCommands(tx, commands.map((c) => ({ recordId: batch.idOf(c.record) as number, command: c.command, causedBy: c.causedBy })));
      // Commands still waiting (this batch's and earlier ones) carry what the state now says.
      const revised = await revisePendingCommands(tx, batch.changed(), context.mapping, events[events.length - 1].position);
      if (revised.rewritten > 0) revisions.inc({ revision: 'rewritten' }, revised.rewritten);
      if (revised.cancelled > 0) revisions.inc({ revision: 'cancelled' }, revised.cancelled);
    }
    await insertDecisions(
      tx,
      decisions.map(({ record, ...rest }) => ({
        ...rest,
        recordId: record ? batch.idOf(record) : null,
        ...(record === null && rest.outcome.detail ? { subject: unattachedDecisionSubject(events.find((e) => e.position === rest.position)) } : {}),
      })),
    );
  }

  /**
   * Taking the lead: the links the instances that led before committed since this one loaded its
   * index (at start, or when it last led) are added to it, and the user directory is the newest stored. Without them a relation to a record linked
   * meanwhile (fault seed 150: an account created on monday, linked by the killed leader) waited for
   * a link that is never made again, and Salesforce never got it. Links are never unmade: added, not
   * reloaded from empty, so the index is never without the ones it had.
   */
  async leading(db: Pool): Promise<void> {
    for (const link of await loadLinks(db)) this.links.add(link.objectKey, link.salesforceId, link.itemId);
    // The user lists as last stored, by an instance's start or its user directory refresh: this
    // one's may be older (a user added since would be an unknown owner here, and the change the one
    // before resolved would wait for them).
    await this.loadStoredUsers(db);
  }

  private async loadStoredUsers(db: Queryable): Promise<void> {
    const cached = await loadCachedContext(db);
    if (cached) this.context().users = new EmailUserDirectory(cached.salesforceUsers, cached.mondayUsers);
  }

  /** How a parked event names its records: `item:<id>`, `sf:<object>:<id>`, `id:<record id>`. */
  recordKeysOf(event: RecordedEvent): string[] {
    return recordKeysOf(event, this.context()).flatMap((key) => (key ? [keyOf(key)] : []));
  }
}

/** What a batch decided: commands and decision rows, by record (stored ids are known only once saved). */
export interface BatchDecisions {
  commands: Array<{ record: SyncRecord; command: PendingCommand['command']; causedBy: number }>;
  decisions: Array<{ record: SyncRecord | null } & Omit<DecisionRow, 'recordId'>>;
}

/**
 * Decides `events` in order against the records of `batch` (which it updates), adding links as
 * they appear and resolving the relations that waited for them. `loadWaiting` gives the records
 * outside the batch that wait for a link. The live runner and `crm-sync replay` both decide here
 * (replay through `decideEvent`, one event at a time).
 */
export async function decideEvents(
  events: RecordedEvent[],
  batch: RecordBatch,
  context: SyncContext,
  links: LinkIndex,
  loadWaiting: () => Promise<SyncRecord[]>,
  decideOne: DecideFunction = decide,
): Promise<BatchDecisions> {
  const into: BatchDecisions = { commands: [], decisions: [] };
  const waiting: WaitingRecords = { load: loadWaiting, loaded: false };
  const tally = new OutcomeTally();
  try {
    for (const event of events) {
      const pending = decideEvent(event, { batch, context, links, waiting, decideOne, tally }, into);
      if (pending) await pending;
    }
  } finally {
    tally.flush();
  }
  return into;
}

/** The records outside the batch that wait for a link: loaded once, at the first new link. */
export interface WaitingRecords {
  load: () => Promise<SyncRecord[]>;
  loaded: boolean;
}

export interface EventDecider {
  batch: RecordBatch;
  context: SyncContext;
  links: LinkIndex;
  waiting: WaitingRecords;
  decideOne: DecideFunction;
  /** Outcomes counted here and added to the metric by the caller (per batch or page, not per event). */
  tally: OutcomeTally;
  /** Replay: the commands decided are dropped, so they are not collected in `BatchDecisions.commands`. */
  dropCommands?: boolean;
}

/**
 * One event of `decideEvents`, adding its commands and decision rows to `into`. Synchronous unless
 * the event makes a new link and the waiting records are not loaded yet: then it returns the
 * promise of the rest. Throws, before changing the batch, when the decision throws. `keys`: the
 * event's recordKeysOf, when the caller has them already.
 */
export function decideEvent(event: RecordedEvent, d: EventDecider, into: BatchDecisions, keys: RecordKey[] = recordKeysOf(event, d.context)): Promise<void> | undefined {
  const { batch, context, links } = d;
  if (decidesEachRecord(event)) {
    decideEachRecord(event, keys, d, into);
    return undefined;
  }
  const found = batch.find(keys);
  // Before the decision: a caller that owns its records lets decide change found.record in place.
  const linkedByThisDecision = !(found.record && isLinked(found.record));
  const result = d.decideOne(found.duplicate && found.record ? withFieldsOf(found.record, found.duplicate) : found.record, event, context);
  if (found.duplicate && result.record) batch.retire(found.duplicate);
  if (result.record) batch.put(result.record, found.record);
  if (!d.dropCommands) for (const command of result.commands) into.commands.push({ record: result.record as SyncRecord, command, causedBy: event.position });
  into.decisions.push({ record: result.record, position: event.position, eventType: event.type, outcome: result.outcome, commands: result.commands.length });
  d.tally.add(event.type, result.outcome.outcome, result.outcome.reason ?? '');
  if (resolvesWaitingForUsers(event)) return resolveWaitingAfter(event, d, into, waitsForUser);

  const record = result.record;
  if (!record || !isLinked(record)) return undefined;
  // A link is new when this decision made it (the record was not linked before), whatever the index
  // says: the index keeps links decided in a batch whose transaction then failed, and the retry of
  // that batch must resolve the relations waiting for them again (seed 150's family: the account's
  // link decided twice, its waiting opportunity resolved by neither, AccountId left null). Or when
  // this instance's index lacks it (linked by another instance since this one loaded its links).
  const indexed = links.itemIdForRecord(record.objectKey, record.salesforceId as string) === record.mondayItemId;
  if (indexed && !linkedByThisDecision) return undefined;
  links.add(record.objectKey, record.salesforceId as string, record.mondayItemId as string);
  return resolveWaitingAfter(event, d, into, waitsForLink);
}

/**
 * Resolves the waiting records `which` selects (loading the stored ones first, once per batch):
 * synchronous unless they are not loaded yet.
 */
function resolveWaitingAfter(event: RecordedEvent, d: EventDecider, into: BatchDecisions, which: (record: SyncRecord) => boolean): Promise<void> | undefined {
  if (d.waiting.loaded) {
    resolveWaitingRecords(event, d, into, which);
    return undefined;
  }
  return d.waiting.load().then((stored) => {
    // Stored versions: only of records this batch has not changed or merged away (a merged-away
    // record put back would take the Salesforce key from the record it was merged into).
    for (const waiting of stored) if (!d.batch.supersedes(waiting)) d.batch.put(waiting);
    d.waiting.loaded = true;
    resolveWaitingRecords(event, d, into, which);
  });
}

/** A relation waits for a link (a person waiting for the user directory is left to its refresh's event). */
function waitsForLink(record: SyncRecord): boolean {
  return record.waiting.some((w) => w.waitsFor === undefined);
}

/**
 * An event naming several records (an erasure of a person with several items): decided once per
 * record found, each its own decision row; once with no record when none is (a skip, as for any
 * event without a record). Makes no link, so no waiting record is resolved.
 */
function decideEachRecord(event: RecordedEvent, keys: RecordKey[], d: EventDecider, into: BatchDecisions): void {
  const records = new Set<SyncRecord>();
  for (const key of keys) {
    const { record } = d.batch.find([key]);
    if (record) records.add(record);
  }
  for (const current of records.size > 0 ? [...records] : [null]) {
    const result = d.decideOne(current, event, d.context);
    if (result.record) d.batch.put(result.record, current);
    if (!d.dropCommands) for (const command of result.commands) into.commands.push({ record: result.record as SyncRecord, command, causedBy: event.position });
    into.decisions.push({ record: result.record, position: event.position, eventType: event.type, outcome: result.outcome, commands: result.commands.length });
    d.tally.add(event.type, result.outcome.outcome, result.outcome.reason ?? '');
  }
}

function resolveWaitingRecords(event: RecordedEvent, d: EventDecider, into: BatchDecisions, which: (record: SyncRecord) => boolean): void {
  for (const waiting of d.batch.waitingRecords()) {
    if (!which(waiting)) continue;
    const object = d.context.mapping.byKey.get(waiting.objectKey);
    if (!object) continue;
    const resolved = resolveWaiting(waiting, object, d.context);
    if (resolved.outcome.outcome === 'skipped' || !resolved.record) continue;
    d.batch.put(resolved.record);
    if (!d.dropCommands) for (const command of resolved.commands) into.commands.push({ record: resolved.record, command, causedBy: event.position });
    into.decisions.push({ record: resolved.record, position: event.position, eventType: event.type, outcome: resolved.outcome, commands: resolved.commands.length });
  }
}

/**
 * Outcome counts by event type, outcome and reason, added to `crm_sync_projector_outcomes_total`
 * in one step: prom-client hashes the label set on every `inc` (2% of replay's CPU per event).
 */
export class OutcomeTally {
  private readonly counts = new Map<string, Map<string, Map<string, number>>>();

  add(type: string, outcome: string, reason: string): void {
    let byOutcome = this.counts.get(type);
    if (!byOutcome) this.counts.set(type, (byOutcome = new Map()));
    let byReason = byOutcome.get(outcome);
    if (!byReason) byOutcome.set(outcome, (byReason = new Map()));
    byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
  }

  flush(): void {
    for (const [type, byOutcome] of this.counts) {
      for (const [outcome, byReason] of byOutcome) for (const [reason, n] of byReason) outcomes.inc({ type, outcome, reason }, n);
    }
    this.counts.clear();
  }
}

/**
 * A link joining the record known by its item with the one known only by its Salesforce id (the
 * echo of our create, or a person's change or delete of the new item, came first): the item's
 * record leads; per field it keeps its agreed value unless the other saw a person's later change, and
 * takes what only the other saw (a field, or one side's value: Salesforce's from the echo); a
 * tombstone and waiting relations of either count.
 */
export function withFieldsOf(record: SyncRecord, other: SyncRecord): SyncRecord {
  const fields = { ...record.fields };
  let changed = false;
  for (const [key, theirs] of Object.entries(other.fields)) {
    const ours = fields[key];
    if (!ours) {
      fields[key] = theirs;
      changed = true;
      continue;
    }
    // A person's later change seen only by the other record wins (not our own create's echo: that
    // carries the values this record had when the create was decided).
    const later = theirs.agreedAt > ours.agreedAt && !theirs.echoed;
    const { sendingTo: _oursSending, sendingSeq: _oursSendingSeq, ...oursWithoutSending } = ours;
    const merged: FieldState = {
      // What ours was sending was its agreed value: not the one taken from theirs.
      ...(later ? oursWithoutSending : ours),
      ...(later ? { agreed: theirs.agreed, agreedAt: theirs.agreedAt, agreedFrom: theirs.agreedFrom } : {}),
      ...(!ours.salesforce && theirs.salesforce ? { salesforce: theirs.salesforce } : {}),
      ...(!ours.monday && theirs.monday ? { monday: theirs.monday } : {}),
    };
    if (!later && merged.salesforce === ours.salesforce && merged.monday === ours.monday) continue;
    fields[key] = merged;
    changed = true;
  }
  const waiting = [...record.waiting, ...other.waiting.filter((w) => !record.waiting.some((r) => r.fieldKey === w.fieldKey && r.towards === w.towards))];
  const deleted = record.deleted ?? other.deleted;
  // Numbers stay unique per side: the merged record goes on after the higher of the two.
  const commandSeq = { ...record.commandSeq };
  for (const side of ['salesforce', 'monday'] as const) if ((other.commandSeq[side] ?? 0) > (commandSeq[side] ?? 0)) commandSeq[side] = other.commandSeq[side];
  const seqChanged = commandSeq.salesforce !== record.commandSeq.salesforce || commandSeq.monday !== record.commandSeq.monday;
  if (!changed && !seqChanged && waiting.length === record.waiting.length && deleted === record.deleted) return record;
  return { ...record, fields, waiting, deleted, commandSeq };
}

export function collectKeys(events: RecordedEvent[], context: SyncContext) {
  const itemIds = new Set<string>();
  const salesforce = new Map<string, { objectKey: string; salesforceId: string }>();
  const recordIds = new Set<number>();
  for (const event of events) {
    for (const key of recordKeysOf(event, context)) {
      if (!key) continue;
      if ('mondayItemId' in key) itemIds.add(key.mondayItemId);
      else if ('salesforceId' in key) salesforce.set(`${key.objectKey}:${key.salesforceId}`, key);
      else recordIds.add(key.recordId);
    }
  }
  return { itemIds: [...itemIds], salesforce: [...salesforce.values()], recordIds: [...recordIds] };
}
