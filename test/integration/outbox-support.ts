import type { Queryable } from '../../src/event-store/queryable';
import type { OutboxCommand } from '../../src/sync-commands/outbox-command';

/** Inserts outbox rows as the projector would (one statement), returning their ids in order. */
export async function insertCommands(db: Queryable, rows: Array<{ recordId: number; command: OutboxCommand; causedBy?: number }>): Promise<number[]> {
  if (rows.length === 0) return [];
  const { rows: inserted } = await db.query<{ id: string }>(
    `INSERT INTO outbox (record_id, target, kind, payload, caused_by)
     SELECT r, t, k, p, c FROM unnest($1::bigint[], $2::text[], $3::text[], $4::jsonb[], $5::bigint[]) WITH ORDINALITY AS u(r, t, k, p, c, n) ORDER BY n
     RETURNING id`,
    [
      rows.map((r) => r.recordId),
      rows.map((r) => r.command.target),
      rows.map((r) => r.command.kind),
      rows.map((r) => JSON.stringify(r.command)),
      rows.map((r) => r.causedBy ?? 0),
    ],
  );
  return inserted.map((r) => Number(r.id)).sort((a, b) => a - b);
}

export function updateCommand(salesforceId: string, fields: Record<string, string | number | boolean | null>, object = 'Lead'): OutboxCommand {
  return { kind: 'salesforce.update', target: 'salesforce', objectKey: object.toLowerCase(), salesforceObject: object, salesforceId, fields };
}

export async function outboxRow(db: Queryable, id: number): Promise<{ status: string; attempts: number; last_error: Record<string, unknown> | null; available_at: Date }> {
  const { rows } = await db.query<{ status: string; attempts: number; last_error: Record<string, unknown> | null; available_at: Date }>(
    'SELECT status, attempts, last_error, available_at FROM outbox WHERE id = $1',
    [id],
  );
  if (!rows[0]) throw new Error(`no outbox row ${id}`);
  return rows[0];
}
