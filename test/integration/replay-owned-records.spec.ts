import { appendEvents, type NewEvent, type RecordedEvent } from '../../src/event-store';
import { loadMapping } from '../../src/mapping';
import { replayProjection } from '../../src/migration/replay';
import { decide } from '../../src/sync-projector/decide';
import { ownsWhole } from '../../src/sync-projector/record-ownership';
import { saveCachedContext } from '../../src/sync-projector/sync-context-cache';
import type { DecideFunction } from '../../src/sync-projector/sync-projector';
import { EXAMPLE_MAPPING, sandboxSchemas } from '../support/sandbox-schemas';
import { mondayColumnChanged, recordLinked, salesforceChanged } from '../support/sync-events';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const OPPS = '9378000526';
const OPP = '006000000000001AAA';
const status = (text: string) => ({ label: { index: 0, text }, post_id: null });
const asNew = ({ position: _p, transactionId: _t, recordedAt: _r, ...event }: RecordedEvent): NewEvent => event as NewEvent;

/**
 * Replay lets decisions change the records its write window made in place (SyncContext.ownsRecords). A
 * decision that throws after changing one must leave nothing of that change: replay starts over on
 * copies, and the event is parked and skipped as when the decision throws before changing anything.
 */
describe('replay: a decision that throws on a record it owns', () => {
  let db: TestDatabase;
  const mapping = loadMapping(EXAMPLE_MAPPING);

  beforeAll(async () => {
    db = await createTestDatabase();
    await saveCachedContext(db.pool, { live: sandboxSchemas(), salesforceUsers: [], mondayUsers: [] });
    const stages = ['Quote', 'MOU', 'Follow-up', 'Quote'];
    await appendEvents(db.pool, [
      recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP, boardId: OPPS, itemId: '501', values: { stage: 'Follow-up' } }),
      ...stages.flatMap((stage, i) => [
        mondayColumnChanged({ boardId: OPPS, itemId: '501', columnId: 'stage', columnType: 'color', value: status(stage), at: 2_000 + i * 1_000 }),
        salesforceChanged({ object: 'Opportunity', id: OPP, fields: { Amount: 100 * (i + 1) }, at: 2_500 + i * 1_000 }),
      ]),
    ].map(asNew));
  });
  afterAll(async () => {
    await db.drop();
  });

  async function state() {
    const records = await db.pool.query('SELECT id, salesforce_id, monday_item_id, fields, waiting, command_seq FROM sync_records ORDER BY id');
    const decisions = await db.pool.query('SELECT position, record_id, outcome, reason, commands FROM sync_decisions ORDER BY position');
    return { records: records.rows, decisions: decisions.rows };
  }

  async function replayThrowingAt(position: number, damage: boolean) {
    await db.pool.query('DELETE FROM parked_events');
    const throwing: DecideFunction = (record, event, context) => {
      if (event.position !== position) return decide(record, event, context);
      // What a decision changing its record in place and then failing would leave.
      if (damage && record && context.ownsRecords && ownsWhole(record)) {
        record.fields = {};
        record.commandSeq = { salesforce: 99 };
      }
      throw new TypeError(`broken at ${position}`);
    };
    const result = await replayProjection(db.pool, db.url, mapping, undefined, { decide: throwing });
    return { result, ...(await state()) };
  }

  it('leaves the same state as a decision that throws before changing anything', async () => {
    const { rows } = await db.pool.query<{ position: string }>('SELECT position FROM events ORDER BY position');
    const position = Number(rows[5].position);
    const clean = await replayThrowingAt(position, false);
    const damaged = await replayThrowingAt(position, true);
    expect(clean.result).toMatchObject({ parked: 1 });
    expect(damaged).toEqual(clean);
    expect(clean.decisions.map((d: { position: string }) => Number(d.position))).not.toContain(position);
    expect(clean.records).toHaveLength(1);
  });
});
