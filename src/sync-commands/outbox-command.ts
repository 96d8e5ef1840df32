import type { SalesforceValue } from '../mapping/converters/converter.types';

/**
 * Commands the sync decides and the dispatcher sends: one discriminated union, in one place.
 * Payloads carry what the dispatcher needs to act without re-deciding; values to write are in the
 * target's write form (Salesforce field values, or monday column_values entries).
 */
export type OutboxCommand =
  /**
   * A new monday item: match an existing record (external id, e-mail, name + company: `match`) or
   * create one with `fields`, then write the 18-char Id into the item's salesforceIdColumn.
   * Ambiguous matches dead-letter, never guess (invariant 6).
   */
  | {
      kind: 'salesforce.create';
      target: 'salesforce';
      objectKey: string;
      salesforceObject: string;
      boardId: string;
      itemId: string;
      salesforceIdColumn: string;
      fields: Record<string, SalesforceValue>;
      /** Salesforce field -> value that identifies the same record (from the object's `match` rules). */
      match: Record<string, SalesforceValue>;
      values?: WrittenValues;
    }
  | {
      kind: 'salesforce.update';
      target: 'salesforce';
      objectKey: string;
      salesforceObject: string;
      salesforceId: string;
      fields: Record<string, SalesforceValue>;
      values?: WrittenValues;
      /** Its number among the record's value-carrying commands towards Salesforce (CommandSeq). */
      seq?: CommandSeq;
    }
  | { kind: 'salesforce.delete'; target: 'salesforce'; objectKey: string; salesforceObject: string; salesforceId: string }
  /**
   * One SOAP merge() of an operator's duplicate merge: the master keeps its Id and takes
   * `masterFields`; `mergeIds` (one or two) are deleted with MasterRecordId = the master.
   */
  | {
      kind: 'salesforce.merge';
      target: 'salesforce';
      objectKey: string;
      salesforceObject: string;
      clusterId: string;
      masterId: string;
      mergeIds: string[];
      masterFields: Record<string, SalesforceValue>;
    }
  | { kind: 'salesforce.convert_lead'; target: 'salesforce'; objectKey: string; leadId: string; itemId: string; convertedStatus?: string }
  /** A new Salesforce record: match an item by the Salesforce Id column, else create one. */
  | {
      kind: 'monday.create_item';
      target: 'monday';
      objectKey: string;
      boardId: string;
      groupId: string | null;
      salesforceObject: string;
      salesforceId: string;
      name: string;
      columnValues: Record<string, unknown>;
      createLabelsIfMissing: boolean;
      /** The board's Salesforce Id column, searched before creating (invariant 6); else taken from the mapping. */
      salesforceIdColumn?: string;
      values?: WrittenValues;
    }
  | {
      kind: 'monday.change_columns';
      target: 'monday';
      objectKey: string;
      boardId: string;
      itemId: string;
      /** New item name, when the Salesforce name field changed. */
      name?: string;
      columnValues: Record<string, unknown>;
      createLabelsIfMissing: boolean;
      values?: WrittenValues;
      /** Its number among the record's value-carrying commands towards monday (CommandSeq). */
      seq?: CommandSeq;
    }
  /** Read an item through the API and append it as a monday.item_snapshot (create_pulse carries no values). */
  | { kind: 'monday.refresh_item'; target: 'monday'; objectKey: string; boardId: string; itemId: string }
  | { kind: 'monday.archive_item'; target: 'monday'; objectKey: string; boardId: string; itemId: string; merge?: MergeNote }
  /**
   * A duplicate merge's relations on one board that looks the merged object up: every relation in
   * `columns` naming one of `mergedItemIds` names `masterItemId` instead. The handler reads the
   * board when the command runs, so a relation added after the merge was planned follows too.
   */
  | {
      kind: 'monday.repoint_relations';
      target: 'monday';
      objectKey: string;
      boardId: string;
      columns: string[];
      mergedItemIds: string[];
      masterItemId: string;
      clusterId: string;
    }
  /** A merged-away item kept by `delete: none`: an update on the item names what it was merged into. */
  | { kind: 'monday.note_merged'; target: 'monday'; objectKey: string; boardId: string; itemId: string; merge: MergeNote }
  | { kind: 'monday.delete_item'; target: 'monday'; objectKey: string; boardId: string; itemId: string; merge?: MergeNote }
  /**
   * A value the target cannot take (an invalid phone, a malformed e-mail): nothing to send, so it is
   * stored as a dead letter at once, naming the record, the field, the value and the fix. Never
   * claimed; its retry is refused (the fix is a change of the value or of the mapping).
   */
  | {
      kind: 'sync.rejected_value';
      target: 'salesforce' | 'monday';
      objectKey: string;
      salesforceObject: string;
      salesforceId: string | null;
      boardId: string;
      itemId: string | null;
      field: string;
      message: string;
    };

export type OutboxCommandKind = OutboxCommand['kind'];

/**
 * The projector numbers the value-carrying commands (updates, column changes) it issues for one
 * record and side, 1, 2, 3...; the dispatcher copies the number into the command's outcome event
 * and nothing else: the projector uses it to tell which of its commands a result is about.
 */
export type CommandSeq = number;

/** The number of a value-carrying command, as its outcome event repeats it. */
export function commandSeqOf(command: OutboxCommand): CommandSeq | undefined {
  return command.kind === 'salesforce.update' || command.kind === 'monday.change_columns' ? command.seq : undefined;
}

/** On an archive or delete that merges the item away (a duplicate merge): what it was merged into. */
export interface MergeNote {
  clusterId: string;
  mergedInto: { crm: 'salesforce' | 'monday'; id: string };
}

/**
 * Optional on write commands: field key (monday column id, or `__name__`) -> the value written, in
 * Salesforce form, as the projector decided it. The dispatcher echoes it as `written` in
 * `system.command_succeeded` and as `values` in `system.record_linked`, so the state projection
 * learns what both sides hold without converting back.
 */
export type WrittenValues = Record<string, SalesforceValue>;

/** A command as stored in the outbox table. */
export interface OutboxRow {
  id: number;
  recordId: number;
  command: OutboxCommand;
  causedBy: number;
  attempts: number;
}
