import { appendEvent, streams } from '../../src/event-store';
import { COUNT_PENDING_CATCH_UPS_SQL, servePendingCatchUps } from '../../src/migration/catch-up-requests';
import { buildSyncContext } from '../../src/sync-projector/build-sync-context';
import { LinkIndex } from '../../src/sync-projector/link-index';
import { partnerLeads, startBackfillWorld, type BackfillWorld } from './backfill-world';

describe('CDC gap catch-up requests served by a targeted backfill', () => {
  let world: BackfillWorld;
  const mapping = () => buildSyncContext(world.mapping, world.live, new LinkIndex()).mapping;
  const requestCatchUp = (key: string, payload: { objects: string[]; recordIds: string[]; sinceModstamp: string | null }) =>
    appendEvent(world.db.pool, {
      type: 'system.catch_up_requested',
      source: 'system',
      sourceEventId: `catch-up:${key}`,
      stream: streams.salesforceObject('Lead'),
      origin: 'unknown',
      occurredAt: new Date(),
      payload: { ...payload, reason: 'replay_id_expired' },
    });
  const snapshotsOf = async (reason: string) =>
    (await world.db.pool.query<{ id: string }>("SELECT payload->'record'->>'Id' AS id FROM events WHERE type = 'backfill.record_snapshot' AND payload->>'reason' = $1", [reason])).rows.map((r) => r.id);

  beforeAll(async () => {
    world = await startBackfillWorld();
  });
  afterAll(() => world.close());

  it('re-reads only the records modified since the gap, marks the request served, and serves it once', async () => {
    const leadIds = world.sf.control.seed(partnerLeads(20, 'Gap'));
    world.sf.control.advanceClock(60_000);
    const gapStart = new Date(world.sf.control.now()).toISOString();
    world.sf.control.advanceClock(60_000);
    for (const id of leadIds.slice(0, 3)) world.sf.control.updateAsHuman('Lead', id, { Title: 'Changed during the gap' });
    await requestCatchUp('gap-1', { objects: ['Lead'], recordIds: [], sinceModstamp: gapStart });
    expect((await world.db.pool.query<{ n: number }>(COUNT_PENDING_CATCH_UPS_SQL)).rows[0].n).toBe(1);

    const served = await servePendingCatchUps(world.db.pool, world.salesforce, mapping());

    expect(served).toEqual([expect.objectContaining({ status: 'served', read: 3, appended: 3 })]);
    expect((await snapshotsOf('catch_up')).sort()).toEqual(leadIds.slice(0, 3).sort());
    expect((await world.db.pool.query<{ n: number }>(COUNT_PENDING_CATCH_UPS_SQL)).rows[0].n).toBe(0);
    expect(await servePendingCatchUps(world.db.pool, world.salesforce, mapping())).toEqual([]);
  });

  it('also reads the records deleted over the gap from the recycle bin, as snapshots saying IsDeleted (read again: nothing appended)', async () => {
    const leadIds = world.sf.control.seed(partnerLeads(6, 'Bin'));
    world.sf.control.deleteAsHuman('Lead', leadIds[0]);
    world.sf.control.advanceClock(60_000);
    const gapStart = new Date(world.sf.control.now()).toISOString();
    world.sf.control.advanceClock(60_000);
    world.sf.control.deleteAsHuman('Lead', leadIds[1]);
    world.sf.control.deleteAsHuman('Lead', leadIds[2]);
    world.sf.control.updateAsHuman('Lead', leadIds[3], { Title: 'Changed during the gap' });
    await requestCatchUp('gap-deletes', { objects: ['Lead'], recordIds: [], sinceModstamp: gapStart });

    const served = await servePendingCatchUps(world.db.pool, world.salesforce, mapping());

    expect(served).toEqual([expect.objectContaining({ status: 'served', read: 1, deleted: 2, appended: 3 })]);
    const { rows } = await world.db.pool.query<{ id: string }>(
      "SELECT payload->'record'->>'Id' AS id FROM events WHERE type = 'backfill.record_snapshot' AND payload->'record'->>'IsDeleted' = 'true' ORDER BY 1",
    );
    // The delete before the gap is not re-read; the two during it are.
    expect(rows.map((r) => r.id)).toEqual([leadIds[1], leadIds[2]].sort());
    await requestCatchUp('gap-deletes-again', { objects: ['Lead'], recordIds: [], sinceModstamp: gapStart });
    expect(await servePendingCatchUps(world.db.pool, world.salesforce, mapping())).toEqual([expect.objectContaining({ status: 'served', deleted: 2, appended: 0 })]);
  });

  it('reads exactly the records a gap event names', async () => {
    const leadIds = world.sf.control.seed(partnerLeads(10, 'Named'));
    await requestCatchUp('gap-2', { objects: ['Lead'], recordIds: [leadIds[4], leadIds[7]], sinceModstamp: null });

    const served = await servePendingCatchUps(world.db.pool, world.salesforce, mapping());

    expect(served).toEqual([expect.objectContaining({ status: 'served', read: 2, appended: 2 })]);
    expect(await snapshotsOf('catch_up')).toEqual(expect.arrayContaining([leadIds[4], leadIds[7]]));
  });
});
