import type { EventOrigin, NewEvent, SalesforceChangeType } from '../../event-store';
import { streams } from '../../event-store';
import type { ChangeEventMessage as ChangeMessage } from '../../salesforce';

const RECORD_CHANGE_TYPES: ReadonlySet<string> = new Set(['CREATE', 'UPDATE', 'DELETE', 'UNDELETE']);

/** Compound field components as delivered in CDC -> the sObject field names (reference 5.6). */
const ADDRESS_PREFIX: Readonly<Record<string, string>> = {
  BillingAddress: 'Billing',
  ShippingAddress: 'Shipping',
  MailingAddress: 'Mailing',
  OtherAddress: 'Other',
  Address: '',
};

/**
 * One CDC message -> the events we store: one `salesforce.record_changed` per record id (a change
 * event may name several merged records), or for GAP_* / GAP_OVERFLOW a `salesforce.change_gap`
 * plus a `system.catch_up_requested` so the backfill re-reads what we could not see.
 * Idempotency key: channel + replay id (+ record id), so a redelivery is a no-op.
 */
export function changeMessageToEvents(message: ChangeMessage, clientName: string): NewEvent[] {
  const header = message.payload.ChangeEventHeader;
  const object = header.entityName;
  const occurredAt = new Date(header.commitTimestamp ?? Date.now());
  const key = `${message.channel}:${message.replayId}`;
  if (!RECORD_CHANGE_TYPES.has(header.changeType)) {
    const overflow = header.changeType === 'GAP_OVERFLOW';
    const recordIds = overflow ? [] : header.recordIds;
    const reason = overflow ? ('overflow' as const) : ('gap_event' as const);
    return [
      {
        type: 'salesforce.change_gap',
        source: 'salesforce',
        sourceEventId: key,
        stream: streams.salesforceObject(object),
        origin: 'unknown',
        occurredAt,
        payload: { objects: [object], recordIds, reason, channel: message.channel, from: null, to: occurredAt.toISOString() },
      },
      {
        type: 'system.catch_up_requested',
        source: 'system',
        sourceEventId: `catch-up:${key}`,
        stream: streams.salesforceObject(object),
        origin: 'unknown',
        occurredAt,
        payload: { objects: [object], recordIds, sinceModstamp: null, reason },
      },
    ];
  }
  const fields = flattenFields(message.payload, header.changedFields ?? []);
  const changedFields = (header.changedFields ?? []).map(flattenFieldName);
  const origin = originOf(header.changeOrigin, clientName);
  return header.recordIds.map((recordId) => ({
    type: 'salesforce.record_changed',
    source: 'salesforce',
    sourceEventId: header.recordIds.length > 1 ? `${key}:${recordId}` : key,
    stream: streams.salesforceRecord(object, recordId),
    origin,
    occurredAt,
    payload: {
      object,
      recordId,
      changeType: header.changeType as SalesforceChangeType,
      fields,
      changedFields,
      changeOrigin: header.changeOrigin ?? '',
      commitTimestamp: header.commitTimestamp ?? occurredAt.getTime(),
      commitUser: header.commitUser ?? '',
      transactionKey: header.transactionKey ?? '',
      sequenceNumber: header.sequenceNumber ?? 0,
      channel: message.channel,
      replayId: message.replayId,
    },
  }));
}

/** `com/salesforce/api/rest/62.0;client=crm-sync` names us; anything else (incl. empty: UI) is a user. */
export function originOf(changeOrigin: string | undefined, clientName: string): EventOrigin {
  if (!changeOrigin) return 'user';
  return changeOrigin.split(';').some((part) => part.trim() === `client=${clientName}`) ? 'own_echo' : 'user';
}

/**
 * Compound fields (Name, addresses) as their components. A compound sent as null with components
 * listed as changed (`BillingAddress.City`) had those components cleared: the docs do not say whether
 * Salesforce sends `{City: null}` or a null address when every component is cleared, so both give
 * `BillingCity: null` (a cleared city must reach monday either way).
 */
function flattenFields(payload: ChangeMessage['payload'], changedFields: readonly string[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (name === 'ChangeEventHeader') continue;
    if (value === null && (name === 'Name' || name in ADDRESS_PREFIX)) {
      const cleared = changedFields.filter((changed) => changed.startsWith(`${name}.`));
      if (cleared.length > 0) {
        for (const component of cleared) fields[flattenFieldName(component)] = null;
        continue;
      }
    }
    const isCompound = value !== null && typeof value === 'object' && !Array.isArray(value) && (name === 'Name' || name in ADDRESS_PREFIX);
    if (!isCompound) {
      fields[name] = value;
      continue;
    }
    for (const [component, componentValue] of Object.entries(value as Record<string, unknown>)) {
      fields[flattenFieldName(`${name}.${component}`)] = componentValue;
    }
  }
  return fields;
}

/** `Name.FirstName` -> `FirstName`, `BillingAddress.City` -> `BillingCity`, `Address.Street` -> `Street`. */
function flattenFieldName(name: string): string {
  const [compound, component] = name.split('.', 2);
  if (component === undefined) return name;
  if (compound === 'Name') return component;
  const prefix = ADDRESS_PREFIX[compound];
  return prefix === undefined ? name : `${prefix}${component}`;
}
