import type { Pool } from 'pg';
import { withTransaction } from '../../database/transaction';
import { lockCheckpoint, saveCheckpoint, type Checkpoint } from '../../event-store';
import { derivedValueSealer, recordSubject, UNATTACHED_SUBJECT, type DerivedValueSealer } from '../../personal-data/derived-values';
import { subjects } from '../../personal-data/personal-fields';
import type { DecisionRow } from '../sync-records.repository';
import type { SyncRecord } from '../sync-record';
import { copyField, copyRow, copyRows } from '../../database/copy-text';

const RECORD_COLUMNS = [
  'id', 'object_key', 'salesforce_id', 'monday_board_id', 'monday_item_id', 'deleted_side', 'deleted_at', 'creating', 'converted_at', 'fields', 'waiting', 'command_seq', 'last_position',
] as const;
const DECISION_COLUMNS = ['position', 'record_id', 'event_type', 'outcome', 'reason', 'detail', 'commands'] as const;

/** What one write stores: the records as they now are, records merged away, decisions, and how far the log is covered. */
export interface ReplayWrite {
  /** Current version of every record changed since the last write. */
  records: SyncRecord[];
  retiredIds: number[];
  /** Decision rows in COPY text (`decisionRow`), any number of rows per string. */
  decisionRows: string[];
  /** Subjects of the decisions with no record whose detail is set, by position (unattachedDecisionSubject). */
  unattachedSubjects?: ReadonlyMap<number, string>;
  checkpoint: Checkpoint;
}

/**
 * One decision row in COPY text, as `copyRow` of its columns gives it. The event type, outcome and
 * reason columns come from a small set (code's names), so their escaped text is made once per
 * combination instead of per row (replay writes a row per event).
 */
export function decisionRow(decision: DecisionRow): string {
  return decisionRowOf(decision, decision.recordId);
}

/** `decisionRow` of `decision` naming `recordId` (replay's loop: no row object per decision for the id). */
export function decisionRowOf(decision: Omit<DecisionRow, 'recordId'>, recordId: number | null): string {
  const { outcome } = decision;
  const detail = outcome.detail ? copyField(JSON.stringify(outcome.detail)) : '\\N';
  return `${decision.position}\t${recordId ?? '\\N'}\t${middleColumns(decision.eventType, outcome.outcome, outcome.reason)}\t${detail}\t${decision.commands}\n`;
}

/** Escaped `event_type, outcome, reason` columns, by event type, outcome and reason (a few dozen combinations; capped all the same). */
const MIDDLE_COLUMNS = new Map<string, Map<string, Map<string | undefined, string>>>();
const MAX_MIDDLE_COLUMNS = 10_000;
let middleColumnsCached = 0;

function middleColumns(eventType: string, outcome: string, reason: string | undefined): string {
  let byOutcome = MIDDLE_COLUMNS.get(eventType);
  if (!byOutcome) MIDDLE_COLUMNS.set(eventType, (byOutcome = new Map()));
  let byReason = byOutcome.get(outcome);
  if (!byReason) byOutcome.set(outcome, (byReason = new Map()));
  const cached = byReason.get(reason);
  if (cached !== undefined) return cached;
  const text = `${copyField(eventType)}\t${copyField(outcome)}\t${copyField(reason ?? null)}`;
  if (middleColumnsCached < MAX_MIDDLE_COLUMNS) {
    byReason.set(reason, text);
    middleColumnsCached++;
  }
  return text;
}

/** last_position as live processing sets it: the last event of the batch (here, the write) that changed the record. */
function recordRow(record: SyncRecord, lastPosition: number, sealer: DerivedValueSealer | null): string {
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
    JSON.stringify(sealer ? sealer.fieldStates(recordSubject(record), record.fields) : record.fields),
    JSON.stringify(record.waiting),
    JSON.stringify(record.commandSeq),
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
    const decisions = parsedDecisionDetails(batch.decisionRows, batch.unattachedSubjects ?? new Map());
    const sealer = await derivedValueSealer(() => [...batch.records.map(recordSubject), ...decisions().map((d) => d.subject)]);
    const decisionRows = sealer ? sealDecisionDetails(decisions(), sealer) : batch.decisionRows;
    await withTransaction(this.pool, async (client) => {
      // The projection is rebuildable from the log: a crash only means replaying again, so commits
      // need not wait for the disk.
      await client.query('SET LOCAL synchronous_commit = off');
      await lockCheckpoint(client, subscriber);
      const replaced = [...batch.retiredIds, ...batch.records.map((r) => r.id as number)];
      if (replaced.length > 0) await client.query('DELETE FROM sync_records WHERE id = ANY($1::bigint[])', [replaced]);
      await copyRows(client, 'sync_records', RECORD_COLUMNS, batch.records.map((record) => recordRow(record, batch.checkpoint.position, sealer)));
      await copyRows(client, 'sync_decisions', DECISION_COLUMNS, decisionRows);
      await saveCheckpoint(client, subscriber, batch.checkpoint);
    });
  }

  /** Each write takes a connection of the pool for its transaction: nothing is held between writes. */
  release(): void {}
}

/**
 * With PII_ENCRYPTION_KEY set, decision details (which may quote a refused value) are stored
 * encrypted like live processing stores them (insertDecisions). The rows arrive already in COPY
 * text (decisionRow, the replay's hot path), so only with the key on are they read back here.
 */
interface ParsedDecisionRow {
  cells: string[];
  subject: string;
  detail: Record<string, unknown> | null;
}

const DETAIL = DECISION_COLUMNS.indexOf('detail');
const RECORD_ID = DECISION_COLUMNS.indexOf('record_id');
const POSITION = DECISION_COLUMNS.indexOf('position');
const UNESCAPES: Record<string, string> = { '\\': '\\', n: '\n', r: '\r', t: '\t' };

function parsedDecisionDetails(pages: readonly string[], unattached: ReadonlyMap<number, string>): () => ParsedDecisionRow[] {
  let parsed: ParsedDecisionRow[] | null = null;
  return () =>
    (parsed ??= pages.flatMap((page) =>
      page
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => {
          const cells = line.split('\t');
          const recordId = cells[RECORD_ID] === '\\N' ? null : Number(cells[RECORD_ID]);
          const detail = cells[DETAIL] === '\\N' ? null : (JSON.parse(cells[DETAIL].replace(/\\(.)/g, (_, c: string) => UNESCAPES[c] ?? c)) as Record<string, unknown>);
          return { cells, subject: recordId === null ? (unattached.get(Number(cells[POSITION])) ?? UNATTACHED_SUBJECT) : subjects.record(recordId), detail };
        }),
    ));
}

function sealDecisionDetails(rows: ParsedDecisionRow[], sealer: DerivedValueSealer): string[] {
  return rows.map(({ cells, subject, detail }) =>
    detail === null ? `${cells.join('\t')}\n` : copyRow(cells.map((cell, i) => (i === DETAIL ? JSON.stringify(sealer.detail(subject, detail)) : unescapeCell(cell)))),
  );
}

function unescapeCell(cell: string): string | null {
  return cell === '\\N' ? null : cell.replace(/\\(.)/g, (_, c: string) => UNESCAPES[c] ?? c);
}
