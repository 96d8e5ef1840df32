import { Pool } from 'pg';
import { listReconcileRuns, ReconcileRunner } from '../../src/console';
import { LeaderLock } from '../../src/event-store';
import type { ReconcileReport } from '../../src/migration/reconcile';
import { reconcileObjectLockName } from '../../src/migration/reconcile-object-lock';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** A reconcile the test finishes when it wants (the run goes on in the background). */
function pending() {
  let finish!: (report: ReconcileReport) => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<ReconcileReport>((resolve, reject) => ((finish = resolve), (fail = reject)));
  return { run: () => promise, finish, fail };
}

const REPORT: ReconcileReport = {
  startedAt: '2030-01-02T10:00:00Z',
  finishedAt: '2030-01-02T10:00:05Z',
  driftCount: 1,
  fix: { runId: 'r1', eventsAppended: 1 },
  objects: [
    {
      objectKey: 'lead',
      salesforceObject: 'Lead',
      boardId: '1',
      salesforceRecords: 1,
      mondayItems: 1,
      comparedPairs: 1,
      drifts: [{ objectKey: 'lead', kind: 'value_differs', salesforceId: '00Q000000000001AAA', itemId: '42', name: 'Ada Lovelace', column: 'email', salesforceField: 'Email', salesforceValue: 'ada@example.org', mondayValue: 'ada@old.example.org', fix: 'salesforce' }],
    },
  ],
};

/**
 * Console reconciles as two instances on one database see them: one run per object at a time across
 * instances (advisory lock), progress and result readable from either, nothing personal stored.
 */
describe('console reconcile runs shared by instances (reconcile_runs)', () => {
  let db: TestDatabase;
  let poolB: Pool;
  let a: ReconcileRunner;
  let b: ReconcileRunner;

  beforeAll(async () => {
    db = await createTestDatabase();
    poolB = new Pool({ connectionString: db.url, max: 3 });
    a = new ReconcileRunner(db.pool, 'instance-a:1');
    b = new ReconcileRunner(poolB, 'instance-b:2');
  });
  afterAll(async () => {
    await poolB?.end();
    await db?.drop();
  });

  it('refuses a second run of the same object on another instance, and both instances show the run and its result', async () => {
    const first = pending();
    const id = await a.start('lead', first.run);
    expect(id).not.toBeNull();
    expect(await b.start('lead', pending().run)).toBeNull();
    expect(await a.start('lead', pending().run)).toBeNull();
    const other = pending();
    expect(await b.start('contact', other.run)).not.toBeNull(); // another object may run meanwhile

    const seenByB = await listReconcileRuns(poolB);
    expect(seenByB.find((r) => r.id === id)).toMatchObject({ objectKey: 'lead', status: 'running', startedBy: 'instance-a:1', summary: null });

    first.finish(REPORT);
    other.fail(new Error('Salesforce API budget below its floor'));
    await Promise.all([a.idle(), b.idle()]);
    const runs = await listReconcileRuns(poolB);
    expect(runs.find((r) => r.id === id)).toMatchObject({
      status: 'done',
      summary: { driftCount: 1, eventsAppended: 1, drifts: [{ kind: 'value_differs', salesforceId: '00Q000000000001AAA', itemId: '42', column: 'email', salesforceField: 'Email', fix: 'salesforce' }] },
    });
    expect(runs.find((r) => r.objectKey === 'contact')).toMatchObject({ status: 'failed', error: 'Salesforce API budget below its floor' });
    const { rows } = await db.pool.query<{ t: string }>('SELECT summary::text AS t FROM reconcile_runs');
    expect(rows.map((r) => r.t).join(' ')).not.toMatch(/ada@|Lovelace/);

    const again = pending();
    expect(await b.start('lead', again.run)).not.toBeNull(); // the lock was released
    again.finish({ ...REPORT, driftCount: 0, objects: [] });
    await b.idle();
  });

  it("marks the 'running' row of an instance that died as failed when the object's next run starts", async () => {
    const { rows } = await db.pool.query<{ id: string }>("INSERT INTO reconcile_runs (object_key, status, started_by) VALUES ('account', 'running', 'dead:9') RETURNING id");
    await expect(db.pool.query("INSERT INTO reconcile_runs (object_key, status, started_by) VALUES ('account', 'running', 'other:1')")).rejects.toThrow(/reconcile_runs_one_running_per_object/);
    const next = pending();
    expect(await a.start('account', next.run)).not.toBeNull();
    const runs = await listReconcileRuns(db.pool);
    expect(runs.find((r) => r.id === Number(rows[0].id))).toMatchObject({ status: 'failed', error: expect.stringMatching(/stopped before it finished/) });
    next.finish({ ...REPORT, driftCount: 0, objects: [] });
    await a.idle();
  });

  it('the scheduled reconcile cannot take an object a console run holds, and can once it ended', async () => {
    const fromConsole = pending();
    expect(await a.start('opportunity', fromConsole.run)).not.toBeNull();
    // What the scheduled reconcile takes around each object (reconcile-schedule.ts).
    const scheduled = new LeaderLock(db.url, reconcileObjectLockName('opportunity'));
    expect(await scheduled.tryAcquire()).toBe(false);
    fromConsole.finish({ ...REPORT, driftCount: 0, objects: [] });
    await a.idle();
    expect(await scheduled.tryAcquire()).toBe(true);
    expect(await b.start('opportunity', pending().run)).toBeNull(); // and the console waits for the schedule
    await scheduled.release();
  });
});
