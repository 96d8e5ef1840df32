import type { Pool } from 'pg';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { openDataSource, poolOf } from '../../src/database/data-source';
import { appendEvent, EventNotifications } from '../../src/event-store';
import { ChannelListener } from '../../src/event-store/channel-listener';
import { columnChangedEvent } from '../support/event-factory';
import { expectEventually } from '../support/eventually';
import { recordingRunner } from '../support/subscriptions';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/**
 * Issue 13.3, one connection at a time: Postgres ends a backend (pg_terminate_backend, as a restart
 * or an operator does) while the service holds it. Nothing may crash the process, and each kind
 * of connection comes back by itself. (The whole service under load: test/e2e/database-restart.)
 */
describe('connections terminated by Postgres', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let pool: Pool;
  const warnings: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) });

  beforeAll(async () => {
    db = await createTestDatabase();
    // The service's pool: the TypeORM DataSource's, whose first client TypeORM checks out itself.
    dataSource = await openDataSource(db.url, { logger, max: 4, applicationName: 'crm-sync conn-loss-test' });
    pool = poolOf(dataSource);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  const terminate = (pid: number) => db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
  const pidsOf = async (applicationName: string): Promise<number[]> =>
    (await db.pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [applicationName])).rows.map((r) => r.pid);

  it('a checked-out client whose backend is terminated mid-transaction fails its work, not the process', async () => {
    const client = await pool.connect();
    await client.query('BEGIN');
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
    // Between two statements of the transaction: nothing is awaiting a query, so pg emits `error` on
    // the client itself, which pg-pool does not listen to while the client is checked out.
    await terminate(rows[0].pid);
    await ended;
    await expect(client.query('COMMIT')).rejects.toThrow();
    client.release(true);
    expect(warnings.join('')).toMatch(/Postgres connection in use lost/);
    expect(warnings.join('')).toMatch(/57P01/);
    // The pool serves fresh connections afterwards.
    expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows[0].one).toBe(1);
  });

  it('an idle pooled client terminated is replaced, and the failure is logged without the connection parameters', async () => {
    await Promise.all([pool.query('SELECT 1'), pool.query('SELECT 1')]);
    warnings.length = 0;
    const idle = pool.idleCount;
    expect(idle).toBeGreaterThan(0);
    const pids = await pidsOf('crm-sync conn-loss-test');
    expect(pids).toHaveLength(idle);
    for (const pid of pids) await terminate(pid);
    // Each idle client notices its end on its own; once all have, none is left to hand out.
    await expectEventually(() => expect(pool.idleCount).toBe(0));
    expect(warnings.join('').match(/idle Postgres connection lost/g)).toHaveLength(idle);
    expect(warnings.join('')).not.toMatch(/connectionParameters|password/);
    expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows[0].one).toBe(1);
  });

  it('the LISTEN connection comes back after pg_terminate_backend and delivers notifications again', async () => {
    const listener = new ChannelListener(db.url, 'conn_loss_test', 'conn-loss-listen');
    await listener.start();
    try {
      const [pid] = await pidsOf(listener.applicationName);
      let notified = 0;
      listener.onNotified(() => notified++);
      await terminate(pid);
      await expectEventually(async () => {
        const pids = await pidsOf(listener.applicationName);
        expect(pids).toHaveLength(1);
        expect(pids[0]).not.toBe(pid);
        expect(listener.connected).toBe(true);
      }, { timeoutMs: 15_000 });
      const before = notified;
      await db.pool.query("SELECT pg_notify('conn_loss_test', '')");
      await expectEventually(() => expect(notified).toBeGreaterThan(before), { timeoutMs: 5_000 });
    } finally {
      await listener.stop();
    }
  });

  it('a subscriber whose leader-lock backend is terminated takes the lock again and keeps handling events', async () => {
    const notifications = new EventNotifications(db.url);
    await notifications.start();
    const { runner, seen, lock } = recordingRunner(pool, db.url, notifications, 'conn-loss-leader', { pollIntervalMs: 200, takeoverIntervalMs: 100 });
    runner.start();
    try {
      await expectEventually(() => expect(runner.status().leader).toBe(true));
      const pid = await lock.backendPid();
      await terminate(pid as number);
      await expectEventually(async () => {
        expect(runner.status().leader).toBe(true);
        const now = await lock.backendPid();
        expect(now).not.toBe(pid);
      }, { timeoutMs: 10_000 });
      for (let i = 0; i < 3; i++) await appendEvent(db.pool, columnChangedEvent());
      await expectEventually(() => expect(seen).toHaveLength(3));
    } finally {
      await runner.stop();
      await notifications.stop();
    }
  });
});
