import type { Pool } from 'pg';
import { withTransaction } from '../database/transaction';
import { lockCheckpoint, saveCheckpoint, type Checkpoint } from '../event-store';
import type { DecisionRow } from '../projectors/sync-records.repository';
import type { SyncRecord } from '../projectors/sync-record';
import { copyRow, copyRows } from './copy-text';

const RECORD_COLUMNS = [
  'id', 'object_key', 'salesforce_id', 'monday_board_id', 'monday_item_id', 'deleted_side', 'deleted_at', 'creating', 'converted_at', 'fields', 'waiting', 'last_position',
] as const;
const DECISION_COLUMNS = ['position', 'record_id', 'event_type', 'outcome', 'reason', 'detail', 'commands'] as const;

/** What one write stores: the records as they now are, records merged away, decisions, and how far the log is covered. */
export interface ReplayWrite {
  /** Current version of every record changed since the last write. */
  records: SyncRecord[];
  retiredIds: number[];
  /** Decision rows in COPY text (`decisionRow`), any number of rows per string. */
  decisionRows: string[];
  checkpoint: Checkpoint;
}

export function decisionRow(decision: DecisionRow): string {
  const { outcome } = decision;
  return copyRow([
    decision.position,
    decision.recordId,
    decision.eventType,
    outcome.outcome,
    outcome.reason ?? null,
    outcome.detail ? JSON.stringify(outcome.detail) : null,
    decision.commands,
  ]);
}

/** last_position as live processing sets it: the last event of the batch (here, the write) that changed the record. */
function recordRow(record: SyncRecord, lastPosition: number): string {
  return copyRow([
    record.id,
    record.objectKey,
    record.salesforceId,
    record.mondayBoardId,
    record.mondayItemId,
    record.deleted?.side ?? null,
    record.deleted ? new Date(record.deleted.at).toISOString() : null,
    record.creating,
    record.convertedAt !== null ? new Date(record.convertedAt).toISOString() : null,
    JSON.stringify(record.fields),
    JSON.stringify(record.waiting),
    lastPosition,
  ]);
}

/**
 * Writes a replay's progress on one connection, one transaction per flush: records (replaced by
 * id: the rows of changed and merged-away records are deleted, then the current versions copied
 * in), decisions (COPY) and the checkpoint commit together (invariant 4), so a replay stopped
 * half-way leaves a projection consistent with its checkpoint.
 */
export class ReplayWriter {
  private constructor(private readonly pool: Pool) {}

  static async open(pool: Pool): Promise<ReplayWriter> {
    return new ReplayWriter(pool);
  }

  async write(subscriber: string, batch: ReplayWrite): Promise<void> {
    await withTransaction(this.pool, async (client) => {
      // The projection is rebuildable from the log: a crash only means replaying again, so commits
      // need not wait for the disk.
      await client.query('SET LOCAL synchronous_commit = off');
      await lockCheckpoint(client, subscriber);
      const replaced = [...batch.retiredIds, ...batch.records.map((r) => r.id as number)];
      if (replaced.length > 0) await client.query('DELETE FROM sync_records WHERE id = ANY($1::bigint[])', [replaced]);
      await copyRows(client, 'sync_records', RECORD_COLUMNS, batch.records.map((record) => recordRow(record, batch.checkpoint.position)));
      await copyRows(client, 'sync_decisions', DECISION_COLUMNS, batch.decisionRows);
      await saveCheckpoint(client, subscriber, batch.checkpoint);
    });
  }

  /** Each write takes a connection of the pool for its transaction: nothing is held between writes. */
  release(): void {}
}
