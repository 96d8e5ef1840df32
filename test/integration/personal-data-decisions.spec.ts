import { randomUUID } from 'node:crypto';
import { appendEvents, type NewEvent } from '../../src/event-store';
import { replayProjection } from '../../src/migration/replay';
import { erasePerson, isErased } from '../../src/personal-data';
import { expectEventually } from '../support/eventually';
import { usePersonalDataProjection } from '../support/personal-data-projection';

const OPPS = 9378000526;
const SUBITEM = 8409778369;

/** A monday subitem created on a mapped board: the sync decides it with no record (subitems are not synced), with a detail. */
function subitemCreated(): NewEvent {
  const triggerUuid = randomUUID();
  return {
    type: 'monday.item_created',
    source: 'monday',
    sourceEventId: triggerUuid,
    stream: `monday:item:${SUBITEM}`,
    origin: 'user',
    occurredAt: new Date(),
    payload: {
      type: 'create_pulse', triggerTime: new Date().toISOString(), userId: 5001, triggerUuid, boardId: OPPS, pulseId: SUBITEM, pulseName: 'Sub for Quillname',
      groupId: 'topics', columnValues: {}, parentItemId: '8409778368', parentItemBoardId: String(OPPS),
    } as never,
  };
}

/**
 * A decision that names no record is sealed under the person its event is about (issue 19), not a
 * subject no erasure destroys: erasing that person shreds it, live and after a replay.
 */
describe('decisions with no record, with PII_ENCRYPTION_KEY set', () => {
  const world = usePersonalDataProjection();
  beforeAll(() => appendEvents(world().db.pool, [subitemCreated()]));

  const decision = async () =>
    (await world().db.pool.query<{ record_id: string | null; detail: { s?: string } | null }>('SELECT record_id, detail FROM sync_decisions WHERE event_type = $1', ['monday.item_created'])).rows;

  it('seals the detail under the item the event is about, live and in replay; erasing the item shreds it', async () => {
    const { db, protector, mapping } = world();
    const runner = world().syncRunner();
    // Commit-safe reads stay behind transactions other test files hold open on the server: wait for the event.
    await expectEventually(async () => {
      await runner.drain();
      expect(await decision()).toHaveLength(1);
    }, { timeoutMs: 30_000 });
    await runner.stop();

    const [live] = await decision();
    expect(live.record_id).toBeNull();
    expect(live.detail).toMatchObject({ $enc: 'v1', s: `monday:${SUBITEM}` });
    expect(await protector.revealValue(live.detail)).toEqual({ subitem: true });

    await replayProjection(db.pool, db.url, mapping);
    const [replayed] = await decision();
    expect(replayed.detail).toMatchObject({ $enc: 'v1', s: `monday:${SUBITEM}` });

    const report = await erasePerson(db.pool, protector.keys, { via: 'monday', itemId: String(SUBITEM) });
    expect(report?.subjects).toContain(`monday:${SUBITEM}`);
    const [after] = await decision();
    expect(isErased(await protector.revealValue(after.detail))).toBe(true);
    const { rows } = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM personal_data_keys WHERE subject = 'system:decisions'");
    expect(rows[0].n).toBe(0);
  }, 60_000);
});
