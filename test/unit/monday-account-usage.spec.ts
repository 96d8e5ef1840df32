import { MondayAccountUsageReader, MondayError, type MondayDailyCalls } from '../../src/monday';

const NOON = Date.UTC(2030, 0, 2, 12);

/** A monday port double: its own call count, and what platform_api answers (or refuses). */
function port(answer: MondayDailyCalls | Error) {
  const state = { own: 0, answer };
  return {
    state,
    monday: {
      apiUsage: () => ({ callsToday: state.own, dailyLimitReachedUntil: null, complexityRemaining: null }),
      dailyCalls: async () => {
        if (state.answer instanceof Error) throw state.answer;
        return state.answer;
      },
    },
  };
}

describe("monday's daily calls for the 80% warning", () => {
  it("counts the account's calls from monday's analytics plus this process's calls since the reading", async () => {
    const { state, monday } = port({ limit: 1000, usedToday: 700, lastUpdated: '2030-01-02T11:55:00Z' });
    state.own = 40;
    const reader = new MondayAccountUsageReader(monday, null, () => undefined, () => NOON);
    await reader.refresh();
    state.own = 65;
    expect(reader.current()).toEqual({ callsToday: 725, scope: 'account', dailyCallLimit: 1000 });
  });

  it('MONDAY_DAILY_CALL_LIMIT wins over the limit monday reports', async () => {
    const { monday } = port({ limit: 25_000, usedToday: 700, lastUpdated: null });
    const reader = new MondayAccountUsageReader(monday, 1000, () => undefined, () => NOON);
    await reader.refresh();
    expect(reader.current().dailyCallLimit).toBe(1000);
  });

  it("without analytics (not an admin) counts this process's calls against the setting, and says why once", async () => {
    const { state, monday } = port(new MondayError('PERMANENT', 'Only admin users can perform this operation.'));
    const refusals: string[] = [];
    const reader = new MondayAccountUsageReader(monday, 1000, (reason) => refusals.push(reason), () => NOON);
    state.own = 12;
    await reader.refresh();
    await reader.refresh();
    expect(refusals).toEqual(['Only admin users can perform this operation.']);
    expect(reader.current()).toEqual({ callsToday: 12, scope: 'this-process', dailyCallLimit: 1000 });
  });

  it("a reading of yesterday does not count today (monday's day resets at 00:00 UTC)", async () => {
    let now = NOON;
    const { state, monday } = port({ limit: 1000, usedToday: 900, lastUpdated: null });
    const reader = new MondayAccountUsageReader(monday, null, () => undefined, () => now);
    await reader.refresh();
    now += 86_400_000;
    state.own = 3;
    expect(reader.current()).toEqual({ callsToday: 3, scope: 'this-process', dailyCallLimit: 1000 });
  });
});
