import { ownsWhole } from './record-ownership';
import type { MondayColumnRead, SalesforceValue } from '../mapping/converters/converter.types';

export type Side = 'salesforce' | 'monday';

export function otherSide(side: Side): Side {
  return side === 'salesforce' ? 'monday' : 'salesforce';
}

/** A value seen on one side, in Salesforce form, with the time the change was made there (epoch ms). */
export interface SideValue {
  readonly value: SalesforceValue;
  readonly at: number;
  /**
   * `at` is when we sent our write there, on our clock (its success or link), not the side's own
   * time of the change: its echo replaces it with that. Comparing a side's change times with it
   * assumes the clocks agree; a webhook's previousValue can tell more (see observe).
   */
  readonly timedBySend?: true;
  /**
   * What the side held right before this change (a monday webhook's previousValue): orders two
   * changes stamped with the same millisecond (see observe).
   */
  readonly over?: SalesforceValue;
  /**
   * The echo of a write of ours that left the side without the agreed value, seen while a numbered
   * command carrying the agreed value there was still to report: not repaired then (that command
   * follows it); if it is still the newest value seen there when that command settles, it is.
   */
  readonly behindWhileSending?: true;
  /**
   * monday only: the log position of the event that showed this value (a webhook, a read, our
   * write's outcome). Whatever it shows happened on monday before that event was appended, so a
   * read begun after it reads this value or a newer one (heldBeforeRead).
   */
  readonly position?: number;
}

/**
 * One mapped field of one record pair. `agreed` is the value both sides should converge to: the
 * last accepted change by source timestamp, within field authority (invariant 9). The per-side
 * values are what we last saw there, own echoes included, so a write that would not change the
 * target is never sent (invariant 7, second guard).
 */
export interface FieldState {
  readonly agreed: SalesforceValue;
  readonly agreedAt: number;
  readonly agreedFrom: Side;
  /** The agreed value was first seen in the echo of our own write (Salesforce set it then), not made by a person. */
  readonly echoed?: true;
  /**
   * Sides a command carrying the agreed value was issued to and not yet seen holding it: a write of
   * ours landing there with an older value needs no repair, this one follows it (per-record order).
   */
  readonly sendingTo?: readonly Side[];
  /**
   * Per side in sendingTo: the number (SyncRecord.commandSeq) of the command carrying the agreed
   * value. Only that command's outcome (or a newer command) ends the wait: an echo of an older
   * command of ours carrying the same value does not, since a command between them may still land.
   * Absent in state written before commands were numbered: then any sight of the value ends it.
   */
  readonly sendingSeq?: Readonly<Partial<Record<Side, number>>>;
  /**
   * The person was erased (crm-sync erase; the sync marks their personal fields when it reads the
   * erasure): what we knew of the value is gone. Snapshots read since are a baseline, never pushed,
   * and `agreed` is only the last value read; a person's change on one side is new data and ends it.
   */
  readonly erased?: true;
  readonly salesforce?: SideValue;
  readonly monday?: SideValue;
}

/**
 * A value that cannot be written yet: a relation waiting for the other record to be linked, or a
 * person the user directory does not know yet (waiting for a refresh that adds them).
 */
export interface WaitingReference {
  fieldKey: string;
  /** The side the value must be written to once resolved. */
  towards: Side;
  /** What it waits for: absent, a link (not_linked); `user`, the user directory (unknown_user). */
  waitsFor?: 'user';
  /** towards salesforce: the webhook's internal relation value, converted again once linked. */
  mondayValue?: unknown;
  /** towards salesforce: the relation as an API read gave it (an item snapshot), instead of mondayValue. */
  mondayRead?: MondayColumnRead;
  at: number;
}

/** The projection of one monday item <-> Salesforce record pair (a row of sync_records). */
export interface SyncRecord {
  /** Database id; null until the runner first stores it. */
  id: number | null;
  objectKey: string;
  salesforceId: string | null;
  mondayBoardId: string;
  mondayItemId: string | null;
  /** Tombstone: a late update cannot resurrect a deleted record. */
  deleted: { side: Side; at: number } | null;
  /** A create towards this side is in the outbox (no second create: invariant 6). */
  creating: Side | null;
  /** Lead conversion was requested (epoch ms): never twice. */
  convertedAt: number | null;
  fields: Record<string, FieldState>;
  waiting: WaitingReference[];
  /**
   * The number of the last value-carrying command issued towards each side (FieldState.sendingSeq).
   * Replaced, never changed in place (copyRecord shares it), except in a record its caller owns whole
   * (record-ownership.ts).
   */
  commandSeq: Partial<Record<Side, number>>;
}

export function newRecord(objectKey: string, mondayBoardId: string, ids: { salesforceId?: string; mondayItemId?: string }): SyncRecord {
  return {
    id: null,
    objectKey,
    salesforceId: ids.salesforceId ?? null,
    mondayBoardId,
    mondayItemId: ids.mondayItemId ?? null,
    deleted: null,
    creating: null,
    convertedAt: null,
    fields: {},
    waiting: [],
    commandSeq: {},
  };
}

/** Numbers the next value-carrying command of `record` towards `side`. */
export function nextCommandSeq(record: SyncRecord, side: Side): number {
  const seq = (record.commandSeq[side] ?? 0) + 1;
  if (ownsWhole(record)) record.commandSeq[side] = seq;
  else record.commandSeq = { ...record.commandSeq, [side]: seq };
  return seq;
}

/** Keeps `entry` as the one relation value of its field waiting towards its side (replacing an older one). */
export function addWaiting(record: SyncRecord, entry: WaitingReference): void {
  record.waiting = record.waiting.filter((w) => !(w.fieldKey === entry.fieldKey && w.towards === entry.towards)).concat(entry);
}

/** The waiting entry of a value whose conversion was `unresolved` for `reason` (not_linked or unknown_user). */
export function waitingFor(reason: 'not_linked' | 'unknown_user'): Pick<WaitingReference, 'waitsFor'> {
  return reason === 'unknown_user' ? { waitsFor: 'user' } : {};
}

/** True when some value of `record` waits for the user directory to know a person. */
export function waitsForUser(record: SyncRecord): boolean {
  return record.waiting.some((w) => w.waitsFor === 'user');
}

/**
 * A monday change of this field made after `at` waits (a relation for its item's link, a person for
 * the user directory): a change of the field made at `at` on either side is older than it and must
 * neither replace nor cancel it.
 */
export function newerWaiting(record: SyncRecord, fieldKey: string, at: number): boolean {
  return record.waiting.some((w) => w.fieldKey === fieldKey && w.towards === 'salesforce' && w.at > at);
}

export function isLinked(record: SyncRecord): boolean {
  return record.salesforceId !== null && record.mondayItemId !== null;
}
