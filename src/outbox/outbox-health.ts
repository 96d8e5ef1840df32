import type { CheckResult } from '../observability/health-registry';
import type { Queryable } from '../event-store/queryable';

/** In-flight commands and their leases, in one read. `$1` is the dispatcher's lease in ms. */
const LEASES_SQL = `
SELECT count(*)::int AS in_flight,
       count(*) FILTER (WHERE locked_until < now())::int AS lease_expired,
       count(*) FILTER (WHERE locked_until < now() - $1 * interval '1 millisecond')::int AS stuck,
       COALESCE(EXTRACT(EPOCH FROM now() - min(locked_until - $1 * interval '1 millisecond')), 0)::float8 AS held_longest_seconds,
       EXTRACT(EPOCH FROM min(locked_until) FILTER (WHERE locked_until >= now()) - now())::float8 AS next_lease_ends_in_seconds
FROM outbox WHERE status = 'in_flight'`;

export interface LeaseCounts {
  inFlight: number;
  /** Lease over, not yet taken over by a dispatcher (one polls at most a few seconds). */
  leaseExpired: number;
  /** Lease over for longer than a whole lease: no dispatcher is taking work over. */
  stuck: number;
  heldLongestSeconds: number;
  nextLeaseEndsInSeconds: number | null;
}

export async function readLeaseCounts(db: Queryable, leaseMs: number): Promise<LeaseCounts> {
  const { rows } = await db.query<{
    in_flight: number; lease_expired: number; stuck: number; held_longest_seconds: number; next_lease_ends_in_seconds: number | null;
  }>(LEASES_SQL, [leaseMs]);
  const row = rows[0];
  return {
    inFlight: row?.in_flight ?? 0,
    leaseExpired: row?.lease_expired ?? 0,
    stuck: row?.stuck ?? 0,
    heldLongestSeconds: Math.max(0, Math.round(row?.held_longest_seconds ?? 0)),
    nextLeaseEndsInSeconds: row?.next_lease_ends_in_seconds == null ? null : Math.max(0, Math.round(row.next_lease_ends_in_seconds)),
  };
}

/**
 * The outbox_dispatcher health check. Commands held by a dispatcher that died stay in flight until
 * their lease ends (then any dispatcher takes them over): that wait is shown (how long the oldest has
 * been held, when the next lease ends) without failing health, since it resolves by itself. Health
 * fails only when this dispatcher is not running or a lease ended a whole lease ago and nobody took
 * the command over.
 */
export function outboxDispatchCheck(running: boolean, leases: LeaseCounts): CheckResult {
  return { ok: running && leases.stuck === 0, detail: { running, ...leases } };
}
