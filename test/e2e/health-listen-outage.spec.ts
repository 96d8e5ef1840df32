import { appendEvent } from '../../src/event-store';
import { columnChangedEvent } from '../support/event-factory';
import { expectEventually } from '../support/eventually';
import { withAdminClient } from '../support/test-database';
import { startTestService, type TestService } from '../support/test-service';

interface Health {
  status: string;
  checks: Record<string, { ok: boolean; detail?: unknown }>;
}

/**
 * Issue 20, recovery without a person: the LISTEN connection alone is dropped by Postgres and cannot
 * come back for a while (its database refuses new connections). /health shows that outage (503,
 * check event_notifications) while the rest of the service keeps answering, a log line says it,
 * and once Postgres accepts connections again the listener comes back by itself: /health returns
 * to 200, the recovery is logged, and notifications are delivered again.
 */
describe('/health shows a LISTEN outage and its recovery', () => {
  let test: TestService;
  beforeAll(async () => {
    test = await startTestService();
  });
  afterAll(async () => {
    await allowConnections(true).catch(() => undefined);
    await test?.stop();
  });

  const allowConnections = (allow: boolean) => withAdminClient((c) => c.query(`ALTER DATABASE "${test.db.name}" ALLOW_CONNECTIONS ${allow}`));
  const health = async (): Promise<{ status: number; body: Health }> => {
    const response = await fetch(`${test.url}/health`);
    return { status: response.status, body: (await response.json()) as Health };
  };

  it('503 with event_notifications failing while it reconnects, 200 again without a restart', async () => {
    await expectEventually(async () => expect((await health()).status).toBe(200), { timeoutMs: 20_000 });
    const notifications = test.service.runtime.notifications;
    const listenPid = await withAdminClient(async (c) => {
      const { rows } = await c.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [notifications.applicationName]);
      expect(rows).toHaveLength(1);
      return rows[0].pid;
    });

    await allowConnections(false);
    await withAdminClient((c) => c.query('SELECT pg_terminate_backend($1)', [listenPid]));
    const during = await expectEventually(async () => {
      const now = await health();
      expect(now.status).toBe(503);
      return now.body;
    }, { timeoutMs: 15_000 });
    expect(during.checks.event_notifications).toEqual({ ok: false, detail: 'LISTEN connection is reconnecting' });
    // Only the LISTEN connection was dropped: the pool's connections still answer.
    expect(during.checks.database?.ok).toBe(true);
    expect(test.rawLogs.join('\n')).toMatch(/LISTEN connection lost; reconnecting with backoff/);
    // Still down after a few reconnect attempts (it is not a one-off blip the test happened to see).
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect((await health()).body.checks.event_notifications?.ok).toBe(false);

    await allowConnections(true);
    const after = await expectEventually(async () => {
      const now = await health();
      expect(now.status).toBe(200);
      return now.body;
    }, { timeoutMs: 30_000 });
    expect(after.checks.event_notifications).toEqual({ ok: true });
    expect(test.rawLogs.join('\n')).toMatch(/LISTEN connection restored/);

    // The new connection listens: an append notifies again.
    let woken = 0;
    const unsubscribe = notifications.onAppended(() => woken++);
    try {
      await appendEvent(test.db.pool, columnChangedEvent());
      await expectEventually(() => expect(woken).toBeGreaterThan(0), { timeoutMs: 10_000 });
    } finally {
      unsubscribe();
    }
  }, 90_000);
});
