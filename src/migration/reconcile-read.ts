import { loadSyncRecords } from '../sync-projector/sync-records.repository';
import type { Queryable } from '../event-store';
import { deadCreateMessages } from '../outbox/dead-creates';
import { busyRecordIds } from '../outbox/busy-records';
import { to18 } from '../mapping/salesforce-id';
import type { MondayItem, MondayPort } from '../monday/monday.port';
import type { ResolvedObject } from '../mapping/resolved-mapping';
import type { SalesforcePort } from '../salesforce/salesforce.port';
import type { ObjectReading } from './reconcile-compare';
import type { RemovedRecord } from './reconcile-drift';

export interface ReconcileSources {
  db: Queryable;
  salesforce: SalesforcePort;
  monday: MondayPort;
}

/** Ids per SOQL `IN (...)`: 200 18-character ids keep the statement far below the 100,000-character limit. */
const IDS_PER_QUERY = 200;

/**
 * Reads one object from both CRMs and the sync's records of it: every live record (SOQL, paged),
 * every active item of the board (items_page), then whatever the links name that those reads did
 * not return (archived or deleted items by id; deleted records through queryAll).
 */
export async function readObject(sources: ReconcileSources, object: ResolvedObject): Promise<ObjectReading> {
  const { salesforce, monday } = sources;
  const sobject = object.mapping.salesforce;
  const fields = [...new Set(['Id', 'LastModifiedDate', 'SystemModstamp', object.mapping.name, ...object.fields.flatMap((f) => f.salesforceFields)])];
  const [records, scope, items, syncRecords, allDeadCreates, allBusy] = await Promise.all([
    collect(salesforce.query(`SELECT ${fields.join(', ')} FROM ${sobject}`)),
    object.mapping.backfill?.where ? collect(salesforce.query(`SELECT Id FROM ${sobject} WHERE ${object.mapping.backfill.where}`)) : Promise.resolve(null),
    collect(monday.streamBoardItems(object.mapping.monday.board)),
    loadSyncRecords(sources.db, object.mapping.key),
    deadCreateMessages(sources.db),
    busyRecordIds(sources.db),
  ]);
  // Why a record's last create was dead-lettered, and which records are busy, of this object's records.
  const ofObject = new Set(syncRecords.map((r) => r.id));
  const deadCreates = new Map([...allDeadCreates].filter(([recordId]) => ofObject.has(recordId)));
  const busy = new Set([...allBusy].filter((recordId) => ofObject.has(recordId)));
  const inScope = scope ? new Set(scope.map((r) => to18(r.Id))) : null;
  const linked = syncRecords.filter((r) => !r.deleted && r.salesforceId && r.mondayItemId);
  const activeItems = new Set(items.map((i) => i.id));
  const liveRecords = new Set(records.map((r) => to18(r.Id)));
  const missingItems = linked.map((r) => r.mondayItemId as string).filter((id) => !activeItems.has(id));
  const missingRecords = linked.map((r) => to18(r.salesforceId as string)).filter((id) => !liveRecords.has(id));
  const [removedItems, removedRecords] = await Promise.all([readRemovedItems(monday, object, missingItems), readRemovedRecords(salesforce, sobject, missingRecords)]);
  return {
    object,
    records,
    inScope: (id) => inScope === null || inScope.has(id),
    items,
    removedItems,
    removedRecords,
    syncRecords,
    deadCreates,
    busy,
  };
}

async function readRemovedItems(monday: MondayPort, object: ResolvedObject, ids: string[]): Promise<MondayItem[]> {
  if (ids.length === 0) return [];
  const found = new Map((await monday.itemsByIds(ids)).map((i) => [i.id, i]));
  const removed: MondayItem[] = [];
  for (const id of ids) {
    const item = found.get(id);
    if (item && item.state === 'active') continue; // moved to another board: not this object's drift
    removed.push(item ?? { id, name: '', boardId: object.mapping.monday.board, groupId: null, state: 'deleted', createdAt: null, updatedAt: null, columnValues: [] });
  }
  return removed;
}

async function readRemovedRecords(salesforce: SalesforcePort, sobject: string, ids: string[]): Promise<RemovedRecord[]> {
  const modstamps = new Map<string, string | null>();
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const chunk = ids.slice(i, i + IDS_PER_QUERY);
    const soql = `SELECT Id, IsDeleted, SystemModstamp FROM ${sobject} WHERE Id IN (${chunk.map((id) => `'${id}'`).join(', ')})`;
    for await (const record of salesforce.queryAll(soql)) modstamps.set(to18(record.Id), typeof record.SystemModstamp === 'string' ? record.SystemModstamp : null);
  }
  return ids.map((id) => ({ id, systemModstamp: modstamps.get(id) ?? null }));
}


async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const value of source) all.push(value);
  return all;
}
