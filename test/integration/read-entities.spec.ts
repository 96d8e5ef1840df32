import { Pool } from 'pg';
import { NoDataSourceError } from '../../src/database/data-source';
import { readReplayPositions } from '../../src/ingest/salesforce/cdc-positions';
import { listProgress, loadProgress } from '../../src/migration/backfill-progress';
import { isRejectedValue, outboxStatus } from '../../src/outbox/dead-letters';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** Reads outside the hot path go through TypeORM entities of the DataSource owning the pool. */
describe('reads through entities', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  it('backfill progress: every column mapped as the explicit-SQL reader mapped it', async () => {
    await db.pool.query(
      `INSERT INTO backfill_progress (object_key, status, since, last_modstamp, last_id, total, records_read, events_appended, attempts, reason, started_at, finished_at)
       VALUES ('lead', 'paused', '2026-01-01T00:00:00Z', '2026-02-01T10:00:00Z', '00Q1', 9000000000, 800, 799, 2, 'API floor', '2026-03-01T00:00:00Z', NULL),
              ('contact', 'done', NULL, NULL, NULL, NULL, 0, 0, 1, NULL, '2026-03-01T00:00:00Z', '2026-03-01T01:00:00Z')`,
    );
    expect(await loadProgress(db.pool, 'lead')).toEqual({
      objectKey: 'lead',
      status: 'paused',
      since: '2026-01-01T00:00:00.000Z',
      cursor: { modstamp: '2026-02-01T10:00:00.000Z', id: '00Q1' },
      total: 9_000_000_000,
      recordsRead: 800,
      eventsAppended: 799,
      attempts: 2,
      reason: 'API floor',
      startedAt: new Date('2026-03-01T00:00:00Z'),
      finishedAt: null,
    });
    expect(await loadProgress(db.pool, 'account')).toBeNull();
    expect((await listProgress(db.pool)).map((p) => [p.objectKey, p.status, p.total, p.cursor])).toEqual([
      ['contact', 'done', null, null],
      ['lead', 'paused', 9_000_000_000, { modstamp: '2026-02-01T10:00:00.000Z', id: '00Q1' }],
    ]);
  });

  it('CDC positions: replay ids as numbers, per channel', async () => {
    await db.pool.query("INSERT INTO cdc_positions (channel, replay_id, last_commit_at) VALUES ('/data/LeadChangeEvent', 4200000000, '2026-03-01T00:00:00Z'), ('/data/ContactChangeEvent', 7, NULL)");
    expect(await readReplayPositions(db.pool)).toEqual(
      new Map([
        ['/data/LeadChangeEvent', { replayId: 4_200_000_000, lastCommitAt: new Date('2026-03-01T00:00:00Z') }],
        ['/data/ContactChangeEvent', { replayId: 7, lastCommitAt: null }],
      ]),
    );
  });

  it('outbox status: counts per status and the oldest pending age; which dead letters are rejected values', async () => {
    await db.pool.query(
      `INSERT INTO outbox (id, record_id, target, kind, payload, caused_by, status, created_at) VALUES
         (1, 1, 'monday', 'sync.update', '{}', 1, 'pending', now() - interval '90 seconds'),
         (2, 1, 'monday', 'sync.update', '{}', 1, 'pending', now() - interval '10 seconds'),
         (3, 1, 'salesforce', 'sync.rejected_value', '{}', 1, 'dead', now()),
         (4, 1, 'salesforce', 'sync.update', '{}', 1, 'dead', now()),
         (5, 1, 'salesforce', 'sync.update', '{}', 1, 'done', now())`,
    );
    const status = await outboxStatus(db.pool);
    expect(status.counts).toEqual({ pending: 2, in_flight: 0, done: 1, dead: 2 });
    expect(status.deadLetters).toBe(2);
    expect(status.oldestPendingAgeSeconds).toBeGreaterThanOrEqual(90);
    expect(status.oldestPendingAgeSeconds).toBeLessThan(3600);
    expect([await isRejectedValue(db.pool, 3), await isRejectedValue(db.pool, 4), await isRejectedValue(db.pool, 1)]).toEqual([true, false, false]);
  });

  it('a pool no DataSource owns is refused with what to pass instead', async () => {
    const plain = new Pool({ connectionString: db.url, max: 1 });
    try {
      await expect(listProgress(plain)).rejects.toThrow(NoDataSourceError);
      await expect(listProgress(plain)).rejects.toThrow(/openDataSource, then poolOf/);
    } finally {
      await plain.end();
    }
  });
});
