import type { Logger } from 'pino';
import { appendEvents, streams, type NewEvent } from '../../event-store';
import type { Queryable } from '../../event-store/queryable';
import type { Mapping } from '../../mapping';
import type { SalesforcePort } from '../../salesforce';

/** Objects Salesforce merges (addendum 6.1). */
const MERGEABLE: ReadonlySet<string> = new Set(['Lead', 'Contact', 'Account']);
/** Ids per `Id IN (...)` lookup: a DELETE burst stays far below the URL limit. */
const IDS_PER_QUERY = 200;
/** Reparenting commits with the merge; a little earlier covers clock rounding of SystemModstamp. */
const MODSTAMP_MARGIN_MS = 5_000;

export interface MergeFound {
  object: string;
  loserId: string;
  masterId: string;
  at: number;
}

/** Deleted Leads, Contacts and Accounts of one stored CDC delivery, by object. */
export function deletedMergeable(events: readonly NewEvent[]): Map<string, Array<{ id: string; at: number }>> {
  const byObject = new Map<string, Array<{ id: string; at: number }>>();
  for (const event of events) {
    if (event.type !== 'salesforce.record_changed' || event.payload.changeType !== 'DELETE' || !MERGEABLE.has(event.payload.object)) continue;
    const list = byObject.get(event.payload.object) ?? [];
    list.push({ id: event.payload.recordId, at: event.payload.commitTimestamp });
    byObject.set(event.payload.object, list);
  }
  return byObject;
}

/** Mapped Salesforce objects with a `reference:` field to `object`'s key (their lookups follow a merge). */
export function referencingObjects(mapping: Mapping, object: string): string[] {
  const keys = new Set(mapping.objects.filter((o) => o.salesforce === object).map((o) => o.key));
  return mapping.objects.filter((o) => o.fields.some((f) => f.reference !== undefined && keys.has(f.reference))).map((o) => o.salesforce);
}

/**
 * A merge's CDC is a DELETE per loser, with no sign of the merge (MasterRecordId is not in the
 * event). The losers' items get the delete policy like any delete; what a merge adds is that the
 * children of a loser now look up the winner, and whether Salesforce sends change events for that
 * reparenting is undocumented. So a catch-up of the referencing objects since the merge is
 * requested: the backfill re-reads them and their relations move to the winner's item.
 */
export function mergeCatchUpEvents(merges: readonly MergeFound[], mapping: Mapping): NewEvent[] {
  const events: NewEvent[] = [];
  for (const merge of merges) {
    const objects = referencingObjects(mapping, merge.object);
    if (objects.length === 0) continue;
    const now = new Date();
    events.push({
      type: 'system.catch_up_requested',
      source: 'system',
      sourceEventId: `merge:${merge.loserId}:${merge.masterId}`,
      stream: streams.salesforceObject(merge.object),
      origin: 'unknown',
      occurredAt: now,
      payload: { objects, recordIds: [], sinceModstamp: new Date(merge.at - MODSTAMP_MARGIN_MS).toISOString(), reason: 'merge' },
    });
  }
  return events;
}

/** Which deleted records were merged away: `queryAll` shows them with MasterRecordId set. */
export async function findMerges(salesforce: Pick<SalesforcePort, 'queryAll'>, deleted: Map<string, Array<{ id: string; at: number }>>): Promise<MergeFound[]> {
  const merges: MergeFound[] = [];
  for (const [object, records] of deleted) {
    const at = new Map(records.map((r) => [r.id, r.at]));
    const ids = [...at.keys()].filter((id) => /^[A-Za-z0-9]{15,18}$/.test(id));
    for (let start = 0; start < ids.length; start += IDS_PER_QUERY) {
      const list = ids.slice(start, start + IDS_PER_QUERY).map((id) => `'${id}'`).join(', ');
      for await (const row of salesforce.queryAll(`SELECT Id, MasterRecordId FROM ${object} WHERE Id IN (${list})`)) {
        const masterId = typeof row.MasterRecordId === 'string' && row.MasterRecordId !== '' ? row.MasterRecordId : null;
        const loserAt = at.get(row.Id) ?? [...at.entries()].find(([id]) => id.slice(0, 15) === row.Id.slice(0, 15))?.[1];
        if (masterId && loserAt !== undefined) merges.push({ object, loserId: row.Id, masterId, at: loserAt });
      }
    }
  }
  return merges;
}

/** The runner: looks the stored deletes up and appends the catch-up requests (idempotent per merge). */
export function mergeFollowUp(db: Queryable, salesforce: Pick<SalesforcePort, 'queryAll'>, mapping: Mapping, logger: Logger) {
  return async (stored: readonly NewEvent[]): Promise<void> => {
    const deleted = deletedMergeable(stored);
    if (deleted.size === 0) return;
    const merges = await findMerges(salesforce, deleted);
    for (const m of merges) logger.info({ object: m.object, loserId: m.loserId, masterId: m.masterId }, 'Salesforce record merged into another');
    await appendEvents(db, mergeCatchUpEvents(merges, mapping));
  };
}
