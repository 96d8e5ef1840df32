import { SObjectSchema } from '../schema/schema-registry';
import { SObjectRecord } from './record-store';

/** Who writes, as change events report it (reference 5.6 changeOrigin / commitUser). */
export interface WriteContext {
  userId: string;
  /** `com/salesforce/api/rest/62.0;client=crm-sync`, or '' for a human in the UI / an automation. */
  changeOrigin: string;
  /** The `client` of Sforce-Call-Options, null when none was sent. */
  client: string | null;
  /**
   * Set for API saves that duplicate rules check (REST, collections, composite): `allowSave` from
   * Sforce-Duplicate-Rule-Header. Absent for humans, automations, seeding and lead conversion.
   */
  duplicateRules?: { allowSave: boolean; apiVersion: string };
}

export type RecordChangeType = 'CREATE' | 'UPDATE' | 'DELETE' | 'UNDELETE';

export interface RecordChange {
  schema: SObjectSchema;
  id: string;
  /** The first change type in the transaction wins (CDC general considerations). */
  changeType: RecordChangeType;
  /** The record as it was before the transaction touched it (null for CREATE). */
  before: SObjectRecord | null;
  /** A merge's master: its UPDATE event is sent even when no field value changed (addendum 6.1). */
  merged?: boolean;
}

export interface Savepoint {
  undo: number;
  changes: number;
}

/**
 * One Salesforce transaction: the changes it made (for change events, in order) and how to undo them
 * (allOrNone rollback, composite PROCESSING_HALTED).
 */
export class Transaction {
  readonly changes = new Map<string, RecordChange>();
  private readonly undo: Array<() => void> = [];

  constructor(readonly context: WriteContext) {}

  recordChange(schema: SObjectSchema, id: string, changeType: RecordChangeType, before: SObjectRecord | null): void {
    if (!this.changes.has(id)) this.changes.set(id, { schema, id, changeType, before: before && { ...before } });
  }

  onRollback(fn: () => void): void {
    this.undo.push(fn);
  }

  /** A point to roll back to (a nested allOrNone collection inside a partial-success composite). */
  savepoint(): Savepoint {
    return { undo: this.undo.length, changes: this.changes.size };
  }

  rollback(to: Savepoint = { undo: 0, changes: 0 }): void {
    while (this.undo.length > to.undo) this.undo.pop()?.();
    let index = 0;
    for (const key of [...this.changes.keys()]) {
      if (index++ >= to.changes) this.changes.delete(key);
    }
  }
}
