import type { SalesforceValue } from '../mapping/converters/converter.types';
import type { OutboxCommand, WrittenValues } from '../sync-commands/outbox-command';
import { NAME_KEY, type ResolvedMapping } from '../mapping/resolved-mapping';
import type { SyncRecord } from './sync-record';

/** What a pending (not yet claimed) command should carry now: itself, a smaller command, or nothing. */
export type Revision = { kind: 'unchanged' } | { kind: 'rewritten'; command: OutboxCommand } | { kind: 'cancelled' };

/**
 * An update decided earlier may wait in the outbox (per-record order, retries) while the record's
 * state moves on. The projector revises it whenever a later event changes that state, in the same
 * transaction, so the dispatcher sends what the state says when it claims. A value is no longer to be
 * sent when:
 * - a newer value was agreed since (a later edit on the same side, whose own command follows, or on
 *   the target side): sending the old one would overwrite the newer, and its echo is ours, so nothing
 *   would repair it;
 * - the target holds it by now (a person there typed the same value, or another command of ours
 *   wrote it: its result event recorded that): the write would change nothing (invariant 7).
 *   Except while an older command of the record, still pending or in flight, writes another value
 *   of the field to the same side (`writtenBefore`: key -> the last such value): what the side holds
 *   now is not what it will hold then (the echo of an older command of ours carrying the same value,
 *   another one between still to land).
 * An update of a record deleted on either side since has nothing left to change. Other commands
 * (creates, deletes, reads, conversions) are never revised. A command a field still waits for
 * (FieldState.sendingSeq) is emptied instead of cancelled, so its outcome still ends that wait.
 */
export function revisePendingCommand(command: OutboxCommand, record: SyncRecord, mapping: ResolvedMapping, writtenBefore: ReadonlyMap<string, SalesforceValue> = new Map()): Revision {
  if (command.kind !== 'salesforce.update' && command.kind !== 'monday.change_columns') return { kind: 'unchanged' };
  if (record.deleted) return { kind: 'cancelled' };
  if (!command.values) return { kind: 'unchanged' };
  const object = mapping.byKey.get(command.objectKey);
  const same = (key: string, a: SalesforceValue, b: SalesforceValue): boolean => {
    const converter = object?.fieldByColumn.get(key)?.converter;
    return converter ? converter.equals(a, b) : JSON.stringify(a) === JSON.stringify(b);
  };
  const stale = new Set(
    Object.entries(command.values)
      .filter(([key, value]) => {
        const state = record.fields[key];
        if (!state) return false;
        const held = state[command.target];
        const overwrittenBefore = writtenBefore.has(key) && !same(key, writtenBefore.get(key) as SalesforceValue, value);
        return !same(key, state.agreed, value) || (held !== undefined && !overwrittenBefore && same(key, held.value, value));
      })
      .map(([key]) => key),
  );
  if (stale.size === 0) return { kind: 'unchanged' };
  const awaited = command.seq !== undefined && Object.keys(command.values).some((key) => record.fields[key]?.sendingSeq?.[command.target] === command.seq);
  const cancelled: Revision = awaited ? { kind: 'rewritten', command: forRetry(command) } : { kind: 'cancelled' };
  const values = Object.fromEntries(Object.entries(command.values).filter(([key]) => !stale.has(key)));
  if (command.kind === 'monday.change_columns') {
    const columnValues = Object.fromEntries(Object.entries(command.columnValues).filter(([key]) => !stale.has(key)));
    const { name, ...rest } = command;
    const keepName = name !== undefined && !stale.has(NAME_KEY);
    if (Object.keys(columnValues).length === 0 && !keepName) return cancelled;
    return { kind: 'rewritten', command: { ...rest, ...(keepName ? { name } : {}), columnValues, values } };
  }
  if (!object) return { kind: 'unchanged' };
  const dropped = new Set([...stale].flatMap((key) => object.fieldByColumn.get(key)?.salesforceFields ?? []));
  const fields = Object.fromEntries(Object.entries(command.fields).filter(([name]) => !dropped.has(name)));
  return Object.keys(fields).length === 0 ? cancelled : { kind: 'rewritten', command: { ...command, fields, values } };
}

/** The values `command` writes (field key -> value), for revising the commands after it (see revisePendingCommand). */
export function valuesWritten(command: OutboxCommand): WrittenValues {
  return (command.kind === 'salesforce.update' || command.kind === 'monday.change_columns') && command.values ? command.values : {};
}

/**
 * A claimed update that revisePendingCommand would cancel, as a retry of it should carry it: nothing
 * (it cannot be cancelled while in flight; the dispatcher completes an empty update without a request).
 */
export function forRetry(command: OutboxCommand): OutboxCommand {
  if (command.kind === 'salesforce.update') return { ...command, fields: {}, values: {} };
  if (command.kind === 'monday.change_columns') {
    const { name: _name, ...rest } = command;
    return { ...rest, columnValues: {}, values: {} };
  }
  return command;
}
