import type { Queryable } from '../event-store';
import type { LiveSchemas } from '../mapping/live-schema';
import type { DirectoryUser } from './user-directory';

/** What decide depends on besides the events, as last read from the two CRMs. */
export interface CachedContext {
  live: LiveSchemas;
  salesforceUsers: DirectoryUser[];
  mondayUsers: DirectoryUser[];
}

const NAME = 'live';

/** Start-up stores what it read; replay reads it back without calling either CRM (invariant 10). */
export async function saveCachedContext(db: Queryable, context: CachedContext): Promise<void> {
  await db.query(
    `INSERT INTO sync_context_cache (name, value) VALUES ($1, $2)
     ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [NAME, JSON.stringify(context)],
  );
}

export async function loadCachedContext(db: Queryable): Promise<CachedContext | null> {
  const { rows } = await db.query<{ value: CachedContext }>('SELECT value FROM sync_context_cache WHERE name = $1', [NAME]);
  return rows[0]?.value ?? null;
}
