import { isSalesforceId, to18 } from '../../mapping/salesforce-id';
import type { MondayItem } from '../../monday/monday.port';
import type { SObjectDescribe, SObjectRecord } from '../../salesforce/salesforce.port';
import { dispatcherError, toDispatchError } from '../dispatch-error';
import { failed, type DispatchContext, type HandlerResults } from './handler-types';
import { isDuplicateRuleRefusal, linkDuplicateRefusal, writeOptionsFor } from './salesforce-duplicate-link';
import { removedRecord } from './salesforce-recycle-bin';
import { createdByUsConditions, differingFields, InvalidFieldNameError, matchQuery, queryAllMatches, sameValue } from './salesforce-match';

import type { LinkReason } from '../../event-store/payloads/sync-results';
import type { WrittenValues } from '../../sync-commands/outbox-command';
import { itemDeletedOutcome, writeIdsBack, type CreateCommand, type Linked } from './salesforce-create-write-back';

const COLLECTION_SIZE = 200;

/**
 * New monday items -> Salesforce records of one object, never a duplicate (invariant 6). Per command:
 * 1. progress of an earlier attempt (the record was created, writing its Id back failed) -> reuse it;
 * 2. the item's Salesforce Id column already holds a live record's Id -> link to it; a deleted one
 *    (recycle bin) -> link to it as deleted (the `delete` policy then applies to the item), a merged
 *    one -> its master; one neither live nor in the recycle bin -> on to 3 and 4 (created again, as
 *    reconcile's `salesforce_id_not_found` fix expects);
 * 3. the object's `match` fields (exact SOQL match, escaped): one record -> link to it (updating the
 *    fields that differ), several -> dead letter "ambiguous match", never a guess; an object without
 *    match rules, on a retry, looks for a record the integration user created with the same values
 *    (the lost-response case);
 * 4. otherwise create, in sObject Collections of up to 200, storing the new Id as progress at once.
 * Then the 18-char Id is written into the item's Salesforce Id column (aliased monday mutations per
 * board) and `system.record_linked` is appended with the outcome (salesforce-create-write-back.ts).
 * An item a person deleted meanwhile (read with state `deleted`) settles the command instead of
 * failing it: before the create nothing is created; after it the link is recorded as made for a
 * deleted item, and the decision applies the `delete` policy to the new record.
 */
export async function handleSalesforceCreates(object: string, commands: readonly CreateCommand[], ctx: DispatchContext): Promise<HandlerResults> {
  const results: HandlerResults = new Map();
  const linked = new Map<number, Linked>();
  const fail = (c: CreateCommand, error: unknown): void => void results.set(c.id, failed(toDispatchError(error)));

  let describe: SObjectDescribe;
  try {
    describe = await ctx.salesforce.describe(object);
  } catch (error) {
    for (const c of commands) fail(c, error);
    return results;
  }

  const fresh: CreateCommand[] = [];
  for (const c of commands) {
    if (c.progress?.salesforceId) linked.set(c.id, { salesforceId: c.progress.salesforceId, via: (c.progress.via as LinkReason | undefined) ?? 'created_salesforce_record', idColumnHolds: false });
    else fresh.push(c);
  }

  const items = await readItems(fresh, ctx).catch((error: unknown) => {
    for (const c of fresh) fail(c, error);
    return null;
  });
  const toCreate: CreateCommand[] = [];
  for (const c of items ? fresh : []) {
    try {
      const item = items?.get(c.command.itemId);
      if (item?.state === 'deleted') {
        // A person deleted it before the create: nothing to create, and nothing for an operator to do.
        results.set(c.id, itemDeletedOutcome(item, ctx));
        continue;
      }
      if (!item) {
        results.set(c.id, failed({ code: 'NOT_FOUND', target: 'monday', message: `monday item ${c.command.itemId} does not exist (or is not visible to the integration user)` }));
        continue;
      }
      const found = await findExisting(object, c, item, describe, ctx);
      if (found.kind === 'ambiguous') {
        results.set(c.id, failed(dispatcherError('AMBIGUOUS_MATCH', `ambiguous match: ${found.ids.join(', ')} all have ${describeMatch(c)}`)));
      } else if (found.kind === 'linked') linked.set(c.id, found.link);
      else toCreate.push(c);
    } catch (error) {
      if (error instanceof InvalidFieldNameError) results.set(c.id, failed(dispatcherError('INVALID_COMMAND', error.message)));
      else fail(c, error);
    }
  }

  for (let start = 0; start < toCreate.length; start += COLLECTION_SIZE) {
    const chunk = toCreate.slice(start, start + COLLECTION_SIZE);
    try {
      ctx.countRequests('salesforce', 1);
      const options = writeOptionsFor(ctx, chunk[0]?.command.objectKey ?? '');
      const saved = await ctx.salesforce.createMany(object, chunk.map((c) => c.command.fields), options);
      for (const [index, c] of chunk.entries()) {
        const result = saved[index];
        if (!result?.ok && isDuplicateRuleRefusal(result?.error)) {
          await resolveDuplicate(object, c, result.error, describe, ctx, linked, results);
          continue;
        }
        if (!result?.ok) {
          fail(c, result?.error ?? new Error('no result for this record'));
          continue;
        }
        const salesforceId = to18(result.id);
        await ctx.saveProgress(c, { salesforceId, via: 'created_salesforce_record' });
        linked.set(c.id, { salesforceId, via: 'created_salesforce_record', idColumnHolds: false });
      }
    } catch (error) {
      // The response may be lost after Salesforce committed: the retry finds the record by its match
      // fields (or as created by us) before creating again.
      for (const c of chunk) fail(c, error);
    }
  }

  await writeIdsBack(commands.filter((c) => linked.has(c.id) && !results.has(c.id)), linked, ctx, results);

  return results;
}

/** A create an org duplicate rule refused: linked to the one record it matched, or a dead letter naming several. */
async function resolveDuplicate(
  object: string,
  c: CreateCommand,
  refusal: Parameters<typeof linkDuplicateRefusal>[2],
  describe: SObjectDescribe,
  ctx: DispatchContext,
  linked: Map<number, Linked>,
  results: HandlerResults,
): Promise<void> {
  const outcome = await linkDuplicateRefusal(object, c, refusal, describe, ctx);
  if (outcome.kind === 'failed') {
    results.set(c.id, failed(toDispatchError(outcome.error)));
  } else if (outcome.kind === 'ambiguous') {
    const rule = outcome.rule ? `duplicate rule ${outcome.rule}` : 'a duplicate rule';
    results.set(c.id, failed(dispatcherError('AMBIGUOUS_MATCH', `ambiguous match: ${rule} in Salesforce matched ${outcome.ids.join(', ')}; merge them or set allowDuplicates`)));
  } else {
    const via = outcome.kind === 'created' ? 'created_salesforce_record' : 'matched_existing';
    await ctx.saveProgress(c, { salesforceId: outcome.salesforceId, via });
    linked.set(c.id, { salesforceId: outcome.salesforceId, via, idColumnHolds: false });
  }
}

type Existing = { kind: 'linked'; link: Linked } | { kind: 'ambiguous'; ids: string[] } | { kind: 'none' };

/** Merges followed from the Id column's record to its master (a master merged again is followed too). */
const MAX_MERGE_HOPS = 3;

async function findExisting(object: string, c: CreateCommand, item: MondayItem, describe: SObjectDescribe, ctx: DispatchContext): Promise<Existing> {
  const idText = item.columnValues.find((v) => v.id === c.command.salesforceIdColumn)?.text?.trim() ?? '';
  const select = Object.keys(c.command.fields).filter((f) => !Array.isArray(c.command.fields[f]));
  if (idText !== '' && isSalesforceId(idText)) return idColumnRecord(object, c, to18(idText), idText, select, describe, ctx);
  let soql = matchQuery(object, c.command.match, select);
  if (soql === null && c.attempts > 1) {
    soql = matchQuery(object, createdByUsConditions(c.command.fields, describe.fields, await ctx.salesforceUserId()), select);
  }
  if (soql === null) return { kind: 'none' };
  const matches = await queryAllMatches(ctx, soql);
  if (matches.length > 1) return { kind: 'ambiguous', ids: matches.map((m) => to18(m.Id)) };
  const [match] = matches;
  if (!match) return { kind: 'none' };
  await updateDiffering(object, match.Id, differingFields(match, c.command.fields, describe.fields), ctx);
  return { kind: 'linked', link: { salesforceId: to18(match.Id), via: 'matched_existing', idColumnHolds: false } };
}

/**
 * The record the item's Salesforce Id column names, never a new one: live -> linked; deleted (in the
 * recycle bin) -> linked as deleted on the Salesforce side, so the decision tombstones it and applies
 * the `delete` policy to the item (a create would make a duplicate of a record a person deleted);
 * merged away -> its master; gone (purged, hard-deleted, not visible) -> none: matched or created
 * again (the documented fix of reconcile's `salesforce_id_not_found`; the recycle bin keeps deletes 15 days).
 */
async function idColumnRecord(object: string, c: CreateCommand, id: string, idText: string, select: readonly string[], describe: SObjectDescribe, ctx: DispatchContext): Promise<Existing> {
  const mergeable = describe.fields.some((f) => f.name === 'MasterRecordId');
  for (let hop = 0; hop <= MAX_MERGE_HOPS; hop++) {
    ctx.countRequests('salesforce', 1);
    const existing = await ctx.salesforce.get(object, id, select.length > 0 ? ['Id', ...select] : undefined);
    if (existing) {
      // Nothing is written over it: its values may be newer than the item's (a person's edit while our
      // create of this very item was in flight). The link says which values both sides hold; the
      // projector decides the others by time, as in real time, and sends each winner where it is missing.
      const held = heldValues(c, existing, ctx);
      return { kind: 'linked', link: { salesforceId: to18(existing.Id), via: 'salesforce_id_column', idColumnHolds: idText === to18(existing.Id), held } };
    }
    const removed = await removedRecord(object, id, mergeable, ctx);
    if (removed.kind === 'gone') return { kind: 'none' };
    if (removed.kind === 'deleted') {
      const deletedAt = removed.at ?? ctx.now().getTime();
      // The item keeps the Id it shows: the decision removes or archives it by the `delete` policy.
      return { kind: 'linked', link: { salesforceId: id, via: 'salesforce_id_column', idColumnHolds: true, held: {}, salesforceRecordDeletedAt: deletedAt } };
    }
    id = removed.masterId;
  }
  return { kind: 'none' };
}

/** The command's values (by field key) that `existing` already holds in every Salesforce field of the field; none without the mapping. */
function heldValues(c: CreateCommand, existing: SObjectRecord, ctx: DispatchContext): WrittenValues {
  const object = ctx.mapping?.byKey.get(c.command.objectKey);
  const held: WrittenValues = {};
  if (!object) return held;
  for (const [key, value] of Object.entries(c.command.values ?? {})) {
    const names = object.fieldByColumn.get(key)?.salesforceFields ?? [];
    if (names.length > 0 && names.every((name) => name in c.command.fields && sameValue(existing[name], c.command.fields[name]))) held[key] = value;
  }
  return held;
}

async function updateDiffering(object: string, id: string, fields: Record<string, unknown>, ctx: DispatchContext): Promise<void> {
  if (Object.keys(fields).length === 0) return;
  ctx.countRequests('salesforce', 1);
  await ctx.salesforce.update(object, id, fields);
}

function describeMatch(c: CreateCommand): string {
  const entries = Object.entries(c.command.match).filter(([, v]) => v !== null && v !== '');
  return entries.length > 0 ? entries.map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(' and ') : 'the values this create sent';
}

async function readItems(commands: readonly CreateCommand[], ctx: DispatchContext): Promise<Map<string, MondayItem>> {
  if (commands.length === 0) return new Map();
  const columnIds = [...new Set(commands.map((c) => c.command.salesforceIdColumn))];
  ctx.countRequests('monday', Math.ceil(commands.length / 100));
  const items = await ctx.monday.itemsByIds([...new Set(commands.map((c) => c.command.itemId))], { columnIds });
  return new Map(items.map((item) => [item.id, item]));
}
