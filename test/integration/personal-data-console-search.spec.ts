import { randomBytes } from 'node:crypto';
import { appendEvents, type NewEvent, type RecordedEvent } from '../../src/event-store';
import { searchRecords } from '../../src/console/console-queries';
import { loadMapping } from '../../src/mapping';
import { enablePersonalData, usePersonalData } from '../../src/personal-data';
import { newRecord } from '../../src/sync-projector/sync-record';
import { saveRecords } from '../../src/sync-projector/sync-records.repository';
import { plaintextCopies } from '../support/plaintext-copies';
import { EXAMPLE_MAPPING } from '../support/sandbox-schemas';
import { salesforceChanged } from '../support/sync-events';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const LEADS = '9378000505';
const LEAD = '00Q000000000031AAA';
const ITEM = '731';
const EMAIL = 'marisol.quillsearch@example.org';
const NAME = 'Marisol Quillsearch';
const asNew = ({ position: _p, transactionId: _t, recordedAt: _r, ...event }: RecordedEvent): NewEvent => event as NewEvent;

/**
 * The console's record search (record history) with PII_ENCRYPTION_KEY set (issue 19): the stored
 * e-mail and name are ciphertext, so an e-mail is found through the keyed-hash lookup and a name by
 * decrypting names; both find the record, in any case.
 */
describe('console record search with personal data encrypted', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    await enablePersonalData(db.pool, { key: randomBytes(32), previousKey: null }, loadMapping(EXAMPLE_MAPPING));
    // The e-mail reaches the log by CDC (which records its keyed hash), then the sync's state.
    await appendEvents(db.pool, [salesforceChanged({ object: 'Lead', id: LEAD, fields: { Email: EMAIL, LastName: 'Quillsearch' }, at: 1_000 })].map(asNew));
    const record = newRecord('lead', LEADS, { salesforceId: LEAD, mondayItemId: ITEM });
    record.fields = {
      email: { agreed: EMAIL, agreedAt: 1, agreedFrom: 'salesforce', salesforce: { value: EMAIL, at: 1 } },
      __name__: { agreed: NAME, agreedAt: 1, agreedFrom: 'salesforce' },
    };
    await saveRecords(db.pool, [record], 1);
  }, 60_000);
  afterAll(async () => {
    usePersonalData(null);
    await db.drop();
  });

  it('stores neither in clear, and finds the record by e-mail (any case) and by part of the name', async () => {
    expect(await plaintextCopies(db.pool, [EMAIL, 'Quillsearch'])).toEqual([]);

    const byEmail = await searchRecords(db.pool, ` ${EMAIL.toUpperCase()} `);
    expect(byEmail.kind).toBe('e-mail');
    expect(byEmail.matches).toEqual([{ crm: 'monday', id: ITEM, objectKey: 'lead', name: NAME, salesforceId: LEAD, mondayItemId: ITEM }]);

    const byName = await searchRecords(db.pool, 'quillSEARCH');
    expect(byName.kind).toBe('name');
    expect(byName.matches.map((m) => m.salesforceId)).toEqual([LEAD]);
    expect(byName.matches[0].name).toBe(NAME);

    expect((await searchRecords(db.pool, 'someone.else@example.org')).matches).toEqual([]);
    expect((await searchRecords(db.pool, 'Nobodyhere')).matches).toEqual([]);
  });
});
