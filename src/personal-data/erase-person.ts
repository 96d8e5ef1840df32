import type { Pool } from 'pg';
import { appendEvent } from '../event-store/append';
import { isSalesforceId, to18 } from '../mapping/salesforce-id';
import type { DataKeyStore } from './data-key-store';
import { subjects as subjectOf, type PersonalFieldPolicy } from './personal-fields';

export type ErasureRequest = { via: 'email'; email: string } | { via: 'salesforce'; salesforceId: string } | { via: 'monday'; itemId: string };

export interface ErasureReport {
  /** Every subject forgotten: the Salesforce record, its monday item and their sync record. */
  subjects: string[];
  keysDestroyed: number;
  /** Sync records whose field state and waiting values were cleared (the link itself is kept). */
  recordsCleared: number;
  decisionsCleared: number;
  /** Outbox commands whose values were cleared; those not yet sent are cancelled. */
  commandsCleared: number;
  commandsCancelled: number;
  /** Position of the system.personal_data_erased event. */
  position: number | null;
}

export class ErasureRequestError extends Error {
  readonly code = 'ERASURE_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'ErasureRequestError';
  }
}

/**
 * Forgets one person (GDPR art. 17) by crypto-shredding: the data keys of every subject that is
 * them (the Salesforce record, its linked item, their sync record; found by e-mail through the
 * keyed-hash lookup) are deleted, so their ciphertext in the append-only log reads as erased; the
 * derived copies the sync keeps (personal field states, or the whole field state when `policy` is
 * not known; decision details; command values) are cleared; and an erasure event with no personal
 * data is appended. Null: nothing known of them.
 */
export async function erasePerson(pool: Pool, keys: DataKeyStore | null, request: ErasureRequest, policy: PersonalFieldPolicy | null = null): Promise<ErasureReport | null> {
  const start = await startingSubjects(pool, keys, request);
  if (start.length === 0) return null;
  const salesforceIds = start.filter((s) => s.startsWith('salesforce:')).map((s) => s.slice('salesforce:'.length));
  const itemIds = start.filter((s) => s.startsWith('monday:')).map((s) => s.slice('monday:'.length));
  const { rows: records } = await pool.query<{ id: string; salesforce_id: string | null; monday_item_id: string | null }>(
    'SELECT id, salesforce_id, monday_item_id FROM sync_records WHERE salesforce_id = ANY($1::text[]) OR monday_item_id = ANY($2::text[])',
    [salesforceIds, itemIds],
  );
  const subjects = new Set(start);
  for (const r of records) {
    subjects.add(subjectOf.record(r.id));
    if (r.salesforce_id) subjects.add(subjectOf.salesforce(r.salesforce_id));
    if (r.monday_item_id) subjects.add(subjectOf.monday(r.monday_item_id));
  }
  const all = [...subjects].sort();
  const recordIds = records.map((r) => r.id);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const destroyed = await client.query('DELETE FROM personal_data_keys WHERE subject = ANY($1::text[])', [all]);
    if ((destroyed.rowCount ?? 0) === 0 && records.length === 0) {
      await client.query('ROLLBACK');
      return null;
    }
    await client.query('DELETE FROM personal_data_lookup WHERE subject = ANY($1::text[])', [all]);
    // With the mapping known, only the personal field states go: the rest (amounts, stages, waiting
    // relations) is in the log in clear too, so replay rebuilds exactly what stays here.
    const cleared = policy
      ? await client.query('UPDATE sync_records SET fields = fields - $2::text[], updated_at = now() WHERE id = ANY($1::bigint[])', [recordIds, [...policy.mondayColumns]])
      : await client.query(`UPDATE sync_records SET fields = '{}', waiting = '[]', updated_at = now() WHERE id = ANY($1::bigint[])`, [recordIds]);
    const decisions = await client.query('UPDATE sync_decisions SET detail = NULL WHERE record_id = ANY($1::bigint[]) AND detail IS NOT NULL', [recordIds]);
    const cancelled = await client.query(
      `UPDATE outbox SET status = 'done', finished_at = now(), locked_until = NULL,
              last_error = '{"code":"ERASED","message":"the person was erased (crm-sync erase) before this command was sent"}'
       WHERE record_id = ANY($1::bigint[]) AND status = 'pending'`,
      [recordIds],
    );
    const commands = await client.query(
      `UPDATE outbox SET payload = jsonb_set(payload, '{values}', '{}'),
              last_error = CASE WHEN last_error ? 'message' THEN jsonb_set(last_error, '{message}', '"(erased)"') ELSE last_error END
       WHERE record_id = ANY($1::bigint[]) AND status <> 'in_flight' AND payload ? 'values'`,
      [recordIds],
    );
    const keysDestroyed = destroyed.rowCount ?? 0;
    const { rows: erasure } = await client.query<{ id: string }>('INSERT INTO personal_data_erasures (subjects, keys) VALUES ($1, $2) RETURNING id', [all, keysDestroyed]);
    const appended = await appendEvent(client, {
      type: 'system.personal_data_erased',
      source: 'system',
      sourceEventId: `erasure:${erasure[0].id}`,
      stream: 'system:personal-data',
      origin: 'user',
      occurredAt: new Date(),
      payload: { subjects: all, keysDestroyed, via: request.via },
    });
    await client.query('COMMIT');
    keys?.forget(all);
    return {
      subjects: all,
      keysDestroyed,
      recordsCleared: cleared.rowCount ?? 0,
      decisionsCleared: decisions.rowCount ?? 0,
      commandsCleared: commands.rowCount ?? 0,
      commandsCancelled: cancelled.rowCount ?? 0,
      position: appended.appended ? appended.position : null,
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function startingSubjects(pool: Pool, keys: DataKeyStore | null, request: ErasureRequest): Promise<string[]> {
  switch (request.via) {
    case 'salesforce':
      if (!isSalesforceId(request.salesforceId)) throw new ErasureRequestError(`--salesforce must be a 15- or 18-character Salesforce Id, got ${JSON.stringify(request.salesforceId)}`);
      return [subjectOf.salesforce(to18(request.salesforceId))];
    case 'monday':
      if (!/^\d{1,20}$/.test(request.itemId)) throw new ErasureRequestError(`--monday must be a monday item id (digits), got ${JSON.stringify(request.itemId)}`);
      return [subjectOf.monday(request.itemId)];
    case 'email': {
      if (!request.email.includes('@')) throw new ErasureRequestError('--email must be an e-mail address');
      if (!keys) throw new ErasureRequestError('--email needs PII_ENCRYPTION_KEY: addresses are found through a keyed hash; use --salesforce or --monday instead');
      return keys.subjectsWithEmail(pool, request.email);
    }
  }
}
