import { randomUUID } from 'node:crypto';
import { exampleResolvedMapping } from '../support/sandbox-schemas';
import { InMemoryProjection } from '../support/in-memory-projection';
import { itemSnapshot, mondayColumnChanged, recordLinked, recorded, salesforceChanged } from '../support/sync-events';

/**
 * Fault seed 3224 (issue #20), the projector's side: our create made item 32 for an Opportunity but
 * its outcome was lost; before any link a person edited the item (it holds the record's Id, so it
 * looks like the pair's item) and then archived it. The edits made a record of its own, keyed by
 * the item, and the archive tombstoned it; the reads its edits asked for then come back to a deleted
 * record. That tombstone waits for the create's link: once the retried create links item 32 (the
 * outbox finds it in the activity log), one record remains, removed on monday, and nothing is
 * written to the archived item or made again.
 */
const OPP_BOARD = '9378000526';
const OPP = '006000000000001AAA';
const ITEM = '9400000032';

const archived = (at: number) =>
  recorded({
    type: 'monday.item_archived',
    source: 'monday',
    sourceEventId: randomUUID(),
    stream: `monday:item:${ITEM}`,
    origin: 'user',
    occurredAt: new Date(at),
    payload: { type: 'archive_pulse', triggerTime: new Date(at).toISOString(), userId: 5001, triggerUuid: randomUUID(), boardId: Number(OPP_BOARD), itemId: Number(ITEM) },
  });

describe('a person edits and archives the item our unrecorded create made, before its link (fault seed 3224)', () => {
  it('the item\'s own record is a tombstone its reads skip; the link joins it to the Opportunity: one record, removed on monday, nothing more written', async () => {
    const projection = new InMemoryProjection(exampleResolvedMapping());
    const instance = projection.instance();
    const [create] = await projection.handle([salesforceChanged({ object: 'Opportunity', id: OPP, changeType: 'CREATE', fields: { Name: 'Deal', StageName: 'Quote' }, at: 1_000 })], instance);
    expect(create).toMatchObject({ kind: 'monday.create_item', salesforceId: OPP });

    const edit = mondayColumnChanged({ boardId: OPP_BOARD, itemId: ITEM, columnId: 'next_step', columnType: 'text', value: { value: 'Call' }, at: 2_000 });
    expect(await projection.handle([edit], instance)).toEqual([expect.objectContaining({ kind: 'monday.refresh_item', itemId: ITEM })]);
    await projection.handle([archived(3_000)], instance);
    expect(projection.record('opportunity', ITEM)).toMatchObject({ salesforceId: null, deleted: { side: 'monday', at: 3_000 } });
    // The edit's read, back after the archive: skipped (the seed's "deleted_record"), no Salesforce create.
    expect(await projection.handle([itemSnapshot(OPP_BOARD, ITEM, 'Deal', { salesforce_id: OPP, next_step: 'Call' }, 3_500)], instance)).toEqual([]);

    const linked = await projection.handle(
      [recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP, boardId: OPP_BOARD, itemId: ITEM, via: 'created_monday_item', values: { __name__: 'Deal' }, at: 4_000 })],
      instance,
    );
    // delete: archive, removed on monday: nothing to write on either side.
    expect(linked).toEqual([]);
    expect(projection.records.filter((r) => r.objectKey === 'opportunity')).toEqual([expect.objectContaining({ salesforceId: OPP, mondayItemId: ITEM, deleted: { side: 'monday', at: 3_000 } })]);
    expect(await projection.handle([salesforceChanged({ object: 'Opportunity', id: OPP, changeType: 'UPDATE', fields: { StageName: 'MOU' }, at: 5_000 })], instance)).toEqual([]);
    expect(projection.commands.filter((c) => c.kind === 'monday.create_item')).toEqual([create]);
  });
});
