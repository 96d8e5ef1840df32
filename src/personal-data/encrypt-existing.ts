import type { Pool, PoolClient } from 'pg';
import type { SyncEvent } from '../event-store/events';
import { DerivedValueSealer, recordSubject, unattachedDecisionSubject } from './derived-values';
import { isEnvelope } from './envelope';
import { personalValuesOf, subjects, valueAt } from './personal-fields';
import type { PersonalDataProtector } from './protector';
import { REJECTED_BODY_PATH, rejectionSubject } from './rejected-bodies';

/** How much `crm-sync keys encrypt-existing` changed, per table. */
export interface EncryptExistingReport {
  events: number;
  rejections: number;
  records: number;
  decisions: number;
  commands: number;
  /** The log's position it resumed after (0 on a first run). */
  resumedAfter: number;
}

export interface EncryptProgress {
  /** Events looked at so far, of `total` after where this run started. */
  done: number;
  total: number;
}

const BATCH = 500;
/** personal_data_backfill row of the events pass (the log is walked once, by position). */
const EVENTS_PASS = 'events';

/**
 * Encrypts what was stored in clear before PII_ENCRYPTION_KEY was set: the personal values of
 * events (the one UPDATE the append-only trigger allows, under SET LOCAL crm_sync.maintenance),
 * refused webhook bodies, and the sync's working tables. Batches of 500 rows, each its own
 * transaction, so memory stays flat and a stopped run resumes: the events pass remembers its last
 * position in personal_data_backfill, the other tables skip what is already encrypted.
 */
export async function encryptExisting(pool: Pool, protector: PersonalDataProtector, onProgress?: (progress: EncryptProgress) => void): Promise<EncryptExistingReport> {
  const { rows: saved } = await pool.query<{ last_position: string }>('SELECT last_position FROM personal_data_backfill WHERE name = $1', [EVENTS_PASS]);
  const resumedAfter = Number(saved[0]?.last_position ?? 0);
  const report: EncryptExistingReport = { events: 0, rejections: 0, records: 0, decisions: 0, commands: 0, resumedAfter };
  report.events = await encryptEvents(pool, protector, resumedAfter, onProgress);
  report.rejections = await encryptRejections(pool, protector);
  report.records = await encryptRecords(pool, protector);
  report.decisions = await encryptDecisions(pool, protector);
  report.commands = await encryptCommands(pool, protector);
  return report;
}

async function encryptEvents(pool: Pool, protector: PersonalDataProtector, after: number, onProgress?: (progress: EncryptProgress) => void): Promise<number> {
  const { rows: count } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE position > $1', [after]);
  const total = count[0].n;
  let done = 0;
  let changed = 0;
  let cursor = after;
  onProgress?.({ done, total });
  for (;;) {
    const batch = await inTransaction(pool, async (client) => {
      const { rows } = await client.query<{ position: string; type: SyncEvent['type']; payload: SyncEvent['payload'] }>(
        'SELECT position, type, payload FROM events WHERE position > $1 ORDER BY position LIMIT $2',
        [cursor, BATCH],
      );
      if (rows.length === 0) return null;
      const events = rows.map((row) => ({ type: row.type, payload: row.payload }) as SyncEvent);
      const clear = events.filter((event) => personalValuesOf(event, protector.policy).some(({ path }) => !isEnvelope(valueAt(event.payload, path))));
      const positions = clear.map((event) => rows[events.indexOf(event)].position);
      if (clear.length > 0) {
        const sealed = await protector.protect(clear);
        await client.query(`SET LOCAL crm_sync.maintenance = 'encrypt-existing'`);
        await client.query(
          'UPDATE events e SET payload = x.p FROM ROWS FROM (unnest($1::bigint[]), jsonb_array_elements($2::jsonb)) AS x(position, p) WHERE e.position = x.position',
          [positions, JSON.stringify(sealed.map((event) => event.payload))],
        );
      }
      const last = Number(rows[rows.length - 1].position);
      await client.query(
        `INSERT INTO personal_data_backfill (name, last_position) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET last_position = EXCLUDED.last_position, updated_at = now()`,
        [EVENTS_PASS, last],
      );
      return { seen: rows.length, changed: clear.length, last };
    });
    if (!batch) break;
    cursor = batch.last;
    done += batch.seen;
    changed += batch.changed;
    onProgress?.({ done: Math.min(done, total), total });
  }
  return changed;
}

async function encryptRejections(pool: Pool, protector: PersonalDataProtector): Promise<number> {
  let changed = 0;
  for (;;) {
    const n = await inTransaction(pool, async (client) => {
      // An encrypted body is an envelope's JSON text; anything else is a body stored in clear.
      const { rows } = await client.query<{ id: string; body: string }>(
        `SELECT id, body FROM ingest_rejections WHERE body NOT LIKE '{"$enc":"v1",%' ORDER BY id LIMIT $1 FOR UPDATE`,
        [BATCH],
      );
      for (const row of rows) {
        const sealed = await protector.sealText(rejectionSubject(row.body), REJECTED_BODY_PATH, row.body);
        await client.query('UPDATE ingest_rejections SET body = $2 WHERE id = $1', [row.id, sealed]);
      }
      return rows.length;
    });
    changed += n;
    if (n < BATCH) return changed;
  }
}

async function encryptRecords(pool: Pool, protector: PersonalDataProtector): Promise<number> {
  let changed = 0;
  let cursor = 0;
  for (;;) {
    const batch = await inTransaction(pool, async (client) => {
      const { rows } = await client.query<{ id: string; salesforce_id: string | null; monday_item_id: string | null; fields: Record<string, object> }>(
        'SELECT id, salesforce_id, monday_item_id, fields FROM sync_records WHERE id > $1 ORDER BY id LIMIT $2 FOR UPDATE',
        [cursor, BATCH],
      );
      if (rows.length === 0) return null;
      const subjectOf = (row: (typeof rows)[number]) => recordSubject({ id: Number(row.id), salesforceId: row.salesforce_id, mondayItemId: row.monday_item_id });
      const sealer = await DerivedValueSealer.load(protector, rows.map(subjectOf));
      const updates = rows.map((row) => ({ id: row.id, before: JSON.stringify(row.fields), after: JSON.stringify(sealer.fieldStates(subjectOf(row), row.fields)) })).filter((u) => u.before !== u.after);
      if (updates.length > 0) {
        await client.query('UPDATE sync_records r SET fields = x.f::jsonb FROM unnest($1::bigint[], $2::text[]) AS x(id, f) WHERE r.id = x.id', [
          updates.map((u) => u.id),
          updates.map((u) => u.after),
        ]);
      }
      return { last: Number(rows[rows.length - 1].id), changed: updates.length };
    });
    if (!batch) return changed;
    cursor = batch.last;
    changed += batch.changed;
  }
}

async function encryptDecisions(pool: Pool, protector: PersonalDataProtector): Promise<number> {
  let changed = 0;
  for (;;) {
    // Rows sealed drop out of the condition, so each batch takes the next ones still in clear.
    const n = await inTransaction(pool, async (client) => {
      // A decision with no record is sealed under the person its event is about (the event's type and ids are in clear).
      const { rows } = await client.query<{ ctid: string; record_id: string | null; detail: Record<string, unknown>; type: string | null; payload: SyncEvent['payload'] | null }>(
        `SELECT d.ctid::text, d.record_id, d.detail, e.type, CASE WHEN d.record_id IS NULL THEN e.payload END AS payload
         FROM sync_decisions d LEFT JOIN events e ON e.position = d.position
         WHERE d.detail IS NOT NULL AND NOT (d.detail ? '$enc') LIMIT $1 FOR UPDATE OF d`,
        [BATCH],
      );
      if (rows.length === 0) return 0;
      const subjectOf = (row: (typeof rows)[number]) =>
        row.record_id !== null ? subjects.record(row.record_id) : unattachedDecisionSubject(row.type && row.payload ? ({ type: row.type, payload: row.payload } as SyncEvent) : undefined);
      const sealer = await DerivedValueSealer.load(protector, rows.map(subjectOf));
      await client.query('UPDATE sync_decisions d SET detail = x.d::jsonb FROM unnest($1::tid[], $2::text[]) AS x(t, d) WHERE d.ctid = x.t', [
        rows.map((r) => r.ctid),
        rows.map((r) => JSON.stringify(sealer.detail(subjectOf(r), r.detail))),
      ]);
      return rows.length;
    });
    changed += n;
    if (n < BATCH) return changed;
  }
}

async function encryptCommands(pool: Pool, protector: PersonalDataProtector): Promise<number> {
  let changed = 0;
  let cursor = 0;
  for (;;) {
    const batch = await inTransaction(pool, async (client) => {
      // In-flight commands are a dispatcher's; they are settled soon and a later run takes them.
      const { rows } = await client.query<{ id: string; record_id: string; payload: object; last_error: object | null }>(
        `SELECT id, record_id, payload, last_error FROM outbox WHERE id > $1 AND status <> 'in_flight' ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [cursor, BATCH],
      );
      if (rows.length === 0) return null;
      const sealer = await DerivedValueSealer.load(protector, rows.map((r) => subjects.record(r.record_id)));
      const updates = rows
        .map((row) => {
          const subject = subjects.record(row.record_id);
          const payload = sealer.command(subject, row.payload);
          const lastError = sealer.error(subject, row.last_error);
          return { id: row.id, changed: JSON.stringify(payload) !== JSON.stringify(row.payload) || JSON.stringify(lastError) !== JSON.stringify(row.last_error), payload, lastError };
        })
        .filter((u) => u.changed);
      if (updates.length > 0) {
        await client.query(
          'UPDATE outbox o SET payload = x.p::jsonb, last_error = x.e::jsonb FROM unnest($1::bigint[], $2::text[], $3::text[]) AS x(id, p, e) WHERE o.id = x.id',
          [updates.map((u) => u.id), updates.map((u) => JSON.stringify(u.payload)), updates.map((u) => (u.lastError === null ? null : JSON.stringify(u.lastError)))],
        );
      }
      return { last: Number(rows[rows.length - 1].id), changed: updates.length };
    });
    if (!batch) return changed;
    cursor = batch.last;
    changed += batch.changed;
  }
}

async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
