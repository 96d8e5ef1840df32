import type { SalesforceValue } from '../mapping/converters/converter.types';
import type { Queryable } from '../event-store/queryable';
import { NAME_KEY, type ResolvedMapping } from '../projectors/resolved-mapping';
import type { FieldState } from '../projectors/sync-record';
import type { ClaimedCommand } from './claim';
import type { OutboxCommand } from './outbox-command';

/** Per record: its fields' state now (sync_records.fields: agreed value and what each side holds), and its tombstone. */
export type CurrentFields = Map<number, { fields: Record<string, FieldState>; deleted: boolean }>;

export async function loadCurrentFields(db: Queryable, recordIds: readonly number[]): Promise<CurrentFields> {
  const { rows } = await db.query<{ id: string; fields: Record<string, FieldState> | null; deleted: boolean }>(
    'SELECT id, fields, deleted_side IS NOT NULL AS deleted FROM sync_records WHERE id = ANY($1::bigint[])',
    [recordIds],
  );
  return new Map(rows.map((r) => [Number(r.id), { fields: r.fields ?? {}, deleted: r.deleted }]));
}

/**
 * An update decided earlier may wait in the outbox (per-record order, retries) while the state moves
 * on. A value is no longer to be sent when:
 * - a newer value was agreed since (a later edit on the same side, whose own command follows, or on
 *   the target side): sending the old one would overwrite the newer, and its echo is ours, so nothing
 *   would repair it;
 * - the target holds it by now (a person there typed the same value, or another command of ours
 *   wrote it): the write would change nothing (invariant 7's second guard, with fresher knowledge
 *   than when the command was decided).
 * Returns the command without those values; null when nothing is left to send.
 */
export function withoutSupersededValues(command: OutboxCommand, fields: Record<string, FieldState> | undefined, mapping: ResolvedMapping | null): OutboxCommand | null {
  if ((command.kind !== 'salesforce.update' && command.kind !== 'monday.change_columns') || !command.values || !fields) return command;
  const object = mapping?.byKey.get(command.objectKey);
  const same = (key: string, a: SalesforceValue, b: SalesforceValue): boolean => {
    const converter = object?.fieldByColumn.get(key)?.converter;
    return converter ? converter.equals(a, b) : JSON.stringify(a) === JSON.stringify(b);
  };
  const stale = Object.entries(command.values)
    .filter(([key, value]) => {
      const state = fields[key];
      if (!state) return false;
      const held = state[command.target];
      return !same(key, state.agreed, value) || (held !== undefined && same(key, held.value, value));
    })
    .map(([key]) => key);
  if (stale.length === 0) return command;
  const values = Object.fromEntries(Object.entries(command.values).filter(([key]) => !stale.includes(key)));
  if (command.kind === 'monday.change_columns') {
    const columnValues = Object.fromEntries(Object.entries(command.columnValues).filter(([key]) => !stale.includes(key)));
    const { name, ...rest } = command;
    const keepName = name !== undefined && !stale.includes(NAME_KEY);
    if (Object.keys(columnValues).length === 0 && !keepName) return null;
    return { ...rest, ...(keepName ? { name } : {}), columnValues, values };
  }
  if (!object) return command;
  const dropped = new Set(stale.flatMap((key) => object.fieldByColumn.get(key)?.salesforceFields ?? []));
  const salesforceFields = Object.fromEntries(Object.entries(command.fields).filter(([name]) => !dropped.has(name)));
  return Object.keys(salesforceFields).length === 0 ? null : { ...command, fields: salesforceFields, values };
}

/** Splits a claimed batch: commands to send (stale values dropped) and ids with nothing left to send. */
export function dropSupersededValues(claimed: readonly ClaimedCommand[], current: CurrentFields, mapping: ResolvedMapping | null): { send: ClaimedCommand[]; nothingLeft: ClaimedCommand[] } {
  const send: ClaimedCommand[] = [];
  const nothingLeft: ClaimedCommand[] = [];
  for (const c of claimed) {
    const now = current.get(c.recordId);
    // A record deleted on either side since (tombstone): an update has nothing left to change.
    const isUpdate = c.command.kind === 'salesforce.update' || c.command.kind === 'monday.change_columns';
    const command = now?.deleted && isUpdate ? null : withoutSupersededValues(c.command, now?.fields, mapping);
    if (command === null) nothingLeft.push(c);
    else send.push(command === c.command ? c : { ...c, command });
  }
  return { send, nothingLeft };
}
