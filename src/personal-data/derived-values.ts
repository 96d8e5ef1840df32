import { createHmac } from 'node:crypto';
import { activePersonalData } from './active';
import { LOOKUP_SUBJECT, type DataKey } from './data-key-store';
import { isEnvelope, sealValue } from './envelope';
import { isErased } from './erased';
import type { SyncEvent } from '../event-store/events';
import { eventSubject, subjects } from './personal-fields';
import type { PersonalDataProtector } from './protector';

/**
 * The sync's working tables (sync_records.fields, sync_decisions.detail, outbox payloads and
 * last_error) hold copies of personal values. With PII_ENCRYPTION_KEY set they are stored with the
 * same envelopes as the log, under the record's subject, so erasing the person destroys them too.
 * Each envelope's path is its place in the stored JSON document, so `protector.reveal` on that
 * document opens it like an event payload.
 */

/** Subject of a sync record's derived values: its own once it has an id, else the side it came from (erase finds both). */
export function recordSubject(record: { id: number | null; salesforceId: string | null; mondayItemId: string | null }): string {
  if (record.id !== null) return subjects.record(record.id);
  if (record.salesforceId !== null) return subjects.salesforce(record.salesforceId);
  if (record.mondayItemId !== null) return subjects.monday(record.mondayItemId);
  return 'record:unsaved';
}

/**
 * Subject of a decision that names no record (an event the sync could not attach to one: its
 * detail may still quote the person's values): the person its event is about (eventSubject), so
 * erasing them shreds it. Only a decision about no one at all falls back to UNATTACHED_SUBJECT.
 */
export function unattachedDecisionSubject(event: SyncEvent | undefined): string {
  return (event && eventSubject(event)) ?? UNATTACHED_SUBJECT;
}

/** Subject of decisions about no person (events such as gaps and catch-up requests carry no personal value). */
export const UNATTACHED_SUBJECT = 'system:decisions';

type Json = Record<string, unknown>;

/** Seals derived values synchronously with keys loaded beforehand (one statement per batch: DataKeyStore.keysFor). */
export class DerivedValueSealer {
  private constructor(
    private readonly protector: PersonalDataProtector,
    private readonly keys: Map<string, DataKey>,
    private readonly fingerprintKey: Buffer,
  ) {}

  static async load(protector: PersonalDataProtector, forSubjects: Iterable<string>): Promise<DerivedValueSealer> {
    const keys = await protector.keys.keysFor(forSubjects);
    const lookup = await protector.keys.keyFor(LOOKUP_SUBJECT);
    return new DerivedValueSealer(protector, keys, lookup.key);
  }

  /** A sync record's field states: the agreed and per-side values of personal fields. */
  fieldStates<T extends object>(subject: string, fields: T): T {
    const personal = this.protector.policy.mondayColumns;
    let copy: Record<string, Json> | null = null;
    for (const [fieldKey, state] of Object.entries(fields) as Array<[string, Json]>) {
      if (!personal.has(fieldKey)) continue;
      copy ??= { ...(fields as Record<string, Json>) };
      const sealed: Json = { ...state, agreed: this.seal(subject, `${fieldKey}.agreed`, state.agreed) };
      for (const side of ['salesforce', 'monday'] as const) {
        const seen = state[side] as Json | undefined;
        if (!seen) continue;
        // `over`: the value the side held before (a webhook's previous value), as personal as `value`.
        sealed[side] = { ...seen, value: this.seal(subject, `${fieldKey}.${side}.value`, seen.value), ...('over' in seen ? { over: this.seal(subject, `${fieldKey}.${side}.over`, seen.over) } : {}) };
      }
      copy[fieldKey] = sealed;
    }
    return (copy ?? fields) as T;
  }

  /** An outbox command's values to write: personal Salesforce fields, item names, personal columns and written values. */
  command<T extends object>(subject: string, command: T): T {
    const c = { ...(command as Json) };
    const salesforceFields = typeof c.salesforceObject === 'string' ? this.protector.policy.salesforceFields.get(c.salesforceObject) : undefined;
    const columns = this.protector.policy.mondayColumns;
    // masterFields: the values a duplicate merge's master takes from the others (salesforce.merge).
    for (const group of ['fields', 'match', 'masterFields'] as const) if (isObject(c[group]) && salesforceFields) c[group] = this.sealKeys(subject, group, c[group], salesforceFields);
    if (isObject(c.columnValues)) c.columnValues = this.sealKeys(subject, 'columnValues', c.columnValues, columns);
    if (isObject(c.values)) c.values = this.sealKeys(subject, 'values', c.values, columns);
    if (c.kind?.toString().startsWith('monday.') && c.name !== undefined) c.name = this.seal(subject, 'name', c.name);
    if (c.kind === 'sync.rejected_value' && typeof c.message === 'string') {
      // The message quotes the refused value; the keyed fingerprint lets equal dead letters be recognised.
      c.messageFingerprint = this.fingerprint(c.message);
      c.message = this.seal(subject, 'message', c.message);
    }
    return c as T;
  }

  /** A stored error (outbox last_error): its message may echo a value the CRM refused. */
  error<T extends object | null>(subject: string, error: T): T {
    if (!error || typeof (error as Json).message !== 'string') return error;
    return { ...(error as Json), message: this.seal(subject, 'message', (error as Json).message) } as T;
  }

  /** A decision's detail (invalid values, conversion problems) sealed whole: it is read by people, not queried. */
  detail(subject: string, detail: Json): unknown {
    return this.seal(subject, '', detail);
  }

  private sealKeys(subject: string, group: string, values: Json, personal: ReadonlySet<string>): Json {
    const copy = { ...values };
    for (const key of Object.keys(copy)) if (personal.has(key)) copy[key] = this.seal(subject, `${group}.${key}`, copy[key]);
    return copy;
  }

  private seal(subject: string, path: string, value: unknown): unknown {
    if (value === null || value === undefined || isEnvelope(value)) return value;
    const key = this.keys.get(subject);
    if (!key) throw new Error(`no data key loaded for ${subject}`);
    return sealValue(key.key, key.id, subject, path, value);
  }

  private fingerprint(text: string): string {
    return createHmac('sha256', this.fingerprintKey).update(`fingerprint\u0000${text}`).digest('base64');
  }
}

/** Field states as the sync may use them after reveal: values of an erased person are not values. */
export function withoutErasedFieldStates<T extends object>(fields: T): T {
  let copy: Record<string, Json> | null = null;
  for (const [fieldKey, state] of Object.entries(fields) as Array<[string, Json]>) {
    if (!isObject(state)) continue;
    const erasedSides = (['salesforce', 'monday'] as const).filter((side) => isObject(state[side]) && isErased((state[side] as Json).value));
    const erasedOver = (['salesforce', 'monday'] as const).filter((side) => isObject(state[side]) && isErased((state[side] as Json).over));
    if (!isErased(state.agreed) && erasedSides.length === 0 && erasedOver.length === 0) continue;
    copy ??= { ...(fields as Record<string, Json>) };
    if (isErased(state.agreed)) {
      delete copy[fieldKey];
      continue;
    }
    const kept = { ...state };
    for (const side of erasedOver) {
      const { over: _erased, ...rest } = kept[side] as Json;
      kept[side] = rest;
    }
    for (const side of erasedSides) delete kept[side];
    copy[fieldKey] = kept;
  }
  return (copy ?? fields) as T;
}

/** A command read back after reveal, with no erased value left to write (erased names and values are dropped). */
export function withoutErasedCommandValues<T extends object>(command: T): T {
  const c = { ...(command as Json) };
  for (const group of ['fields', 'match', 'masterFields', 'columnValues', 'values']) {
    if (isObject(c[group])) c[group] = Object.fromEntries(Object.entries(c[group]).filter(([, v]) => !isErased(v)));
  }
  if (isErased(c.name)) delete c.name;
  if (isErased(c.message)) c.message = '(erased)';
  return c as T;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The active sealer for these subjects, or null with encryption off (the callers' one branch). */
export async function derivedValueSealer(forSubjects: () => Iterable<string>): Promise<DerivedValueSealer | null> {
  const protector = activePersonalData();
  return protector ? DerivedValueSealer.load(protector, forSubjects()) : null;
}

/** Decrypts the envelopes of these JSON columns of rows read from a working table, in place; false with encryption off (nothing done). */
export async function revealColumns<R extends object>(rows: R[], columns: ReadonlyArray<keyof R>): Promise<boolean> {
  const protector = activePersonalData();
  if (!protector || rows.length === 0) return false;
  const cells = rows.flatMap((row) => columns.map((column) => ({ row, column, payload: row[column] as unknown })));
  await protector.reveal(cells);
  for (const cell of cells) cell.row[cell.column] = cell.payload as R[keyof R];
  return true;
}
