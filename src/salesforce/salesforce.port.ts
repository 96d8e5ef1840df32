import type { SalesforceError } from './salesforce.error';

/**
 * What the rest of crm-sync needs from Salesforce (style lessons 5 and 6). Only src/salesforce knows
 * jsforce; everything else depends on this interface and on plain data.
 *
 * Failures of a whole call throw `SalesforceError` (stable `code`). Per-record outcomes of the batch
 * calls are values: each item keeps its own error code.
 */
export interface SalesforcePort {
  /** Describe of one object, cached per object until `refreshDescribe`. */
  describe(object: string): Promise<SObjectDescribe>;
  /** Forgets cached describes (one object, or all): the next `describe` asks Salesforce again. */
  refreshDescribe(object?: string): void;
  describeGlobal(): Promise<SObjectSummary[]>;

  /** One record by id; null when Salesforce answers NOT_FOUND or ENTITY_IS_DELETED. */
  get(object: string, id: string, fields?: readonly string[]): Promise<SObjectRecord | null>;
  create(object: string, fields: RecordFields, options?: WriteOptions): Promise<{ id: string }>;
  update(object: string, id: string, fields: RecordFields, options?: WriteOptions): Promise<void>;
  /** PATCH by external id: 201 -> created, 200 -> updated (reference 2.3). Several matches -> DUPLICATE. */
  upsert(object: string, externalIdField: string, value: string, fields: RecordFields, options?: WriteOptions): Promise<UpsertResult>;
  delete(object: string, id: string): Promise<void>;

  /** SOQL, every record of every page (follows nextRecordsUrl). */
  query(soql: string, options?: QueryOptions): AsyncIterable<SObjectRecord>;
  /** The same, page by page, for callers that checkpoint per page. */
  queryPages(soql: string, options?: QueryOptions): AsyncIterable<QueryPage>;
  /** SOQL including deleted and archived records (IsDeleted = true). */
  queryAll(soql: string, options?: QueryOptions): AsyncIterable<SObjectRecord>;

  /** sObject Collections in batches of up to 200; results in input order, allOrNone false. */
  createMany(object: string, records: readonly RecordFields[], options?: WriteOptions): Promise<SaveResult[]>;
  /** Every record must carry `Id`. */
  updateMany(object: string, records: readonly RecordFields[], options?: WriteOptions): Promise<SaveResult[]>;
  /** Every record must carry the external id field. */
  upsertMany(object: string, externalIdField: string, records: readonly RecordFields[], options?: WriteOptions): Promise<SaveResult[]>;
  deleteMany(ids: readonly string[]): Promise<SaveResult[]>;

  /**
   * Bulk API 2.0 query: creates the job, waits for it, then pages through `/results` with
   * Sforce-Locator (reference 4.3; jsforce's bulk2.query breaks on the second page). Values are
   * strings as in the CSV; an empty cell is null.
   */
  bulkQuery(soql: string, options?: BulkQueryOptions): AsyncIterable<BulkRecord>;

  convertLead(input: ConvertLeadInput): Promise<ConvertLeadResult>;
  /**
   * SOAP `merge()` (no REST resource merges, addendum 6.1): Lead, Contact or Account; the master
   * keeps its Id and takes `masterFields`, 1-2 others are deleted (MasterRecordId = master) and
   * their children reparented. A refusal throws (e.g. VALIDATION, DELETED, PERMANENT).
   */
  merge(input: MergeInput): Promise<MergeOutcome>;
  limits(): Promise<OrgLimits>;
  /** The integration user this client acts as (echo suppression needs "our" user id). */
  identity(): Promise<SalesforceIdentity>;
  findUsersByEmail(emails: readonly string[]): Promise<SalesforceUser[]>;

  /** Daily API usage as last reported by `Sforce-Limit-Info`; null before the first call. */
  apiUsage(): ApiUsage | null;
  /** Whether non-urgent work may spend API calls now (value, never throws). */
  budgetFor(work: NonUrgentWork): BudgetDecision;
  /** Throws BUDGET_FLOOR_REACHED when the remaining allocation is below the configured floor. */
  assertBudgetFor(work: NonUrgentWork): void;

  /** False once refreshing the session gave up (bounded attempts); see `health()` for the reason. */
  healthy(): boolean;
  health(): SalesforceHealth;
}

/** How a write treats the org's duplicate rules. */
export interface WriteOptions {
  /** Sends `Sforce-Duplicate-Rule-Header: allowSave=true` (passes alerting rules, never blocking ones). */
  allowDuplicates?: boolean;
}

export interface MergeInput {
  object: 'Lead' | 'Contact' | 'Account';
  masterId: string;
  /** One or two records merged into the master. */
  mergeIds: readonly string[];
  /** Values the master takes (a loser's value it should keep); null clears the field. */
  masterFields?: RecordFields;
}

export interface MergeOutcome {
  masterId: string;
  mergedIds: string[];
  /** Child records Salesforce pointed at the master. */
  updatedRelatedIds: string[];
}

/** Record fields as sent or read; relationship values may be nested records. */
export type RecordFields = Record<string, unknown>;

/** A record as read: plain fields plus `Id` (Salesforce's `attributes` are stripped). */
export type SObjectRecord = Record<string, unknown> & { Id: string };

/** A Bulk 2.0 row: column -> CSV value (null for an empty cell). */
export type BulkRecord = Record<string, string | null>;

export interface UpsertResult {
  id: string;
  created: boolean;
}

export type SaveResult = { ok: true; id: string; created?: boolean } | { ok: false; id: string | null; error: SalesforceError };

export interface QueryOptions {
  /** Sforce-Query-Options batchSize (200..2000; a hint, Salesforce may return fewer). */
  batchSize?: number;
}

export interface QueryPage {
  records: SObjectRecord[];
  totalSize: number;
  /** True on the last page. */
  done: boolean;
}

export interface BulkQueryOptions {
  includeDeleted?: boolean;
  /** maxRecords per results page (default: Salesforce decides). */
  pageSize?: number;
  /** Called after each status poll while Salesforce runs the query job (progress of a long query). */
  onJobStatus?: (status: BulkQueryJobStatus) => void;
}

/** A Bulk API 2.0 query job as its last status poll saw it. */
export interface BulkQueryJobStatus {
  jobId: string;
  state: 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
  recordsProcessed: number;
  /** Since the job was created. */
  waitedMs: number;
}

export interface ConvertLeadInput {
  leadId: string;
  /** A LeadStatus with IsConverted = true, e.g. "Closed - Converted". */
  convertedStatus: string;
  accountId?: string;
  contactId?: string;
  opportunityName?: string;
  doNotCreateOpportunity?: boolean;
  ownerId?: string;
}

export interface ConvertLeadResult {
  leadId: string;
  accountId: string;
  contactId: string;
  opportunityId: string | null;
}

export type OrgLimits = Record<string, { Max: number; Remaining: number }>;

export interface SalesforceIdentity {
  userId: string;
  organizationId: string;
  username: string;
  email: string | null;
  displayName: string | null;
}

export interface SalesforceUser {
  id: string;
  email: string;
  name: string | null;
  isActive: boolean;
}

export interface ApiUsage {
  used: number;
  limit: number;
  remaining: number;
}

export type NonUrgentWork = 'backfill' | 'reconcile' | 'catch_up';

export type BudgetDecision =
  | { allowed: true; usage: ApiUsage | null }
  | { allowed: false; usage: ApiUsage; floor: number };

export interface SalesforceHealth {
  healthy: boolean;
  /** Why not healthy, e.g. "session refresh gave up after 3 attempts: invalid_grant". */
  reason: string | null;
  apiUsage: ApiUsage | null;
}

export interface SObjectSummary {
  name: string;
  label: string;
  keyPrefix: string | null;
  custom: boolean;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  queryable: boolean;
}

export interface PicklistValue {
  value: string;
  label: string;
  active: boolean;
  defaultValue: boolean;
}

/** One field of describe (structurally a superset of mapping's SalesforceFieldSchema). */
export interface FieldDescribe {
  name: string;
  label: string;
  type: string;
  length: number;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  defaultedOnCreate: boolean;
  externalId: boolean;
  unique: boolean;
  calculated: boolean;
  custom: boolean;
  referenceTo: string[];
  relationshipName: string | null;
  picklistValues: PicklistValue[];
  restrictedPicklist: boolean;
  scale?: number;
  precision?: number;
}

export interface SObjectDescribe {
  name: string;
  label: string;
  keyPrefix: string | null;
  custom: boolean;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  queryable: boolean;
  fields: FieldDescribe[];
}
