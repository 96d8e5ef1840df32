import type { Mapping } from '../mapping';
import type { LinkIndex } from './link-index';
import { resolveMapping } from '../mapping/resolved-mapping';
import type { SyncContext } from './sync-context';
import type { CachedContext } from './sync-context-cache';
import { EmailUserDirectory } from './user-directory';

/** The mapping bound to the live schemas, the links and both user lists: what every decision reads. */
export function buildSyncContext(mapping: Mapping, cached: CachedContext, links: LinkIndex): SyncContext {
  return {
    mapping: resolveMapping(mapping, cached.live),
    links,
    users: new EmailUserDirectory(cached.salesforceUsers, cached.mondayUsers),
  };
}
