import type { RecordedEvent } from '../event-store/events';

/** What an erased person's value reads as: their data key is gone (crm-sync erase). */
export interface ErasedValue {
  $erased: true;
}

export function erasedValue(): ErasedValue {
  return { $erased: true };
}

export function isErased(value: unknown): value is ErasedValue {
  return typeof value === 'object' && value !== null && (value as { $erased?: unknown }).$erased === true;
}

/** Events read with at least one erased value: the sync drops those values (withoutErasedValues). */
const eventsWithErasedValues = new WeakSet<object>();

export function markHasErasedValues(event: object): void {
  eventsWithErasedValues.add(event);
}

export function hasErasedValues(event: object): boolean {
  return eventsWithErasedValues.has(event);
}

/**
 * The event as the sync may use it: erased values are not values (nothing erased is ever written to
 * either CRM), so fields whose value is erased are left out, and an event that is nothing but an
 * erased value is null (the projector skips it). Pure; the input is not changed.
 */
export function withoutErasedValues(event: RecordedEvent): RecordedEvent | null {
  switch (event.type) {
    case 'monday.column_changed':
      return isErased(event.payload.value) ? null : { ...event, payload: { ...event.payload, previousValue: isErased(event.payload.previousValue) ? undefined : event.payload.previousValue, pulseName: undefined } };
    case 'monday.item_renamed':
      return isErased(event.payload.value) ? null : event;
    case 'monday.item_snapshot':
      // An erased name stays the marker: the snapshot decision skips it (to-salesforce.decide).
      return { ...event, payload: { ...event.payload, columnValues: event.payload.columnValues.filter((c) => !isErased(c.value) && !isErased(c.text)) } };
    case 'salesforce.record_changed': {
      const fields = dropErased(event.payload.fields);
      return { ...event, payload: { ...event.payload, fields, changedFields: event.payload.changedFields.filter((f) => !isErased(event.payload.fields[f])) } };
    }
    case 'salesforce.record_snapshot':
    case 'backfill.record_snapshot':
      return { ...event, payload: { ...event.payload, record: { ...dropErased(event.payload.record), Id: event.payload.record.Id } } };
    case 'system.record_linked':
      return { ...event, payload: { ...event.payload, values: dropErased(event.payload.values) } };
    case 'system.command_succeeded':
      return { ...event, payload: { ...event.payload, written: dropErased(event.payload.written) } };
    case 'system.merge_requested':
      return { ...event, payload: { ...event.payload, salesforceMerges: event.payload.salesforceMerges.map((m) => ({ ...m, masterFields: dropErased(m.masterFields) })) } };
    case 'system.command_failed':
      return { ...event, payload: { ...event.payload, error: { ...event.payload.error, message: isErased(event.payload.error.message) ? '(erased)' : event.payload.error.message } } };
    default:
      return event;
  }
}

function dropErased<T extends Record<string, unknown>>(values: T): T {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => !isErased(v))) as T;
}
