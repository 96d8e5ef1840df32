import type { SalesforceValue } from '../mapping/converters/converter.types';
import type { Queryable } from '../event-store/queryable';
import type { Checkpoint } from '../event-store/read-batch';
import { NAME_KEY, type ResolvedMapping } from '../projectors/resolved-mapping';
import { SYNC_PROJECTOR } from '../projectors/sync-projector';
import type { FieldState } from '../projectors/sync-record';
import type { CommandSucceeded } from '../event-store/payloads/sync-results';
import type { ClaimedCommand } from './claim';
import { activePersonalData } from '../personal-data/active';
import { commandStream } from './result-events';
import type { OutboxCommand } from './outbox-command';

/** Per record: its fields' state now (sync_records.fields: agreed value and what each side holds), and its tombstone. */
export type CurrentFields = Map<number, { fields: Record<string, FieldState>; deleted: boolean }>;

/** The sync projector's checkpoint the state was read at: every event up to it is in that state. */
export type StateAsOf = Checkpoint;

/** Per claimed command id: field key -> the value our own writes to the same target left there since the command was decided. */
export type WrittenSince = Map<number, Record<string, SalesforceValue>>;

/**
 * The records' state, with the projector checkpoint it is consistent with (one statement, one
 * snapshot: the projector saves both in one transaction). A command's success event carries that
 * checkpoint, so the log shows what the dispatcher knew when it decided to send.
 */
export async function loadCurrentFields(db: Queryable, recordIds: readonly number[]): Promise<{ current: CurrentFields; stateAsOf: StateAsOf | null }> {
  const { rows } = await db.query<{ id: string; fields: Record<string, FieldState> | null; deleted: boolean; tx: string | null; position: string | null }>(
    `SELECT r.id, r.fields, r.deleted_side IS NOT NULL AS deleted, c.transaction_id::text AS tx, c.position
     FROM sync_records r LEFT JOIN subscriber_checkpoints c ON c.subscriber = $2 WHERE r.id = ANY($1::bigint[])`,
    [recordIds, SYNC_PROJECTOR],
  );
  const checkpoint = rows.find((r) => r.tx !== null);
  return {
    current: new Map(rows.map((r) => [Number(r.id), { fields: r.fields ?? {}, deleted: r.deleted }])),
    stateAsOf: checkpoint ? { transactionId: checkpoint.tx as string, position: Number(checkpoint.position) } : null,
  };
}

/**
 * Our writes to the same record and target whose outcome was recorded after the event that caused
 * each update: the projector that decided the update did not know of them. Commands of one record
 * run one at a time in order, so the last of them is what the target holds (or a person changed it
 * since, which we will hear of as a newer change).
 */
export async function loadWrittenSince(db: Queryable, claimed: readonly ClaimedCommand[]): Promise<WrittenSince> {
  const updates = claimed.filter((c) => c.command.kind === 'salesforce.update' || c.command.kind === 'monday.change_columns');
  const result: WrittenSince = new Map();
  if (updates.length === 0) return result;
  const { rows } = await db.query<{ position: string; stream: string; payload: CommandSucceeded }>(
    `SELECT position, stream, payload FROM events
     WHERE stream = ANY($1::text[]) AND position > $2 AND type = 'system.command_succeeded' ORDER BY position`,
    [[...new Set(updates.map((c) => commandStream(c.command)))], Math.min(...updates.map((c) => c.causedBy))],
  );
  await activePersonalData()?.reveal(rows);
  for (const c of updates) {
    const stream = commandStream(c.command);
    const written: Record<string, SalesforceValue> = {};
    for (const row of rows) {
      if (row.stream !== stream || Number(row.position) <= c.causedBy || row.payload.target !== c.command.target || row.payload.commandId === c.id) continue;
      Object.assign(written, row.payload.written);
    }
    if (Object.keys(written).length > 0) result.set(c.id, written);
  }
  return result;
}

/**
 * An update decided earlier may wait in the outbox (per-record order, retries) while the state moves
 * on. A value is no longer to be sent when:
 * - a newer value was agreed since (a later edit on the same side, whose own command follows, or on
 *   the target side): sending the old one would overwrite the newer, and its echo is ours, so nothing
 *   would repair it;
 * - the target holds it by now (a person there typed the same value, or another command of ours
 *   wrote it, `writtenSince`): the write would change nothing (invariant 7's second guard, with
 *   fresher knowledge than when the command was decided).
 * Returns the command without those values; null when nothing is left to send.
 */
export function withoutSupersededValues(
  command: OutboxCommand,
  fields: Record<string, FieldState> | undefined,
  mapping: ResolvedMapping | null,
  writtenSince: Record<string, SalesforceValue> = {},
): OutboxCommand | null {
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
      const writtenMeanwhile = key in writtenSince && same(key, writtenSince[key], value);
      return !same(key, state.agreed, value) || (held !== undefined && same(key, held.value, value)) || writtenMeanwhile;
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
export function dropSupersededValues(
  claimed: readonly ClaimedCommand[],
  current: CurrentFields,
  mapping: ResolvedMapping | null,
  writtenSince: WrittenSince = new Map(),
): { send: ClaimedCommand[]; nothingLeft: ClaimedCommand[] } {
  const send: ClaimedCommand[] = [];
  const nothingLeft: ClaimedCommand[] = [];
  for (const c of claimed) {
    const now = current.get(c.recordId);
    // A record deleted on either side since (tombstone): an update has nothing left to change.
    const isUpdate = c.command.kind === 'salesforce.update' || c.command.kind === 'monday.change_columns';
    const command = now?.deleted && isUpdate ? null : withoutSupersededValues(c.command, now?.fields, mapping, writtenSince.get(c.id));
    if (command === null) nothingLeft.push(c);
    else send.push(command === c.command ? c : { ...c, command });
  }
  return { send, nothingLeft };
}
