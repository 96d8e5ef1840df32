/**
 * Every event the service records: one discriminated union, in one place (style lesson 1).
 * A `switch (event.type)` over it ends with `assertNever`, so a new type breaks the build wherever
 * it is not handled. When a payload changes shape, add a new type (`...V2`) and an upcaster.
 */
import type {
  MondayCreateColumn,
  MondayCreatePulse,
  MondayItemRemoved,
  MondayItemUpdatePost,
  MondayMovePulseIntoGroup,
  MondayRestorePulse,
  MondayUnknownWebhook,
  MondayUpdateColumnValue,
  MondayUpdateName,
} from './payloads/monday-webhook';
import type { MergeRequested, RecordMerged } from './payloads/duplicate-merge';
import type { SalesforceCatchUpRequested, SalesforceChangeGap, SalesforceRecordChanged } from './payloads/salesforce-change';
import type {
  CommandFailed,
  CommandSucceeded,
  LeadConverted,
  MondayItemSnapshot,
  PersonalDataErased,
  RecordLinked,
  SalesforceRecordSnapshot,
} from './payloads/sync-results';
import type { UserDirectoryChanged } from './payloads/user-directory';

export type EventSource = 'monday' | 'salesforce' | 'backfill' | 'system';
/** own_echo: the change was made by this service (invariant 7); it updates state and issues no command. */
export type EventOrigin = 'user' | 'own_echo' | 'unknown';

interface Fact<Type extends string, Source extends EventSource, Payload> {
  type: Type;
  source: Source;
  payload: Payload;
}

export type SyncEvent =
  | Fact<'monday.item_created', 'monday', MondayCreatePulse>
  | Fact<'monday.column_changed', 'monday', MondayUpdateColumnValue>
  | Fact<'monday.item_renamed', 'monday', MondayUpdateName>
  | Fact<'monday.item_deleted', 'monday', MondayItemRemoved>
  | Fact<'monday.item_archived', 'monday', MondayItemRemoved>
  | Fact<'monday.item_restored', 'monday', MondayRestorePulse>
  | Fact<'monday.item_moved', 'monday', MondayMovePulseIntoGroup>
  | Fact<'monday.item_update_posted', 'monday', MondayItemUpdatePost>
  | Fact<'monday.column_created', 'monday', MondayCreateColumn>
  | Fact<'monday.unknown', 'monday', MondayUnknownWebhook>
  | Fact<'salesforce.record_changed', 'salesforce', SalesforceRecordChanged>
  | Fact<'salesforce.change_gap', 'salesforce', SalesforceChangeGap>
  | Fact<'system.catch_up_requested', 'system', SalesforceCatchUpRequested>
  | Fact<'monday.item_snapshot', 'monday', MondayItemSnapshot>
  | Fact<'backfill.record_snapshot', 'backfill', SalesforceRecordSnapshot>
  | Fact<'salesforce.record_snapshot', 'salesforce', SalesforceRecordSnapshot>
  | Fact<'system.record_linked', 'system', RecordLinked>
  | Fact<'system.command_succeeded', 'system', CommandSucceeded>
  | Fact<'system.command_failed', 'system', CommandFailed>
  | Fact<'system.lead_converted', 'system', LeadConverted>
  | Fact<'system.personal_data_erased', 'system', PersonalDataErased>
  | Fact<'system.merge_requested', 'system', MergeRequested>
  | Fact<'system.record_merged', 'system', RecordMerged>
  | Fact<'system.user_directory_changed', 'system', UserDirectoryChanged>;

export type SyncEventType = SyncEvent['type'];
export type EventOfType<T extends SyncEventType> = Extract<SyncEvent, { type: T }>;

/** What a writer hands to `append`: the fact plus its identity and context. */
export type NewEvent = SyncEvent & {
  /** Idempotency key, unique per source (monday triggerUuid, channel:replayId, ...). */
  sourceEventId: string;
  /** The record the event concerns, e.g. `monday:item:123` or `salesforce:Lead:00Q...`. */
  stream: string;
  origin: EventOrigin;
  occurredAt: Date;
};

/** An event as read back from the store. */
export type RecordedEvent = NewEvent & {
  /** Global position (bigserial). A number: safe up to 2^53 events. */
  position: number;
  /** Postgres transaction id (xid8) as a decimal string; with position, the read order key. */
  transactionId: string;
  recordedAt: Date;
};

export function assertNever(value: never): never {
  throw new Error(`Unhandled event: ${JSON.stringify(value)}`);
}

export const streams = {
  mondayItem: (itemId: number | string): string => `monday:item:${itemId}`,
  mondayBoard: (boardId: number | string): string => `monday:board:${boardId}`,
  salesforceRecord: (object: string, id: string): string => `salesforce:${object}:${id}`,
  salesforceObject: (object: string): string => `salesforce:${object}`,
};
