import type { OutboxCommand } from '../sync-commands/outbox-command';
import type { Outcome } from './outcome';
import type { FieldState, SyncRecord } from './sync-record';

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
 * A private copy, so decide can mutate freely and stay a pure function of its inputs. Copied by
 * shape: field values are scalars or readonly date pairs, never mutated in place, so the objects
 * around them are what needs copying (a webhook's relation value, opaque, is still cloned).
 * structuredClone of every record was 23% of bench/replay's CPU and most of its garbage.
 */
export function copyRecord(record: SyncRecord): SyncRecord {
  const fields: SyncRecord['fields'] = {};
  const from = record.fields;
  // for-in over a plain JSON-like object: same keys and order as Object.entries, no pair arrays.
  for (const key in from) if (Object.prototype.hasOwnProperty.call(from, key)) fields[key] = copyFieldState(from[key]);
  return {
    ...record,
    deleted: record.deleted ? { ...record.deleted } : null,
    fields,
    waiting: record.waiting.map((waiting) => ('mondayValue' in waiting ? { ...waiting, mondayValue: structuredClone(waiting.mondayValue) } : { ...waiting })),
  };
}

function copyFieldState(state: FieldState): FieldState {
  const copy = { ...state };
  if (state.salesforce) copy.salesforce = { ...state.salesforce };
  if (state.monday) copy.monday = { ...state.monday };
  return copy;
}
