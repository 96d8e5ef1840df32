/** Injection token of the running sync's SyncContext (the mapping bound to the live schemas, with the links). */
export const SYNC_CONTEXT = Symbol('SYNC_CONTEXT');

/** Injection token of the live schemas the mapping was bound to at start (a CachedContext). */
export const LIVE_SCHEMAS = Symbol('LIVE_SCHEMAS');
