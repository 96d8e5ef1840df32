import { createHmac, randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import type { Queryable } from '../event-store/queryable';
import type { KeyEncryptionKey } from './key-encryption-key';

export interface DataKey {
  id: number;
  key: Buffer;
}

/** The lookup key (HMAC of e-mail addresses for `erase --email`) is a data key like any other. */
export const LOOKUP_SUBJECT = 'system:lookup';

/**
 * A cached key is used for this long: an erasure made by another process (`crm-sync erase` while
 * the service runs) takes effect in a running service within it.
 */
const CACHE_MS = 30_000;

export class UnreadableDataKeyError extends Error {
  readonly code = 'PII_KEY_UNREADABLE';
  constructor(
    readonly subject: string,
    readonly kekId: string,
  ) {
    super(
      `the data key of ${subject} was wrapped by key-encryption key ${kekId}, which is not PII_ENCRYPTION_KEY` +
        ' (nor PII_ENCRYPTION_KEY_PREVIOUS): set the key this database was encrypted with',
    );
    this.name = 'UnreadableDataKeyError';
  }
}

/**
 * The per-person data keys (personal_data_keys), unwrapped on demand and cached briefly. New keys
 * are written through the store's own pool, never the caller's transaction: a key must exist once
 * any ciphertext under it may commit, and a rolled-back key would leave that ciphertext unreadable.
 */
export class DataKeyStore {
  private readonly bySubject = new Map<string, { key: DataKey; until: number }>();
  private readonly byId = new Map<number, { key: Buffer | null; until: number }>();

  constructor(
    readonly pool: Pool,
    readonly kek: KeyEncryptionKey,
    private readonly previousKek: KeyEncryptionKey | null = null,
  ) {}

  /** The subject's data key, created on first use. */
  async keyFor(subject: string): Promise<DataKey> {
    const cached = this.bySubject.get(subject);
    if (cached && cached.until > Date.now()) return cached.key;
    const created = randomBytes(32);
    const { rows } = await this.pool.query<{ id: string; wrapped_key: Buffer; kek_id: string }>(
      `WITH inserted AS (
         INSERT INTO personal_data_keys (subject, wrapped_key, kek_id) VALUES ($1, $2, $3)
         ON CONFLICT (subject) DO NOTHING RETURNING id, wrapped_key, kek_id
       )
       SELECT id, wrapped_key, kek_id FROM inserted
       UNION ALL SELECT id, wrapped_key, kek_id FROM personal_data_keys WHERE subject = $1 AND NOT EXISTS (SELECT 1 FROM inserted)`,
      [subject, this.kek.wrap(created, subject), this.kek.id],
    );
    // Two writers creating the same subject at once: the loser's SELECT may not see the winner's
    // uncommitted row; asking again after it commits finds it.
    const row = rows[0] ?? (await this.pool.query<{ id: string; wrapped_key: Buffer; kek_id: string }>('SELECT id, wrapped_key, kek_id FROM personal_data_keys WHERE subject = $1', [subject])).rows[0];
    if (!row) throw new Error(`data key of ${subject} could not be created`);
    const key = { id: Number(row.id), key: this.unwrap(row.wrapped_key, subject, row.kek_id) };
    this.remember(subject, key);
    return key;
  }

  /** Many subjects at once: those not cached are created (when new) and read in two statements. */
  async keysFor(subjects: Iterable<string>): Promise<Map<string, DataKey>> {
    const result = new Map<string, DataKey>();
    const now = Date.now();
    const missing: string[] = [];
    for (const subject of new Set(subjects)) {
      const cached = this.bySubject.get(subject);
      if (cached && cached.until > now) result.set(subject, cached.key);
      else missing.push(subject);
    }
    if (missing.length === 0) return result;
    await this.pool.query(
      'INSERT INTO personal_data_keys (subject, wrapped_key, kek_id) SELECT * FROM unnest($1::text[], $2::bytea[], $3::text[]) ON CONFLICT (subject) DO NOTHING',
      [missing, missing.map((subject) => this.kek.wrap(randomBytes(32), subject)), missing.map(() => this.kek.id)],
    );
    const { rows } = await this.pool.query<{ id: string; subject: string; wrapped_key: Buffer; kek_id: string }>(
      'SELECT id, subject, wrapped_key, kek_id FROM personal_data_keys WHERE subject = ANY($1::text[])',
      [missing],
    );
    for (const row of rows) {
      const key = { id: Number(row.id), key: this.unwrap(row.wrapped_key, row.subject, row.kek_id) };
      this.remember(row.subject, key);
      result.set(row.subject, key);
    }
    // A row created by a concurrent writer whose insert has not committed yet: ask for it alone.
    for (const subject of missing) if (!result.has(subject)) result.set(subject, await this.keyFor(subject));
    return result;
  }

  /** A key by id; null when it was destroyed (the subject was erased). */
  async keyById(id: number): Promise<Buffer | null> {
    const cached = this.byId.get(id);
    if (cached && cached.until > Date.now()) return cached.key;
    await this.loadByIds([id]);
    return this.byId.get(id)?.key ?? null;
  }

  /** Loads the keys of these ids that are not cached, in one query. */
  async loadByIds(ids: Iterable<number>): Promise<void> {
    const now = Date.now();
    const missing = [...new Set(ids)].filter((id) => !((this.byId.get(id)?.until ?? 0) > now));
    if (missing.length === 0) return;
    const { rows } = await this.pool.query<{ id: string; subject: string; wrapped_key: Buffer; kek_id: string }>(
      'SELECT id, subject, wrapped_key, kek_id FROM personal_data_keys WHERE id = ANY($1::bigint[])',
      [missing],
    );
    for (const id of missing) this.byId.set(id, { key: null, until: now + CACHE_MS });
    for (const row of rows) this.remember(row.subject, { id: Number(row.id), key: this.unwrap(row.wrapped_key, row.subject, row.kek_id) });
  }

  /** Synchronous read of a key loaded by loadByIds: undefined when not loaded, null when erased. */
  cachedKey(id: number): Buffer | null | undefined {
    return this.byId.get(id)?.key;
  }

  /** A keyed hash of an e-mail address for personal_data_lookup. */
  async lookupHash(email: string): Promise<string> {
    const { key } = await this.keyFor(LOOKUP_SUBJECT);
    return createHmac('sha256', key).update(`email\u0000${email.trim().toLowerCase()}`).digest('base64');
  }

  /** Records that these subjects hold these e-mail addresses (for `erase --email`). */
  async rememberEmails(db: Queryable, entries: ReadonlyArray<{ subject: string; email: string }>): Promise<void> {
    if (entries.length === 0) return;
    const hashes = await Promise.all(entries.map((e) => this.lookupHash(e.email)));
    await db.query(
      'INSERT INTO personal_data_lookup (hash, subject) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING',
      [hashes, entries.map((e) => e.subject)],
    );
  }

  /** The subjects recorded as holding this e-mail address (any case), through its keyed hash. */
  async subjectsWithEmail(db: Queryable, email: string): Promise<string[]> {
    const { rows } = await db.query<{ subject: string }>('SELECT DISTINCT subject FROM personal_data_lookup WHERE hash = $1', [await this.lookupHash(email)]);
    return rows.map((r) => r.subject);
  }

  /** Forgets cached keys (after an erasure in this process). */
  forget(subjects: Iterable<string>): void {
    for (const subject of subjects) {
      const cached = this.bySubject.get(subject);
      this.bySubject.delete(subject);
      if (cached) this.byId.set(cached.key.id, { key: null, until: Date.now() + CACHE_MS });
    }
  }

  private remember(subject: string, key: DataKey): void {
    const until = Date.now() + CACHE_MS;
    this.bySubject.set(subject, { key, until });
    this.byId.set(key.id, { key: key.key, until });
  }

  private unwrap(wrapped: Buffer, subject: string, kekId: string): Buffer {
    const kek = kekId === this.kek.id ? this.kek : kekId === this.previousKek?.id ? this.previousKek : null;
    if (!kek) throw new UnreadableDataKeyError(subject, kekId);
    return kek.unwrap(wrapped, subject);
  }
}
