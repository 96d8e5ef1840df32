/** What a rebuild of the sync projection from the log (src/migration/replay.ts) uses of the projection's tables. */
export { clearSyncProjection } from './reset-projection';
export { ReplayRecordIds } from './replay-record-ids';
export { decisionRow, decisionRowOf, ReplayWriter, type ReplayWrite } from './replay-writer';
