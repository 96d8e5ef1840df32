import { appendEvents, type NewEvent, type RecordedEvent } from '../../src/event-store';
import { replayProjection } from '../../src/migration/replay';
import { erasePerson, personalFieldPolicy } from '../../src/personal-data';
import { loadSyncRecords } from '../../src/sync-projector/sync-records.repository';
import { expectEventually } from '../support/eventually';
import { usePersonalDataProjection } from '../support/personal-data-projection';
import { recordLinked } from '../support/sync-events';

const LEADS = '9378000505';
const EMAIL = 'twice.erin@example.org';
const asNew = ({ position: _p, transactionId: _t, recordedAt: _r, ...event }: RecordedEvent): NewEvent => event as NewEvent;

/** Two Leads of one person (one e-mail), each linked to its own item: one erasure marks both records (issue 19). */
describe('one erasure of a person with two items, through the runner and replay', () => {
  const world = usePersonalDataProjection();

  const emailStates = async () =>
    (await loadSyncRecords(world().db.pool, 'lead')).map((r) => [r.mondayItemId, r.fields.email?.erased ?? false]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));

  it('marks the e-mail erased on the record of each item, live and after a replay', async () => {
    const { db, protector, mapping } = world();
    await appendEvents(db.pool, [
      recordLinked({ objectKey: 'lead', salesforceObject: 'Lead', salesforceId: '00Q000000000001AAA', boardId: LEADS, itemId: '501', values: { email: EMAIL, last_name: 'Twice' }, at: 1_000 }),
      recordLinked({ objectKey: 'lead', salesforceObject: 'Lead', salesforceId: '00Q000000000002AAA', boardId: LEADS, itemId: '502', values: { email: EMAIL, last_name: 'Twice' }, at: 2_000 }),
    ].map(asNew));
    const runner = world().syncRunner();
    await expectEventually(async () => {
      await runner.drain();
      expect(await emailStates()).toEqual([['501', false], ['502', false]]);
    }, { timeoutMs: 30_000 });

    const report = await erasePerson(db.pool, protector.keys, { via: 'email', email: EMAIL }, personalFieldPolicy(mapping));
    expect(report?.subjects).toEqual(expect.arrayContaining(['monday:501', 'monday:502']));
    await expectEventually(async () => {
      await runner.drain();
      expect(await emailStates()).toEqual([['501', true], ['502', true]]);
    }, { timeoutMs: 30_000 });
    await runner.stop();

    await replayProjection(db.pool, db.url, mapping);
    expect(await emailStates()).toEqual([['501', true], ['502', true]]);
  }, 90_000);
});
