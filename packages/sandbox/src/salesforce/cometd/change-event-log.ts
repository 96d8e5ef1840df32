/**
 * The contract between the Salesforce emulator's record store (which produces change events on every
 * write, reference 5.6) and its CometD server (which delivers them, reference 5.1-5.5).
 *
 * The store appends; the CometD server reads by replay id and is woken by `onAppend`.
 * Retention follows the emulated clock (default 72 hours): a replay id older than the oldest retained
 * event is "invalid" in the sense of reference 5.3.
 */
export type ChangeType =
  | 'CREATE'
  | 'UPDATE'
  | 'DELETE'
  | 'UNDELETE'
  | 'GAP_CREATE'
  | 'GAP_UPDATE'
  | 'GAP_DELETE'
  | 'GAP_UNDELETE'
  | 'GAP_OVERFLOW';

export interface ChangeEventHeader {
  entityName: string;
  recordIds: string[];
  changeType: ChangeType;
  /** `com/salesforce/api/rest/62.0;client=crm-sync`, or '' for a change made by a human in the UI. */
  changeOrigin: string;
  transactionKey: string;
  sequenceNumber: number;
  commitTimestamp: number;
  commitNumber: number;
  commitUser: string;
  changedFields: string[];
}

/** `payload` of a CDC message: the header plus record fields (UPDATE: only changed ones, nulls explicit). */
export interface ChangeEventPayload {
  ChangeEventHeader: ChangeEventHeader;
  [field: string]: unknown;
}

export interface RetainedChangeEvent {
  /** Opaque, increasing, not contiguous (reference 5.3). */
  replayId: number;
  /** Emulated epoch ms at which the event was committed. */
  committedAt: number;
  schema: string;
  payload: ChangeEventPayload;
}

export interface ChangeEventLog {
  /** Appends events of one transaction in order and assigns their replay ids. */
  append(events: Array<{ schema: string; payload: ChangeEventPayload }>): RetainedChangeEvent[];
  /**
   * Events with replayId > afterReplayId (-1: none of the retained ones, -2: all retained ones),
   * oldest first, limited to `limit`. Returns 'invalid' when afterReplayId >= 0 is neither retained nor
   * the newest id ever issued (expired or never existed).
   */
  readAfter(afterReplayId: number, limit: number): RetainedChangeEvent[] | 'invalid';
  /** Highest replay id issued so far (0 when none). */
  latestReplayId(): number;
  /** Called after every append; returns an unsubscribe function. */
  onAppend(listener: () => void): () => void;
  /**
   * Control: every event appended so far is past its retention now, as if 72 hours had gone by,
   * while the clock stays where it is (a test can expire replay ids without moving emulated time
   * away from the client's own clock).
   */
  expireRetained(): void;
}
