import type { Connection } from 'jsforce';
import { histogram } from '../observability/metrics-registry';
import { ApiUsageTracker, type ApiBudgetOptions } from './api-usage-tracker';
import type { BoundedSessionRefresh, SessionRefreshOptions } from './auth/bounded-session-refresh';
import { bulkQuery, type Bulk2PollOptions } from './bulk2-query';
import { callContext, observeTransport, type CallFacts } from './observed-transport';
import { JSON_HEADERS, requestJson, type SalesforceCall } from './salesforce-call';
import { establish } from './salesforce-connection';
import { asJson, soqlString, toDescribe, toRecord, toSummary, writableFields } from './salesforce-records';
import { SalesforceError, type SalesforceErrorContext } from './salesforce.error';
import type {
  ApiUsage,
  BudgetDecision,
  BulkQueryOptions,
  BulkRecord,
  ConvertLeadInput,
  ConvertLeadResult,
  MergeInput,
  MergeOutcome,
  NonUrgentWork,
  OrgLimits,
  QueryOptions,
  QueryPage,
  RecordFields,
  SalesforceHealth,
  SalesforceIdentity,
  SalesforcePort,
  SalesforceUser,
  SaveResult,
  SObjectDescribe,
  SObjectRecord,
  SObjectSummary,
  UpsertResult,
  WriteOptions,
} from './salesforce.port';
import { duplicateRuleHeaders } from './duplicate-rule-header';
import { mergeRecords } from './soap-merge';
import * as collections from './sobject-collections';
import { queryPages, queryRecords } from './soql-query';
import type { StreamingSession } from './streaming-session';
import { recordErrorToSalesforceError, toSalesforceError, type SalesforceApiErrorBody } from './to-salesforce-error';

// Buckets passed explicitly: the registry helper forwards `buckets: undefined`, which prom-client rejects.
const callDuration = histogram(
  'crm_sync_salesforce_call_seconds',
  'Duration of Salesforce port calls by operation and outcome',
  ['operation', 'outcome'],
  [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120],
);

/** Emails per `User WHERE Email IN (...)` query: keeps the URL far below the 16 384-byte limit (reference 8). */
const EMAILS_PER_QUERY = 100;

/**
 * How long a Bulk API 2.0 query may run before the read gives up (SALESFORCE_BULK_QUERY_TIMEOUT_MINUTES):
 * Salesforce runs a large object's query for minutes, and a backfill would rather wait than fail.
 */
export const DEFAULT_BULK_QUERY_TIMEOUT_MS = 120 * 60_000;

export interface SalesforceClientOptions {
  refresh?: SessionRefreshOptions;
  budget?: ApiBudgetOptions;
  /** Per-request timeout (default 120 s; jsforce's own is 30 min). */
  requestTimeoutMs?: number;
  /** jsforce transport retries of GET/PUT/DELETE on 5xx and network errors (default 2, first after 500 ms). */
  transportRetries?: { maxRetries?: number; minTimeoutMs?: number };
  bulk?: Partial<Bulk2PollOptions>;
  /** JWT `aud` when it differs from the login URL's origin. */
  jwtAudience?: string;
  now?: () => number;
}

/**
 * The one jsforce 3.10.16 adapter behind SalesforcePort. Every call goes through `run`, which fails
 * fast once session refresh gave up, attributes HTTP requests to the operation (metrics) and
 * translates failures into SalesforceError at this edge.
 */
export class JsforceSalesforceClient implements SalesforcePort, SalesforceCall, StreamingSession {
  private readonly describes = new Map<string, Promise<SObjectDescribe>>();
  private identityCache: SalesforceIdentity | null = null;
  private readonly usage: ApiUsageTracker;
  private readonly bulkPoll: Bulk2PollOptions;

  constructor(
    readonly conn: Connection,
    private readonly session: BoundedSessionRefresh,
    options: SalesforceClientOptions = {},
  ) {
    this.usage = new ApiUsageTracker(options.budget);
    this.bulkPoll = { pollIntervalMs: options.bulk?.pollIntervalMs ?? 2000, timeoutMs: options.bulk?.timeoutMs ?? DEFAULT_BULK_QUERY_TIMEOUT_MS };
    observeTransport(
      conn,
      {
        timeout: options.requestTimeoutMs ?? 120_000,
        retry: { maxRetries: options.transportRetries?.maxRetries ?? 2, minTimeout: options.transportRetries?.minTimeoutMs ?? 500 },
      },
      {
        onResponse: (status, headers) => {
          if (status !== 401) session.noteAuthenticatedResponse();
          this.usage.observeHeader(headers['sforce-limit-info']);
        },
      },
    );
  }

  /** Logs in with the configured flow (AUTH_FAILED when the credentials are refused). */
  async login(): Promise<void> {
    try {
      establish(this.conn, await this.session.login());
    } catch (error) {
      throw toSalesforceError(error, { operation: 'login' });
    }
    this.identityCache = null;
  }

  async run<T>(context: SalesforceErrorContext, fn: () => Promise<T>): Promise<T> {
    const stop = callDuration.startTimer({ operation: context.operation });
    const facts: CallFacts = { operation: context.operation };
    try {
      this.session.assertUsable();
      const result = await callContext.run(facts, fn);
      stop({ outcome: 'ok' });
      return result;
    } catch (error) {
      const translated = this.translate(error, context, facts);
      stop({ outcome: translated.code });
      throw translated;
    }
  }

  private translate(error: unknown, context: SalesforceErrorContext, facts: CallFacts): SalesforceError {
    const refreshFailure = error instanceof Error && error.message.startsWith('Unable to refresh session due to:') ? this.session.lastFailure : null;
    const base = refreshFailure ?? error;
    const translated = toSalesforceError(base, context, facts);
    if (translated.operation === context.operation) return translated;
    return new SalesforceError({ ...translated.toJSON(), ...context, message: translated.message });
  }

  // --- describe -----------------------------------------------------------------------------------

  describe(object: string): Promise<SObjectDescribe> {
    let cached = this.describes.get(object);
    if (!cached) {
      cached = this.run({ operation: 'describe', object }, async () => toDescribe(await this.conn.describe(object)));
      cached.catch(() => this.describes.delete(object));
      this.describes.set(object, cached);
    }
    return cached;
  }

  refreshDescribe(object?: string): void {
    if (object === undefined) this.describes.clear();
    else this.describes.delete(object);
  }

  describeGlobal(): Promise<SObjectSummary[]> {
    return this.run({ operation: 'describeGlobal' }, async () => (await this.conn.describeGlobal()).sobjects.map(toSummary));
  }

  // --- single records -----------------------------------------------------------------------------

  async get(object: string, id: string, fields?: readonly string[]): Promise<SObjectRecord | null> {
    const query = fields && fields.length > 0 ? `?fields=${fields.map(encodeURIComponent).join(',')}` : '';
    try {
      return await this.run({ operation: 'get', object, recordId: id }, async () =>
        toRecord(await requestJson(this.conn, 'GET', `/sobjects/${encodeURIComponent(object)}/${encodeURIComponent(id)}${query}`)),
      );
    } catch (error) {
      if (error instanceof SalesforceError && (error.code === 'NOT_FOUND' || error.code === 'DELETED')) return null;
      throw error;
    }
  }

  create(object: string, fields: RecordFields, options?: WriteOptions): Promise<{ id: string }> {
    return this.run({ operation: 'create', object }, async () => {
      const res = await requestJson<{ id: string; success: boolean; errors?: SalesforceApiErrorBody[] }>(
        this.conn,
        'POST',
        `/sobjects/${encodeURIComponent(object)}`,
        writableFields(fields),
        duplicateRuleHeaders(options),
      );
      if (!res.success) throw recordErrorToSalesforceError(res.errors ?? [], { operation: 'create', object });
      return { id: res.id };
    });
  }

  async update(object: string, id: string, fields: RecordFields, options?: WriteOptions): Promise<void> {
    await this.run({ operation: 'update', object, recordId: id }, () =>
      requestJson(this.conn, 'PATCH', `/sobjects/${encodeURIComponent(object)}/${encodeURIComponent(id)}`, writableFields(fields), duplicateRuleHeaders(options)),
    );
  }

  /** The value is URL-encoded (jsforce's own upsert is not: `/`, `?`, `#` would break the URL, reference 2.3). */
  upsert(object: string, externalIdField: string, value: string, fields: RecordFields, options?: WriteOptions): Promise<UpsertResult> {
    const context = { operation: 'upsert' as const, object };
    return this.run(context, async () => {
      const url = `/sobjects/${encodeURIComponent(object)}/${encodeURIComponent(externalIdField)}/${encodeURIComponent(value)}`;
      const res = await requestJson<{ id?: string; created?: boolean } | undefined>(this.conn, 'PATCH', url, writableFields(fields, externalIdField), duplicateRuleHeaders(options));
      if (!res?.id) {
        throw new SalesforceError({ ...context, code: 'PERMANENT', message: 'upsert answered without an id (API version below 46.0?)' });
      }
      return { id: res.id, created: res.created === true };
    });
  }

  async delete(object: string, id: string): Promise<void> {
    await this.run({ operation: 'delete', object, recordId: id }, () =>
      requestJson(this.conn, 'DELETE', `/sobjects/${encodeURIComponent(object)}/${encodeURIComponent(id)}`),
    );
  }

  // --- queries and batches ------------------------------------------------------------------------

  query(soql: string, options?: QueryOptions): AsyncIterable<SObjectRecord> {
    return queryRecords(this, soql, options);
  }

  queryPages(soql: string, options?: QueryOptions): AsyncIterable<QueryPage> {
    return queryPages(this, soql, options);
  }

  queryAll(soql: string, options?: QueryOptions): AsyncIterable<SObjectRecord> {
    return queryRecords(this, soql, { ...options, includeDeleted: true });
  }

  createMany(object: string, records: readonly RecordFields[], options?: WriteOptions): Promise<SaveResult[]> {
    return collections.createMany(this, object, records, options);
  }

  updateMany(object: string, records: readonly RecordFields[], options?: WriteOptions): Promise<SaveResult[]> {
    return collections.updateMany(this, object, records, options);
  }

  upsertMany(object: string, externalIdField: string, records: readonly RecordFields[], options?: WriteOptions): Promise<SaveResult[]> {
    return collections.upsertMany(this, object, externalIdField, records, options);
  }

  deleteMany(ids: readonly string[]): Promise<SaveResult[]> {
    return collections.deleteMany(this, ids);
  }

  bulkQuery(soql: string, options: BulkQueryOptions = {}): AsyncIterable<BulkRecord> {
    return bulkQuery(this, soql, options, this.bulkPoll);
  }

  // --- lead conversion, limits, users -------------------------------------------------------------

  /** SOAP convertLead (no REST resource converts a lead, reference 7.1). */
  convertLead(input: ConvertLeadInput): Promise<ConvertLeadResult> {
    const context = { operation: 'convertLead' as const, object: 'Lead', recordId: input.leadId };
    return this.run(context, async () => {
      const raw = asJson(
        await this.conn.soap.convertLead({
          leadId: input.leadId,
          convertedStatus: input.convertedStatus,
          doNotCreateOpportunity: input.doNotCreateOpportunity ?? false,
          overwriteLeadSource: false,
          sendNotificationEmail: false,
          accountId: input.accountId ?? null,
          contactId: input.contactId ?? null,
          opportunityName: input.opportunityName ?? null,
          ownerId: input.ownerId ?? null,
        }),
      );
      if (raw.success !== true && raw.success !== 'true') {
        const errors = (Array.isArray(raw.errors) ? raw.errors : raw.errors ? [raw.errors] : []) as SalesforceApiErrorBody[];
        throw recordErrorToSalesforceError(errors, context);
      }
      const id = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
      return {
        leadId: id(raw.leadId) ?? input.leadId,
        accountId: id(raw.accountId) ?? '',
        contactId: id(raw.contactId) ?? '',
        opportunityId: id(raw.opportunityId),
      };
    });
  }

  merge(input: MergeInput): Promise<MergeOutcome> {
    return mergeRecords(this, input);
  }

  limits(): Promise<OrgLimits> {
    return this.run({ operation: 'limits' }, () => requestJson<OrgLimits>(this.conn, 'GET', '/limits'));
  }

  /** From the identity URL of the token response (or the one the REST root lists), with the Bearer header, never `?oauth_token=`. */
  async identity(): Promise<SalesforceIdentity> {
    if (this.identityCache) return this.identityCache;
    const identity = await this.run({ operation: 'identity' }, async () => {
      // The versioned root lists the identity URL (reference 2.1); requested without the trailing slash.
      const url = this.conn.userInfo?.url ?? asJson(await requestJson(this.conn, 'GET', `/services/data/v${this.conn.version}`)).identity;
      if (typeof url !== 'string') throw new SalesforceError({ code: 'PERMANENT', operation: 'identity', message: 'no identity URL available' });
      const raw = asJson(await this.conn.request({ method: 'GET', url, headers: { Accept: JSON_HEADERS['Content-Type'] } }));
      return {
        userId: String(raw.user_id ?? ''),
        organizationId: String(raw.organization_id ?? ''),
        username: String(raw.username ?? ''),
        email: typeof raw.email === 'string' ? raw.email : null,
        displayName: typeof raw.display_name === 'string' ? raw.display_name : null,
      };
    });
    this.identityCache = identity;
    return identity;
  }

  async findUsersByEmail(emails: readonly string[]): Promise<SalesforceUser[]> {
    const unique = [...new Set(emails.map((e) => e.trim()).filter((e) => e !== ''))];
    const users: SalesforceUser[] = [];
    for (let start = 0; start < unique.length; start += EMAILS_PER_QUERY) {
      const list = unique.slice(start, start + EMAILS_PER_QUERY).map(soqlString).join(', ');
      const soql = `SELECT Id, Email, Name, IsActive FROM User WHERE Email IN (${list})`;
      for await (const user of queryRecords(this, soql)) {
        users.push({ id: user.Id, email: String(user.Email ?? ''), name: typeof user.Name === 'string' ? user.Name : null, isActive: user.IsActive === true });
      }
    }
    return users;
  }

  // --- budget and health --------------------------------------------------------------------------

  apiUsage(): ApiUsage | null {
    return this.usage.current();
  }

  /** Requests that must remain before non-urgent work pauses; null before the first answer. */
  apiFloor(): number | null {
    const usage = this.usage.current();
    return usage ? this.usage.floor(usage.limit) : null;
  }

  budgetFor(work: NonUrgentWork): BudgetDecision {
    return this.usage.budgetFor(work);
  }

  assertBudgetFor(work: NonUrgentWork): void {
    const decision = this.usage.budgetFor(work);
    if (decision.allowed) return;
    throw new SalesforceError({
      code: 'BUDGET_FLOOR_REACHED',
      operation: 'limits',
      message: `${work} paused: ${decision.usage.remaining} of ${decision.usage.limit} daily API requests remain, floor is ${decision.floor}`,
    });
  }

  healthy(): boolean {
    return this.session.healthy();
  }

  health(): SalesforceHealth {
    return { healthy: this.session.healthy(), reason: this.session.reason(), apiUsage: this.usage.current() };
  }

  // --- what the CometD adapter needs (StreamingSession) -------------------------------------------

  cometdUrl(): string {
    return `${this.conn.instanceUrl}/cometd/${this.conn.version}`;
  }

  accessToken(): string {
    return this.conn.accessToken ?? '';
  }

  refreshAccessToken(): Promise<string> {
    return this.session.refresh().catch((error: unknown) => {
      throw toSalesforceError(error, { operation: 'streaming' });
    });
  }

  onAccessToken(listener: (token: string) => void): () => void {
    return this.session.onToken(listener);
  }
}
