import type { SalesforceValue } from '../mapping/converters/converter.types';
import type { Queryable } from '../event-store/queryable';
import type { ResolvedMapping } from '../projectors/resolved-mapping';
import type { ClaimedCommand } from './claim';
import type { OutboxCommand } from './outbox-command';

const NAME_KEY = '__name__';

/** Per record: field key -> the value both sides should converge to now (sync_records.fields[key].agreed), and its tombstone. */
export type AgreedValues = Map<number, { values: Record<string, SalesforceValue>; deleted: boolean }>;

export async function loadAgreedValues(db: Queryable, recordIds: readonly number[]): Promise<AgreedValues> {
  const { rows } = await db.query<{ id: string; agreed: Record<string, SalesforceValue> | null; deleted: boolean }>(
    `SELECT id, (SELECT jsonb_object_agg(key, value -> 'agreed') FROM jsonb_each(fields)) AS agreed, deleted_side IS NOT NULL AS deleted
     FROM sync_records WHERE id = ANY($1::bigint[])`,
    [recordIds],
  );
  return new Map(rows.map((r) => [Number(r.id), { values: r.agreed ?? {}, deleted: r.deleted }]));
}

/**
 * An update decided earlier may wait in the outbox (per-record order, retries) while a newer value is
 * accepted: a later edit on the same side (its own command follows) or on the target side (nothing
 * is to be written there). Sending the old value would overwrite the newer one, and its echo is
 * ours, so nothing would repair it. Drops each value of an update command that is no longer the
 * agreed one; null when nothing is left to send.
 */
export function withoutSupersededValues(command: OutboxCommand, agreed: Record<string, SalesforceValue> | undefined, mapping: ResolvedMapping | null): OutboxCommand | null {
  if ((command.kind !== 'salesforce.update' && command.kind !== 'monday.change_columns') || !command.values || !agreed) return command;
  const stale = Object.keys(command.values).filter((key) => key in agreed && JSON.stringify(agreed[key]) !== JSON.stringify(command.values?.[key]));
  if (stale.length === 0) return command;
  const values = Object.fromEntries(Object.entries(command.values).filter(([key]) => !stale.includes(key)));
  if (command.kind === 'monday.change_columns') {
    const columnValues = Object.fromEntries(Object.entries(command.columnValues).filter(([key]) => !stale.includes(key)));
    const { name, ...rest } = command;
    const keepName = name !== undefined && !stale.includes(NAME_KEY);
    if (Object.keys(columnValues).length === 0 && !keepName) return null;
    return { ...rest, ...(keepName ? { name } : {}), columnValues, values };
  }
  const object = mapping?.byKey.get(command.objectKey);
  if (!object) return command;
  const dropped = new Set(stale.flatMap((key) => object.fieldByColumn.get(key)?.salesforceFields ?? []));
  const fields = Object.fromEntries(Object.entries(command.fields).filter(([name]) => !dropped.has(name)));
  return Object.keys(fields).length === 0 ? null : { ...command, fields, values };
}

/** Splits a claimed batch: commands to send (stale values dropped) and ids with nothing left to send. */
export function dropSupersededValues(claimed: readonly ClaimedCommand[], agreed: AgreedValues, mapping: ResolvedMapping | null): { send: ClaimedCommand[]; nothingLeft: ClaimedCommand[] } {
  const send: ClaimedCommand[] = [];
  const nothingLeft: ClaimedCommand[] = [];
  for (const c of claimed) {
    const current = agreed.get(c.recordId);
    // A record deleted on either side since (tombstone): an update has nothing left to change.
    const isUpdate = c.command.kind === 'salesforce.update' || c.command.kind === 'monday.change_columns';
    const command = current?.deleted && isUpdate ? null : withoutSupersededValues(c.command, current?.values, mapping);
    if (command === null) nothingLeft.push(c);
    else send.push(command === c.command ? c : { ...c, command });
  }
  return { send, nothingLeft };
}
