/**
 * Every auth flow of interface.md section 1 against the emulator's token endpoint, session refresh on
 * 401, and the bound on refreshing (reference 0.3: jsforce alone retries 401 forever).
 */
import type { SalesforceAuth } from '../../src/config/app-config';
import { createSalesforceClient, SalesforceError, type JsforceSalesforceClient } from '../../src/salesforce';
import type { SalesforceEmulator } from '@crm-sync/sandbox';
import { authFor, connect, failureOf, FAST, salesforceConfig, startEmulator, type FlowName } from './salesforce-client-support';

describe('Salesforce client: authentication', () => {
  let emulator: SalesforceEmulator;

  beforeAll(async () => {
    emulator = await startEmulator();
  });

  afterAll(async () => {
    await emulator.close();
  });

  beforeEach(() => {
    emulator.control.clearFaults();
    emulator.control.clearRequests();
  });

  async function tokenAuth(refreshToken: string | undefined): Promise<SalesforceAuth> {
    const donor = await connect(emulator, 'password');
    const c = emulator.credentials;
    return { flow: 'token', accessToken: donor.accessToken(), instanceUrl: emulator.url, refreshToken, clientId: c.clientId, clientSecret: c.clientSecret };
  }

  async function clientFor(flow: FlowName | 'token'): Promise<JsforceSalesforceClient> {
    if (flow !== 'token') return connect(emulator, flow);
    return createSalesforceClient(salesforceConfig(emulator, await tokenAuth(emulator.control.issueRefreshToken())), FAST);
  }

  const tokenRequests = () => emulator.control.requests().filter((r) => r.path === '/services/oauth2/token');

  it.each<FlowName | 'token'>(['password', 'client_credentials', 'jwt', 'token'])('%s flow logs in as the integration user', async (flow) => {
    const client = await clientFor(flow);
    expect((await client.identity()).userId).toBe(emulator.integrationUserId);
    expect(client.healthy()).toBe(true);
  });

  it.each<FlowName | 'token'>(['password', 'client_credentials', 'jwt', 'token'])('%s flow: an expired session is refreshed and the call carries on', async (flow) => {
    const client = await clientFor(flow);
    const { id } = await client.create('Lead', { LastName: `Expiry ${flow}`, Company: 'Acme' });
    emulator.control.expireSessions();
    emulator.control.clearRequests();

    await client.update('Lead', id, { Company: 'Acme After Refresh' });

    expect(emulator.control.getRecord(id)).toMatchObject({ Company: 'Acme After Refresh' });
    expect(emulator.control.requests().map((r) => r.status)).toEqual([401, 200, 204]);
    expect(tokenRequests()).toHaveLength(1);
    expect(client.healthy()).toBe(true);
  });

  it('bad credentials are AUTH_FAILED at start-up', async () => {
    const auth = { ...authFor(emulator, 'password'), password: 'wrong' } as SalesforceAuth;
    const error = await failureOf(createSalesforceClient(salesforceConfig(emulator, auth), FAST));
    expect(error).toMatchObject({ code: 'AUTH_FAILED', sfCode: 'invalid_grant', operation: 'login' });
  });

  it('missing credentials are AUTH_FAILED, not a silent sandbox', async () => {
    const error = await failureOf(createSalesforceClient(salesforceConfig(emulator, null), FAST));
    expect(error).toMatchObject({ code: 'AUTH_FAILED', sfCode: 'NO_CREDENTIALS' });
  });

  it('an access token without a refresh token surfaces SESSION_EXPIRED when it expires', async () => {
    const client = await createSalesforceClient(salesforceConfig(emulator, await tokenAuth(undefined)), FAST);
    emulator.control.expireSessions();
    const error = await failureOf(client.limits());
    expect(error).toBeInstanceOf(SalesforceError);
    expect(error).toMatchObject({ code: 'SESSION_EXPIRED', operation: 'limits' });
  });

  it('a refresh that keeps failing stops after the bounded attempts with SESSION_EXPIRED and reports unhealthy', async () => {
    const client = await createSalesforceClient(salesforceConfig(emulator, await tokenAuth('5Aep-revoked-refresh-token-000000000000')), {
      ...FAST,
      refresh: { maxAttempts: 3 },
    });
    emulator.control.expireSessions();
    emulator.control.clearRequests();

    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(await failureOf(client.limits())).toMatchObject({ code: 'SESSION_EXPIRED' });
    }
    expect(tokenRequests()).toHaveLength(3);
    expect(client.healthy()).toBe(false);
    expect(client.health().reason).toMatch(/gave up after 3 attempts/);

    const before = emulator.control.requests().length;
    expect(await failureOf(client.limits())).toMatchObject({ code: 'SESSION_EXPIRED', sfCode: 'REFRESH_GAVE_UP' });
    expect(emulator.control.requests()).toHaveLength(before); // fails fast: no more 401/refresh pairs
  });

  it('a server that answers 401 even after successful refreshes does not loop forever (reference 0.3)', async () => {
    const client = await connect(emulator, 'client_credentials', { refresh: { maxAttempts: 3 } });
    emulator.control.injectFault({ kind: 'expire_sessions', times: 1000, pathContains: '/limits' });
    emulator.control.clearRequests();

    const error = await failureOf(client.limits());

    expect(error).toMatchObject({ code: 'SESSION_EXPIRED', sfCode: 'REFRESH_GAVE_UP', operation: 'limits' });
    expect(tokenRequests()).toHaveLength(3);
    expect(emulator.control.requests().filter((r) => r.path.endsWith('/limits'))).toHaveLength(4);
    expect(client.healthy()).toBe(false);
  });

  it('after the cool-down the client tries again and recovers', async () => {
    let now = 1_000_000;
    const client = await connect(emulator, 'client_credentials', { refresh: { maxAttempts: 2, cooldownMs: 60_000, now: () => now } });
    emulator.control.injectFault({ kind: 'expire_sessions', times: 1000, pathContains: '/limits' });
    await failureOf(client.limits());
    expect(client.healthy()).toBe(false);

    emulator.control.clearFaults();
    now += 60_000;
    await expect(client.limits()).resolves.toHaveProperty('DailyApiRequests');
    expect(client.healthy()).toBe(true);
  });
});
