import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SalesforceEmulator, seedDemoOrg } from '../../src/salesforce';
import { expectApiError, passwordLogin, rawFetch, startEmulator } from './sandbox-salesforce-helpers';

/** The control API under /__sandbox/ and in process: faults, request log, state, seeding. */
describe('Salesforce emulator control API', () => {
  let em: SalesforceEmulator;

  beforeAll(async () => {
    em = await startEmulator();
  });
  afterAll(async () => {
    await em.close();
  });
  afterEach(() => {
    em.control.clearFaults();
  });

  const control = (path: string, method = 'GET', body?: unknown) =>
    fetch(`${em.url}/__sandbox${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('commit_then_drop applies the write but destroys the connection without an answer', async () => {
    const conn = await passwordLogin(em);
    await control('/faults', 'POST', { kind: 'commit_then_drop', pathContains: '/sobjects/Lead', method: 'POST' });
    await expect(conn.sobject('Lead').create({ LastName: 'Dropped', Company: 'Twice Co' })).rejects.toThrow();
    const stored = em.control.records('Lead').filter((l) => l.Company === 'Twice Co');
    expect(stored).toHaveLength(1);
  });

  it('answers UNABLE_TO_LOCK_ROW and 503 for the next matching requests only', async () => {
    const conn = await passwordLogin(em);
    em.control.injectFault({ kind: 'unable_to_lock_row', pathContains: '/sobjects/Account', times: 1 });
    await expectApiError(conn.sobject('Account').create({ Name: 'Locked' }), 'UNABLE_TO_LOCK_ROW');
    await expect(conn.sobject('Account').create({ Name: 'Unlocked' })).resolves.toMatchObject({ success: true });
    em.control.injectFault({ kind: 'http_error', status: 503, pathContains: '/composite/sobjects', method: 'POST' });
    const res = await rawFetch(conn, '/services/data/v62.0/composite/sobjects', { method: 'POST', body: '{"records":[]}' });
    expect(res.status).toBe(503);
  });

  it('expire_sessions makes the next call 401 and REQUEST_LIMIT_EXCEEDED can be forced', async () => {
    const conn = await passwordLogin(em);
    em.control.injectFault({ kind: 'request_limit_exceeded' });
    await expectApiError(conn.query('SELECT Id FROM User'), 'REQUEST_LIMIT_EXCEEDED');
    await control('/sessions/expire', 'POST');
    const res = await rawFetch(conn, '/services/data/v62.0/sobjects');
    expect(res.status).toBe(401);
  });

  it('logs requests with method, path, status and the Sforce-Call-Options client', async () => {
    await control('/requests', 'DELETE');
    const conn = await passwordLogin(em, 'crm-sync');
    await conn.query('SELECT Id FROM User');
    const log = (await (await control('/requests')).json()) as Array<{ method: string; path: string; status: number; client: string | null; time: number }>;
    const query = log.find((e) => e.path === '/services/data/v62.0/query');
    expect(query).toMatchObject({ method: 'GET', status: 200, client: 'crm-sync' });
    expect(typeof query?.time).toBe('number');
    expect(log.some((e) => e.path.startsWith('/__sandbox'))).toBe(false);
  });

  it('acts as a human over HTTP and rejects invalid edits with Salesforce errors', async () => {
    const created = (await (await control('/records/Account', 'POST', { fields: { Name: 'Human Co' } })).json()) as { ok: boolean; id: string };
    expect(created.ok).toBe(true);
    const bad = await control(`/records/Account/${created.id}`, 'PATCH', { fields: { Name: null } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, errors: [{ errorCode: 'REQUIRED_FIELD_MISSING' }] });
    const read = (await (await control(`/records/Account/${created.id}`)).json()) as { Name: string; CreatedById: string };
    expect(read).toMatchObject({ Name: 'Human Co', CreatedById: em.adminUserId });
  });

  it('snapshots and restores the org state', async () => {
    const snapshot = em.control.snapshot();
    const before = em.control.records('Account').length;
    em.control.createAsHuman('Account', { Name: 'Ephemeral' });
    expect(em.control.records('Account')).toHaveLength(before + 1);
    await control('/restore', 'POST', snapshot);
    expect(em.control.records('Account')).toHaveLength(before);
    const afterRestore = em.control.createAsHuman('Account', { Name: 'Next' });
    expect(afterRestore.ok && em.control.getRecord(afterRestore.id)?.Name).toBe('Next');
  });

  it('advances the emulated clock', async () => {
    const before = em.control.now();
    const res = (await (await control('/clock/advance', 'POST', { ms: 3_600_000 })).json()) as { now: number };
    expect(res.now - before).toBeGreaterThanOrEqual(3_600_000);
  });

  it('seeds the demo org and keeps it across a restart with persistPath', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sf-emulator-'));
    const persistPath = join(dir, 'state.json');
    try {
      const first = await startEmulator({ persistPath });
      const counts = seedDemoOrg(first);
      expect(counts.leads).toBeGreaterThanOrEqual(30);
      expect(first.control.records('User').some((u) => u.Email === 'integration@crm-sync.example')).toBe(true);
      await first.close();
      const second = await startEmulator({ persistPath });
      try {
        expect(second.control.records('Lead')).toHaveLength(counts.leads as number);
        expect(second.integrationUserId).toBe(first.integrationUserId);
        const conn = await passwordLogin(second);
        const partners = await conn.query("SELECT Id, Owner.Email FROM Lead WHERE Role__c = 'Partner'");
        expect(partners.totalSize).toBeGreaterThan(0);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
