import type { Queryable } from '../event-store';
import { subjects } from '../personal-data/personal-fields';
import { derivedValueSealer, recordSubject, revealColumns, UNATTACHED_SUBJECT, withoutErasedFieldStates } from '../personal-data/derived-values';
import type { OutboxCommand } from '../sync-commands/outbox-command';
import type { Outcome } from './outcome';
import type { SalesforceValue } from '../mapping/converters/converter.types';
import { forRetry, revisePendingCommand, valuesWritten } from './pending-commands';
import type { ResolvedMapping } from '../mapping/resolved-mapping';
import type { SyncRecord } from './sync-record';

interface RecordRow {
  id: string;
  object_key: string;
  salesforce_id: string | null;
  monday_board_id: string;
  monday_item_id: string | null;
  deleted_side: 'salesforce' | 'monday' | null;
  deleted_at: Date | null;
  creating: 'salesforce' | 'monday' | null;
  converted_at: Date | null;
  fields: SyncRecord['fields'];
  waiting: SyncRecord['waiting'];
  command_seq: SyncRecord['commandSeq'];
}

const COLUMNS = 'id, object_key, salesforce_id, monday_board_id, monday_item_id, deleted_side, deleted_at, creating, converted_at, fields, waiting, command_seq';

function toRecord(row: RecordRow): SyncRecord {
  return {
    id: Number(row.id),
    objectKey: row.object_key,
    salesforceId: row.salesforce_id,
    mondayBoardId: row.monday_board_id,
    mondayItemId: row.monday_item_id,
    deleted: row.deleted_side && row.deleted_at ? { side: row.deleted_side, at: row.deleted_at.getTime() } : null,
    creating: row.creating,
    convertedAt: row.converted_at ? row.converted_at.getTime() : null,
    fields: row.fields,
    waiting: row.waiting,
    commandSeq: row.command_seq,
  };
}

/** Rows with their personal values decrypted (PII_ENCRYPTION_KEY), an erased person's left out. */
async function toRecords(rows: RecordRow[]): Promise<SyncRecord[]> {
  if (!(await revealColumns(rows, ['fields']))) return rows.map(toRecord);
  return rows.map((row) => ({ ...toRecord(row), fields: withoutErasedFieldStates(row.fields) }));
}

/** The records a batch of events concerns, in one round trip. */
export async function loadRecords(
  tx: Queryable,
  keys: { itemIds: string[]; salesforce: Array<{ objectKey: string; salesforceId: string }>; recordIds: number[] },
): Promise<SyncRecord[]> {
  if (keys.itemIds.length + keys.salesforce.length + keys.recordIds.length === 0) return [];
  const { rows } = await tx.query<RecordRow>(
    `SELECT ${COLUMNS} FROM sync_records
     WHERE monday_item_id = ANY($1::text[])
        OR (object_key, salesforce_id) IN (SELECT * FROM unnest($2::text[], $3::text[]))
        OR id = ANY($4::bigint[])`,
    [keys.itemIds, keys.salesforce.map((k) => k.objectKey), keys.salesforce.map((k) => k.salesforceId), keys.recordIds],
  );
  return toRecords(rows);
}

/** The sync's records of one object: links, tombstones, pending creates and per-field state (reconcile). */
export async function loadSyncRecords(db: Queryable, objectKey: string): Promise<SyncRecord[]> {
  const { rows } = await db.query<RecordRow>(`SELECT ${COLUMNS} FROM sync_records WHERE object_key = $1`, [objectKey]);
  return toRecords(rows);
}

export async function loadWaitingRecords(tx: Queryable): Promise<SyncRecord[]> {
  const { rows } = await tx.query<RecordRow>(`SELECT ${COLUMNS} FROM sync_records WHERE waiting <> '[]'::jsonb`);
  return toRecords(rows);
}

/** Every link, to build the in-memory LinkIndex at start. */
export async function loadLinks(db: Queryable): Promise<Array<{ objectKey: string; salesforceId: string; itemId: string }>> {
  const { rows } = await db.query<{ object_key: string; salesforce_id: string; monday_item_id: string }>(
    'SELECT object_key, salesforce_id, monday_item_id FROM sync_records WHERE salesforce_id IS NOT NULL AND monday_item_id IS NOT NULL',
  );
  return rows.map((r) => ({ objectKey: r.object_key, salesforceId: r.salesforce_id, itemId: r.monday_item_id }));
}

/**
 * Inserts new records (assigning their ids in place) and updates changed ones, with unnest. The
 * JSON columns go as one JSON array each (jsonb_array_elements) rather than a text[] of documents:
 * pg escapes every element of a text[] with two regex replaces and concatenates the literal, which
 * made these documents most of what a backfill allocated (2.4 of 5.9 GB over 20,000 Leads in
 * bench/backfill, the garbage behind its peak RSS).
 */
export async function saveRecords(tx: Queryable, records: SyncRecord[], position: number): Promise<void> {
  const fresh = records.filter((r) => r.id === null);
  const known = records.filter((r) => r.id !== null);
  const sealer = await derivedValueSealer(() => records.map(recordSubject));
  const columns = (list: SyncRecord[]) => [
    list.map((r) => r.objectKey),
    list.map((r) => r.salesforceId),
    list.map((r) => r.mondayBoardId),
    list.map((r) => r.mondayItemId),
    list.map((r) => r.deleted?.side ?? null),
    list.map((r) => (r.deleted ? new Date(r.deleted.at).toISOString() : null)),
    list.map((r) => r.creating),
    list.map((r) => (r.convertedAt !== null ? new Date(r.convertedAt).toISOString() : null)),
    JSON.stringify(sealer ? list.map((r) => sealer.fieldStates(recordSubject(r), r.fields)) : list.map((r) => r.fields)),
    JSON.stringify(list.map((r) => r.waiting)),
    JSON.stringify(list.map((r) => r.commandSeq)),
  ];
  if (fresh.length > 0) {
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO sync_records (object_key, salesforce_id, monday_board_id, monday_item_id, deleted_side, deleted_at, creating, converted_at, fields, waiting, command_seq, last_position)
       SELECT o, s, b, i, ds, da, c, ca, f, w, q, $12
       FROM ROWS FROM (unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[], $8::timestamptz[]),
                       jsonb_array_elements($9::jsonb), jsonb_array_elements($10::jsonb), jsonb_array_elements($11::jsonb))
         WITH ORDINALITY AS t(o, s, b, i, ds, da, c, ca, f, w, q, ord)
       ORDER BY ord
       RETURNING id`,
      [...columns(fresh), position],
    );
    rows.forEach((row, index) => (fresh[index].id = Number(row.id)));
  }
  if (known.length > 0) {
    await tx.query(
      `UPDATE sync_records AS r SET object_key = u.o, salesforce_id = u.s, monday_board_id = u.b, monday_item_id = u.i,
         deleted_side = u.ds, deleted_at = u.da, creating = u.c, converted_at = u.ca, fields = u.f, waiting = u.w, command_seq = u.q,
         last_position = $13, updated_at = now()
       FROM ROWS FROM (unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[], $8::timestamptz[]),
                       jsonb_array_elements($9::jsonb), jsonb_array_elements($10::jsonb), jsonb_array_elements($11::jsonb), unnest($12::bigint[]))
         AS u(o, s, b, i, ds, da, c, ca, f, w, q, id)
       WHERE r.id = u.id`,
      [...columns(known), known.map((r) => r.id), position],
    );
  }
}

export async function deleteRecords(tx: Queryable, ids: number[]): Promise<void> {
  if (ids.length > 0) await tx.query('DELETE FROM sync_records WHERE id = ANY($1::bigint[])', [ids]);
}

export interface PendingCommand {
  recordId: number;
  command: OutboxCommand;
  causedBy: number;
}

/**
 * Payloads as one JSON array, not a text[] of documents (see saveRecords). A rejected value is
 * stored dead at once (there is nothing to send), and only once while the same one is still dead:
 * every later read of the record finds the same bad value again.
 */
export async function insertCommands(tx: Queryable, commands: PendingCommand[]): Promise<void> {
  if (commands.length === 0) return;
  const sealer = await derivedValueSealer(() => commands.map((c) => subjects.record(c.recordId)));
  await tx.query(
    `INSERT INTO outbox (record_id, target, kind, payload, caused_by, status, last_error, finished_at)
     SELECT r, t, k, p, c,
            CASE WHEN k = 'sync.rejected_value' THEN 'dead' ELSE 'pending' END,
            CASE WHEN k = 'sync.rejected_value'
                 THEN jsonb_build_object('code', 'INVALID_VALUE', 'target', t, 'message', p->'message',
                                         'hint', 'Correct the value on the other side, or the mapping (e.g. phoneCountry); the next change of the record syncs it')
            END,
            CASE WHEN k = 'sync.rejected_value' THEN now() END
     FROM ROWS FROM (unnest($1::bigint[], $2::text[], $3::text[]), jsonb_array_elements($4::jsonb), unnest($5::bigint[])) WITH ORDINALITY AS x(r, t, k, p, c, ord)
     WHERE k <> 'sync.rejected_value'
        OR NOT EXISTS (SELECT 1 FROM outbox o WHERE o.record_id = r AND o.kind = k AND o.status = 'dead'
                       AND o.payload - 'message' = p - 'message' AND (o.payload->'message' = p->'message' OR p ? 'messageFingerprint'))
     ORDER BY ord`,
    [
      commands.map((c) => c.recordId),
      commands.map((c) => c.command.target),
      commands.map((c) => c.command.kind),
      JSON.stringify(sealer ? commands.map((c) => sealer.command(subjects.record(c.recordId), c.command)) : commands.map((c) => c.command)),
      commands.map((c) => c.causedBy),
    ],
  );
}

/**
 * Brings the waiting updates of `records` in line with their state after this batch
 * (revisePendingCommand), in the projector's transaction:
 * - pending ones are rewritten or cancelled;
 * - claimed ones (in flight) keep their status and their attempt (the dispatcher sends what it
 *   claimed, and its result comes back as an event), but what a retry of them will carry is revised
 *   too, down to nothing (forRetry): a failed attempt goes back to pending and may be claimed again
 *   before the projector has seen its failure, so a change that reached the state while it was in
 *   flight must already be in the row (seeds 216 and 606: a retried update wrote Industry Education /
 *   AccountId null, which a person had set in Salesforce while the first attempt was failing).
 * FOR UPDATE waits for a claim, a lease renewal or a settlement that has the row, and then sees its
 * status after it (a command just settled as failed is pending again). Every waiting locker of outbox
 * rows takes them in id order (this, the dispatcher's settlement, renewal and release), so none can
 * wait on another in a cycle; the claim skips locked rows. Returns how many were rewritten and cancelled.
 */
export async function revisePendingCommands(tx: Queryable, records: SyncRecord[], mapping: ResolvedMapping, position: number): Promise<{ rewritten: number; cancelled: number }> {
  const byId = new Map(records.filter((r) => r.id !== null).map((r) => [r.id as number, r]));
  if (byId.size === 0) return { rewritten: 0, cancelled: 0 };
  const { rows } = await tx.query<{ id: string; record_id: string; status: 'pending' | 'in_flight'; payload: OutboxCommand }>(
    `SELECT id, record_id, status, payload FROM outbox
     WHERE record_id = ANY($1::bigint[]) AND status IN ('pending', 'in_flight') AND kind IN ('salesforce.update', 'monday.change_columns')
     ORDER BY id FOR UPDATE`,
    [[...byId.keys()]],
  );
  await revealColumns(rows, ['payload']);
  const rewritten: Array<{ id: string; recordId: string; payload: OutboxCommand }> = [];
  const cancelled: string[] = [];
  // Per record and target: what the rows before (in id order, the order they run) still write.
  const writtenBefore = new Map<string, Map<string, SalesforceValue>>();
  for (const row of rows) {
    const queue = `${row.record_id}:${row.payload.target}`;
    const before = writtenBefore.get(queue) ?? new Map<string, SalesforceValue>();
    const revision = revisePendingCommand(row.payload, byId.get(Number(row.record_id)) as SyncRecord, mapping, before);
    if (revision.kind === 'rewritten') rewritten.push({ id: row.id, recordId: row.record_id, payload: revision.command });
    else if (revision.kind === 'cancelled' && row.status === 'pending') cancelled.push(row.id);
    else if (revision.kind === 'cancelled') rewritten.push({ id: row.id, recordId: row.record_id, payload: forRetry(row.payload) });
    // A claimed row sends what it was claimed with; a pending one what it carries now.
    const sends = row.status === 'in_flight' ? row.payload : revision.kind === 'rewritten' ? revision.command : revision.kind === 'unchanged' ? row.payload : null;
    if (sends) writtenBefore.set(queue, new Map([...before, ...Object.entries(valuesWritten(sends))]));
  }
  if (rewritten.length > 0) {
    const sealer = await derivedValueSealer(() => rewritten.map((r) => subjects.record(r.recordId)));
    await tx.query(
      `UPDATE outbox o SET payload = x.p FROM ROWS FROM (unnest($1::bigint[]), jsonb_array_elements($2::jsonb)) AS x(id, p) WHERE o.id = x.id`,
      [rewritten.map((r) => r.id), JSON.stringify(rewritten.map((r) => (sealer ? sealer.command(subjects.record(r.recordId), r.payload) : r.payload)))],
    );
  }
  if (cancelled.length > 0) {
    await tx.query(
      `UPDATE outbox SET status = 'done', finished_at = now(),
              last_error = jsonb_build_object('code', 'SUPERSEDED', 'message', 'nothing left to send: later changes (up to event ' || $2 || ') superseded every value, or the record was deleted')
       WHERE id = ANY($1::bigint[])`,
      [cancelled, position],
    );
  }
  return { rewritten: rewritten.length, cancelled: cancelled.length };
}

export interface DecisionRow {
  position: number;
  recordId: number | null;
  eventType: string;
  outcome: Outcome;
  commands: number;
  /** With no record: whose values its detail may hold (unattachedDecisionSubject of its event). */
  subject?: string;
}

export async function insertDecisions(tx: Queryable, decisions: DecisionRow[]): Promise<void> {
  if (decisions.length === 0) return;
  const sealer = await derivedValueSealer(() => decisions.filter((d) => d.outcome.detail).map(decisionSubject));
  await tx.query(
    `INSERT INTO sync_decisions (position, record_id, event_type, outcome, reason, detail, commands)
     SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::int[])`,
    [
      decisions.map((d) => d.position),
      decisions.map((d) => d.recordId),
      decisions.map((d) => d.eventType),
      decisions.map((d) => d.outcome.outcome),
      decisions.map((d) => d.outcome.reason ?? null),
      decisions.map((d) => (d.outcome.detail ? JSON.stringify(sealer ? sealer.detail(decisionSubject(d), d.outcome.detail) : d.outcome.detail) : null)),
      decisions.map((d) => d.commands),
    ],
  );
}

export function decisionSubject(decision: DecisionRow): string {
  return decision.recordId !== null ? subjects.record(decision.recordId) : (decision.subject ?? UNATTACHED_SUBJECT);
}
