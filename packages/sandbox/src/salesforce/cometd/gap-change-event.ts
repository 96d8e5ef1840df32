import { createHash, randomUUID } from 'node:crypto';
import type { ChangeEventPayload, ChangeType } from './change-event-log';

export type GapChangeType = Extract<ChangeType, `GAP_${string}`>;

/** Overflow events name no record, only this placeholder id (reference 5.6). */
export const OVERFLOW_RECORD_ID = '000000000000000AAA';
/** A syntactically valid user id (prefix 005, checksum AAA) for gap events, which no API call made. */
export const SYSTEM_COMMIT_USER = '005000000000000AAA';

export interface GapEventOptions {
  changeType?: GapChangeType;
  commitUser?: string;
}

/**
 * A header-only change event (reference 5.6: GAP_* carry record ids and nothing else; GAP_OVERFLOW carries the
 * placeholder id). Such events come from outside application transactions, so their origin is empty.
 */
export function gapChangeEvent(
  entityName: string,
  recordIds: string[],
  changeType: GapChangeType,
  commitTimestamp: number,
  commitUser = SYSTEM_COMMIT_USER,
): { schema: string; payload: ChangeEventPayload } {
  return {
    schema: changeEventSchemaId(entityName),
    payload: {
      ChangeEventHeader: {
        entityName,
        recordIds: [...recordIds],
        changeType,
        changeOrigin: '',
        transactionKey: randomUUID(),
        sequenceNumber: 1,
        commitTimestamp,
        commitNumber: commitTimestamp * 1000,
        commitUser,
        changedFields: [],
      },
    },
  };
}

/** A stable 22-character schema id per entity, shaped like Salesforce's (e.g. `V2MGwDA2aIP0yQS98S2L6Q`). */
export function changeEventSchemaId(entityName: string): string {
  return createHash('sha256').update(`ChangeEvent:${entityName}`).digest('base64url').slice(0, 22);
}
