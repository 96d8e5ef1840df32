import type { Queryable } from '../event-store';
import type { LiveSchemas } from '../mapping/live-schema';
import type { DirectoryUser } from './user-directory';

/** The two user lists the user directory matches people <-> owner with (by e-mail). */
export interface CachedUserLists {
  salesforceUsers: DirectoryUser[];
  mondayUsers: DirectoryUser[];
}

/** What decide depends on besides the events, as last read from the two CRMs. */
export interface CachedContext extends CachedUserLists {
  live: LiveSchemas;
}

const NAME = 'live';

/**
 * Start-up stores what it read (and each instance's user directory refresh the user lists since);
 * replay and an instance taking the projector's lead read it back without calling either CRM
 * (invariant 10).
 */
export async function saveCachedContext(db: Queryable, context: CachedContext): Promise<void> {
  await db.query(
    `INSERT INTO sync_context_cache (name, value) VALUES ($1, $2)
     ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [NAME, JSON.stringify(context)],
  );
}

/**
 * A refresh of the user lists stores them over the stored ones, in one statement: the live schemas
 * stay as the last start stored them. False when nothing is stored yet (no start has finished: there
 * is no context to keep, and the next start stores one).
 */
export async function saveCachedUserLists(db: Queryable, users: CachedUserLists): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE sync_context_cache
        SET value = value || jsonb_build_object('salesforceUsers', $2::jsonb, 'mondayUsers', $3::jsonb), updated_at = now()
      WHERE name = $1`,
    [NAME, JSON.stringify(users.salesforceUsers), JSON.stringify(users.mondayUsers)],
  );
  return (rowCount ?? 0) > 0;
}

export async function loadCachedContext(db: Queryable): Promise<CachedContext | null> {
  const { rows } = await db.query<{ value: CachedContext }>('SELECT value FROM sync_context_cache WHERE name = $1', [NAME]);
  return rows[0]?.value ?? null;
}
