import type { SyncEvent } from '../event-store/events';
import { mondayItemIdOf } from '../event-store/payloads/monday-webhook';
import { salesforceFieldsOf, type Mapping } from '../mapping/mapping.types';

/** Which values are personal: Salesforce fields per object, monday columns, and sync field keys. */
export interface PersonalFieldPolicy {
  readonly salesforceFields: ReadonlyMap<string, ReadonlySet<string>>;
  /** monday column ids whose values are personal (their field keys in sync results too). */
  readonly mondayColumns: ReadonlySet<string>;
}

/** A person's name, e-mail addresses, phone numbers, birth date and street address on a Lead or Contact. */
const PERSON_FIELDS = [
  'FirstName', 'LastName', 'MiddleName', 'Suffix', 'Name', 'Email', 'Phone', 'MobilePhone', 'HomePhone', 'OtherPhone',
  'AssistantName', 'AssistantPhone', 'Fax', 'Birthdate', 'Street', 'MailingStreet', 'OtherStreet',
];
const PERSON_OBJECTS = ['Lead', 'Contact'];
/** monday column types whose values are personal wherever they are (webhooks and item reads name the type). */
const PERSONAL_COLUMN_TYPES = new Set(['email', 'phone', 'name']);
/** The sync's field key of an item's name (resolved-mapping NAME_KEY). */
export const ITEM_NAME_KEY = '__name__';

/**
 * The default policy plus the mapping: every Lead/Contact person field; the Salesforce field each
 * object's item name mirrors (`name:`, as the item name is personal); any mapped field whose
 * Salesforce field is one of those, or that is marked `pii: true`, makes its monday column personal.
 */
export function personalFieldPolicy(mapping: Mapping | null): PersonalFieldPolicy {
  const salesforceFields = new Map<string, Set<string>>(PERSON_OBJECTS.map((o) => [o, new Set(PERSON_FIELDS)]));
  const mondayColumns = new Set<string>([ITEM_NAME_KEY]);
  for (const object of mapping?.objects ?? []) {
    // The item name is personal wherever it is (ITEM_NAME_KEY), so the field it mirrors is too.
    const personal = new Set([...(salesforceFields.get(object.salesforce) ?? []), ...(object.name ? [object.name] : [])]);
    for (const field of object.fields) {
      const names = salesforceFieldsOf(field);
      if (field.pii === true || names.some((n) => personal.has(n))) {
        mondayColumns.add(field.monday);
        names.forEach((n) => personal.add(n));
      }
    }
    if (personal.size > 0) salesforceFields.set(object.salesforce, personal);
  }
  return { salesforceFields, mondayColumns };
}

/** One value to encrypt: its place in the payload (keys and array indexes) and whose it is. */
export interface PersonalValue {
  subject: string;
  path: ReadonlyArray<string | number>;
}

export const subjects = {
  salesforce: (id: string): string => `salesforce:${id}`,
  monday: (itemId: string | number): string => `monday:${itemId}`,
  record: (recordId: number | string): string => `record:${recordId}`,
};

/**
 * The person an event is about, as a subject: the side it came from (its item or Salesforce
 * record), or its sync record for command results; null for events about no one (gaps, catch-up
 * requests, merges, erasures). An erasure destroys all three, so whatever is sealed under it goes too.
 */
export function eventSubject(event: SyncEvent): string | null {
  switch (event.type) {
    case 'monday.item_created':
    case 'monday.column_changed':
    case 'monday.item_renamed':
    case 'monday.item_moved':
    case 'monday.item_update_posted':
    case 'monday.item_deleted':
    case 'monday.item_archived':
    case 'monday.item_restored':
    case 'monday.item_snapshot':
      return subjects.monday(mondayItemIdOf(event));
    case 'monday.unknown': {
      const id = event.payload.pulseId ?? event.payload.itemId;
      return typeof id === 'number' || typeof id === 'string' ? subjects.monday(id) : null;
    }
    case 'salesforce.record_changed':
      return subjects.salesforce(event.payload.recordId);
    case 'salesforce.record_snapshot':
    case 'backfill.record_snapshot':
      return subjects.salesforce(event.payload.record.Id);
    case 'system.record_linked':
      return subjects.salesforce(event.payload.salesforceId);
    case 'system.command_succeeded':
    case 'system.command_failed':
      return subjects.record(event.payload.recordId);
    default:
      return null;
  }
}

/** The personal values of one event, present in its payload (pure). */
export function personalValuesOf(event: SyncEvent, policy: PersonalFieldPolicy): PersonalValue[] {
  const found: PersonalValue[] = [];
  const add = (subject: string, payload: object, ...path: Array<string | number>): void => {
    const value = valueAt(payload, path);
    if (value !== undefined && value !== null) found.push({ subject, path });
  };
  const personalColumn = (id: string, type: string | undefined): boolean => policy.mondayColumns.has(id) || (type !== undefined && PERSONAL_COLUMN_TYPES.has(type));
  switch (event.type) {
    case 'monday.item_created': {
      const p = event.payload;
      const subject = subjects.monday(p.pulseId);
      add(subject, p, 'pulseName');
      for (const column of Object.keys(p.columnValues ?? {})) if (personalColumn(column, undefined)) add(subject, p, 'columnValues', column);
      break;
    }
    case 'monday.column_changed': {
      const p = event.payload;
      const subject = subjects.monday(p.pulseId);
      add(subject, p, 'pulseName');
      if (personalColumn(p.columnId, p.columnType)) {
        add(subject, p, 'value');
        add(subject, p, 'previousValue');
      }
      break;
    }
    case 'monday.item_renamed':
      add(subjects.monday(event.payload.pulseId), event.payload, 'value');
      add(subjects.monday(event.payload.pulseId), event.payload, 'previousValue');
      break;
    case 'monday.item_deleted':
    case 'monday.item_archived':
    case 'monday.item_restored':
      add(subjects.monday(event.payload.itemId), event.payload, 'itemName');
      break;
    case 'monday.item_update_posted':
      add(subjects.monday(event.payload.pulseId), event.payload, 'body');
      add(subjects.monday(event.payload.pulseId), event.payload, 'textBody');
      break;
    case 'monday.unknown': {
      const p = event.payload;
      const id = p.pulseId ?? p.itemId;
      const subject = typeof id === 'number' || typeof id === 'string' ? subjects.monday(id) : 'monday:unknown';
      for (const key of ['pulseName', 'itemName', 'value', 'previousValue', 'body', 'textBody']) add(subject, p, key);
      break;
    }
    case 'monday.item_snapshot': {
      const p = event.payload;
      const subject = subjects.monday(p.itemId);
      add(subject, p, 'name');
      p.columnValues.forEach((column, i) => {
        if (!personalColumn(column.id, column.type)) return;
        add(subject, p, 'columnValues', i, 'value');
        add(subject, p, 'columnValues', i, 'text');
      });
      break;
    }
    case 'salesforce.record_changed': {
      const fields = policy.salesforceFields.get(event.payload.object);
      const subject = subjects.salesforce(event.payload.recordId);
      for (const name of Object.keys(event.payload.fields)) if (fields?.has(name)) add(subject, event.payload, 'fields', name);
      break;
    }
    case 'salesforce.record_snapshot':
    case 'backfill.record_snapshot': {
      const fields = policy.salesforceFields.get(event.payload.object);
      const subject = subjects.salesforce(event.payload.record.Id);
      for (const name of Object.keys(event.payload.record)) if (fields?.has(name)) add(subject, event.payload, 'record', name);
      break;
    }
    case 'system.record_linked': {
      const subject = subjects.salesforce(event.payload.salesforceId);
      for (const key of Object.keys(event.payload.values)) if (policy.mondayColumns.has(key)) add(subject, event.payload, 'values', key);
      break;
    }
    case 'system.command_succeeded': {
      const subject = subjects.record(event.payload.recordId);
      for (const key of Object.keys(event.payload.written)) if (policy.mondayColumns.has(key)) add(subject, event.payload, 'written', key);
      break;
    }
    case 'system.merge_requested': {
      // The values a merge's master takes from the others are the master's own from then on.
      const fields = policy.salesforceFields.get(event.payload.salesforceObject);
      event.payload.salesforceMerges.forEach((merge, i) => {
        const subject = subjects.salesforce(merge.masterId);
        for (const name of Object.keys(merge.masterFields)) if (fields?.has(name)) add(subject, event.payload, 'salesforceMerges', i, 'masterFields', name);
      });
      break;
    }
    case 'system.command_failed':
      // An error message may quote the value it refused ("call me maybe" is not a phone number).
      add(subjects.record(event.payload.recordId), event.payload, 'error', 'message');
      break;
    default:
      break;
  }
  return found;
}

export function valueAt(root: unknown, path: ReadonlyArray<string | number>): unknown {
  let node: unknown = root;
  for (const step of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[step];
  }
  return node;
}

export function pathText(path: ReadonlyArray<string | number>): string {
  return path.join('.');
}
