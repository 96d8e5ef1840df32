import type { Queryable } from '../event-store';

/** Ids are taken from the table's sequence this many at a time. */
const RESERVE = 1_000;

/**
 * Ids for the records a replay creates. Command outcomes in the log (`system.command_succeeded`,
 * `system.command_failed`) name their record by the id it had when the command was decided, so a
 * rebuild must give each record the id live processing gave it, or those events would miss their
 * record (or hit another). Live processing stored a record first with the event that created it,
 * so the previous projection's first decision of each record says which id belongs to the record
 * created at that position. Records that projection does not know get fresh ids from the sequence.
 */
export class ReplayRecordIds {
  private readonly used = new Set<number>();
  private reserve: number[] = [];

  private constructor(
    private readonly db: Queryable,
    private readonly previousByPosition: Map<number, number>,
    private readonly previous: Set<number>,
  ) {}

  /** Reads the previous projection's ids; call before the projection is reset. */
  static async load(db: Queryable): Promise<ReplayRecordIds> {
    const { rows } = await db.query<{ record_id: string; position: string }>(
      'SELECT record_id, min(position) AS position FROM sync_decisions WHERE record_id IS NOT NULL GROUP BY record_id',
    );
    const byPosition = new Map<number, number>();
    for (const row of rows) byPosition.set(Number(row.position), Number(row.record_id));
    return new ReplayRecordIds(db, byPosition, new Set(byPosition.values()));
  }

  /** The id of the record the event at `position` creates. */
  async assign(position: number): Promise<number> {
    const previous = this.previousByPosition.get(position);
    if (previous !== undefined && !this.used.has(previous)) return this.use(previous);
    for (;;) {
      if (this.reserve.length === 0) await this.refill();
      const id = this.reserve.shift() as number;
      if (!this.previous.has(id) && !this.used.has(id)) return this.use(id);
    }
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
