import { randomUUID } from 'node:crypto';
import { readLiveContext } from './read-live-context';
import { buildSyncContext } from '../sync-projector/build-sync-context';
import { appendEvents, type Queryable } from '../event-store';
import type { Mapping } from '../mapping';
import type { MondayPort } from '../monday/monday.port';
import { LinkIndex } from '../sync-projector/link-index';
import type { SyncContext } from '../sync-projector/sync-context';
import { loadLinks } from '../sync-projector/sync-records.repository';
import type { SalesforcePort } from '../salesforce/salesforce.port';
import { findObjectDrift } from './reconcile-compare';
import type { ObjectReport, ReconcileReport } from './reconcile-drift';
import { correctiveEvents } from './reconcile-fix';
import { readObject } from './reconcile-read';

export type { Drift, DriftKind, ObjectReport, ReconcileReport } from './reconcile-drift';

export class ReconcileError extends Error {
  constructor(
    readonly code: 'UNKNOWN_OBJECT' | 'BUDGET_FLOOR_REACHED',
    message: string,
  ) {
    super(message);
    this.name = 'ReconcileError';
  }
}

export interface ReconcileDependencies {
  db: Queryable;
  salesforce: SalesforcePort;
  monday: MondayPort;
  mapping: Mapping;
  /** The running service's context; without it, reconcile reads the live schemas and links itself. */
  context?: SyncContext;
}

export interface ReconcileOptions {
  /** Only this object key of the mapping (default: every object). */
  objectKey?: string;
  /** Append the corrective snapshots so the normal pipeline repairs the drift. */
  fix?: boolean;
  /** Called after each object is compared (progress on the terminal). */
  onObject?: (report: ObjectReport) => void;
  now?: () => Date;
  /**
   * Held around each object's comparison (reconcile-object-lock.ts): returns its release, or null
   * when another run of that object is going on, which skips the object this time.
   */
  lockObject?: (objectKey: string) => Promise<(() => Promise<void>) | null>;
}

/**
 * Compares both CRMs through the mapping, object by object, and reports drift; with `fix`, appends
 * the corrective snapshots to the event log (never writes to either CRM itself: the projector
 * decides and the dispatcher repairs, so a fix is recorded, ordered and retried like any change).
 */
export async function reconcile(deps: ReconcileDependencies, options: ReconcileOptions = {}): Promise<ReconcileReport> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const objects = deps.mapping.objects.filter((o) => !options.objectKey || o.key === options.objectKey);
  if (objects.length === 0) {
    throw new ReconcileError('UNKNOWN_OBJECT', `no object "${options.objectKey}" in the mapping (has: ${deps.mapping.objects.map((o) => o.key).join(', ')})`);
  }
  const budget = deps.salesforce.budgetFor('reconcile');
  if (!budget.allowed) {
    throw new ReconcileError('BUDGET_FLOOR_REACHED', `Salesforce API usage ${budget.usage.used}/${budget.usage.limit} is at the floor kept for the live sync (${budget.floor} left); try later`);
  }
  const context = deps.context ?? (await contextFor(deps));
  const runId = `${startedAt.toISOString()}-${randomUUID().slice(0, 8)}`;
  const reports: ObjectReport[] = [];
  let eventsAppended = 0;
  for (const mapped of objects) {
    const object = context.mapping.byKey.get(mapped.key);
    if (!object) continue;
    const release = options.lockObject ? await options.lockObject(mapped.key) : async () => undefined;
    if (!release) continue;
    try {
      const reading = await readObject({ db: deps.db, salesforce: deps.salesforce, monday: deps.monday }, object);
      const found = findObjectDrift(reading, context);
      reports.push(found.report);
      options.onObject?.(found.report);
      if (options.fix && found.corrections.length > 0) {
        const results = await appendEvents(deps.db, correctiveEvents(found.corrections, object.mapping.salesforce, runId, now()));
        eventsAppended += results.filter((r) => r.appended).length;
      }
    } finally {
      await release();
    }
  }
  return {
    startedAt: startedAt.toISOString(),
    finishedAt: now().toISOString(),
    objects: reports,
    driftCount: reports.reduce((n, r) => n + r.drifts.length, 0),
    ...(options.fix ? { fix: { runId, eventsAppended } } : {}),
  };
}

/** What a stand-alone run needs to convert values: live schemas, both user lists and the links. */
async function contextFor(deps: ReconcileDependencies): Promise<SyncContext> {
  const cached = await readLiveContext(deps.mapping, deps.salesforce, deps.monday);
  const links = new LinkIndex();
  for (const link of await loadLinks(deps.db)) links.add(link.objectKey, link.salesforceId, link.itemId);
  return buildSyncContext(deps.mapping, cached, links);
}
