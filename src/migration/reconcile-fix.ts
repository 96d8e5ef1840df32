import { mondayItemSnapshotEvent } from '../monday/item-snapshot-event';
import { streams, type NewEvent } from '../event-store';
import type { CorrectiveSnapshot } from './reconcile-drift';

/**
 * The corrective events of one reconcile run: snapshots with reason 'reconcile', monday items first,
 * then Salesforce records. Each carries only what should flow from its side (plus the item name,
 * which a monday snapshot always has); the sync projector decides them like any other fact and the
 * dispatcher writes the repairs. Idempotent per run: the source event id is run + side + id.
 */
export function correctiveEvents(snapshots: readonly CorrectiveSnapshot[], salesforceObject: string, runId: string, now: Date): NewEvent[] {
  const events: NewEvent[] = [];
  for (const snapshot of snapshots) {
    if (snapshot.side !== 'monday') continue;
    const { item, columns } = snapshot;
    events.push(mondayItemSnapshotEvent(item, { reason: 'reconcile', sourceEventId: `reconcile:${runId}:item:${item.id}`, occurredAt: now, columns }));
  }
  for (const snapshot of snapshots) {
    if (snapshot.side !== 'salesforce') continue;
    const { record, fields } = snapshot;
    const carried: Record<string, unknown> = {};
    for (const name of fields) carried[name] = record[name] ?? null;
    if (record.IsDeleted === true) carried.IsDeleted = true;
    const modstamp = typeof record.SystemModstamp === 'string' ? record.SystemModstamp : now.toISOString();
    events.push({
      type: 'salesforce.record_snapshot',
      source: 'salesforce',
      sourceEventId: `reconcile:${runId}:${salesforceObject}:${record.Id}`,
      stream: streams.salesforceRecord(salesforceObject, record.Id),
      origin: 'unknown',
      occurredAt: now,
      payload: { object: salesforceObject, record: { ...carried, Id: record.Id }, systemModstamp: modstamp, reason: 'reconcile' },
    });
  }
  return events;
}
