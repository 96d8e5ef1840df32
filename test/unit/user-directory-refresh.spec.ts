import { SchedulerRegistry } from '@nestjs/schedule';
import pino from 'pino';
import type { Queryable } from '../../src/event-store/queryable';
import { startUserDirectoryRefresh, USER_DIRECTORY_INTERVAL } from '../../src/migration/user-directory-refresh';
import type { MondayPort } from '../../src/monday';
import type { SalesforcePort } from '../../src/salesforce';
import type { SyncContext } from '../../src/sync-projector/sync-context';
import type { CachedContext } from '../../src/sync-projector/sync-context-cache';
import { EmailUserDirectory } from '../../src/sync-projector/user-directory';
import { expectEventually } from '../support/eventually';

/** Both CRMs' user lists as a test sets them; `down` makes that CRM's read fail. */
function crms() {
  const state = {
    salesforce: [{ Id: '005000000000001AAA', Email: 'maya@example.org' }],
    monday: [{ id: '1', name: 'Maya', email: 'Maya@example.org' }],
    down: null as 'salesforce' | 'monday' | null,
    reads: 0,
  };
  const salesforce = {
    async *query(soql: string) {
      expect(soql).toBe('SELECT Id, Email FROM User WHERE IsActive = true');
      state.reads++;
      if (state.down === 'salesforce') throw new Error('Server is temporarily unavailable');
      yield* state.salesforce;
    },
  } as unknown as SalesforcePort;
  const monday = {
    users: async () => {
      if (state.down === 'monday') throw new Error('INTERNAL_SERVER_ERROR');
      return state.monday;
    },
  } as unknown as MondayPort;
  return { state, salesforce, monday };
}

function world(intervalMs: number) {
  const { state, salesforce, monday } = crms();
  const stored: unknown[][] = [];
  const database = { down: false };
  const db: Queryable = {
    query: (async (_sql: string, values?: unknown[]) => {
      if (database.down) throw new Error('Connection terminated unexpectedly');
      stored.push(values ?? []);
      return { rows: [], rowCount: 1 };
    }) as unknown as Queryable['query'],
  };
  const live = { live: { mondayBoards: [], salesforceObjects: [], mondayAccount: { countryCode: null } }, salesforceUsers: [{ id: '005000000000001AAA', email: 'maya@example.org' }], mondayUsers: [{ id: '1', email: 'Maya@example.org' }] } as unknown as CachedContext;
  const context = { users: new EmailUserDirectory(live.salesforceUsers, live.mondayUsers) } as unknown as SyncContext;
  const registry = new SchedulerRegistry();
  const logs: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => logs.push(JSON.parse(line) as Record<string, unknown>) });
  const refresh = startUserDirectoryRefresh({ db, salesforce, monday, context, live, logger, registry }, intervalMs);
  return { state, stored, database, live, context, registry, logs, refresh };
}

/** The events appended through `db` (one JSON array per append statement). */
function appended(stored: unknown[][]): Array<Record<string, unknown>> {
  return stored.filter((values) => String(values[0]).startsWith('[')).flatMap((values) => JSON.parse(String(values[0])) as Array<Record<string, unknown>>);
}

describe('user directory refresh', () => {
  it('each interval reads both lists again and replaces the directory, the live context and the stored lists', async () => {
    const w = world(20);
    try {
      expect(w.registry.doesExist('interval', USER_DIRECTORY_INTERVAL)).toBe(true);
      w.state.salesforce.push({ Id: '005000000000002AAA', Email: 'noor@example.org' });
      w.state.monday.push({ id: '2', name: 'Noor', email: 'Noor@example.org' });
      await expectEventually(() => expect(w.context.users.salesforceUserIdByEmail('noor@example.org')).toBe('005000000000002AAA'));
      expect(w.context.users.mondayUserIdByEmail('noor@example.org')).toBe('2');
      expect(w.live.salesforceUsers).toContainEqual({ id: '005000000000002AAA', email: 'noor@example.org' });
      expect(w.live.live.mondayBoards).toEqual([]);
      expect(w.stored.filter((values) => values[0] === 'live').at(-1)).toEqual(['live', JSON.stringify(w.live.salesforceUsers), JSON.stringify(w.live.mondayUsers)]);
      // Stored, then the log told once (the next intervals add nobody): the values waiting for them are resolved there.
      await expectEventually(() => expect(appended(w.stored)).toHaveLength(1));
      expect(appended(w.stored)).toEqual([
        expect.objectContaining({ type: 'system.user_directory_changed', stream: 'system:user-directory', payload: { added: 2, removed: 0, salesforceUsers: 2, mondayUsers: 2, via: 'refresh' } }),
      ]);
      const savedAt = w.stored.findIndex((values) => values[0] === 'live' && String(values[1]).includes('noor@'));
      expect(savedAt).toBeGreaterThanOrEqual(0);
      expect(savedAt).toBeLessThan(w.stored.findIndex((values) => String(values[0]).includes('system.user_directory_changed')));
      const changed = w.logs.find((l) => l.msg === 'user directory refreshed: users added or removed since the last read');
      expect(changed).toMatchObject({ added: 2, removed: 0, salesforceUsers: 2, mondayUsers: 2 });
      expect(JSON.stringify(w.logs)).not.toContain('noor@');
    } finally {
      await w.refresh.stop();
    }
    expect(w.registry.doesExist('interval', USER_DIRECTORY_INTERVAL)).toBe(false);
  });

  it.each(['salesforce', 'monday'] as const)('%s down: the directory, the live context and the stored lists stay; a warning; the next refresh succeeds', async (down) => {
    const w = world(0);
    expect(w.registry.getIntervals()).toEqual([]);
    const before = w.context.users;
    w.state.salesforce.push({ Id: '005000000000002AAA', Email: 'noor@example.org' });
    w.state.down = down;
    await expect(w.refresh.refreshNow()).resolves.toBe(false);
    expect(w.context.users).toBe(before);
    expect(w.live.salesforceUsers).toHaveLength(1);
    expect(w.stored).toEqual([]);
    expect(w.logs.filter((l) => l.level === 40)).toEqual([expect.objectContaining({ component: 'user-directory', msg: expect.stringContaining('user lists not read') })]);

    w.state.down = null;
    await expect(w.refresh.refreshNow()).resolves.toBe(true);
    expect(w.context.users.salesforceUserEmail('005000000000002AAA')).toBe('noor@example.org');
    await w.refresh.stop();
  });

  it('users added while the database is down are announced by the next refresh that stores its lists', async () => {
    const w = world(0);
    w.state.salesforce.push({ Id: '005000000000002AAA', Email: 'noor@example.org' });
    w.database.down = true;
    await expect(w.refresh.refreshNow()).resolves.toBe(true);
    expect(w.context.users.salesforceUserEmail('005000000000002AAA')).toBe('noor@example.org');
    w.database.down = false;
    await expect(w.refresh.refreshNow()).resolves.toBe(true);
    expect(appended(w.stored)).toEqual([expect.objectContaining({ type: 'system.user_directory_changed', payload: expect.objectContaining({ added: 1 }) })]);
    // Announced once: a refresh that finds nobody new appends nothing.
    await expect(w.refresh.refreshNow()).resolves.toBe(true);
    expect(appended(w.stored)).toHaveLength(1);
    await w.refresh.stop();
  });

  it('a refresh asked for while one runs shares it (one read of each CRM)', async () => {
    const w = world(0);
    const [a, b] = await Promise.all([w.refresh.refreshNow(), w.refresh.refreshNow()]);
    expect([a, b]).toEqual([true, true]);
    expect(w.state.reads).toBe(1);
    await w.refresh.stop();
  });
});
