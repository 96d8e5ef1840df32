import { randomUUID } from 'node:crypto';
import type { EventOrigin, NewEvent, RecordedEvent } from '../../src/event-store';
import type { LinkReason } from '../../src/event-store/payloads/sync-results';

let position = 1;

/** A recorded event for pure decide tests (position and transaction id made up, increasing). */
export function recorded(event: NewEvent): RecordedEvent {
  position++;
  return { ...event, position, transactionId: String(position), recordedAt: new Date() } as RecordedEvent;
}

export function mondayColumnChanged(options: { boardId: string; itemId: string; columnId: string; columnType: string; value: unknown; at: number; userId?: number; origin?: EventOrigin }): RecordedEvent {
  const triggerUuid = randomUUID().replace(/-/g, '');
  return recorded({
    type: 'monday.column_changed',
    source: 'monday',
    sourceEventId: triggerUuid,
    stream: `monday:item:${options.itemId}`,
    origin: options.origin ?? 'user',
    occurredAt: new Date(options.at),
    payload: {
      type: 'update_column_value',
      triggerTime: new Date(options.at).toISOString(),
      userId: options.userId ?? 5001,
      triggerUuid,
      boardId: Number(options.boardId),
      pulseId: Number(options.itemId),
      columnId: options.columnId,
      columnType: options.columnType,
      value: options.value,
      changedAt: options.at / 1000,
    },
  });
}

export function salesforceChanged(options: {
  object: string;
  id: string;
  changeType?: 'CREATE' | 'UPDATE' | 'DELETE' | 'UNDELETE';
  fields: Record<string, unknown>;
  at: number;
  origin?: EventOrigin;
}): RecordedEvent {
  return recorded({
    type: 'salesforce.record_changed',
    source: 'salesforce',
    sourceEventId: randomUUID(),
    stream: `salesforce:${options.object}:${options.id}`,
    origin: options.origin ?? 'user',
    occurredAt: new Date(options.at),
    payload: {
      object: options.object,
      recordId: options.id,
      changeType: options.changeType ?? 'UPDATE',
      fields: options.fields,
      changedFields: Object.keys(options.fields),
      changeOrigin: options.origin === 'own_echo' ? 'com/salesforce/api/rest/62.0;client=crm-sync' : '',
      commitTimestamp: options.at,
      commitUser: '005000000000001AAA',
      transactionKey: randomUUID(),
      sequenceNumber: 1,
      channel: `/data/${options.object}ChangeEvent`,
      replayId: position,
    },
  });
}

export function recordLinked(options: { objectKey: string; salesforceObject: string; salesforceId: string; boardId: string; itemId: string; values?: Record<string, string | number | boolean | null>; at?: number; sentAt?: number; via?: LinkReason; mondayItemDeletedAt?: number; salesforceRecordDeletedAt?: number }): RecordedEvent {
  return recorded({
    type: 'system.record_linked',
    source: 'system',
    sourceEventId: randomUUID(),
    stream: `salesforce:${options.salesforceObject}:${options.salesforceId}`,
    origin: 'unknown',
    occurredAt: new Date(options.at ?? 1_000),
    payload: {
      objectKey: options.objectKey,
      salesforceObject: options.salesforceObject,
      salesforceId: options.salesforceId,
      mondayBoardId: options.boardId,
      mondayItemId: options.itemId,
      via: options.via ?? 'matched_existing',
      values: options.values ?? {},
      ...(options.sentAt !== undefined ? { sentAt: options.sentAt } : {}),
      ...(options.mondayItemDeletedAt !== undefined ? { mondayItemDeletedAt: options.mondayItemDeletedAt } : {}),
      ...(options.salesforceRecordDeletedAt !== undefined ? { salesforceRecordDeletedAt: options.salesforceRecordDeletedAt } : {}),
    },
  });
}

/** An item read through the API; `texts` are the columns' display texts (status labels, plain text). */
export function itemSnapshot(boardId: string, itemId: string, name: string, texts: Record<string, string>, at = 2_500): RecordedEvent {
  return recorded({
    type: 'monday.item_snapshot',
    source: 'monday',
    sourceEventId: randomUUID(),
    stream: `monday:item:${itemId}`,
    origin: 'unknown',
    occurredAt: new Date(at),
    payload: {
      boardId,
      itemId,
      name,
      groupId: 'topics',
      state: 'active',
      updatedAt: new Date(at).toISOString(),
      columnValues: Object.entries(texts).map(([id, text]) => ({ id, type: 'text', value: JSON.stringify(text), text })),
      reason: 'created',
    },
  });
}

/** A user directory refresh that found users it did not know (the lists themselves are not in the log). */
export function userDirectoryChanged(options: { added?: number; at?: number } = {}): RecordedEvent {
  return recorded({
    type: 'system.user_directory_changed',
    source: 'system',
    sourceEventId: `user-directory:${randomUUID()}`,
    stream: 'system:user-directory',
    origin: 'unknown',
    occurredAt: new Date(options.at ?? 5_000),
    payload: { added: options.added ?? 2, removed: 0, salesforceUsers: 2, mondayUsers: 2, via: 'refresh' },
  });
}
