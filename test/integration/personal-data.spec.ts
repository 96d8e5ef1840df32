import { randomBytes } from 'node:crypto';
import { appendEvents, readBatch, START, type NewEvent, type RecordedEvent } from '../../src/event-store';
import { recordRejection } from '../../src/ingest/monday/ingest-rejections';
import { loadMapping } from '../../src/mapping';
import { replayProjection } from '../../src/migration/replay';
import {
  enablePersonalData,
  erasePerson,
  isErased,
  KeyEncryptionKey,
  PersonalDataKeyError,
  PersonalDataProtector,
  personalFieldPolicy,
  rotateDataKeys,
  usePersonalData,
} from '../../src/personal-data';
import { REJECTED_BODY_PATH } from '../../src/personal-data/rejected-bodies';
import { saveCachedContext } from '../../src/sync-projector/sync-context-cache';
import { loadSyncRecords } from '../../src/sync-projector/sync-records.repository';
import { expectEventually } from '../support/eventually';
import { EXAMPLE_MAPPING, sandboxSchemas } from '../support/sandbox-schemas';
import { itemSnapshot, mondayColumnChanged, recordLinked, salesforceChanged } from '../support/sync-events';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const LEADS = '9378000505';
const LEAD = '00Q000000000001AAA';
const ITEM = '501';
const EMAIL = 'planted.erin@example.org';
const SURNAME = 'Plantedsurname';
const PHONE = '+14155550199';
const COMPANY = 'Plantedcompany Trust';
const PLANTED = [EMAIL, SURNAME, PHONE, COMPANY, 'Plantedbody'];
const asNew = ({ position: _p, transactionId: _t, recordedAt: _r, ...event }: RecordedEvent): NewEvent => event as NewEvent;

/** Every text, varchar and jsonb column of every table that holds one of the planted values, as `table.column`. */
async function plaintextCopies(db: TestDatabase): Promise<string[]> {
  const { rows: columns } = await db.pool.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'ARRAY')`,
  );
  const found: string[] = [];
  for (const { table_name: table, column_name: column } of columns) {
    for (const value of PLANTED) {
      const { rows } = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}" WHERE "${column}"::text ILIKE $1`, [`%${value}%`]);
      if (rows[0].n > 0) found.push(`${table}.${column}: ${value}`);
    }
  }
  return found;
}

/** The same planted person seen through a link, a CDC change, a webhook and an item read. */
function personEvents(): NewEvent[] {
  return [
    recordLinked({ objectKey: 'lead', salesforceObject: 'Lead', salesforceId: LEAD, boardId: LEADS, itemId: ITEM, values: { email: EMAIL, last_name: SURNAME }, at: 1_000 }),
    salesforceChanged({ object: 'Lead', id: LEAD, fields: { Email: EMAIL, LastName: SURNAME, Phone: PHONE, Status: 'Working - Contacted' }, at: 2_000 }),
    mondayColumnChanged({ boardId: LEADS, itemId: ITEM, columnId: 'phone', columnType: 'phone', value: { phone: PHONE, countryShortName: 'US' }, at: 3_000 }),
    itemSnapshot(LEADS, ITEM, COMPANY, { email: EMAIL, title: 'Director' }, 4_000),
  ].map(asNew);
}

describe('personal data: encryption at rest, erasure by crypto-shredding, append-only log (issue 19)', () => {
  let db: TestDatabase;

  /**
   * The first `limit` events as the projector reads them. Commit-safe reads wait behind transactions
   * open anywhere on the server (other test files'), so wait until they reach what the table holds.
   */
  async function readCommitted(limit = 100): Promise<RecordedEvent[]> {
    const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
    return expectEventually(async () => {
      const events = await readBatch(db.pool, START, limit);
      expect(events).toHaveLength(Math.min(rows[0].n, limit));
      return events;
    }, { timeoutMs: 30_000 });
  }
  const mapping = loadMapping(EXAMPLE_MAPPING);
  const key = randomBytes(32);
  let protector: PersonalDataProtector;

  beforeAll(async () => {
    db = await createTestDatabase();
    await saveCachedContext(db.pool, { live: sandboxSchemas(), salesforceUsers: [], mondayUsers: [] });
    protector = (await enablePersonalData(db.pool, { key, previousKey: null }, mapping)) as PersonalDataProtector;
    await appendEvents(db.pool, personEvents());
    await recordRejection(db.pool, { source: 'monday', reason: 'invalid_json', headers: {}, body: `{"event":{"pulseId":${ITEM},"pulseName":"${COMPANY}","note":"Plantedbody"` });
  }, 60_000);
  afterAll(async () => {
    usePersonalData(null);
    await db.drop();
  });

  it('stores no personal value readable in any text or jsonb column of any table, and the rest of each event stays readable', async () => {
    expect(await plaintextCopies(db)).toEqual([]);
    const { rows } = await db.pool.query<{ payload: { fields: Record<string, unknown> } }>("SELECT payload FROM events WHERE type = 'salesforce.record_changed'");
    expect(rows[0].payload.fields.Status).toBe('Working - Contacted');
    expect(rows[0].payload.fields.Email).toMatchObject({ $enc: 'v1', s: `salesforce:${LEAD}` });
  });

  it('reads the values back decrypted, for the projector, and the refused body with its key', async () => {
    const events = await readCommitted();
    const change = events.find((e) => e.type === 'salesforce.record_changed');
    const snapshot = events.find((e) => e.type === 'monday.item_snapshot');
    expect(change?.type === 'salesforce.record_changed' && change.payload.fields).toMatchObject({ Email: EMAIL, LastName: SURNAME, Phone: PHONE });
    expect(snapshot?.type === 'monday.item_snapshot' && snapshot.payload.name).toBe(COMPANY);
    const { rows } = await db.pool.query<{ body: string }>('SELECT body FROM ingest_rejections');
    expect(await protector.openText(rows[0].body, REJECTED_BODY_PATH)).toContain('Plantedbody');
  });

  it('a ciphertext moved to another field does not decrypt (the field is associated data)', async () => {
    const [event] = await readCommitted(1);
    const raw = await db.pool.query<{ payload: { values: Record<string, unknown> } }>('SELECT payload FROM events WHERE position = $1', [event.position]);
    const moved = { payload: { values: { last_name: raw.rows[0].payload.values.email } } };
    await expect(protector.reveal([moved])).rejects.toThrow(/does not decrypt/);
  });

  it('an UPDATE, DELETE or TRUNCATE of events is refused by the database', async () => {
    await expect(db.pool.query(`UPDATE events SET payload = '{}'`)).rejects.toThrow(/append-only/);
    await expect(db.pool.query('DELETE FROM events')).rejects.toThrow(/append-only/);
    await expect(db.pool.query('TRUNCATE events CASCADE')).rejects.toThrow(/append-only/);
    const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
    expect(rows[0].n).toBe(4);
  });

  it('a wrong key fails start-up naming PII_ENCRYPTION_KEY; no key at all too, once data is encrypted', async () => {
    await expect(enablePersonalData(db.pool, { key: randomBytes(32), previousKey: null }, mapping)).rejects.toThrow(PersonalDataKeyError);
    await expect(enablePersonalData(db.pool, { key: randomBytes(32), previousKey: null }, mapping)).rejects.toThrow(/PII_ENCRYPTION_KEY is not the key/);
    await expect(enablePersonalData(db.pool, null, mapping)).rejects.toThrow(/PII_ENCRYPTION_KEY is required/);
    protector = (await enablePersonalData(db.pool, { key, previousKey: null }, mapping)) as PersonalDataProtector;
  });

  it('rotation rewraps every data key with the new key and everything stays readable with it alone', async () => {
    const next = randomBytes(32);
    const report = await rotateDataKeys(db.pool, new KeyEncryptionKey(next), new KeyEncryptionKey(key));
    expect(report.rewrapped).toBeGreaterThan(0);
    const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM personal_data_keys WHERE kek_id <> $1', [new KeyEncryptionKey(next).id]);
    expect(rows[0].n).toBe(0);
    protector = (await enablePersonalData(db.pool, { key: next, previousKey: null }, mapping)) as PersonalDataProtector;
    const events = await readCommitted();
    const change = events.find((e) => e.type === 'salesforce.record_changed');
    expect(change?.type === 'salesforce.record_changed' && change.payload.fields.Email).toBe(EMAIL);
    await expect(enablePersonalData(db.pool, { key, previousKey: null }, mapping)).rejects.toThrow(PersonalDataKeyError);
    protector = (await enablePersonalData(db.pool, { key: next, previousKey: null }, mapping)) as PersonalDataProtector;
  });

  it('erase by e-mail destroys the keys of the record, its item and their sync record; replay then succeeds and keeps no copy', async () => {
    await replayProjection(db.pool, db.url, mapping);
    expect(await plaintextCopies(db)).toEqual([]);
    const before = (await loadSyncRecords(db.pool, 'lead')).find((r) => r.salesforceId === LEAD);
    expect(JSON.stringify(before?.fields)).toContain(EMAIL);

    const report = await erasePerson(db.pool, protector.keys, { via: 'email', email: ` ${EMAIL.toUpperCase()} ` });
    expect(report?.subjects).toEqual(expect.arrayContaining([`salesforce:${LEAD}`, `monday:${ITEM}`]));
    expect(report?.keysDestroyed).toBeGreaterThanOrEqual(2);
    expect(await plaintextCopies(db)).toEqual([]);

    const events = await readCommitted();
    const change = events.find((e) => e.type === 'salesforce.record_changed');
    expect(change?.type === 'salesforce.record_changed' && isErased(change.payload.fields.Email)).toBe(true);
    expect(change?.type === 'salesforce.record_changed' && change.payload.fields.Status).toBe('Working - Contacted');
    expect(events.some((e) => e.type === 'system.personal_data_erased')).toBe(true);

    const replayed = await replayProjection(db.pool, db.url, mapping);
    expect(replayed.handled).toBe(events.length);
    expect(await plaintextCopies(db)).toEqual([]);
    const { rows: outbox } = await db.pool.query<{ payload: unknown }>('SELECT payload FROM outbox');
    expect(JSON.stringify(outbox)).not.toContain('$erased');
  }, 60_000);

  it('erasing an unknown person finds nothing to erase', async () => {
    expect(await erasePerson(db.pool, protector.keys, { via: 'email', email: 'nobody@example.org' })).toBeNull();
    expect(await erasePerson(db.pool, protector.keys, { via: 'salesforce', salesforceId: '00Q000000000099AAA' })).toBeNull();
  });
});

describe('personal fields policy', () => {
  it('names, e-mails and phones of Leads and Contacts, and the monday columns mapped to them or marked pii', () => {
    const policy = personalFieldPolicy(loadMapping(EXAMPLE_MAPPING));
    expect([...(policy.salesforceFields.get('Lead') ?? [])]).toEqual(expect.arrayContaining(['FirstName', 'LastName', 'Email', 'Phone']));
    expect([...policy.mondayColumns]).toEqual(expect.arrayContaining(['first_name', 'last_name', 'email', 'phone', '__name__']));
    expect(policy.mondayColumns.has('title')).toBe(false);
    // The item name is personal, so the Salesforce field it mirrors is too, on every object.
    expect(policy.salesforceFields.get('Opportunity')?.has('Name')).toBe(true);
    expect(policy.salesforceFields.get('Lead')?.has('Company')).toBe(true);
    expect(policy.salesforceFields.get('Opportunity')?.has('Amount')).toBe(false);
  });
});
