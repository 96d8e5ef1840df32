import type { Logger } from 'pino';
import type { Queryable } from '../event-store/queryable';
import type { HealthRegistry } from '../observability/health-registry';
import type { OperatorBindings } from './operator-bindings';

export const CONSOLE_OPTIONS = Symbol('CONSOLE_OPTIONS');

export interface ConsoleOptions {
  db: Queryable;
  /** ADMIN_TOKEN (generated in sandbox mode); null turns the console off (404). */
  adminToken: string | null;
  health: HealthRegistry;
  bindings: OperatorBindings;
  logger: Logger;
  /** Set the cookie's Secure attribute (PUBLIC_URL is https). */
  secureCookie: boolean;
  /** Session lifetime (default 8 hours). */
  sessionTtlMs?: number;
}
