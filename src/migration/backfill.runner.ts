import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { buildSyncContext } from '../sync-projector/build-sync-context';
import { LeaderLock } from '../event-store';
import type { Mapping, ObjectMapping } from '../mapping/mapping.types';
import type { MondayPort } from '../monday/monday.port';
import { LinkIndex } from '../sync-projector/link-index';
import type { ResolvedObject } from '../mapping/resolved-mapping';
import type { SyncContext } from '../sync-projector/sync-context';
import type { CachedContext } from '../sync-projector/sync-context-cache';
import { loadLinks } from '../sync-projector/sync-records.repository';
import type { SalesforcePort } from '../salesforce/salesforce.port';
import { emptyTally, planPage } from './backfill-dry-run';
import { runObject, type ObjectRunOutcome, type ObjectRunProgress } from './backfill-object-run';
import { selectObjects } from './backfill-object-order';
import { BulkPhase, reconcileBeforeStart, type BulkOptions } from './backfill-bulk-phase';
import type { BackfillMode } from './backfill-create-path';
import { BackfillPipeline, type PipelineOptions } from './backfill-pipeline';
import { beginRun, finishRun } from './backfill-progress';
import { mondayRequestCount, summarizeWrites, type ObjectSummary } from './backfill-summary';

export interface BackfillDeps {
  pool: Pool;
  databaseUrl: string;
  salesforce: SalesforcePort;
  monday: MondayPort;
  logger: Logger;
  mapping: Mapping;
  /** The live schemas and user lists the mapping is bound to (read at start, see read-live-context). */
  live: CachedContext;
}

export interface BackfillOptions {
  /** One object (mapping key or Salesforce name); default all, parents first. */
  object?: string;
  /** Only records modified since this ISO instant. */
  since?: string;
  dryRun?: boolean;
  /** How creates reach monday (interface.md 5): `auto` (default) uses bulk import above `bulk.threshold`. */
  mode?: BackfillMode;
  bulk?: BulkOptions;
  signal?: AbortSignal;
  bulkThreshold?: number;
  pageSize?: number;
  pipeline?: PipelineOptions;
  /** Commands waiting in the outbox above which reading pauses (default 5,000: five budget minutes of creates). */
  outboxLimit?: number;
  onObjectStart?: (object: ObjectMapping, resumed: boolean) => void;
  onProgress?: (progress: ObjectRunProgress) => void;
  /** After an object's reads, while its writes are still being sent. */
  onObjectRead?: (object: ObjectMapping) => void;
}

export interface BackfillSummary {
  dryRun: boolean;
  /** Who sent the writes: this process, or a running service. */
  pipeline: 'in_process' | 'service' | 'none';
  objects: ObjectSummary[];
  requests: {
    /** Growth of the org's daily API usage during the run (Sforce-Limit-Info), null when unknown. */
    salesforce: number | null;
    /** Requests this process sent to monday (reads and, in-process, the writes). */
    monday: number;
  };
  /** Every object done, nothing failed. */
  complete: boolean;
}

const OUTBOX_LIMIT = 5_000;

export class BackfillError extends Error {
  readonly code = 'BACKFILL_UNKNOWN_OBJECT';
}

/**
 * `crm-sync backfill`: every mapped object (or one), parents before children. Each object's
 * records are read in (SystemModstamp, Id) order and appended as snapshot events; the sync
 * projector and the dispatcher turn them into monday creates and updates like any other change.
 * The run waits for an object's writes to finish before reading the next object, so a child's
 * relation finds its parent's item linked. Resumable, idempotent, paused at the API-usage floor.
 */
export async function runBackfill(deps: BackfillDeps, options: BackfillOptions = {}): Promise<BackfillSummary> {
  const selected = selectObjects(deps.mapping.objects, options.object);
  if (!Array.isArray(selected)) throw new BackfillError(`unknown object ${selected.unknown}; the mapping has ${selected.known.join(', ')}`);
  const contextFor = (links: LinkIndex): SyncContext => buildSyncContext(deps.mapping, deps.live, links);
  const mondayBefore = await mondayRequestCount();
  // The org's usage is learnt from response headers: one cheap call gives a fresh baseline.
  await deps.salesforce.limits();
  const usageBefore = deps.salesforce.apiUsage()?.used ?? null;

  if (!options.dryRun) {
    await reconcileBeforeStart(deps, selected.map((o) => o.monday.board), options.bulk ?? {}, options.signal);
  }
  const pipeline = options.dryRun
    ? null
    : await BackfillPipeline.start(
        { pool: deps.pool, databaseUrl: deps.databaseUrl, salesforce: deps.salesforce, monday: deps.monday, logger: deps.logger, context: contextFor },
        options.pipeline,
      );
  const context = pipeline?.context ?? contextFor(await loadLinkIndex(deps.pool));
  const objects: ObjectSummary[] = [];
  try {
    for (const object of selected) {
      if (options.signal?.aborted) break;
      const resolved = context.mapping.byKey.get(object.key);
      if (!resolved) throw new Error(`object ${object.key} is not bound to the live schemas`);
      const summary = await backfillObject(deps, options, resolved, context, pipeline);
      objects.push(summary);
    }
  } finally {
    await pipeline?.stop();
  }
  const usageAfter = deps.salesforce.apiUsage()?.used ?? null;
  return {
    dryRun: options.dryRun === true,
    pipeline: pipeline?.mode ?? 'none',
    objects,
    requests: {
      salesforce: usageAfter !== null && usageBefore !== null ? usageAfter - usageBefore : null,
      monday: (await mondayRequestCount()) - mondayBefore,
    },
    complete: objects.length === selected.length && objects.every((o) => o.status === 'done' && o.failed === 0),
  };
}

async function backfillObject(deps: BackfillDeps, options: BackfillOptions, object: ResolvedObject, context: SyncContext, pipeline: BackfillPipeline | null): Promise<ObjectSummary> {
  const key = object.mapping.key;
  const base: ObjectSummary = {
    objectKey: key,
    salesforce: object.mapping.salesforce,
    status: 'skipped',
    reason: null,
    resumed: false,
    mode: null,
    read: 0,
    newVersions: 0,
    created: 0,
    matched: 0,
    updated: 0,
    unchanged: 0,
    failed: 0,
    pending: 0,
    createPath: null,
    bulkJobs: 0,
  };
  if (options.dryRun) {
    const tally = emptyTally();
    options.onObjectStart?.(object.mapping, false);
    const outcome = await runObject(deps.pool, deps.salesforce, {
      query: { object: object.mapping, since: options.since ?? null, after: null },
      schema: object.salesforce,
      reason: 'backfill',
      bulkThreshold: options.bulkThreshold,
      pageSize: options.pageSize,
      signal: options.signal,
      onProgress: options.onProgress,
      inspect: (records) => planPage(deps.pool, deps.monday, context, object, records, tally),
    });
    return { ...base, ...statusOf(outcome), mode: outcome.mode, read: outcome.read, unchanged: tally.unchanged, dryRun: tally };
  }

  // Two backfills of one object at once would fight over its cursor: the second one skips it.
  const lock = new LeaderLock(deps.databaseUrl, `backfill:${key}`);
  if (!(await lock.tryAcquire())) return { ...base, reason: 'another backfill run is reading this object' };
  try {
    const { progress, resumed } = await beginRun(deps.pool, key, options.since);
    const bulk = pipeline ? await BulkPhase.open(deps, pipeline, object, context.mapping.objects, options.mode ?? 'auto', options.bulk ?? {}, resumed, options.signal) : null;
    options.onObjectStart?.(object.mapping, resumed);
    let outcome: ObjectRunOutcome;
    let createPath: ObjectSummary['createPath'] = 'mutations';
    try {
      outcome = await runObject(deps.pool, deps.salesforce, {
        query: { object: object.mapping, since: progress.since, after: progress.cursor },
        schema: object.salesforce,
        reason: 'backfill',
        progressKey: key,
        alreadyRead: progress.recordsRead,
        bulkThreshold: options.bulkThreshold,
        pageSize: options.pageSize,
        signal: options.signal,
        onProgress: options.onProgress,
        beforePage: bulk ? () => bulk.beforePage() : pipeline ? () => pipeline.roomInOutbox(options.outboxLimit ?? OUTBOX_LIMIT, options.signal) : undefined,
      });
      if (bulk) createPath = await bulk.finish();
    } catch (error) {
      await bulk?.close();
      const message = error instanceof Error ? error.message : String(error);
      await finishRun(deps.pool, key, 'failed', message);
      deps.logger.error({ err: error, object: key }, 'backfill of this object failed; it resumes from its cursor next time');
      return { ...base, status: 'failed', reason: message, resumed, bulkJobs: bulk?.jobs ?? 0 };
    }
    if (outcome.status === 'done') await finishRun(deps.pool, key, 'done');
    else await finishRun(deps.pool, key, 'paused', statusOf(outcome).reason);
    options.onObjectRead?.(object.mapping);
    if (pipeline) await pipeline.settled(options.signal);
    const writes = await summarizeWrites(deps.pool, outcome.positions);
    return {
      ...base,
      ...statusOf(outcome),
      resumed,
      mode: outcome.mode,
      read: outcome.read,
      newVersions: outcome.appended,
      created: writes.created,
      matched: writes.matched,
      updated: writes.updated,
      failed: writes.failed,
      pending: writes.pending,
      unchanged: Math.max(0, outcome.read - writes.touched),
      createPath,
      bulkJobs: bulk?.jobs ?? 0,
    };
  } finally {
    await lock.release();
  }
}

function statusOf(outcome: ObjectRunOutcome): { status: ObjectSummary['status']; reason: string | null } {
  if (outcome.status === 'paused') {
    const { usage, floor } = outcome;
    return { status: 'paused', reason: `Salesforce API usage floor reached: ${usage.remaining} of ${usage.limit} daily requests left, floor ${floor}` };
  }
  if (outcome.status === 'aborted') return { status: 'aborted', reason: 'interrupted' };
  return { status: 'done', reason: null };
}

async function loadLinkIndex(pool: Pool): Promise<LinkIndex> {
  const links = new LinkIndex();
  for (const link of await loadLinks(pool)) links.add(link.objectKey, link.salesforceId, link.itemId);
  return links;
}
