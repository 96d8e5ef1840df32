import { expectEventually } from '../support/eventually';
import { randomBytes, randomUUID } from 'node:crypto';
import { appendEvents, readBatch, START, type NewEvent, type RecordedEvent } from '../../src/event-store';
import { recordRejection } from '../../src/ingest/monday/ingest-rejections';
import { loadMapping } from '../../src/mapping';
import { claimCommands } from '../../src/outbox/claim';
import { listDeadLetters } from '../../src/outbox/dead-letters';
import { recordKeysByIds } from '../../src/sync-projector/record-keys';
import type { OutboxCommand } from '../../src/sync-commands/outbox-command';
import { recordOutcomes } from '../../src/outbox/record-outcomes';
import { enablePersonalData, encryptExisting, PersonalDataProtector, usePersonalData } from '../../src/personal-data';
import { skipped } from '../../src/sync-projector/outcome';
import { newRecord, type SyncRecord } from '../../src/sync-projector/sync-record';
import { insertCommands, insertDecisions, loadRecords, saveRecords } from '../../src/sync-projector/sync-records.repository';
import { plaintextCopies } from '../support/plaintext-copies';
import { EXAMPLE_MAPPING } from '../support/sandbox-schemas';
import { recordLinked, salesforceChanged } from '../support/sync-events';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const LEADS = '9378000505';
const LEAD = '00Q000000000002AAA';
const ITEM = '502';
const EMAIL = 'planted.wren@example.org';
const SURNAME = 'Wrenplanted';
const PHONE = '+14155550123';
const PLANTED = [EMAIL, SURNAME, PHONE, 'Quillplanted'];
const TOKEN = randomUUID();
const asNew = ({ position: _p, transactionId: _t, recordedAt: _r, ...event }: RecordedEvent): NewEvent => event as NewEvent;

function personRecord(): SyncRecord {
  const record = newRecord('lead', LEADS, { salesforceId: LEAD, mondayItemId: ITEM });
  record.fields = {
    email: { agreed: EMAIL, agreedAt: 1, agreedFrom: 'salesforce', salesforce: { value: EMAIL, at: 1 }, monday: { value: EMAIL, at: 1 } },
    __name__: { agreed: SURNAME, agreedAt: 1, agreedFrom: 'monday', monday: { value: SURNAME, at: 1 } },
    title: { agreed: 'Director', agreedAt: 1, agreedFrom: 'monday' },
  };
  return record;
}

function personCommands(recordId: number): Array<{ recordId: number; command: OutboxCommand; causedBy: number }> {
  return [
    {
      recordId,
      causedBy: 1,
      command: { kind: 'salesforce.update', target: 'salesforce', objectKey: 'lead', salesforceObject: 'Lead', salesforceId: LEAD, fields: { Email: EMAIL, LastName: SURNAME, Title: 'Director' }, values: { email: EMAIL } },
    },
    ...[1, 2].map(() => ({
      recordId,
      causedBy: 1,
      command: {
        kind: 'sync.rejected_value' as const, target: 'monday' as const, objectKey: 'lead', salesforceObject: 'Lead', salesforceId: LEAD, boardId: LEADS, itemId: ITEM, field: 'phone',
        message: `Quillplanted: ${PHONE} is not a phone number`,
      },
    })),
  ];
}

describe("personal data in the sync's working tables (issue 19, PII_ENCRYPTION_KEY set)", () => {
  let db: TestDatabase;
  let recordId: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    await enablePersonalData(db.pool, { key: randomBytes(32), previousKey: null }, loadMapping(EXAMPLE_MAPPING));
    const record = personRecord();
    await saveRecords(db.pool, [record], 1);
    recordId = record.id as number;
    // The same refused value seen again by a later batch: still one dead letter.
    await insertCommands(db.pool, personCommands(recordId).slice(0, 2));
    await insertCommands(db.pool, personCommands(recordId).slice(2));
    await insertDecisions(db.pool, [{ position: 1, recordId, eventType: 'monday.column_changed', commands: 0, outcome: skipped('invalid_value' as never, { invalidValues: { phone: `${PHONE} is not a phone number` } }) }]);
  }, 60_000);
  afterAll(async () => {
    usePersonalData(null);
    await db.drop();
  });

  it('stores field states, command values, rejected values and decision details encrypted, the rest readable', async () => {
    expect(await plaintextCopies(db.pool, PLANTED)).toEqual([]);
    const { rows } = await db.pool.query<{ fields: Record<string, { agreed: unknown }> }>('SELECT fields FROM sync_records WHERE id = $1', [recordId]);
    expect(rows[0].fields.title.agreed).toBe('Director');
    expect(rows[0].fields.email.agreed).toMatchObject({ $enc: 'v1', s: `salesforce:${LEAD}` });
  });

  it('reads them back decrypted: records, claimed commands, dead letters; an equal rejected value is one dead letter', async () => {
    const [loaded] = await loadRecords(db.pool, { itemIds: [ITEM], salesforce: [], recordIds: [] });
    expect(loaded.fields.email).toMatchObject({ agreed: EMAIL, salesforce: { value: EMAIL }, monday: { value: EMAIL } });
    expect(loaded.fields.__name__.agreed).toBe(SURNAME);

    const dead = await listDeadLetters(db.pool, recordKeysByIds);
    expect(dead).toHaveLength(1);
    expect(dead[0].command.message).toBe(`Quillplanted: ${PHONE} is not a phone number`);
    expect(dead[0].error?.message).toBe(`Quillplanted: ${PHONE} is not a phone number`);

    const [claimed] = await claimCommands(db.pool, { limit: 10, leaseMs: 60_000, claimToken: TOKEN });
    expect(claimed.command).toMatchObject({ fields: { Email: EMAIL, LastName: SURNAME, Title: 'Director' }, values: { email: EMAIL } });

    await recordOutcomes(db.pool, TOKEN, [{ claimed, status: 'pending', delay: { minMs: 0, maxMs: 0 }, error: { code: 'INVALID_EMAIL_ADDRESS', message: `invalid email: ${EMAIL}` }, events: [] }]);
    expect(await plaintextCopies(db.pool, PLANTED)).toEqual([]);
    const [again] = await claimCommands(db.pool, { limit: 10, leaseMs: 60_000, claimToken: randomUUID() });
    expect(again.lastError?.message).toBe(`invalid email: ${EMAIL}`);
  });
});

describe('crm-sync keys encrypt-existing (issue 19)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    usePersonalData(null);
    await appendEvents(db.pool, [
      recordLinked({ objectKey: 'lead', salesforceObject: 'Lead', salesforceId: LEAD, boardId: LEADS, itemId: ITEM, values: { email: EMAIL, last_name: SURNAME }, at: 1_000 }),
      salesforceChanged({ object: 'Lead', id: LEAD, fields: { Email: EMAIL, LastName: SURNAME, Phone: PHONE, Status: 'Open' }, at: 2_000 }),
    ].map(asNew));
    await recordRejection(db.pool, { source: 'monday', reason: 'invalid_json', headers: {}, body: `{"event":{"pulseId":${ITEM},"pulseName":"Quillplanted"` });
    const record = personRecord();
    await saveRecords(db.pool, [record], 1);
    await insertCommands(db.pool, personCommands(record.id as number));
    await insertDecisions(db.pool, [{ position: 1, recordId: record.id, eventType: 'x', commands: 0, outcome: skipped('invalid_value' as never, { note: SURNAME }) }]);
  }, 60_000);
  afterAll(async () => {
    usePersonalData(null);
    await db.drop();
  });

  it('encrypts what was stored before the key was set, everywhere, and a second run finds nothing left', async () => {
    expect((await plaintextCopies(db.pool, PLANTED)).length).toBeGreaterThan(5);
    const protector = (await enablePersonalData(db.pool, { key: randomBytes(32), previousKey: null }, loadMapping(EXAMPLE_MAPPING))) as PersonalDataProtector;
    const progress: number[] = [];
    const report = await encryptExisting(db.pool, protector, ({ done }) => progress.push(done));
    expect(report).toMatchObject({ events: 2, rejections: 1, records: 1, decisions: 1, resumedAfter: 0 });
    expect(report.commands).toBeGreaterThanOrEqual(2);
    expect(progress[progress.length - 1]).toBe(2);
    expect(await plaintextCopies(db.pool, PLANTED)).toEqual([]);

    // Commit-safe reads stay behind transactions other test files hold open on the server: wait for them.
    const stored = (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0].n;
    const events = await expectEventually(async () => {
      const read = await readBatch(db.pool, START, 10);
      expect(read).toHaveLength(Math.min(stored, 10));
      return read;
    }, { timeoutMs: 30_000 });
    const change = events.find((e) => e.type === 'salesforce.record_changed');
    expect(change?.type === 'salesforce.record_changed' && change.payload.fields).toMatchObject({ Email: EMAIL, LastName: SURNAME, Phone: PHONE, Status: 'Open' });

    const second = await encryptExisting(db.pool, protector);
    expect(second).toMatchObject({ events: 0, rejections: 0, records: 0, decisions: 0, commands: 0 });
    expect(second.resumedAfter).toBe(events[events.length - 1].position);
  }, 60_000);
});
