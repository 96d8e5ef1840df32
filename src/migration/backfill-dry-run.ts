import type { Queryable, RecordedEvent } from '../event-store';
import type { MondayPort } from '../monday/monday.port';
import { matchConditions, matchItemsByRules, type RulesMatch } from '../outbox/handlers/monday-match';
import { linkedItems } from '../sync-projector/linked-items';
import { to18 } from '../mapping/salesforce-id';
import { decide } from '../sync-projector/decide';
import type { ResolvedObject } from '../mapping/resolved-mapping';
import type { SyncContext } from '../sync-projector/sync-context';
import { loadRecords } from '../sync-projector/sync-records.repository';
import type { SObjectRecord } from '../salesforce/salesforce.port';
import { snapshotEvent } from './backfill-snapshot-events';

/** What a dry run found for one record. */
export type PlannedChange =
  | { kind: 'create'; salesforceId: string; name: string }
  | { kind: 'link_existing'; salesforceId: string; itemId: string }
  | { kind: 'update'; salesforceId: string; itemId: string; columns: string[] }
  | { kind: 'unchanged'; salesforceId: string }
  | { kind: 'skipped'; salesforceId: string; reason: string };

export interface DryRunTally {
  create: number;
  linkExisting: number;
  update: number;
  unchanged: number;
  skipped: number;
  /** The first changes found, for the terminal (the counts cover all). */
  examples: PlannedChange[];
}

export const emptyTally = (): DryRunTally => ({ create: 0, linkExisting: 0, update: 0, unchanged: 0, skipped: 0, examples: [] });

const EXAMPLES = 20;

/**
 * `--dry-run`: runs the projector's pure `decide` for each record read against the current sync
 * state, without storing anything, and reports what the run would write. Items the board already
 * holds under the record's Id, or that meet the object's `match:` rules, would be linked, not
 * created, so they are looked up (monday reads, no write). Nothing is appended, no command is
 * queued, no progress is stored.
 */
export async function planPage(db: Queryable, monday: MondayPort, context: SyncContext, object: ResolvedObject, records: SObjectRecord[], tally: DryRunTally): Promise<void> {
  const events = records.map((record, index): RecordedEvent => ({ ...snapshotEvent(object.mapping.salesforce, record, 'backfill'), position: index + 1, transactionId: '0', recordedAt: new Date() }));
  const ids = events.map((e) => to18((e.payload as { record: { Id: string } }).record.Id));
  const known = await loadRecords(db, { itemIds: [], salesforce: ids.map((salesforceId) => ({ objectKey: object.mapping.key, salesforceId })), recordIds: [] });
  const bySalesforceId = new Map(known.map((r) => [r.salesforceId, r]));
  const existing = await itemsHoldingIds(monday, object, ids.filter((id) => !bySalesforceId.get(id)?.mondayItemId));

  const results = events.map((event, index) => decide(bySalesforceId.get(ids[index]) ?? null, event, context));
  const byRules = await itemsMatchingRules(db, monday, object, results, ids, existing);
  results.forEach((result, index) => {
    const salesforceId = ids[index];
    const rules = byRules.get(index);
    if (rules?.kind === 'ambiguous') count(tally, { kind: 'skipped', salesforceId, reason: `ambiguous_match (items ${rules.items.map((i) => i.id).join(', ')})` });
    else count(tally, describe(result, salesforceId, existing.get(salesforceId) ?? (rules?.kind === 'item' ? rules.item.id : undefined), nameOf(records[index], object)));
  });
}

/** Creates no item holds the Id of: what the dispatcher's `match:` rules would find for them (a monday read). */
async function itemsMatchingRules(
  db: Queryable,
  monday: MondayPort,
  object: ResolvedObject,
  results: ReadonlyArray<ReturnType<typeof decide>>,
  ids: readonly string[],
  existing: ReadonlyMap<string, string>,
): Promise<Map<number, RulesMatch>> {
  const wanted = results.flatMap((result, index) => {
    const command = result.commands[0];
    if (command?.kind !== 'monday.create_item' || existing.has(ids[index])) return [];
    return [{ key: index, conditions: matchConditions(object, command.values), salesforceIdColumn: object.mapping.monday.salesforceIdColumn }];
  });
  return matchItemsByRules(monday, object.mapping.monday.board, wanted, { linkedItems: (itemIds) => linkedItems(db, itemIds), countRequest: () => undefined });
}

function describe(result: ReturnType<typeof decide>, salesforceId: string, existingItem: string | undefined, name: string): PlannedChange {
  const command = result.commands[0];
  if (command?.kind === 'monday.create_item') {
    return existingItem ? { kind: 'link_existing', salesforceId, itemId: existingItem } : { kind: 'create', salesforceId, name };
  }
  if (command?.kind === 'monday.change_columns') {
    const columns = [...(command.name !== undefined ? ['name'] : []), ...Object.keys(command.columnValues)];
    return { kind: 'update', salesforceId, itemId: command.itemId, columns };
  }
  if (result.outcome.outcome === 'skipped' && result.outcome.reason === 'unchanged_value') return { kind: 'unchanged', salesforceId };
  return { kind: 'skipped', salesforceId, reason: result.outcome.reason ?? result.outcome.outcome };
}

function count(tally: DryRunTally, change: PlannedChange): void {
  if (change.kind === 'create') tally.create++;
  else if (change.kind === 'link_existing') tally.linkExisting++;
  else if (change.kind === 'update') tally.update++;
  else if (change.kind === 'unchanged') tally.unchanged++;
  else tally.skipped++;
  if (change.kind !== 'unchanged' && tally.examples.length < EXAMPLES) tally.examples.push(change);
}

/** Items of the object's board whose Salesforce Id column holds one of `ids` (15 or 18 characters). */
async function itemsHoldingIds(monday: MondayPort, object: ResolvedObject, ids: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (ids.length === 0) return found;
  const column = object.mapping.monday.salesforceIdColumn;
  const values = ids.flatMap((id) => [id, id.slice(0, 15)]);
  for (const item of await monday.findItemsByColumnValue(object.mapping.monday.board, column, values)) {
    const text = item.columnValues.find((v) => v.id === column)?.text?.trim();
    if (item.state === 'active' && text) found.set(to18(text), item.id);
  }
  return found;
}

function nameOf(record: SObjectRecord, object: ResolvedObject): string {
  const value = record[object.mapping.name];
  return typeof value === 'string' && value !== '' ? value : record.Id;
}
