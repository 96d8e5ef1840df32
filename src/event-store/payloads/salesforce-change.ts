/**
 * Salesforce Change Data Capture facts as events (reference salesforce.md 5.6). One event per
 * record id: a change event naming several records becomes several events.
 */
export type SalesforceChangeType = 'CREATE' | 'UPDATE' | 'DELETE' | 'UNDELETE';

export interface SalesforceRecordChanged {
  object: string;
  recordId: string;
  changeType: SalesforceChangeType;
  /** Record fields as delivered: CREATE/UNDELETE all non-empty fields, UPDATE only changed ones (nulls explicit). */
  fields: Record<string, unknown>;
  changedFields: string[];
  changeOrigin: string;
  commitTimestamp: number;
  commitUser: string;
  transactionKey: string;
  sequenceNumber: number;
  channel: string;
  replayId: number;
}

/**
 * A GAP_* or GAP_OVERFLOW event, an expired replay id, or a channel subscribed from the tip again
 * before its first event (`resubscribed_from_tip`): we know something may have changed but not what.
 */
export interface SalesforceChangeGap {
  objects: string[];
  /** Record ids when known (GAP_*); empty for overflow and for an expired replay id. */
  recordIds: string[];
  reason: 'gap_event' | 'overflow' | 'replay_id_expired' | 'resubscribed_from_tip';
  channel: string;
  /** Time range during which changes may have been missed (ISO strings). */
  from: string | null;
  to: string;
}

/** Asks the backfill to re-read objects (or records) changed since a time. */
export interface SalesforceCatchUpRequested {
  objects: string[];
  recordIds: string[];
  sinceModstamp: string | null;
  /** `merge`: records were merged; their children, reparented, are re-read (addendum 6.1). */
  reason: SalesforceChangeGap['reason'] | 'merge';
}
