import type { SalesforceValue } from '../../mapping/converters/converter.types';
import type { EventOrigin } from '../../event-store';
import type { ResolvedField } from '../../mapping/resolved-mapping';
import { ownsWhole } from '../record-ownership';
import { otherSide, type FieldState, type Side, type SideValue, type SyncRecord } from '../sync-record';

/**
 * A field state this module is building: a new object, never one a record already holds (those are
 * shared, see copyRecord), unless the record is owned whole by its caller (record-ownership.ts).
 */
type FieldStateDraft = { -readonly [K in keyof FieldState]: FieldState[K] };

export type Observation =
  /** The value is the new agreed value; `push` is false when the other side already holds it. */
  | { accepted: true; push: boolean }
  | { accepted: false; reason: 'own_echo' | 'unchanged_value' | 'authority' | 'stale'; repair?: true };

/** How a value was seen on its side, beyond its time and origin. */
export interface HowSeen {
  /** The value was read from the side just now (a snapshot), not reported as a change. */
  readNow?: boolean;
  /** What the side held right before this change (a monday webhook's previousValue). */
  madeOver?: { value: SalesforceValue };
  /** The log position of the event that showed it (kept for monday: SideValue.position). */
  position?: number;
}

/**
 * The state projection's one rule (invariant 9): record what a side now holds, then decide whether
 * that change becomes the agreed value. Own echoes and values equal to the agreed one never do;
 * field authority is checked first; for `both`, the later source timestamp wins and a tie goes to
 * Salesforce, the system of record. Mutates `record` (the runner hands decide a private copy).
 */
export function observe(
  record: SyncRecord,
  field: ResolvedField,
  side: Side,
  value: SalesforceValue,
  at: number,
  origin: EventOrigin,
  how: HowSeen = {},
): Observation {
  const { readNow = false, madeOver, position } = how;
  const previous = record.fields[field.key];
  const target = otherSide(side);
  if (previous?.erased) return changedAfterErasure(record, field, side, sideValue(side, value, at, madeOver, position), origin, previous);
  if (!previous) {
    const seen = sideValue(side, value, at, madeOver, position);
    if (origin !== 'own_echo' && !mayWrite(field, side)) {
      // First sight, from the side that does not own the field: remember it, but any value from the
      // owning side will win (agreedAt 0), and nothing is pushed towards the owner.
      record.fields[field.key] = { agreed: value, agreedAt: 0, agreedFrom: target, [side]: seen };
      return { accepted: false, reason: 'authority' };
    }
    record.fields[field.key] = { agreed: value, agreedAt: at, agreedFrom: side, ...(origin === 'own_echo' ? { echoed: true as const } : {}), [side]: seen };
    // A field our own Salesforce write never set, seen first in its echo, was set by Salesforce in
    // that transaction (a default such as OwnerId, a stage's Probability, a field update): monday
    // has nothing of it yet. CDC is ordered per record, so this cannot be an old value coming back.
    if (origin === 'own_echo' && side === 'monday') return { accepted: false, reason: 'own_echo' };
    return { accepted: true, push: true };
  }
  // What the side holds: a read (snapshot) says so; otherwise the newest change seen there. A change
  // older than that (a webhook retried late) was overwritten there already.
  // `madeOver`: what the side held right before this change (a monday webhook's previousValue). A
  // change made over our own write there came after it, whatever the two clocks say.
  const held = previous[side];
  const heldValue = held?.value;
  const heldAt = held?.at;
  const overOurWrite = madeOver !== undefined && held?.timedBySend === true && field.converter.equals(madeOver.value, held.value);
  const newest = readNow || overOurWrite || held === undefined || at > held.at || (at === held.at && !madeBefore(field, held, value, madeOver));
  // Changed in place when the record is owned whole: then `state` is `previous`, whose side value,
  // sending keys (confirmHeld) and agreed value (last) change: what is read of them is kept here.
  const { sendingTo: sendingBefore, sendingSeq: sendingSeqBefore } = previous;
  const inPlace = ownsWhole(record);
  const state: FieldStateDraft = inPlace ? (previous as FieldStateDraft) : newest ? { ...previous, [side]: sideValue(side, value, at, madeOver, position) } : { ...previous };
  if (inPlace && newest) seenInPlace(state, side, value, at, madeOver, position);
  // Our own echo ends a numbered wait only by that command's outcome: it may be the echo of an older
  // command of ours carrying the same value, with one carrying another value still to land between.
  if (newest && field.converter.equals(previous.agreed, value)) confirmHeld(state, side, origin !== 'own_echo' || state.sendingSeq?.[side] === undefined);
  record.fields[field.key] = state;
  // Except: a field monday may not write (authority salesforce, or read-only) changing in the echo of
  // our write was changed by Salesforce itself in that transaction (a stage's Probability, a field
  // update, a default): we never send such fields, so it is news, and monday follows.
  const setBySalesforce = side === 'salesforce' && !mayWrite(field, 'monday');
  if (origin === 'own_echo' && !setBySalesforce) {
    // A write of ours, decided before the value agreed now, is the newest thing seen on this side:
    // the side does not hold the agreed value. Either the write overwrote it (a person's edit there
    // that crossed our write), or it was agreed while the write was in flight and the side still
    // looked like it held it, so nothing was sent (an edit of the other side back to what this side
    // held: issue 16's property counterexample). Send it again, unless a command carrying it is on
    // its way there already (it follows ours: one record's commands run in order). Equal to the
    // agreed value next time, so no loop; an older echo (not the newest) changes nothing.
    // Nothing agreed yet (agreedAt 0: e.g. a field our create did not carry, set by a flow): no repair.
    const behind = newest && previous.agreedAt > 0 && !field.converter.equals(previous.agreed, value);
    if (behind && sendingBefore?.includes(side)) {
      if (sendingSeqBefore?.[side] !== undefined) state[side] = { ...state[side], behindWhileSending: true } as SideValue;
      return { accepted: false, reason: 'own_echo' };
    }
    return behind ? { accepted: false, reason: 'own_echo', repair: true } : { accepted: false, reason: 'own_echo' };
  }
  if (field.converter.equals(previous.agreed, value)) return { accepted: false, reason: origin === 'own_echo' ? 'own_echo' : 'unchanged_value' };
  if (!mayWrite(field, side)) return { accepted: false, reason: 'authority' };
  // A monday change older than what monday was already seen holding there (a newer change of the
  // column, or our own later write, timed by its send until its echo gives monday's time) was
  // overwritten on monday before its webhook reached us (monday retries a refused one for 30 min):
  // sent now, it would give Salesforce a value monday no longer shows (fault campaign seeds 301,
  // 303, 304). It loses, last writer by change time. Salesforce's CDC comes in order per record.
  // A change made over our write of the value still agreed is newer than that value.
  const overwritten = side === 'monday' && !newest;
  const overAgreed = overOurWrite && field.converter.equals(heldValue as SalesforceValue, previous.agreed);
  const older = !overAgreed && (overwritten || at < previous.agreedAt || (at === previous.agreedAt && side === 'monday' && previous.agreedFrom === 'salesforce'));
  if (older) {
    // An older edit reaching us late (a webhook retry) made after the side last got the agreed value
    // left that side behind: no write towards it is on its way (it held the value), send it again.
    // Made before that, it was overwritten already.
    const leftBehind = held !== undefined && field.converter.equals(heldValue as SalesforceValue, previous.agreed) && at > (heldAt as number);
    return leftBehind ? { accepted: false, reason: 'stale', repair: true } : { accepted: false, reason: 'stale' };
  }
  state.agreed = value;
  state.agreedAt = at;
  state.agreedFrom = side;
  // Newest keys first (sendingAgreed adds sendingTo, then sendingSeq): V8 keeps an object fast only
  // when a delete removes its last-added key; any other delete turns it into a slow dictionary-mode
  // object, and every later read and copy of the state pays for it (bench/replay: -17% decide CPU).
  delete state.sendingSeq;
  delete state.sendingTo;
  delete state.echoed;
  const targetValue = state[target];
  return { accepted: true, push: !(targetValue && field.converter.equals(targetValue.value, value)) };
}

/**
 * What a change seen on a side makes it hold (`over`: what it held right before, a monday webhook's
 * previousValue; `position`: kept for monday, see heldBeforeRead).
 */
function sideValue(side: Side, value: SalesforceValue, at: number, madeOver: { value: SalesforceValue } | undefined, position: number | undefined): SideValue {
  if (side !== 'monday' || position === undefined) return madeOver ? { value, at, over: madeOver.value } : { value, at };
  return madeOver ? { value, at, over: madeOver.value, position } : { value, at, position };
}

/**
 * A catch-up read of monday that began after the event showing what monday was last seen holding
 * was in the log (SideValue.position <= the read's `readAfter`): that change, or our write, had
 * happened on monday before the read, so the read shows it or something newer. The item's update
 * time is to the second only, and a person's change later in the second of our write would look
 * older than the write (seeds 2117, 2125). Returns the held value's time, which the read's change
 * came after; null when the read may be older than what is held (seeds 20, 220: a webhook projected
 * meanwhile), or the position is not known.
 */
export function heldBeforeRead(record: SyncRecord, fieldKey: string, readAfter: number | undefined): number | null {
  const held = record.fields[fieldKey]?.monday;
  if (readAfter === undefined || held?.position === undefined || held.position > readAfter) return null;
  return held.at;
}

/**
 * `side` of a state its record owns whole (record-ownership.ts) now holds what sideValue gives: the
 * side value it holds is changed when it has that shape already (a plain change, with or without
 * `over`), else replaced, so no key is deleted from it (a delete of any but the last key added
 * leaves a slow dictionary-mode object).
 */
function seenInPlace(state: FieldStateDraft, side: Side, value: SalesforceValue, at: number, madeOver: { value: SalesforceValue } | undefined, position: number | undefined): void {
  const held = state[side] as { -readonly [K in keyof SideValue]: SideValue[K] } | undefined;
  const keepsPosition = side === 'monday' && position !== undefined;
  if (!held || held.timedBySend !== undefined || held.behindWhileSending !== undefined || (held.over === undefined) !== (madeOver === undefined) || (held.position !== undefined) !== keepsPosition) {
    state[side] = sideValue(side, value, at, madeOver, position);
    return;
  }
  held.value = value;
  held.at = at;
  if (madeOver) held.over = madeOver.value;
  if (keepsPosition) held.position = position;
}

/**
 * Two changes of one side stamped with the same millisecond, delivered in either order: this one
 * (to `value`, made over `madeOver`) came before the one held when the held one was made over this
 * value, and not the other way round (seed 3100: Healthcare then Finance within one ms, delivered
 * Finance first, made Healthcare the agreed value).
 */
function madeBefore(field: ResolvedField, held: SideValue, value: SalesforceValue, madeOver: { value: SalesforceValue } | undefined): boolean {
  if (held.over === undefined || !field.converter.equals(held.over, value)) return false;
  return madeOver === undefined || !field.converter.equals(madeOver.value, held.value);
}

/**
 * A change reported on `side` of a field whose person was erased: a person typed it after the
 * erasure, so it is new data about someone present again, and syncs like a first sight (unless the
 * other side was read holding it already). Our own echo (a write of other fields) only says what the
 * side holds: we never write an erased field, so there is nothing of ours to repair.
 */
function changedAfterErasure(record: SyncRecord, field: ResolvedField, side: Side, seen: SideValue, origin: EventOrigin, previous: FieldState): Observation {
  if (origin === 'own_echo' || !mayWrite(field, side)) {
    record.fields[field.key] = { ...previous, [side]: seen };
    return { accepted: false, reason: origin === 'own_echo' ? 'own_echo' : 'authority' };
  }
  const held = previous[otherSide(side)];
  record.fields[field.key] = { agreed: seen.value, agreedAt: seen.at, agreedFrom: side, [side]: seen, ...(held ? { [otherSide(side)]: held } : {}) };
  return { accepted: true, push: !(held && field.converter.equals(held.value, seen.value)) };
}

/**
 * `side` holds `value` since `at`, a change older than one still waiting to be agreed (a person's
 * monday relation change waiting for its item's link, see newerWaiting): recorded as held there,
 * neither agreed nor sent.
 */
export function heldOnly(record: SyncRecord, field: ResolvedField, side: Side, value: SalesforceValue, at: number): void {
  const previous = record.fields[field.key];
  const held = previous?.[side];
  if (held && held.at > at) return;
  const seen: SideValue = { value, at };
  record.fields[field.key] = previous ? { ...previous, [side]: seen } : { agreed: value, agreedAt: 0, agreedFrom: side, [side]: seen };
}

/**
 * A snapshot's read of a field whose person was erased (FieldState.erased): taken as what `side`
 * holds, never pushed (the sync no longer knows whether it is a value it was told to forget).
 * False when the field is not erased: observe it as usual.
 */
export function readAfterErasure(record: SyncRecord, field: ResolvedField, side: Side, value: SalesforceValue, at: number): boolean {
  const previous = record.fields[field.key];
  if (!previous?.erased) return false;
  record.fields[field.key] = { ...previous, agreed: value, [side]: { value, at } };
  return true;
}

/**
 * The sync read the person's erasure: these fields' states are replaced by erased markers (their
 * values were cleared by crm-sync erase, or read as erased by a replay), so the next snapshot of
 * either side is a baseline and not a change (readAfterErasure).
 */
export function markErased(record: SyncRecord, fieldKeys: readonly string[]): void {
  for (const key of fieldKeys) record.fields[key] = { agreed: null, agreedAt: 0, agreedFrom: 'salesforce', erased: true };
}

/**
 * A read (snapshot) showing what `side` was already seen holding, when that is not the agreed value:
 * nothing changed there since (a person's change comes as its own event), so the read is no change to
 * accept. It is often our own write there (a create's values) that a newer value of the other side
 * has not reached yet: taken as a change, it would overwrite that value (seed 20).
 */
export function readShowsHeld(record: SyncRecord, field: ResolvedField, side: Side, value: SalesforceValue): boolean {
  const state = record.fields[field.key];
  const held = state?.[side];
  return held !== undefined && field.converter.equals(held.value, value) && !field.converter.equals(state.agreed, value);
}

/**
 * A Salesforce read (a catch-up or backfill snapshot, at the record's SystemModstamp) that tells
 * nothing new of this field: it was read before what Salesforce was last seen holding (a change or
 * write of ours seen since), or it shows the value Salesforce held while a command of ours carrying
 * the agreed value is still on its way there (read before it landed). The modstamp may be newer than
 * the agreed value's change for another field's edit: taken as a change, such a read undid a
 * person's monday change (the opportunity's relation to a new account: monday cleared, and the echo
 * of our write of the account then wrote AccountId null, issues 16 and 20).
 */
export function salesforceReadBehind(record: SyncRecord, field: ResolvedField, value: SalesforceValue, at: number): boolean {
  const state = record.fields[field.key];
  const held = state?.salesforce;
  if (!state || !held) return false;
  if (held.at > at) return true;
  return state.sendingTo?.includes('salesforce') === true && field.converter.equals(held.value, value) && !field.converter.equals(state.agreed, value);
}

/** Whether changes made on `side` may become the agreed value of this field. */
export function mayWrite(field: ResolvedField, side: Side): boolean {
  if (side === 'monday' && !field.salesforceUpdateable) return false;
  return field.mapping.authority === 'both' || field.mapping.authority === side;
}

/**
 * Records that `side` now holds `value` because we wrote it there (a command succeeded or a link was
 * made), unless a change made there after our write was seen already (its event came first).
 * Returns true when that leaves `side` without the agreed value and no command carrying it is on its
 * way there: the write was decided before the value agreed now, which was agreed while the write was
 * in flight, when `side` still looked like it held it (so nothing was sent). A write that changed
 * nothing there has no echo to say so: its success is all we learn.
 */
export function written(record: SyncRecord, fieldKey: string, side: Side, value: SalesforceValue, at: number, seq?: number, position?: number): boolean {
  const previous = record.fields[fieldKey];
  if (previous?.[side] && previous[side].at > at) return false;
  const held: SideValue = side === 'monday' && position !== undefined ? { value, at, timedBySend: true, position } : { value, at, timedBySend: true };
  if (!previous) {
    record.fields[fieldKey] = { agreed: value, agreedAt: at, agreedFrom: side, [side]: held };
    return false;
  }
  const state: FieldStateDraft = { ...previous };
  // Our own write: the exact value we sent (an agreed value then), so compared as JSON.
  const holdsAgreed = JSON.stringify(value) === JSON.stringify(previous.agreed);
  // confirmHeld deletes the sending keys before `side` is added: a side new to this state would be
  // its last key, and deleting any other key turns the state into a slow dictionary-mode object.
  if (holdsAgreed) confirmHeld(state, side, endsWait(previous, side, seq));
  state[side] = held;
  record.fields[fieldKey] = state;
  if (holdsAgreed) return false;
  return previous.agreedAt > 0 && !(previous.sendingTo?.includes(side) && !endsWait(previous, side, seq));
}

/**
 * Whether the outcome of command `seq` (undefined: an outcome event written before commands were
 * numbered) ends the wait for the command carrying the agreed value to `side`: it is that command or
 * a later one (one record's commands run in order), or the wait is not numbered.
 */
function endsWait(state: FieldState, side: Side, seq: number | undefined): boolean {
  const carrying = state.sendingSeq?.[side];
  return seq === undefined || carrying === undefined || seq >= carrying;
}

/**
 * Our create of the record on `side` (sent at `at`) did not carry this field: the side holds no
 * value there, which nobody agreed (agreedAt 0, so any change made anywhere wins). Nothing when the
 * side was seen already.
 */
export function createdWithout(record: SyncRecord, fieldKey: string, side: Side, at: number): void {
  const previous = record.fields[fieldKey];
  if (previous?.[side]) return;
  const held: SideValue = { value: null, at, timedBySend: true };
  record.fields[fieldKey] = previous ? { ...previous, [side]: held } : { agreed: null, agreedAt: 0, agreedFrom: side, [side]: held };
}

/**
 * Command `seq` towards `side` finished (its outcome came back): no command numbered up to it is on
 * its way any more, whatever it carried in the end (the projector may have emptied it). Returns the
 * keys of the fields that waited for one of them.
 */
export function commandSettled(record: SyncRecord, side: Side, seq: number): string[] {
  const settled: string[] = [];
  for (const key in record.fields) {
    const state = record.fields[key];
    const carrying = state.sendingSeq?.[side];
    if (carrying === undefined || carrying > seq) continue;
    const copy = { ...state };
    confirmHeld(copy, side, true);
    record.fields[key] = copy;
    settled.push(key);
  }
  return settled;
}

/**
 * Once the command that was to carry the agreed value to `side` settled (commandSettled), whether
 * the side is still seen without it, so it is sent again: what the side held before that command was
 * sent (the command was emptied because the side looked like it held the value, from the echo of an
 * older command of ours, and an older one landed in between), or an echo of ours seen while waiting
 * for it (SideValue.behindWhileSending). A person's later change there is not ours to undo.
 */
export function leftBehind(record: SyncRecord, field: ResolvedField, side: Side, sentAt: number): boolean {
  const state = record.fields[field.key];
  const held = state?.[side];
  if (!state || state.erased || state.agreedAt === 0 || !held || (held.at > sentAt && !held.behindWhileSending)) return false;
  return !state.sendingTo?.includes(side) && !field.converter.equals(held.value, state.agreed);
}

/**
 * Command `seq` carrying the agreed values of `fieldKeys` is on its way to `side` (see
 * FieldState.sendingTo): it supersedes any older command awaited there for them.
 */
export function sendingAgreed(record: SyncRecord, fieldKeys: readonly string[], side: Side, seq: number): void {
  const inPlace = ownsWhole(record);
  for (const key of fieldKeys) {
    const state = record.fields[key];
    if (!state) continue;
    const sendingTo = state.sendingTo?.includes(side) ? state.sendingTo : state.sendingTo ? [...state.sendingTo, side] : SENDING_TO_ONE[side];
    const sendingSeq = { ...state.sendingSeq, [side]: seq };
    if (inPlace) {
      (state as FieldStateDraft).sendingTo = sendingTo;
      (state as FieldStateDraft).sendingSeq = sendingSeq;
    } else record.fields[key] = { ...state, sendingTo, sendingSeq };
  }
}

/** `sendingTo` of a single side, shared by the states that send there alone (it is readonly). */
const SENDING_TO_ONE: Readonly<Record<Side, readonly Side[]>> = { salesforce: Object.freeze(['salesforce']), monday: Object.freeze(['monday']) };

/**
 * `side` was seen holding the agreed value: when `ends`, nothing of ours carrying it is still awaited
 * there. Not when a numbered command carrying it is still to report (see observe, written).
 */
function confirmHeld(state: FieldStateDraft, side: Side, ends: boolean): void {
  if (!ends || !state.sendingTo?.includes(side)) return;
  const rest = state.sendingTo.filter((s) => s !== side);
  // sendingSeq before sendingTo, the newest key first (see observe: a fast object stays fast).
  if (state.sendingSeq?.[side] !== undefined) {
    const { [side]: _ended, ...others } = state.sendingSeq;
    if (Object.keys(others).length > 0) state.sendingSeq = others;
    else delete state.sendingSeq;
  }
  if (rest.length > 0) state.sendingTo = rest;
  else delete state.sendingTo;
}

/**
 * Fields whose agreed value `side` does not hold (yet), e.g. after a create raced with edits. A value
 * agreed at time 0 was never changed by anyone (seen first from a side that may not write it, or
 * implied empty by a Salesforce create): there is nothing to catch up on.
 */
export function fieldsBehind(record: SyncRecord, fields: readonly ResolvedField[], side: Side): ResolvedField[] {
  return fields.filter((field) => {
    const state = record.fields[field.key];
    if (!state || state.agreedAt === 0) return false;
    const held = state[side];
    return !held || !field.converter.equals(held.value, state.agreed);
  });
}

/**
 * A person's monday value that waited (for a link, or for the user directory to know them) while our
 * create went to Salesforce without it: what Salesforce set itself in that create (its echo, e.g. the
 * default OwnerId) was no person's change, so it does not make the waiting value older. Its agreement
 * is dropped (agreedAt 0, as for a field nobody changed); the value Salesforce holds stays known.
 */
export function waitedOverEchoedDefault(record: SyncRecord, fieldKey: string, at: number): void {
  const state = record.fields[fieldKey];
  if (state?.echoed && state.agreedFrom === 'salesforce' && state.agreedAt >= at) record.fields[fieldKey] = { ...state, agreedAt: 0 };
}
