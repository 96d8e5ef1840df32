import type { SalesforceValue } from '../mapping/converters/converter.types';
import type { MondayItem } from '../monday/monday.port';
import type { SObjectRecord } from '../salesforce/salesforce.port';

/**
 * What reconcile can find wrong between the two CRMs for one mapped object:
 * - value_differs: a linked pair whose field holds different values (compared in Salesforce form);
 * - missing_on_monday / missing_on_salesforce: a record the mapping's create policy says should
 *   exist on the other side, with no counterpart;
 * - removed_on_monday / removed_on_salesforce: one side of a linked pair was archived or deleted and
 *   the sync never heard of it;
 * - salesforce_id_not_found: an item's Salesforce Id column names a record that does not exist;
 * - link_disagrees: the item's Salesforce Id column and the sync's link name different records;
 * - not_linked: an item's Salesforce Id column names an existing record the sync has not linked.
 */
export type DriftKind =
  | 'value_differs'
  | 'missing_on_monday'
  | 'missing_on_salesforce'
  | 'removed_on_monday'
  | 'removed_on_salesforce'
  | 'salesforce_id_not_found'
  | 'link_disagrees'
  | 'not_linked';

/** Whose version --fix keeps: a side, or none (reported only: a person has to decide). */
export type FixSource = 'salesforce' | 'monday' | 'none';

export interface Drift {
  objectKey: string;
  kind: DriftKind;
  salesforceId: string | null;
  itemId: string | null;
  /** The item name or the record's name field, to recognise it in the table. */
  name: string | null;
  /** value_differs: the monday column id (or `__name__`) and the Salesforce field(s). */
  column?: string;
  salesforceField?: string;
  /** value_differs: both values in Salesforce form (monday's read through the field's converter). */
  salesforceValue?: SalesforceValue;
  mondayValue?: SalesforceValue;
  fix: FixSource;
  detail?: string;
}

export interface ObjectReport {
  objectKey: string;
  salesforceObject: string;
  boardId: string;
  salesforceRecords: number;
  mondayItems: number;
  comparedPairs: number;
  drifts: Drift[];
}

export interface ReconcileReport {
  startedAt: string;
  finishedAt: string;
  objects: ObjectReport[];
  driftCount: number;
  /** Present with --fix: corrective snapshots appended to the event log. */
  fix?: { runId: string; eventsAppended: number };
}

/**
 * A corrective snapshot --fix appends: the side's current data, carrying only what should flow
 * from that side (see sync-projector/reconcile-repair.decide.ts for how the projector acts on it).
 */
export type CorrectiveSnapshot =
  | { side: 'monday'; item: MondayItem; columns: readonly string[] }
  | { side: 'salesforce'; record: SObjectRecord; fields: readonly string[] };

/** A linked item's read when it is no longer active (itemsByIds), or a synthesized one when gone. */
export type RemovedItem = MondayItem;

/** A linked record the live query no longer returns: in the recycle bin or gone. */
export interface RemovedRecord {
  id: string;
  systemModstamp: string | null;
}
