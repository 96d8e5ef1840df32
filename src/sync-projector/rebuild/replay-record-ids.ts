import { readCheckpoint, type Checkpoint, type Queryable } from '../../event-store';
import { SYNC_PROJECTOR } from '../sync-projector';

/** Ids are taken from the table's sequence this many at a time. */
const RESERVE = 1_000;

/**
 * Ids for the records a replay creates. Command outcomes in the log (`system.command_succeeded`,
 * `system.command_failed`) name their record by the id it had when the command was decided, so a
 * rebuild must give each record the id live processing gave it, or those events would miss their
 * record (or hit another). Live processing stored a record first with the event that created it,
 * so the previous projection's first decision of each record says which id belongs to the record
 * created at that position (first in read order: see load). A record created by an event that projection decided, but that it never
 * stored, was merged into another within the live batch that made it, and its decisions name that
 * other record: it gets no id here (null). Records of events past that projection get fresh ids
 * from the sequence.
 */
export class ReplayRecordIds {
  private readonly used = new Set<number>();
  private reserve: number[] = [];

  private constructor(
    private readonly db: Queryable,
    private readonly previousByPosition: Map<number, number>,
    private readonly previous: Set<number>,
    private readonly decidedUpTo: Checkpoint | null,
  ) {}

  /**
   * Reads the previous projection's ids; call before the projection is reset. A record's first
   * decision is the first in read order (transaction id, then position), not the lowest position:
   * positions commit out of order (invariant 3), so the event that created a record can hold a
   * higher position than a later one of the same record. Taken by lowest position, the creating
   * event found no id of its own, the record got a provisional one, and every command outcome naming
   * it by its live id missed it (campaign seed 2007: waits on commands that had long reported).
   */
  static async load(db: Queryable): Promise<ReplayRecordIds> {
    const { rows } = await db.query<{ record_id: string; position: string }>(
      `SELECT DISTINCT ON (d.record_id) d.record_id, d.position FROM sync_decisions d JOIN events e ON e.position = d.position
       WHERE d.record_id IS NOT NULL ORDER BY d.record_id, e.transaction_id, e.position`,
    );
    const byPosition = new Map<number, number>();
    for (const row of rows) byPosition.set(Number(row.position), Number(row.record_id));
    return new ReplayRecordIds(db, byPosition, new Set(byPosition.values()), await readCheckpoint(db, SYNC_PROJECTOR));
  }

  /** The id of the record `event` creates; null if live processing decided the event but never stored that record. */
  async assign(event: Checkpoint): Promise<number | null> {
    const previous = this.previousByPosition.get(event.position);
    if (previous !== undefined) return this.used.has(previous) ? this.fresh() : this.use(previous);
    return this.decidedBefore(event) ? null : this.fresh();
  }

  /** For a replay that starts over: the previous projection's ids are free to be given again. */
  restart(): void {
    this.used.clear();
  }

  /** An id no record had in the previous projection. */
  async fresh(): Promise<number> {
    for (;;) {
      if (this.reserve.length === 0) await this.refill();
      const id = this.reserve.shift() as number;
      if (!this.previous.has(id) && !this.used.has(id)) return this.use(id);
    }
  }

  /** Whether the previous projection's checkpoint covers `event` (read order: transaction id, then position). */
  private decidedBefore(event: Checkpoint): boolean {
    if (!this.decidedUpTo) return false;
    const [transaction, upTo] = [BigInt(event.transactionId), BigInt(this.decidedUpTo.transactionId)];
    return transaction < upTo || (transaction === upTo && event.position <= this.decidedUpTo.position);
  }

  private use(id: number): number {
    this.used.add(id);
    return id;
  }

  private async refill(): Promise<void> {
    const { rows } = await this.db.query<{ id: string }>(
      `SELECT nextval(pg_get_serial_sequence('sync_records', 'id')) AS id FROM generate_series(1, $1::int)`,
      [RESERVE],
    );
    this.reserve = rows.map((row) => Number(row.id));
  }
}
