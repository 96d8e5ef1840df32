import { randomBytes } from 'node:crypto';
import { LeaderLock, SubscriptionRunner } from '../../src/event-store';
import { loadMapping, type Mapping } from '../../src/mapping';
import { enablePersonalData, usePersonalData, type PersonalDataProtector } from '../../src/personal-data';
import { buildSyncContext } from '../../src/sync-projector/build-sync-context';
import { LinkIndex } from '../../src/sync-projector/link-index';
import { saveCachedContext } from '../../src/sync-projector/sync-context-cache';
import { SyncProjector } from '../../src/sync-projector/sync-projector';
import { EXAMPLE_MAPPING, sandboxSchemas } from './sandbox-schemas';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface PersonalDataProjection {
  db: TestDatabase;
  protector: PersonalDataProtector;
  mapping: Mapping;
  /** The sync projector's runner over this database (no dispatcher): drain() it, then stop() it. */
  syncRunner(): SubscriptionRunner;
}

/**
 * A test database with the example mapping, its schemas cached as a running service caches them, and
 * personal-data encryption on under a random key; dropped (and encryption turned off) after the
 * describe. Call in a describe; read the result inside tests and hooks.
 */
export function usePersonalDataProjection(): () => PersonalDataProjection {
  const mapping = loadMapping(EXAMPLE_MAPPING);
  const cached = { live: sandboxSchemas(), salesforceUsers: [], mondayUsers: [] };
  let world: PersonalDataProjection | undefined;
  beforeAll(async () => {
    const db = await createTestDatabase();
    const protector = (await enablePersonalData(db.pool, { key: randomBytes(32), previousKey: null }, mapping)) as PersonalDataProtector;
    await saveCachedContext(db.pool, cached);
    const syncRunner = () => {
      const links = new LinkIndex();
      const context = buildSyncContext(mapping, cached, links);
      return new SubscriptionRunner(db.pool, null, new SyncProjector(() => context, links), new LeaderLock(db.url, 'projector:sync'));
    };
    world = { db, protector, mapping, syncRunner };
  }, 60_000);
  afterAll(async () => {
    usePersonalData(null);
    await world?.db.drop();
  });
  return () => {
    if (!world) throw new Error('usePersonalDataProjection: read it inside a test or hook');
    return world;
  };
}
