import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { SchedulerRegistry } from '@nestjs/schedule';
import type { Logger } from 'pino';
import type { Queryable } from '../event-store/queryable';
import type { MondayPort } from '../monday/monday.port';
import type { SalesforcePort } from '../salesforce/salesforce.port';
import type { SyncContext } from '../sync-projector/sync-context';
import { saveCachedUserLists, type CachedContext, type CachedUserLists } from '../sync-projector/sync-context-cache';
import { EmailUserDirectory } from '../sync-projector/user-directory';
import { readUserLists } from './read-live-context';
import { userDirectoryChangedEvent, userListChanges } from './user-directory-changes';
import { appendEvent } from '../event-store';

export interface UserDirectoryRefreshDeps {
  db: Queryable;
  salesforce: SalesforcePort;
  monday: MondayPort;
  /** The running sync's context: each successful refresh replaces its `users`. */
  context: SyncContext;
  /**
   * The live context the service started with, which scheduled backfills build their context from:
   * its user lists follow each refresh too (the live schemas are left as they are).
   */
  live?: CachedContext;
  logger: Logger;
  /** Nest's registry: the refresh is the interval `user-directory-refresh` there. */
  registry?: SchedulerRegistry;
}

export interface UserDirectoryRefresh {
  /**
   * Reads both user lists now (one read at a time: a call while one runs shares it). True when the
   * directory was replaced; false when a CRM did not answer, and the current directory is kept.
   */
  refreshNow(): Promise<boolean>;
  stop(): Promise<void>;
}

export const USER_DIRECTORY_INTERVAL = 'user-directory-refresh';

/**
 * The user directory (people <-> OwnerId by e-mail) of a running instance, read again every
 * `intervalMs` (USER_DIRECTORY_REFRESH_MINUTES; 0: never, only refreshNow): a user added in either
 * CRM after the start is known from the next refresh on, without a restart. Every instance refreshes
 * its own directory (no lock: each decides with what it holds); each success also stores the lists in
 * sync_context_cache, where an instance taking the projector's lead, and replay, read them. A read
 * that adds users then appends system.user_directory_changed: the projector converts again the
 * values that wait for a person the directory did not know. A failed read changes nothing and is
 * tried again at the next interval.
 */
export function startUserDirectoryRefresh(deps: UserDirectoryRefreshDeps, intervalMs: number): UserDirectoryRefresh {
  const logger = deps.logger.child({ component: 'user-directory' });
  let running: Promise<boolean> | null = null;
  // The lists the log was last told of (start-up's read, or a refresh stored with its event).
  let announced: CachedUserLists | null = deps.live ? { salesforceUsers: deps.live.salesforceUsers, mondayUsers: deps.live.mondayUsers } : null;

  const refresh = async (): Promise<boolean> => {
    let lists: CachedUserLists;
    try {
      lists = await readUserLists(deps.salesforce, deps.monday);
    } catch (error) {
      logger.warn(
        { err: error instanceof Error ? error.message : String(error), nextTryInMinutes: intervalMs > 0 ? intervalMs / 60_000 : null },
        'user lists not read (a CRM did not answer): the user directory stays as it was until the next refresh',
      );
      return false;
    }
    deps.context.users = new EmailUserDirectory(lists.salesforceUsers, lists.mondayUsers);
    if (deps.live) Object.assign(deps.live, lists);
    // Counts only: the lists are e-mail addresses (personal data), never logged.
    const changes = announced ? userListChanges(announced, lists) : null;
    const counts = { salesforceUsers: lists.salesforceUsers.length, mondayUsers: lists.mondayUsers.length };
    if (changes && changes.added + changes.removed > 0) logger.info({ ...counts, ...changes }, 'user directory refreshed: users added or removed since the last read');
    else logger.debug(counts, 'user directory refreshed');
    try {
      if (!(await saveCachedUserLists(deps.db, lists))) {
        logger.warn('user lists refreshed but not stored: sync_context_cache has no context yet');
        return true;
      }
      // Stored first: the projector decides this event with the stored lists (another instance may lead it).
      const event = changes && userDirectoryChangedEvent(changes, lists, 'refresh', new Date());
      if (event) await appendEvent(deps.db, event);
      announced = lists;
    } catch (error) {
      // The next refresh compares with the lists last announced, so the users added here are announced then.
      logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'user lists refreshed but not stored (database): this instance uses them, the stored ones stay older until the next refresh');
    }
    return true;
  };

  const refreshNow = (): Promise<boolean> =>
    (running ??= refresh().finally(() => {
      running = null;
    }));

  let timer: NodeJS.Timeout | null = null;
  if (intervalMs > 0) {
    timer = setInterval(() => void refreshNow(), intervalMs);
    timer.unref();
    deps.registry?.addInterval(USER_DIRECTORY_INTERVAL, timer);
  }
  return {
    refreshNow,
    stop: async () => {
      if (timer) clearInterval(timer);
      if (deps.registry?.doesExist('interval', USER_DIRECTORY_INTERVAL)) deps.registry.deleteInterval(USER_DIRECTORY_INTERVAL);
      await running;
    },
  };
}

/** The refresh as a part of the sync's Nest context: started when it boots, stopped before it closes. */
export class UserDirectoryRefreshService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private refresh: UserDirectoryRefresh | null = null;

  constructor(
    private readonly deps: UserDirectoryRefreshDeps,
    private readonly intervalMs: number,
  ) {}

  onApplicationBootstrap(): void {
    this.refresh = startUserDirectoryRefresh(this.deps, this.intervalMs);
  }

  /** Reads both user lists now (see UserDirectoryRefresh.refreshNow); false before the context booted. */
  refreshNow(): Promise<boolean> {
    return this.refresh?.refreshNow() ?? Promise.resolve(false);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.refresh?.stop();
  }
}
