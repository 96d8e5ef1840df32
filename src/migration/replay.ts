import type { Pool } from 'pg';
import { withTransaction } from '../database/transaction';
import { countEvents, LeaderLock, openParkedPositions, parkedErrorOf, parkEvent, readLogPages, resetCheckpoint, START, type Checkpoint, type RecordedEvent } from '../event-store';
import type { Mapping } from '../mapping';
import { buildSyncContext } from '../sync-projector/build-sync-context';
import { LinkIndex } from '../sync-projector/link-index';
import { unattachedDecisionSubject } from '../personal-data/derived-values';
import { loadCachedContext, type CachedContext } from '../sync-projector/sync-context-cache';
import type { SyncContext } from '../sync-projector/sync-context';
import type { SyncRecord } from '../sync-projector/sync-record';
import { decideEvent, keyOf, OutcomeTally, RecordBatch, SYNC_PROJECTOR, type BatchDecisions, type DecideFunction, type EventDecider, type WaitingRecords } from '../sync-projector/sync-projector';
import { decide, recordKeysOf, type RecordKey } from '../sync-projector/decide';
import { loadRecords, type DecisionRow } from '../sync-projector/sync-records.repository';
import { clearSyncProjection, decisionRow, decisionRowOf, ReplayRecordIds, ReplayWriter, type ReplayWrite } from '../sync-projector/rebuild';
import { countWaitingCommands } from '../outbox/waiting-commands';
import { disown } from '../sync-projector/record-ownership';
import { ReplayRecordStore } from './replay-record-store';

/** Names users may pass to --projection: the four projections of the design run in one runner. */
export const PROJECTION_NAMES = ['sync', 'links', 'state', 'to-salesforce', 'to-monday'] as const;

export class ReplayError extends Error {
  readonly code = 'REPLAY_REFUSED';
}

export interface ReplayProgress {
  handled: number;
  total: number;
  /** Events skipped because they are parked (live processing skipped them too) or parked by this replay; absent when none. */
  parked?: number;
}

export interface ReplayOptions {
  /** Events read per page (the next page is read while this one is decided). */
  pageSize?: number;
  /** Events decided between two writes; each write is one transaction with its checkpoint. */
  flushEvery?: number;
  /** Records kept in memory beyond those not yet written or waiting for a link. */
  maxCachedRecords?: number;
  /** The decision function (tests put one in front of `decide` that throws for a chosen event). */
  decide?: DecideFunction;
}

/** bench/replay (1M events, 10,000 pairs): see docs/benchmarks.md "Replay" for how these were chosen. */
const DEFAULTS: Required<Omit<ReplayOptions, 'decide'>> = { pageSize: 1_000, flushEvery: 100_000, maxCachedRecords: 100_000 };

/**
 * Rebuilds the sync projection from the event log (invariant 10): resets its tables and checkpoint
 * and re-runs the projector's decisions (`decideEvent`, the live runner's code) over every event
 * with commands dropped, so nothing is sent to either CRM and the live schemas come from the cache
 * start-up wrote, not from the CRMs. Nothing else writes the projection meanwhile (the projector's
 * lock is held), so the records are kept in memory between events and written in large COPY
 * transactions, each with the checkpoint it covers, instead of once per 500-event batch.
 */
export async function replayProjection(
  pool: Pool,
  databaseUrl: string,
  mapping: Mapping,
  onProgress: (progress: ReplayProgress) => void = () => undefined,
  options: ReplayOptions = {},
): Promise<ReplayProgress> {
  const settings = { ...DEFAULTS, ...options };
  const cached = await loadCachedContext(pool);
  if (!cached) throw new ReplayError('no cached live schemas: start the service once so it can read them, then replay');
  const lock = new LeaderLock(databaseUrl, `projector:${SYNC_PROJECTOR}`);
  if (!(await lock.tryAcquire())) throw new ReplayError('the sync projector is running in a service instance: stop the service, then replay');
  try {
    const waiting = await countWaitingCommands(pool);
    if (waiting > 0) throw new ReplayError(`${waiting} commands are still waiting in the outbox: let the service send them first`);
    const ids = await ReplayRecordIds.load(pool);
    const pass = (ownsRecords: boolean) => replayOnce(pool, mapping, cached, ids, settings, onProgress, ownsRecords);
    try {
      return await pass(true);
    } catch (error) {
      if (!(error instanceof DecisionThrew)) throw error;
      // A decision threw on a record it was changing in place: start over, deciding on copies, where
      // that event is parked and skipped as live processing would (Rebuild.decideOne).
      ids.restart();
      return await pass(false);
    }
  } finally {
    await lock.release();
  }
}

/**
 * One pass over the log. `ownsRecords`: decisions change the record versions the current write
 * window made in place (SyncContext.ownsRecords), field states included, no copy per decision; a
 * decision that throws then ends the pass (DecisionThrew), since it may have left such a record
 * half-changed.
 */
async function replayOnce(
  pool: Pool,
  mapping: Mapping,
  cached: CachedContext,
  ids: ReplayRecordIds,
  settings: Required<Omit<ReplayOptions, 'decide'>> & Pick<ReplayOptions, 'decide'>,
  onProgress: (progress: ReplayProgress) => void,
  ownsRecords: boolean,
): Promise<ReplayProgress> {
  await resetProjection(pool);
  const total = await countEvents(pool);
  const links = new LinkIndex();
  const parked = await openParkedPositions(pool, SYNC_PROJECTOR);
  const context = buildSyncContext(mapping, cached, links);
  const rebuild = new Rebuild(pool, context, links, ids, new ReplayRecordStore(settings.maxCachedRecords), await ReplayWriter.open(pool), { parked, decide: settings.decide }, ownsRecords);
  try {
    let handled = 0;
    for await (const page of readLogPages(pool, settings.pageSize)) {
      await rebuild.decide(page);
      handled += page.length;
      if (rebuild.unwrittenEvents >= settings.flushEvery) await rebuild.flush();
      onProgress({ handled, total });
    }
    await rebuild.flush(true);
    await rebuild.finish();
    return { handled, total, ...(rebuild.parkedEvents > 0 ? { parked: rebuild.parkedEvents } : {}) };
  } finally {
    await rebuild.close();
  }
}

/** A decision threw while records were changed in place: the pass is discarded (replayProjection). */
class DecisionThrew extends Error {}

async function resetProjection(pool: Pool): Promise<void> {
  await withTransaction(pool, async (client) => {
    await clearSyncProjection(client);
    await resetCheckpoint(client, SYNC_PROJECTOR);
  });
}

/**
 * One replay's state: records in memory, changes not yet written, and the write in flight (one at
 * a time; the next pages are decided while it runs).
 */
class Rebuild {
  /** The records of the pages decided since the last write (unchanged ones too). */
  private batch = new RecordBatch([]);
  private decisionRows: string[] = [];
  /** Decision rows in COPY text, one string per page (fewer, larger strings for the collector). */
  private pages: string[] = [];
  private checkpoint: Checkpoint = START;
  private events = 0;
  private writing: Promise<void> | null = null;
  /**
   * Records live processing never stored (merged into another within its batch: see
   * ReplayRecordIds), by a provisional negative id, with their decision rows until the merge says
   * which record those name.
   */
  private readonly unstored = new Map<number, { record: SyncRecord; decisions: Array<Omit<DecisionRow, 'recordId'>> }>();
  private nextUnstoredId = -1;
  /** Whose values the details of decisions with no record hold, by position, until written (rare). */
  private unattachedSubjects = new Map<number, string>();
  private skippedParked = 0;
  private readonly tally = new OutcomeTally();
  private readonly context: SyncContext;

  constructor(
    private readonly pool: Pool,
    context: SyncContext,
    private readonly links: LinkIndex,
    private readonly ids: ReplayRecordIds,
    private readonly store: ReplayRecordStore,
    private readonly writer: ReplayWriter,
    private readonly poison: { parked: Set<number>; decide?: DecideFunction },
    private readonly ownsRecords: boolean,
  ) {
    // Decisions own the record versions they make (record-ownership.ts) until a write takes them:
    // the versions the store holds (given to it by a write, or read back from sync_records) are
    // never changed in place, since a write may be copying them and the store keeps them as written.
    this.context = ownsRecords ? { ...context, ownsRecords: true } : context;
  }

  /** Events skipped as parked. */
  get parkedEvents(): number {
    return this.skippedParked;
  }

  get unwrittenEvents(): number {
    return this.events;
  }

  /**
   * Decides one page event by event, as the live runner would with the same records. A record gets
   * its id as soon as an event creates it (live processing had stored it before any later event
   * could name it by id), unless live processing never stored it.
   */
  async decide(page: RecordedEvent[]): Promise<void> {
    const { batch } = this;
    // The store holds records as of the last write: those this window changed or merged away are newer here.
    const notNewer = (record: SyncRecord) => !batch.supersedes(record);
    // Each event's keys, computed once: for the look-ups here and for decideEvent.
    const pageKeys = page.map((event) => recordKeysOf(event, this.context));
    batch.load((await this.recordsFor(pageKeys)).filter(notNewer));
    // As the live runner's batch does, but per event: the waiting records are loaded again at the event's first new link.
    const waiting: WaitingRecords = { load: async () => this.store.waitingRecords().filter(notNewer), loaded: false };
    const decider: EventDecider = { batch, context: this.context, links: this.links, waiting, decideOne: this.poison.decide ?? decide, tally: this.tally, dropCommands: true };
    const decided: BatchDecisions = { commands: [], decisions: [] };
    try {
      for (let i = 0; i < page.length; i++) {
        const event = page[i];
        decided.decisions.length = 0;
        waiting.loaded = false;
        // Synchronous unless the event links a pair or its decision throws: no promise per event.
        const outcome = this.decideOne(event, pageKeys[i], decider, decided);
        if (!(outcome === true || (outcome !== false && (await outcome)))) continue;
        const { decisions } = decided;
        // Indexed loops: an array iterator here lives across the awaits of this async function, so
        // V8 cannot elide it (one iterator per loop per event).
        for (let d = 0; d < decisions.length; d++) {
          const decision = decisions[d];
          const created = decision.record && decision.record.id === null ? batch.latest(decision.record) : null;
          if (created && created.id === null) {
            const id = await this.ids.assign(event);
            created.id = id ?? this.nextUnstoredId--;
            if (id === null) this.unstored.set(created.id, { record: created, decisions: [] });
            batch.put(created);
          }
        }
        for (let d = 0; d < decisions.length; d++) {
          const row = decisions[d];
          const recordId = row.record ? batch.idOf(row.record) : null;
          if (recordId !== null && recordId < 0) {
            const { record: _record, ...rest } = row;
            this.unstored.get(recordId)?.decisions.push(rest);
          } else {
            // The row as it is with the id beside it: no copy of every decision (hot path).
            this.decisionRows.push(decisionRowOf(row, recordId));
            if (recordId === null && row.outcome.detail) this.unattachedSubjects.set(row.position, unattachedDecisionSubject(event));
          }
        }
        if (this.unstored.size > 0) this.settleMerged();
      }
    } finally {
      this.tally.flush();
    }
    const last = page[page.length - 1];
    this.pages.push(this.decisionRows.join(''));
    this.decisionRows = [];
    this.checkpoint = { transactionId: last.transactionId, position: last.position };
    this.events += page.length;
  }

  /**
   * Decides one event into `into`: true when decided, false when it is skipped: parked and unresolved (live processing skipped
   * it, so replay does too; a resolved one is decided here in log order, where live decided it at its
   * retry: field values carry their source times, so the later change wins either way), or throwing
   * here (parked now, with its error, and skipped: replay never dies on one event). `decide` throws
   * before it changes the batch. A promise only when the decision waits for the waiting records or parks.
   */
  private decideOne(event: RecordedEvent, keys: RecordKey[], decider: EventDecider, into: BatchDecisions): boolean | Promise<boolean> {
    if (this.poison.parked.has(event.position)) {
      this.skippedParked++;
      return false;
    }
    try {
      const pending = decideEvent(event, decider, into, keys);
      return pending ? pending.then(() => true, (error: unknown) => this.park(event, error)) : true;
    } catch (error) {
      if (this.ownsRecords) throw new DecisionThrew(`position ${event.position}`, { cause: error });
      return this.park(event, error);
    }
  }

  private async park(event: RecordedEvent, error: unknown): Promise<false> {
    let keys: string[] = [];
    try {
      keys = recordKeysOf(event, this.context).flatMap((key) => (key ? [keyOf(key)] : []));
    } catch {
      // as malformed as that
    }
    await parkEvent(this.pool, SYNC_PROJECTOR, event, keys, parkedErrorOf(error));
    this.poison.parked.add(event.position);
    this.skippedParked++;
    return false;
  }

  /** Decision rows of records live processing never stored, once merged: they name the record merged into. */
  private settleMerged(): void {
    for (const [id, { record, decisions }] of this.unstored) {
      const current = this.batch.latest(record);
      if (current?.id === id) continue;
      this.unstored.delete(id);
      const into = current?.id ?? null;
      if (into !== null && into < 0) this.unstored.get(into)?.decisions.push(...decisions);
      else for (const decision of decisions) this.decisionRows.push(decisionRow({ ...decision, recordId: into }));
    }
  }

  /**
   * Starts writing what was decided since the last write, once the previous write has committed.
   * The records it changed go to the store, and the next pages start from a fresh batch. Waits while
   * a record live processing never stored is not merged yet (it was, within a live batch), unless
   * this is the last write: such a record left then gets a fresh id.
   */
  async flush(last = false): Promise<void> {
    await this.writing;
    this.writing = null;
    if (this.events === 0) return;
    if (this.unstored.size > 0 && !last) return;
    const { batch } = this;
    for (const [id, { record, decisions }] of this.unstored) {
      const current = batch.latest(record) as SyncRecord;
      current.id = await this.ids.fresh();
      batch.put(current);
      for (const decision of decisions) this.decisionRows.push(decisionRow({ ...decision, recordId: current.id }));
      this.unstored.delete(id);
    }
    if (this.decisionRows.length > 0) this.pages.push(this.decisionRows.join(''));
    this.decisionRows = [];
    const retiredIds = batch.retiredIds().filter((id) => id > 0);
    for (const id of retiredIds) this.store.retire(id);
    const changed = batch.changed();
    for (const record of changed) {
      this.store.put(record);
      disown(record);
    }
    const write: ReplayWrite = { records: changed, retiredIds, decisionRows: this.pages, unattachedSubjects: this.unattachedSubjects, checkpoint: this.checkpoint };
    this.unattachedSubjects = new Map();
    this.batch = new RecordBatch([]);
    this.pages = [];
    this.events = 0;
    this.store.dropWritten(new Set(changed.map((record) => record.id as number)));
    this.writing = this.writer.write(SYNC_PROJECTOR, write);
    this.writing.catch(() => undefined);
  }

  async finish(): Promise<void> {
    await this.writing;
    this.writing = null;
  }

  async close(): Promise<void> {
    await this.writing?.catch(() => undefined);
    this.writer.release();
  }

  /**
   * The records a page concerns: from memory, or read back from sync_records if the store dropped
   * some. Looked up event by event in the store's maps (no key strings, no key lists per page).
   */
  private async recordsFor(pageKeys: RecordKey[][]): Promise<SyncRecord[]> {
    // Found by item id, by Salesforce id, by record id: loaded in that order, each in event order (as collectKeys lists keys).
    const [byItem, bySalesforce, byId]: SyncRecord[][] = [[], [], []];
    const missing = this.store.mayMiss ? { itemIds: new Set<string>(), salesforce: new Map<string, { objectKey: string; salesforceId: string }>(), recordIds: new Set<number>() } : null;
    for (let e = 0; e < pageKeys.length; e++) {
      const keys = pageKeys[e];
      for (let k = 0; k < keys.length; k++) {
        const key = keys[k];
        if (!key) continue;
        const record = this.store.get(key);
        const kind = 'mondayItemId' in key ? byItem : 'salesforceId' in key ? bySalesforce : byId;
        if (record) kind.push(record);
        else if (!missing) continue;
        else if ('mondayItemId' in key) missing.itemIds.add(key.mondayItemId);
        else if ('salesforceId' in key) missing.salesforce.set(keyOf(key), key);
        else missing.recordIds.add(key.recordId);
      }
    }
    const found = new Map<number, SyncRecord>();
    for (const list of [byItem, bySalesforce, byId]) for (const record of list) if (!found.has(record.id as number)) found.set(record.id as number, record);
    const records = [...found.values()];
    if (!missing || missing.itemIds.size + missing.salesforce.size + missing.recordIds.size === 0) return records;
    // Dropped records were written by a committed write (dropWritten), so the table has them.
    const stored = await loadRecords(this.pool, { itemIds: [...missing.itemIds], salesforce: [...missing.salesforce.values()], recordIds: [...missing.recordIds] });
    return [...records, ...this.store.addStored(stored)];
  }
}
