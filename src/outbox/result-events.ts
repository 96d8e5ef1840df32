import { streams, type NewEvent } from '../event-store/events';
import type { RecordLinked } from '../event-store/payloads/sync-results';
import type { SalesforceValue } from '../mapping/converters/converter.types';
import type { ClaimedCommand } from './claim';
import { commandSeqOf, type OutboxCommand } from '../sync-commands/outbox-command';

/** The error as stored on a dead letter and in `system.command_failed`. */
export interface StoredError {
  code: string;
  message: string;
  field?: string;
  value?: string;
  crmCode?: string;
  target?: string;
  hint?: string;
}

/** The stream a command's outcome is recorded on: the record it acts on (its history shows it). */
export function commandStream(command: OutboxCommand): string {
  switch (command.kind) {
    case 'salesforce.create':
      return streams.mondayItem(command.itemId);
    case 'salesforce.update':
    case 'salesforce.delete':
      return streams.salesforceRecord(command.salesforceObject, command.salesforceId);
    case 'salesforce.convert_lead':
      return streams.salesforceRecord('Lead', command.leadId);
    case 'salesforce.merge':
      return streams.salesforceRecord(command.salesforceObject, command.masterId);
    case 'monday.create_item':
      return streams.salesforceRecord(command.salesforceObject, command.salesforceId);
    case 'monday.change_columns':
    case 'monday.refresh_item':
    case 'monday.archive_item':
    case 'monday.delete_item':
    case 'monday.note_merged':
      return streams.mondayItem(command.itemId);
    case 'monday.repoint_relations':
      return streams.mondayItem(command.masterItemId);
    case 'sync.rejected_value':
      // The side the value came from: its history shows why it went no further.
      return command.target === 'monday' && command.salesforceId
        ? streams.salesforceRecord(command.salesforceObject, command.salesforceId)
        : streams.mondayItem(command.itemId ?? 'unknown');
    default:
      return assertNeverCommand(command);
  }
}

/**
 * Idempotency key of an attempt's outcome, `command:<id>:<attempt>`: a replayed attempt appends
 * nothing twice. The attempt is the claim number, which an operator's retry does not reset.
 */
export function attemptKey(claimed: ClaimedCommand, suffix?: string): string {
  return `command:${claimed.id}:${claimed.dispatch}${suffix ? `:${suffix}` : ''}`;
}

export function commandSucceededEvent(
  claimed: ClaimedCommand,
  written: Record<string, SalesforceValue>,
  result: Record<string, unknown> | undefined,
  now: Date,
  sentAt: Date,
): NewEvent {
  return {
    type: 'system.command_succeeded',
    source: 'system',
    sourceEventId: attemptKey(claimed),
    stream: commandStream(claimed.command),
    origin: 'unknown',
    occurredAt: now,
    payload: {
      commandId: claimed.id,
      kind: claimed.command.kind,
      target: claimed.command.target,
      recordId: claimed.recordId,
      written,
      ...(result ? { result } : {}),
      ...(claimed.stateAsOf ? { stateAsOf: claimed.stateAsOf } : {}),
      sentAt: sentAt.getTime(),
      ...numbered(claimed.command),
    },
  };
}

export function commandFailedEvent(claimed: ClaimedCommand, error: StoredError, deadLettered: boolean, now: Date): NewEvent {
  return {
    type: 'system.command_failed',
    source: 'system',
    sourceEventId: attemptKey(claimed),
    stream: commandStream(claimed.command),
    origin: 'unknown',
    occurredAt: now,
    payload: {
      commandId: claimed.id,
      kind: claimed.command.kind,
      target: claimed.command.target,
      recordId: claimed.recordId,
      error: {
        code: error.code,
        message: error.message,
        ...(error.field ? { field: error.field } : {}),
        ...(error.hint ? { hint: error.hint } : {}),
      },
      attempts: claimed.attempts,
      deadLettered,
      ...numbered(claimed.command),
    },
  };
}

/** The command's number, copied as is (the projector reads it; the dispatcher decides nothing by it). */
function numbered(command: OutboxCommand): { seq?: number } {
  const seq = commandSeqOf(command);
  return seq === undefined ? {} : { seq };
}

export function assertNeverCommand(command: never): never {
  throw new Error(`unhandled outbox command: ${JSON.stringify(command)}`);
}

/** `system.record_linked` learned while dispatching `claimed` (a create or a match), sent from `sentAt` on. */
export function recordLinkedEvent(claimed: ClaimedCommand, link: Omit<RecordLinked, 'sentAt'>, stream: string, now: Date, sentAt: Date): NewEvent {
  return {
    type: 'system.record_linked',
    source: 'system',
    sourceEventId: attemptKey(claimed, 'linked'),
    stream,
    origin: 'unknown',
    occurredAt: now,
    payload: { ...link, sentAt: sentAt.getTime() },
  };
}
