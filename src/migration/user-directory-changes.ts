import { randomUUID } from 'node:crypto';
import type { NewEvent, UserDirectoryChanged } from '../event-store';
import type { CachedUserLists } from '../sync-projector/sync-context-cache';

export interface UserListChanges {
  added: number;
  removed: number;
}

/** Users (id and e-mail, of either CRM) in `after` and not in `before`, and the other way round. */
export function userListChanges(before: CachedUserLists, after: CachedUserLists): UserListChanges {
  const was = listKeys(before);
  const now = listKeys(after);
  return { added: difference(now, was), removed: difference(was, now) };
}

/**
 * The event telling the sync projector that the directory knows users it did not: the values
 * waiting for a person are converted again there (in the log, so replay does the same at the same
 * point). Null when no user was added (a removal resolves nothing). Counts only, no e-mail.
 */
export function userDirectoryChangedEvent(changes: UserListChanges, lists: CachedUserLists, via: UserDirectoryChanged['via'], now: Date): NewEvent | null {
  if (changes.added === 0) return null;
  return {
    type: 'system.user_directory_changed',
    source: 'system',
    // Each read that adds users is its own fact: two instances announcing the same users both resolve (the second, nothing).
    sourceEventId: `user-directory:${randomUUID()}`,
    stream: 'system:user-directory',
    origin: 'unknown',
    occurredAt: now,
    payload: { ...changes, salesforceUsers: lists.salesforceUsers.length, mondayUsers: lists.mondayUsers.length, via },
  };
}

function listKeys(lists: CachedUserLists): Set<string> {
  return new Set([...lists.salesforceUsers.map((u) => `sf:${u.id}:${u.email.toLowerCase()}`), ...lists.mondayUsers.map((u) => `monday:${u.id}:${u.email.toLowerCase()}`)]);
}

function difference(a: Set<string>, b: Set<string>): number {
  let n = 0;
  for (const key of a) if (!b.has(key)) n++;
  return n;
}
