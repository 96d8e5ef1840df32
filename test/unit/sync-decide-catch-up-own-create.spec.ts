import { snapshotEvent } from '../../src/migration/backfill-snapshot-events';
import { backfillSoql } from '../../src/migration/backfill-soql';
import { loadMapping } from '../../src/mapping';
import { exampleResolvedMapping, EXAMPLE_MAPPING } from '../support/sandbox-schemas';
import { InMemoryProjection } from '../support/in-memory-projection';
import { itemSnapshot, recordLinked, recorded } from '../support/sync-events';

/**
 * Fault seed 1052 (issue 20): an opportunity item's salesforce.create made the record, then its
 * instance was killed before the outcome was recorded. A CDC gap's catch-up read the new record,
 * unknown to the sync, and created a monday item for it; the create's retry then found the record
 * and linked it to the first item: two items held one record. A catch-up read of a record our own
 * integration user created is now taken as the echo of that create: the create's outcome links it.
 */
const OPP_BOARD = '9378000526';
const OPP = '006000000000001AAA';
const US = '005000000000002AAA';

const readInGap = (createdBy: string) =>
  recorded(snapshotEvent('Opportunity', { Id: OPP, SystemModstamp: '1970-01-01T00:00:03.000Z', Name: 'Deal', StageName: 'Quote', CreatedById: createdBy }, 'catch_up', US));

describe('a catch-up read of a record our create made, before that create was linked (fault seed 1052)', () => {
  it('creates no item; the create, retried, links the record to its item and one record remains', async () => {
    const projection = new InMemoryProjection(exampleResolvedMapping());
    const instance = projection.instance();
    const [create] = await projection.handle([itemSnapshot(OPP_BOARD, '501', 'Deal', {}, 1_000)], instance);
    expect(create).toMatchObject({ kind: 'salesforce.create' });
    expect(await projection.handle([readInGap(US)], instance)).toEqual([]);
    await projection.handle([recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP, boardId: OPP_BOARD, itemId: '501', via: 'matched_existing', values: { __name__: 'Deal' }, at: 4_000 })], instance);
    expect(projection.commands.filter((c) => c.kind === 'monday.create_item')).toEqual([]);
    expect(projection.records.filter((r) => r.objectKey === 'opportunity')).toEqual([expect.objectContaining({ salesforceId: OPP, mondayItemId: '501' })]);
  });

  it("a record a person created, read the same way, still gets its item", async () => {
    const projection = new InMemoryProjection(exampleResolvedMapping());
    const commands = await projection.handle([readInGap('005000000000009AAA')], projection.instance());
    expect(commands).toEqual([expect.objectContaining({ kind: 'monday.create_item', salesforceId: OPP })]);
  });

  it('the catch-up reads CreatedById and marks only our records; a backfill marks nothing', () => {
    const opportunity = loadMapping(EXAMPLE_MAPPING).objects.find((o) => o.salesforce === 'Opportunity')!;
    expect(backfillSoql({ object: opportunity, since: null, after: null, creator: true })).toMatch(/^SELECT Id, SystemModstamp, .*, CreatedById FROM Opportunity/);
    expect(backfillSoql({ object: opportunity, since: null, after: null })).not.toContain('CreatedById');
    const record = { Id: OPP, SystemModstamp: '2026-12-07T10:00:00.000Z', Name: 'Deal', CreatedById: US.slice(0, 15) };
    expect(snapshotEvent('Opportunity', record, 'catch_up', US).payload).toMatchObject({ createdByUs: true });
    expect(snapshotEvent('Opportunity', { ...record, CreatedById: '005000000000009AAA' }, 'catch_up', US).payload).not.toHaveProperty('createdByUs');
    expect(snapshotEvent('Opportunity', record, 'backfill').payload).not.toHaveProperty('createdByUs');
  });
});
