import type { Pool } from 'pg';
import type { SalesforceCatchUpRequested } from '../event-store/payloads/salesforce-change';
import type { ResolvedMapping } from '../mapping/resolved-mapping';
import type { SalesforcePort } from '../salesforce/salesforce.port';
import { markCatchUpServed, PENDING_CATCH_UPS_SQL } from '../ingest/salesforce/catch-up-queue';
import { runObject } from './backfill-object-run';
import { appendDeletionsSince } from './catch-up-deletions';
import { backfillOrder } from './backfill-object-order';

// The requests and what serves them are ingest's tables (src/ingest/salesforce/catch-up-queue.ts).
export { COUNT_PENDING_CATCH_UPS_SQL, PENDING_CATCH_UPS_SQL } from '../ingest/salesforce/catch-up-queue';

export type CatchUpOutcome =
  | { position: number; status: 'served'; read: number; appended: number; positions: number[]; deleted: number }
  | { position: number; status: 'paused'; reason: string };

/**
 * Serves the CDC gap catch-ups (invariant 5): for each pending request, a targeted backfill of the
 * named objects (parents first) since the gap began, or of the named records, appended as snapshot
 * events with reason `catch_up`, and the records deleted over the gap (the recycle bin) as snapshots
 * that say so (`catch-up-deletions.ts`). Their idempotency keys are the backfill's, so a version the log
 * already holds adds nothing. A request is marked served only when every object was read; one
 * that meets the API-usage floor stays pending for the next round.
 */
export async function servePendingCatchUps(pool: Pool, salesforce: SalesforcePort, mapping: ResolvedMapping, signal?: AbortSignal): Promise<CatchUpOutcome[]> {
  const { rows } = await pool.query<{ position: string; payload: SalesforceCatchUpRequested }>(PENDING_CATCH_UPS_SQL);
  const outcomes: CatchUpOutcome[] = [];
  // Records our own creates made, read before their outcome linked them, are marked: no second item.
  const integrationUserId = rows.length > 0 ? (await salesforce.identity()).userId : undefined;
  for (const row of rows) {
    if (signal?.aborted) break;
    const outcome = await serve(pool, salesforce, mapping, Number(row.position), row.payload, signal, integrationUserId);
    outcomes.push(outcome);
    if (outcome.status === 'paused') break;
  }
  return outcomes;
}

async function serve(pool: Pool, salesforce: SalesforcePort, mapping: ResolvedMapping, position: number, request: SalesforceCatchUpRequested, signal?: AbortSignal, integrationUserId?: string): Promise<CatchUpOutcome> {
  const named = mapping.mapping.objects.filter((o) => request.objects.includes(o.salesforce));
  let read = 0;
  let appended = 0;
  let deleted = 0;
  const positions: number[] = [];
  for (const object of backfillOrder(named)) {
    const resolved = mapping.byKey.get(object.key);
    if (!resolved) continue;
    const ids = request.recordIds.length > 0 ? request.recordIds : undefined;
    const outcome = await runObject(pool, salesforce, {
      // Record ids name exactly what changed: read them whatever their modstamp.
      query: { object, since: ids ? null : request.sinceModstamp, after: null, ids, creator: integrationUserId !== undefined },
      schema: resolved.salesforce,
      reason: 'catch_up',
      integrationUserId,
      signal,
    });
    read += outcome.read;
    appended += outcome.appended;
    positions.push(...outcome.positions);
    if (outcome.status === 'paused') return { position, status: 'paused', reason: `Salesforce API usage floor reached (${outcome.usage.remaining} of ${outcome.usage.limit} left)` };
    if (outcome.status === 'aborted') return { position, status: 'paused', reason: 'interrupted' };
    const deletions = await appendDeletionsSince(pool, salesforce, object.salesforce, ids ? null : request.sinceModstamp, ids);
    deleted += deletions.read;
    appended += deletions.appended;
    positions.push(...deletions.positions);
  }
  await markCatchUpServed(pool, position, read + deleted);
  return { position, status: 'served', read, appended, positions, deleted };
}
