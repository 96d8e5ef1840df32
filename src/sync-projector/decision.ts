import type { OutboxCommand } from '../sync-commands/outbox-command';
import type { Outcome } from './outcome';
import type { SyncRecord } from './sync-record';

/** What `decide` returns: the record's new state (null: no record concerned), commands, and why. */
export interface Decision {
  record: SyncRecord | null;
  commands: OutboxCommand[];
  outcome: Outcome;
}

export function decision(record: SyncRecord | null, outcome: Outcome, commands: Array<OutboxCommand | null> = []): Decision {
  return { record, outcome, commands: commands.filter((c): c is OutboxCommand => c !== null) };
}

/**
 * A private copy, so decide can mutate freely and stay a pure function of its inputs. Copy on
 * write: the field map is new, the field states in it are the ones `record` holds, shared, since a
 * FieldState is readonly (decide replaces a field's state, never changes one: state/field-state.ts,
 * except in a record its caller owns whole: record-ownership.ts).
 * Copying every field state of every record was 8% of bench/replay's CPU and much of its garbage.
 */
export function copyRecord(record: SyncRecord): SyncRecord {
  return {
    ...record,
    deleted: record.deleted ? { ...record.deleted } : null,
    fields: { ...record.fields },
    waiting: record.waiting.length === 0 ? [] : record.waiting.map((waiting) => ('mondayValue' in waiting ? { ...waiting, mondayValue: structuredClone(waiting.mondayValue) } : { ...waiting })),
  };
}
