import type { Pool } from 'pg';
import { EventNotifications, LeaderLock, SubscriptionRunner, type RecordedEvent, type SubscriptionOptions } from '../../src/event-store';

/** A runner whose subscriber records what it was handed, for assertions. */
export function recordingRunner(
  pool: Pool,
  url: string,
  notifications: EventNotifications | null,
  name = 'test-subscriber',
  options: SubscriptionOptions = {},
): { runner: SubscriptionRunner; seen: RecordedEvent[]; lock: LeaderLock } {
  const seen: RecordedEvent[] = [];
  const lock = new LeaderLock(url, name);
  const runner = new SubscriptionRunner(
    pool,
    notifications,
    { name, handle: async (events) => void seen.push(...events) },
    lock,
    { pollIntervalMs: 200, takeoverIntervalMs: 100, ...options },
  );
  return { runner, seen, lock };
}
