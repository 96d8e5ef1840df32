import type { EventOfType, RecordedEvent } from '../event-store';
import type { Mapping } from '../mapping/mapping.types';
import { personalFieldPolicy, type PersonalFieldPolicy } from '../personal-data/personal-fields';
import { copyRecord, decision, type Decision } from './decision';
import { projected, skipped } from './outcome';
import { markErased } from './state/field-state';
import type { SyncContext } from './sync-context';
import type { SyncRecord } from './sync-record';

type ErasureEvent = RecordedEvent & EventOfType<'system.personal_data_erased'>;

const MONDAY_SUBJECT = 'monday:';

/**
 * The items of the erased person (their sync records are found by item: a record the erasure
 * found had its item's subject erased with it). Salesforce-only records have no item to be read
 * back from by a catch-up snapshot.
 */
export function erasedItemIds(event: ErasureEvent): string[] {
  return event.payload.subjects.filter((s) => s.startsWith(MONDAY_SUBJECT)).map((s) => s.slice(MONDAY_SUBJECT.length));
}

/**
 * crm-sync erase forgot this record's person: its personal fields become erased markers
 * (FieldState.erased), so what a later snapshot of either side reads there is a baseline and is
 * never pushed to the other CRM. Live, erase has cleared those states already; a replay reads
 * their values as erased; both end here with the same state.
 */
export function decideErasure(current: SyncRecord | null, context: SyncContext): Decision {
  if (!current) return decision(null, skipped('not_synced_event'));
  const object = context.mapping.byKey.get(current.objectKey);
  if (!object) return decision(current, skipped('unmapped_object', { objectKey: current.objectKey }));
  const personal = policyOf(context.mapping.mapping).mondayColumns;
  const record = copyRecord(current);
  markErased(
    record,
    object.fields.filter((field) => personal.has(field.key)).map((field) => field.key),
  );
  return decision(record, projected('personal_data_erased'));
}

const policies = new WeakMap<Mapping, PersonalFieldPolicy>();

function policyOf(mapping: Mapping): PersonalFieldPolicy {
  let policy = policies.get(mapping);
  if (!policy) policies.set(mapping, (policy = personalFieldPolicy(mapping)));
  return policy;
}
