import { startMondayEmulator, type MondayEmulator } from '@crm-sync/sandbox';
import { PLATFORM_API_QUERY } from '../../src/monday/documents';

interface Reply {
  data?: { platform_api: { daily_limit: { total: number }; daily_analytics: { last_updated: string; by_day: Array<{ day: string; usage: number }> } } | null };
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

async function platformApi(em: MondayEmulator): Promise<Reply> {
  const res = await fetch(em.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: em.apiToken }, body: JSON.stringify({ query: PLATFORM_API_QUERY }) });
  return (await res.json()) as Reply;
}

/** monday's API analytics (platform_api): an admin's view, refreshed about every 10 minutes, never fresher. */
describe('monday emulator: platform_api daily limit and analytics', () => {
  const started: MondayEmulator[] = [];
  afterAll(async () => Promise.all(started.map((em) => em.close())));
  const start = async (integrationUserIsAdmin: boolean) => {
    const em = await startMondayEmulator({ seed: 'demo', integrationUserIsAdmin });
    started.push(em);
    return em;
  };

  it('refuses a member token (UserUnauthorizedException)', async () => {
    const reply = await platformApi(await start(false));
    expect(reply.data?.platform_api ?? null).toBeNull();
    expect(reply.errors?.[0]?.extensions?.code).toBe('UserUnauthorizedException');
  });

  it("reports the limit and today's calls, and shows new calls only after the 10-minute refresh", async () => {
    const em = await start(true);
    // Noon UTC of the next day: the 10 minutes below must not cross midnight into a new day (a CI run at 23:50 UTC did).
    const now = new Date(em.control.now());
    em.control.advanceClock(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 12) - now.getTime());
    em.control.setDailyCalls({ used: 120, limit: 1000 });
    const first = await platformApi(em);
    const today = new Date(em.control.now()).toISOString().slice(0, 10);
    expect(first.data?.platform_api).toEqual({ daily_limit: { total: 1000 }, daily_analytics: { last_updated: expect.any(String), by_day: [{ day: today, usage: 121 }] } }); // the query itself counts
    await platformApi(em);
    await platformApi(em);
    expect((await platformApi(em)).data?.platform_api?.daily_analytics.by_day[0].usage).toBe(121); // not refreshed yet
    expect(em.control.dailyCalls().used).toBeGreaterThanOrEqual(124); // but counted
    em.control.advanceClock(10 * 60_000);
    expect((await platformApi(em)).data?.platform_api?.daily_analytics.by_day[0].usage).toBeGreaterThanOrEqual(124);
  });
});
