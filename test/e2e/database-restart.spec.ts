import { Client } from 'pg';
import { SYNC_PROJECTOR } from '../../src/sync-projector/sync-projector';
import { startSandbox, type SandboxEnvironment } from '@crm-sync/sandbox';
import { startChildService, type ChildService } from '../support/child-service';
import { expectEventually } from '../support/eventually';
import { mondayJwt, samplePayloads } from '../support/monday-webhooks';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres';
import { EXAMPLE_MAPPING } from '../support/sandbox-schemas';

/**
 * Issue 13.3: Postgres dropping the service's connections under load (a fast restart, then
 * pg_terminate_backend on every one of them) must not kill the process; it reconnects by itself,
 * /health shows the outage and recovers, and every webhook answered 200 is stored and projected.
 * A private Postgres (never the shared server) so the test may stop it.
 */
describe('Postgres restart and terminated backends under load (issue 13.3)', () => {
  let pg: PrivatePostgres;
  let sandbox: SandboxEnvironment;
  let service: ChildService | null = null;

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    await withClient(pg.url(), (c) => c.query('CREATE DATABASE crm_sync'));
    sandbox = await startSandbox();
  });
  afterAll(async () => {
    if (service && service.child.exitCode === null) {
      service.child.kill('SIGTERM');
      await service.exited;
    }
    await sandbox?.close();
    pg?.destroy();
  });

  const healthStatus = (url: string) => fetch(`${url}/health`).then((r) => r.status, () => 0);
  /** The process is still running (else the failure shows why it died). */
  const expectAlive = (child: ChildService): void => {
    if (child.child.exitCode !== null) throw new Error(`the service exited with ${child.child.exitCode}:\n${child.output.join('').slice(-6_000)}`);
  };

  it('survives, recovers health without a person, and loses no acknowledged webhook', async () => {
    service = await startChildService({ ...sandbox.variables, DATABASE_URL: pg.url('crm_sync'), PORT: '0', SYNC_CONFIG: EXAMPLE_MAPPING });
    const { url } = service;
    await expectEventually(async () => expect(await healthStatus(url)).toBe(200), { timeoutMs: 30_000 });

    const acknowledged: Array<{ position: number; triggerUuid: string }> = [];
    const statuses = new Map<number | string, number>();
    let loading = true;
    const sender = async (): Promise<void> => {
      for (let sent = 0; loading && sent < 2_000; sent++) {
        const event = samplePayloads.update_column_value();
        const response = await fetch(`${url}/webhooks/monday`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: mondayJwt(sandbox.variables.MONDAY_SIGNING_SECRET) },
          body: JSON.stringify({ event }),
        }).catch(() => null);
        const status = response?.status ?? 'refused';
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (response?.status === 200) {
          const body = (await response.json()) as { event: number };
          acknowledged.push({ position: body.event, triggerUuid: event.triggerUuid });
        } else {
          await response?.arrayBuffer();
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    };
    const load = Promise.all(Array.from({ length: 4 }, sender));
    const acknowledgedSoFar = async (atLeast: number) =>
      expectEventually(() => expect(acknowledged.length).toBeGreaterThanOrEqual(atLeast), { timeoutMs: 20_000 });

    // 1. A fast stop of Postgres under load: every connection gets 57P01, then nothing answers.
    await acknowledgedSoFar(50);
    pg.stop();
    await expectEventually(async () => expect(await healthStatus(url)).toBe(503), { timeoutMs: 10_000 }).catch((error: unknown) => {
      expectAlive(service as ChildService);
      throw error;
    });
    expectAlive(service);
    pg.start();
    await expectEventually(async () => expect(await healthStatus(url)).toBe(200), { timeoutMs: 30_000 });

    // 2. Every backend of the service terminated at once, still under load.
    const beforeTerminate = acknowledged.length;
    await acknowledgedSoFar(beforeTerminate + 50);
    const terminated = await withClient(pg.url(), async (c) =>
      (await c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'crm-sync%'")).rowCount,
    );
    expect(terminated).toBeGreaterThanOrEqual(3); // pool, LISTEN and the leader locks at least
    await acknowledgedSoFar(acknowledged.length + 50);
    await expectEventually(async () => expect(await healthStatus(url)).toBe(200), { timeoutMs: 30_000 });

    loading = false;
    await load;
    expectAlive(service);
    expect(service.output.join('')).not.toMatch(/Unhandled 'error' event|uncaught/i);

    // Every acknowledged webhook is stored, and the projector read past all of them.
    await withClient(pg.url('crm_sync'), async (c) => {
      const { rows } = await c.query<{ position: string; source_event_id: string }>(
        "SELECT position, source_event_id FROM events WHERE source = 'monday' AND position = ANY($1::bigint[])",
        [acknowledged.map((a) => a.position)],
      );
      const stored = new Map(rows.map((r) => [Number(r.position), r.source_event_id]));
      for (const { position, triggerUuid } of acknowledged) expect(stored.get(position)).toBe(triggerUuid);
      await expectEventually(
        async () => {
          const unread = await c.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM events e WHERE e.position = ANY($2::bigint[]) AND NOT EXISTS (
               SELECT 1 FROM subscriber_checkpoints c
               WHERE c.subscriber = $1 AND (e.transaction_id, e.position) <= (c.transaction_id, c.position))`,
            [SYNC_PROJECTOR, acknowledged.map((a) => a.position)],
          );
          expect(unread.rows[0].n).toBe(0);
        },
        { timeoutMs: 30_000 },
      );
    });
  }, 180_000);
});

async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
