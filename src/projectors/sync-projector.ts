import type { PoolClient } from 'pg';
import type { RecordedEvent, Subscriber } from '../event-store';
import { counter } from '../observability/metrics-registry';
import { unattachedDecisionSubject } from '../personal-data/derived-values';
import { decide, recordKeysOf, type RecordKey } from './decide';
import { resolveWaiting } from './links/links.decide';
import type { LinkIndex } from './link-index';
import type { SyncContext } from './sync-context';
import type { FieldState, SyncRecord } from './sync-record';
import {
  deleteRecords,
  insertCommands,
  insertDecisions,
  loadRecords,
  loadWaitingRecords,
  revisePendingCommands,
  saveRecords,
  type DecisionRow,
  type PendingCommand,
} from './sync-records.repository';
import { SYNC_PROJECTOR } from '../sync-commands/sync-projector-name';

const outcomes = counter('crm_sync_projector_outcomes_total', 'Sync projector outcomes by event type, outcome and reason', ['type', 'outcome', 'reason']);

const revisions = counter('crm_sync_projector_command_revisions_total', 'Pending outbox updates the projector rewrote or cancelled because later events changed what they should carry', ['revision']);

export { SYNC_PROJECTOR };

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
 * outside the batch that wait for a link. The live runner and `crm-sync replay` both decide here.
 */
export async function decideEvents(
  events: RecordedEvent[],
  batch: RecordBatch,
  context: SyncContext,
  links: LinkIndex,
  loadWaiting: () => Promise<SyncRecord[]>,
  decideOne: DecideFunction = decide,
): Promise<BatchDecisions> {
  const commands: BatchDecisions['commands'] = [];
  const decisions: BatchDecisions['decisions'] = [];
  let waitingLoaded = false;

  for (const event of events) {
    const keys = recordKeysOf(event, context);
    const found = batch.find(keys);
    const result = decideOne(found.duplicate && found.record ? withFieldsOf(found.record, found.duplicate) : found.record, event, context);
    if (found.duplicate && result.record) batch.retire(found.duplicate);
    if (result.record) batch.put(result.record, found.record);
    for (const command of result.commands) commands.push({ record: result.record as SyncRecord, command, causedBy: event.position });
    decisions.push({ record: result.record, position: event.position, eventType: event.type, outcome: result.outcome, commands: result.commands.length });
    outcomes.inc({ type: event.type, outcome: result.outcome.outcome, reason: result.outcome.reason ?? '' });

    const linkedNow = result.record?.salesforceId && result.record.mondayItemId && !links.itemIdForRecord(result.record.objectKey, result.record.salesforceId);
    if (result.record && linkedNow) {
      links.add(result.record.objectKey, result.record.salesforceId as string, result.record.mondayItemId as string);
      if (!waitingLoaded) {
        // Stored versions: only of records this batch has not changed or merged away (a merged-away
        // record put back would take the Salesforce key from the record it was merged into).
        for (const waiting of await loadWaiting()) if (!batch.supersedes(waiting)) batch.put(waiting);
        waitingLoaded = true;
      }
      for (const waiting of batch.waitingRecords()) {
        const object = context.mapping.byKey.get(waiting.objectKey);
        if (!object) continue;
        const resolved = resolveWaiting(waiting, object, context);
        if (resolved.outcome.outcome === 'skipped' || !resolved.record) continue;
        batch.put(resolved.record);
        for (const command of resolved.commands) commands.push({ record: resolved.record, command, causedBy: event.position });
        decisions.push({ record: resolved.record, position: event.position, eventType: event.type, outcome: resolved.outcome, commands: resolved.commands.length });
      }
    }
  }
  return { commands, decisions };
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
    const { sendingTo: _oursSending, ...oursWithoutSending } = ours;
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
  if (!changed && waiting.length === record.waiting.length && deleted === record.deleted) return record;
  return { ...record, fields, waiting, deleted };
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

/**
 * The records of one batch, findable by any of their keys (item id, Salesforce id, stored id),
 * tracking which changed. Indexed: replay runs batches of thousands of events.
 */
export class RecordBatch {
  /** Each record in the batch (its current version) with its keys. */
  private readonly records = new Map<SyncRecord, string[]>();
  private readonly byKey = new Map<string, SyncRecord>();
  /** The records of `records` with relations waiting for a link, in the same order. */
  private readonly waiting = new Set<SyncRecord>();
  private readonly touched = new Set<SyncRecord>();
  /** Stored ids of records merged into another in this batch. */
  private readonly retired = new Set<number>();

  constructor(loaded: SyncRecord[]) {
    this.load(loaded);
  }

  /** Adds stored records the batch did not have (unchanged: not in changed()). */
  load(records: SyncRecord[]): void {
    records.forEach((r) => this.add(r, keysOfRecord(r)));
  }

  find(keys: RecordKey[]): { record: SyncRecord | null; duplicate: SyncRecord | null } {
    let record: SyncRecord | null = null;
    let duplicate: SyncRecord | null = null;
    for (const key of keys) {
      const match = key ? this.byKey.get(keyOf(key)) : undefined;
      if (!match) continue;
      if (record === null) record = match;
      else if (duplicate === null && match !== record) duplicate = match;
    }
    // A link can join a record known only by its item with one known only by its Salesforce id.
    return { record, duplicate };
  }

  /**
   * Stores `record` as the current version of the records sharing its keys. `previous`, the version
   * it was decided from, is a hint only: when it is still in the batch under exactly the same keys,
   * its key strings are reused (same result as the general path, without rebuilding them).
   */
  put(record: SyncRecord, previous?: SyncRecord | null): void {
    if (previous && previous !== record && sameKeys(previous, record)) {
      const keys = this.records.get(previous);
      if (keys && this.allHeldBy(keys, previous)) {
        this.records.delete(previous);
        this.waiting.delete(previous);
        this.touched.delete(previous);
        this.records.set(record, keys);
        if (record.waiting.length > 0) this.waiting.add(record);
        for (const key of keys) this.byKey.set(key, record);
        this.touched.add(record);
        return;
      }
    }
    const keys = keysOfRecord(record);
    for (const key of keys) {
      const existing = this.byKey.get(key);
      if (existing && existing !== record) {
        this.remove(existing);
        // A replaced version is no longer in `records`, so changed() would skip it anyway;
        // dropping it here keeps a long batch from holding every version of every record.
        this.touched.delete(existing);
      }
    }
    this.add(record, keys);
    this.touched.add(record);
  }

  /**
   * Whether this batch's state replaces the stored version of `stored`: it holds a version of that
   * record (read or changed here), or merged it into another.
   */
  supersedes(stored: SyncRecord): boolean {
    return stored.id !== null && (this.byKey.has(`id:${stored.id}`) || this.retired.has(stored.id));
  }

  retire(record: SyncRecord): void {
    this.remove(record);
    this.touched.delete(record);
    if (record.id !== null) this.retired.add(record.id);
  }

  /** The stored id of `record` (decide returns copies: find the latest version of the same record). */
  idOf(record: SyncRecord): number | null {
    if (record.id !== null) return record.id;
    return this.latest(record)?.id ?? null;
  }

  /** This batch's latest version of `record`, found by its keys (null once merged away). */
  latest(record: SyncRecord): SyncRecord | null {
    for (const key of keysOfRecord(record)) {
      const current = this.byKey.get(key);
      if (current) return current;
    }
    return null;
  }

  waitingRecords(): SyncRecord[] {
    return [...this.waiting];
  }

  changed(): SyncRecord[] {
    return [...this.touched].filter((r) => this.records.has(r));
  }

  retiredIds(): number[] {
    return [...this.retired];
  }

  private allHeldBy(keys: string[], record: SyncRecord): boolean {
    for (const key of keys) if (this.byKey.get(key) !== record) return false;
    return true;
  }

  private add(record: SyncRecord, keys: string[]): void {
    this.records.set(record, keys);
    if (record.waiting.length > 0) this.waiting.add(record);
    for (const key of keys) this.byKey.set(key, record);
  }

  private remove(record: SyncRecord): void {
    const keys = this.records.get(record) ?? keysOfRecord(record);
    this.records.delete(record);
    this.waiting.delete(record);
    for (const key of keys) if (this.byKey.get(key) === record) this.byKey.delete(key);
  }
}

export function keyOf(key: NonNullable<RecordKey>): string {
  if ('mondayItemId' in key) return `item:${key.mondayItemId}`;
  if ('salesforceId' in key) return `sf:${key.objectKey}:${key.salesforceId}`;
  return `id:${key.recordId}`;
}

function sameKeys(a: SyncRecord, b: SyncRecord): boolean {
  return a.id === b.id && a.mondayItemId === b.mondayItemId && a.salesforceId === b.salesforceId && a.objectKey === b.objectKey;
}

export function keysOfRecord(record: SyncRecord): string[] {
  const keys: string[] = [];
  if (record.id !== null) keys.push(`id:${record.id}`);
  if (record.mondayItemId !== null) keys.push(`item:${record.mondayItemId}`);
  if (record.salesforceId !== null) keys.push(`sf:${record.objectKey}:${record.salesforceId}`);
  return keys;
}
