/** What an operator is told about one dead letter (never a token: CRM errors are redacted at their edge). */
export interface DeadLetterAlert {
  commandId: number;
  kind: string;
  target: 'salesforce' | 'monday';
  objectKey: string;
  /** The record in words, e.g. "Salesforce Lead 00Q… / monday item 123". */
  record: string;
  error: { code: string; message: string };
  hint: string;
  /** Position of the event whose decision issued the command. */
  causedBy: number;
}

/** Receives dead letters as they happen (the dispatcher calls it after the dead letter is committed). */
export interface DeadLetterAlerts {
  deadLettered(alert: DeadLetterAlert): void;
}
