/**
 * A CDC message as the streaming adapter delivers it (reference salesforce.md 5.6): the subscribed
 * channel, the replay id and the payload (ChangeEventHeader plus record fields).
 */
export interface ChangeMessage {
  channel: string;
  replayId: number;
  payload: {
    ChangeEventHeader: {
      entityName: string;
      recordIds: string[];
      changeType: string;
      changeOrigin?: string;
      transactionKey?: string;
      sequenceNumber?: number;
      commitTimestamp?: number;
      commitUser?: string;
      changedFields?: string[];
    };
    [field: string]: unknown;
  };
}
