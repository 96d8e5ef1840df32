/**
 * Facts the service itself produces while syncing: links made, commands' outcomes, conversions,
 * and snapshots read from either CRM. They make the log tell the whole story (issue 6), and replay
 * rebuilds state from them without calling either CRM (invariant 10).
 */
import type { SalesforceValue } from './salesforce-values';
import type { Checkpoint } from '../read-batch';

export type LinkReason =
  | 'created_salesforce_record'
  | 'created_monday_item'
  | 'matched_existing'
  | 'salesforce_id_column'
  | 'lead_conversion'
  | 'backfill';

export interface RecordLinked {
  objectKey: string;
  salesforceObject: string;
  salesforceId: string;
  mondayBoardId: string;
  mondayItemId: string;
  via: LinkReason;
  /** Field key (monday column id, or `__name__`) -> value both sides now hold, in Salesforce form. */
  values: Record<string, SalesforceValue>;
  /**
   * When the dispatcher started sending the command that made this link (ms since the epoch): the
   * create landed after it, as with `CommandSucceeded.sentAt`. Absent for links not made by a
   * command (backfill, conversion) and in events written before it existed (occurredAt stands in).
   */
  sentAt?: number;
  /**
   * A Salesforce create's item was deleted on monday while the create ran (ms, the item's last
   * update or when it was read as deleted): the new Id could not be written back. The link still
   * holds (the record exists); the decision tombstones the monday side and applies the `delete` policy.
   */
  mondayItemDeletedAt?: number;
  /**
   * A Salesforce create found the item's Salesforce Id column naming a record a person deleted (in
   * the recycle bin; ms, its SystemModstamp): nothing was created, the item is linked to it. The
   * decision tombstones the Salesforce side and applies the `delete` policy to the item.
   */
  salesforceRecordDeletedAt?: number;
}

export interface CommandSucceeded {
  commandId: number;
  kind: string;
  target: 'salesforce' | 'monday';
  recordId: number;
  /** Field key -> value written, in Salesforce form (empty when nothing needed writing). */
  written: Record<string, SalesforceValue>;
  /** e.g. the id of a created record. */
  result?: Record<string, unknown>;
  /** The sync projector checkpoint of the state the dispatcher checked the values against before sending. */
  stateAsOf?: Checkpoint;
  /**
   * When the dispatcher started sending (ms since the epoch): the write landed after it. The event's
   * occurredAt is when the outcome was known, which a person's edit on the target may precede while
   * our write came first. Absent in events written before it existed (occurredAt then stands in).
   */
  sentAt?: number;
  /** The command's number (an update's or column change's `seq`), copied by the dispatcher; absent in events written before commands were numbered. */
  seq?: number;
}

export interface CommandFailed {
  commandId: number;
  kind: string;
  target: 'salesforce' | 'monday';
  recordId: number;
  error: { code: string; message: string; field?: string; hint?: string };
  attempts: number;
  deadLettered: boolean;
  /** As in CommandSucceeded. */
  seq?: number;
}

export interface LeadConverted {
  objectKey: string;
  leadId: string;
  mondayItemId: string | null;
  accountId: string;
  contactId: string;
  opportunityId: string | null;
}

/** A monday item read through the API (create_pulse carries no values; catch-up; reconcile). */
export interface MondayItemSnapshot {
  boardId: string;
  itemId: string;
  name: string;
  groupId: string | null;
  state: 'active' | 'archived' | 'deleted';
  updatedAt: string | null;
  columnValues: Array<{ id: string; type: string; value: string | null; text: string | null; linkedItemIds?: string[] }>;
  reason: 'created' | 'catch_up' | 'reconcile';
  /**
   * A catch-up's read: the log's last position before the board was read. Every event up to it
   * showed monday as it was before the read, so a value the read shows that differs from one of
   * those is newer (heldBeforeRead in the sync projector). Absent in reads made before it was kept.
   */
  readAfter?: number;
}

/** A Salesforce record read through the API (backfill, catch-up after a CDC gap, reconcile). */
export interface SalesforceRecordSnapshot {
  object: string;
  record: Record<string, unknown> & { Id: string };
  systemModstamp: string;
  reason: 'backfill' | 'catch_up' | 'reconcile' | 'lead_conversion';
  /**
   * A catch-up read of a record our integration user created (its CreatedById): the product of a
   * create of ours, whose outcome links it (fault seed 1052).
   */
  createdByUs?: true;
}

/**
 * A person was forgotten (crm-sync erase): their data keys were destroyed, so their values in
 * earlier events read as erased. Names only the subjects (record ids), never a personal value.
 */
export interface PersonalDataErased {
  subjects: string[];
  keysDestroyed: number;
  via: 'email' | 'salesforce' | 'monday';
}
