import { eventsOfStreams } from '../event-store/log-status';
import type { Queryable } from '../event-store/queryable';
import { isSalesforceId, to18 } from '../mapping/salesforce-id';
import { commandsOfRecord } from '../outbox/record-commands';
import { activePersonalData } from '../personal-data/active';
import { revealColumns } from '../personal-data/derived-values';
import { decisionsOfEvents } from '../sync-projector/decisions-of-events';
import { syncRecordByCrmId } from '../sync-projector/record-lookups';

export type Crm = 'salesforce' | 'monday';

export interface RecordHistory {
  record: {
    id: number;
    objectKey: string;
    salesforceId: string | null;
    mondayBoardId: string;
    mondayItemId: string | null;
    deletedSide: string | null;
    /** Values not written yet, and what they wait for: a relation's link, or the user directory to know a person. */
    waiting: Array<{ field: string; towards: string; waitsFor: 'link' | 'user'; since: string }>;
  } | null;
  /** Every event of the record's streams, oldest first, with the sync's decision about it. */
  events: Array<{
    position: number;
    type: string;
    source: string;
    origin: string;
    stream: string;
    occurredAt: string;
    payload: unknown;
    decision: { outcome: string; reason: string | null; detail: unknown; commands: number } | null;
  }>;
  /** Set once a duplicate merge merged this record away (system.record_merged): what it now lives on as. */
  mergedInto: { crm: Crm; id: string; clusterId: string; via: string; at: string } | null;
  /** The commands issued for the record and where each stands; their outcomes are events above. */
  commands: Array<{ id: number; kind: string; status: string; attempts: number; causedBy: number; lastError: unknown; createdAt: string; finishedAt: string | null }>;
}

/** At most this many events of a record's streams are shown. */
const MAX_EVENTS = 2000;

/**
 * The record's streams are `monday:item:<id>` and `salesforce:<Object>:<id>` (the event store's);
 * each event's decision is the projectors' for its (position, event type).
 */
async function eventsWithDecisions(db: Queryable, mondayItemId: string | null, salesforceId: string | null) {
  const events = await eventsOfStreams(db, mondayItemId ? `monday:item:${mondayItemId}` : '', salesforceId ? `salesforce:%:${escapeLike(salesforceId)}` : '', MAX_EVENTS);
  const decisions = new Map((await decisionsOfEvents(db, events.map((e) => Number(e.position)))).map((d) => [`${d.position}:${d.event_type}`, d]));
  return events.map((e) => {
    const d = decisions.get(`${e.position}:${e.type}`);
    return { ...e, outcome: d?.outcome ?? null, reason: d?.reason ?? null, detail: d?.detail ?? null, commands: d?.commands ?? null };
  });
}

/** An id that cannot name a record on that side (letters in a monday item id, a NUL byte that Postgres cannot even compare). */
export class InvalidRecordIdError extends Error {
  readonly code = 'INVALID_RECORD_ID';
  constructor(
    readonly crm: Crm,
    readonly id: string,
  ) {
    // JSON.stringify shows control characters (\u0000) instead of printing them.
    super(
      crm === 'monday'
        ? `monday item id must be digits, got ${JSON.stringify(id)}`
        : `salesforce id must be a 15- or 18-character Salesforce Id (letters and digits), got ${JSON.stringify(id)}`,
    );
    this.name = 'InvalidRecordIdError';
  }
}

const MONDAY_ITEM_ID = /^\d{1,20}$/;

/** Null when neither a synced record nor any event is known for that id; InvalidRecordIdError when it cannot be an id. */
export async function recordHistory(db: Queryable, crm: Crm, rawId: string): Promise<RecordHistory | null> {
  if (crm === 'monday' ? !MONDAY_ITEM_ID.test(rawId) : !isSalesforceId(rawId)) throw new InvalidRecordIdError(crm, rawId);
  const id = crm === 'salesforce' ? to18(rawId) : rawId;
  const record = await syncRecordByCrmId(db, crm, id);
  const mondayItemId = record ? record.monday_item_id : crm === 'monday' ? id : null;
  const salesforceId = record ? record.salesforce_id : crm === 'salesforce' ? id : null;
  const events = await eventsWithDecisions(db, mondayItemId, salesforceId);
  const commands = record ? await commandsOfRecord(db, record.id) : [];
  if (!record && events.length === 0) return null;
  await activePersonalData()?.reveal(events);
  const merged = [...events].reverse().find((e) => e.type === 'system.record_merged');
  const mergedPayload = merged?.payload as { mergedInto: { crm: Crm; id: string }; clusterId: string; via: string } | undefined;
  await revealColumns(events, ['detail']);
  await revealColumns(commands, ['last_error']);
  return {
    record: record
      ? {
          id: Number(record.id),
          objectKey: record.object_key,
          salesforceId: record.salesforce_id,
          mondayBoardId: record.monday_board_id,
          mondayItemId: record.monday_item_id,
          deletedSide: record.deleted_side,
          waiting: record.waiting.map((w) => ({ field: w.fieldKey, towards: w.towards, waitsFor: w.waitsFor === 'user' ? 'user' : 'link', since: new Date(w.at).toISOString() })),
        }
      : null,
    events: events.map((e) => ({
      position: Number(e.position),
      type: e.type,
      source: e.source,
      origin: e.origin,
      stream: e.stream,
      occurredAt: e.occurred_at.toISOString(),
      payload: e.payload,
      decision: e.outcome ? { outcome: e.outcome, reason: e.reason, detail: e.detail, commands: e.commands ?? 0 } : null,
    })),
    mergedInto: merged && mergedPayload ? { ...mergedPayload.mergedInto, clusterId: mergedPayload.clusterId, via: mergedPayload.via, at: merged.occurred_at.toISOString() } : null,
    commands: commands.map((c) => ({
      id: Number(c.id),
      kind: c.kind,
      status: c.status,
      attempts: c.attempts,
      causedBy: Number(c.caused_by),
      lastError: c.last_error,
      createdAt: c.created_at.toISOString(),
      finishedAt: c.finished_at?.toISOString() ?? null,
    })),
  };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
