import { copyRecord } from './decision';
import type { SyncContext } from './sync-context';
import type { FieldState, SyncRecord } from './sync-record';

/**
 * Record versions owned whole by the caller deciding them (SyncContext.ownsRecords: replay, within
 * one write window). Nothing in such a version is shared with another one, so decide changes it,
 * its field states, their side values and its command numbers in place (observe, sendingAgreed,
 * nextCommandSeq) instead of making new ones. Every other version is copy on write, as live
 * processing decides. A mark kept beside the objects, so neither the record's type nor what is
 * stored of it changes.
 */
const ownedWhole = new WeakSet<SyncRecord>();

export function ownsWhole(record: SyncRecord): boolean {
  return ownedWhole.has(record);
}

/**
 * The record a decision changes: a private copy (copyRecord), or, when the caller owns its records,
 * `record` itself if it is owned whole, else a copy owned whole (its field states, their side
 * values and its command numbers copied too, once: a version the caller did not make may share them
 * with a stored one).
 */
export function writableRecord(record: SyncRecord, context: SyncContext): SyncRecord {
  if (!context.ownsRecords) return copyRecord(record);
  if (ownedWhole.has(record)) return record;
  const copy = copyRecord(record);
  for (const key in copy.fields) copy.fields[key] = stateCopy(copy.fields[key]);
  copy.commandSeq = { ...copy.commandSeq };
  ownedWhole.add(copy);
  return copy;
}

function stateCopy(state: FieldState): FieldState {
  const copy: { -readonly [K in keyof FieldState]: FieldState[K] } = { ...state };
  if (state.salesforce) copy.salesforce = { ...state.salesforce };
  if (state.monday) copy.monday = { ...state.monday };
  return copy;
}

/** `record` is handed on (replay's write and its store keep it as written): changed by copying from now on. */
export function disown(record: SyncRecord): void {
  ownedWhole.delete(record);
}
