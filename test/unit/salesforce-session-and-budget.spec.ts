import type { Connection } from 'jsforce';
import { ApiUsageTracker } from '../../src/salesforce/api-usage-tracker';
import type { AuthFlow, SessionTokens } from '../../src/salesforce/auth/auth-flows';
import { BoundedSessionRefresh } from '../../src/salesforce/auth/bounded-session-refresh';
import { backoffDelay } from '../../src/salesforce/cdc/backoff';
import { SalesforceError } from '../../src/salesforce';

const tokens = (n: number): SessionTokens => ({ accessToken: `token-${n}`, instanceUrl: 'http://sf', idUrl: null, refreshToken: null });

function flowThat(refresh: () => Promise<SessionTokens>): AuthFlow & { calls: number } {
  const flow = {
    name: 'client_credentials' as const,
    calls: 0,
    login: async () => tokens(0),
    refresh: async () => {
      flow.calls += 1;
      return refresh();
    },
  };
  return flow;
}

const fakeConnection = () => ({ accessToken: 'token-0' }) as unknown as Connection;

describe('BoundedSessionRefresh', () => {
  it('announces each new token and stores it on the connection', async () => {
    let n = 0;
    const conn = fakeConnection();
    const session = new BoundedSessionRefresh(flowThat(async () => tokens(++n)), conn);
    const announced: string[] = [];
    session.onToken((t) => announced.push(t));
    await session.refresh();
    expect(conn.accessToken).toBe('token-1');
    expect(announced).toEqual(['token-1']);
  });

  it('concurrent refreshes share one token request', async () => {
    const flow = flowThat(async () => tokens(1));
    const session = new BoundedSessionRefresh(flow, fakeConnection());
    await Promise.all([session.refresh(), session.refresh(), session.refresh()]);
    expect(flow.calls).toBe(1);
  });

  it('gives up after maxAttempts refreshes without an authenticated response, then fails fast', async () => {
    const flow = flowThat(async () => tokens(1));
    const session = new BoundedSessionRefresh(flow, fakeConnection(), { maxAttempts: 2 });
    await session.refresh();
    await session.refresh();
    await expect(session.refresh()).rejects.toMatchObject({ code: 'SESSION_EXPIRED', sfCode: 'REFRESH_GAVE_UP' });
    await expect(session.refresh()).rejects.toBeInstanceOf(SalesforceError);
    expect(flow.calls).toBe(2);
    expect(session.healthy()).toBe(false);
  });

  it('an authenticated response resets the count', async () => {
    const flow = flowThat(async () => tokens(1));
    const session = new BoundedSessionRefresh(flow, fakeConnection(), { maxAttempts: 2 });
    for (let i = 0; i < 5; i++) {
      await session.refresh();
      session.noteAuthenticatedResponse();
    }
    expect(session.healthy()).toBe(true);
    expect(flow.calls).toBe(5);
  });

  it('refused credentials mid-session are SESSION_EXPIRED keeping the OAuth code', async () => {
    const refused = Object.assign(new Error('expired access/refresh token'), { name: 'invalid_grant' });
    const session = new BoundedSessionRefresh(flowThat(async () => Promise.reject(refused)), fakeConnection(), { maxAttempts: 3 });
    await expect(session.refresh()).rejects.toMatchObject({ code: 'SESSION_EXPIRED', sfCode: 'invalid_grant' });
  });

  it('login after giving up makes the session usable again', async () => {
    const session = new BoundedSessionRefresh(flowThat(async () => tokens(1)), fakeConnection(), { maxAttempts: 1 });
    await session.refresh();
    await expect(session.refresh()).rejects.toMatchObject({ code: 'SESSION_EXPIRED' });
    await session.login();
    expect(session.healthy()).toBe(true);
    expect(() => session.assertUsable()).not.toThrow();
  });
});

describe('ApiUsageTracker', () => {
  it('reads api-usage from Sforce-Limit-Info, with or without per-app usage', () => {
    const tracker = new ApiUsageTracker();
    tracker.observeHeader('api-usage=18/15000; per-app-api-usage=17/250(appName=x)');
    expect(tracker.current()).toEqual({ used: 18, limit: 15000, remaining: 14982 });
    tracker.observeHeader('per-app-api-usage=1/2(appName=x)');
    expect(tracker.current()).toEqual({ used: 18, limit: 15000, remaining: 14982 });
  });

  it('refuses non-urgent work below the larger of the absolute and fractional floors', () => {
    const tracker = new ApiUsageTracker({ floorRequests: 1000, floorFraction: 0.1 });
    tracker.observeHeader('api-usage=13500/15000');
    expect(tracker.budgetFor('backfill')).toEqual({ allowed: true, usage: { used: 13500, limit: 15000, remaining: 1500 } });
    tracker.observeHeader('api-usage=14100/15000');
    expect(tracker.budgetFor('backfill')).toMatchObject({ allowed: false, floor: 1500 });
  });

  it('allows work before any usage is known', () => {
    expect(new ApiUsageTracker().budgetFor('catch_up')).toEqual({ allowed: true, usage: null });
  });
});

describe('backoffDelay', () => {
  it('doubles up to the cap with half the delay jittered', () => {
    const options = { initialMs: 100, maxMs: 1000 };
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(a, options, () => 0))).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(a, options, () => 1))).toEqual([100, 200, 400, 800, 1000]);
  });
});
