import type { OutboxCommand } from '../outbox/outbox-command';
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

/** A private copy, so decide can mutate freely and stay a pure function of its inputs. */
export function copyRecord(record: SyncRecord): SyncRecord {
  return structuredClone(record);
}
