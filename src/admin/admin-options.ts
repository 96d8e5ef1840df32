import type { Queryable } from '../event-store/queryable';

export const ADMIN_OPTIONS = Symbol('ADMIN_OPTIONS');

export interface AdminOptions {
  /** The pool (or any queryable) the admin endpoints read and write. */
  db: Queryable;
  /** ADMIN_TOKEN; null turns every /admin endpoint off (404). */
  adminToken: string | null;
  /** How long POST /admin/parked-events/:position/retry waits for the projector's answer (default 10 s). */
  parkedRetryWaitMs?: number;
}
