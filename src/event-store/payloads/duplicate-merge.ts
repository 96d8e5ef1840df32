/**
 * An operator's merge of one duplicate cluster (`crm-sync duplicates --merge`, the console) and what
 * came of it. The request names ids only, plus the values the master takes from the others; the
 * projector turns it into outbox commands, whose handlers record each merged-away record.
 */
export type MergeMemberCrm = 'salesforce' | 'monday';

/** One Salesforce merge() call: the master and at most two records merged into it. */
export interface RequestedSalesforceMerge {
  masterId: string;
  mergeIds: string[];
  /** Empty master fields filled from the others (the master's own values are kept). */
  masterFields: Record<string, string | number | boolean | null>;
}

/** An item whose board relation named a merged-away item, and its relation pointing at the master item instead. */
export interface RequestedRepoint {
  objectKey: string;
  boardId: string;
  itemId: string;
  column: string;
  linkedItemIds: string[];
}

export interface MergeRequested {
  clusterId: string;
  objectKey: string;
  salesforceObject: string;
  boardId: string;
  master: { crm: MergeMemberCrm; id: string };
  masterRecordId: string | null;
  masterItemId: string | null;
  salesforceMerges: RequestedSalesforceMerge[];
  /** Items of merged-away records: the merge's CDC deletes give them the delete policy, not this request. */
  itemsFollowingMerge: string[];
  /** Items with no Salesforce record among the merged ones: this request gives them the delete policy. */
  mondayLosers: string[];
  /**
   * The relations the plan saw (the dry run's preview, kept for the audit trail). The projector does
   * not send these: it queues one `monday.repoint_relations` per board that looks the object up, and
   * that command reads the relations when the merge runs.
   */
  repoints: RequestedRepoint[];
  deletePolicy: 'none' | 'archive' | 'delete';
  /** Who asked: `cli` or `console`. */
  requestedVia: 'cli' | 'console';
}

/** One record merged away: in its own stream, so its history says what it was merged into. */
export interface RecordMerged {
  clusterId: string;
  objectKey: string;
  crm: MergeMemberCrm;
  id: string;
  mergedInto: { crm: MergeMemberCrm; id: string };
  /**
   * `salesforce_merge`: Salesforce merged the record; `delete_policy`: the item got the object's
   * delete policy; `noted`: the item is kept (`delete: none`) and an update on it names the master.
   */
  via: 'salesforce_merge' | 'delete_policy' | 'noted';
}
