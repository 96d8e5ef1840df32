import { startSandbox, type SandboxEnvironment } from '@crm-sync/sandbox';
import { mondayJwt, samplePayloads } from '../support/monday-webhooks';
import { startChildService } from '../support/child-service';
import { EXAMPLE_MAPPING } from '../support/sandbox-schemas';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('SIGTERM (interface.md sync rules)', () => {
  let db: TestDatabase;
  let sandbox: SandboxEnvironment;
  beforeAll(async () => {
    db = await createTestDatabase();
    sandbox = await startSandbox();
  });
  afterAll(async () => {
    await sandbox.close();
    await db.drop();
  });

  it('finishes in-flight webhooks, releases its connections and exits 0 within 10 s', async () => {
    // A signing secret alone is a partial configuration (interface.md section 1): the emulators' full set.
    const secret = sandbox.variables.MONDAY_SIGNING_SECRET;
    const service = await startChildService({ ...sandbox.variables, DATABASE_URL: db.url, PORT: '0', SYNC_CONFIG: EXAMPLE_MAPPING });
    const send = () =>
      fetch(`${service.url}/webhooks/monday`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: mondayJwt(secret) },
        body: JSON.stringify({ event: samplePayloads.update_column_value() }),
      }).then((r) => r.status, () => 'refused' as const);

    const inFlight = Array.from({ length: 50 }, send);
    service.child.kill('SIGTERM');
    const statuses = await Promise.all(inFlight);
    const code = await service.exited;

    expect(code).toBe(0);
    // Every request either was stored (200), was told to retry (503), or never reached a closed socket.
    expect(statuses.every((s) => s === 200 || s === 503 || s === 'refused')).toBe(true);
    const stored = (await db.pool.query('SELECT count(*)::int AS n FROM events')).rows[0].n;
    expect(stored).toBe(statuses.filter((s) => s === 200).length);
    const { rows } = await db.pool.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'crm-sync%'", [db.name]);
    expect(rows[0].n).toBe(0);
    expect(service.output.join('')).toMatch(/crm-sync stopped/);
  });
});
