/**
 * Which folder of src/ owns each table (docs/architecture.md "Who owns which table"), and the SQL
 * that still names a table outside its owner, each with its reason. test/unit/table-ownership.spec.ts
 * checks the code against both.
 */
export const TABLE_OWNERS: Record<string, string> = {
  events: 'event-store',
  subscriber_checkpoints: 'event-store',
  parked_events: 'event-store',
  sync_records: 'sync-projector',
  sync_decisions: 'sync-projector',
  sync_context_cache: 'sync-projector',
  outbox: 'outbox',
  ingest_rejections: 'ingest',
  cdc_positions: 'ingest',
  catch_up_served: 'ingest',
  backfill_progress: 'migration',
  bulk_import_jobs: 'migration',
  monday_catch_up_cursors: 'migration',
  personal_data_keys: 'personal-data',
  personal_data_lookup: 'personal-data',
  personal_data_erasures: 'personal-data',
  personal_data_backfill: 'personal-data',
  api_usage_samples: 'alerts',
  console_sessions: 'console',
  reconcile_runs: 'console',
  duplicate_merges: 'data-quality',
  schema_migrations: 'database',
};

export interface AllowedReference {
  file: string;
  table: string;
  reason: string;
}

const BY_DESIGN_EXACTLY_ONCE = 'invariant 4: the commands a decision emits are inserted in the transaction of its state and checkpoint; projectors may not import the outbox, so the insert is explicit SQL on the projector transaction';
const BY_DESIGN_CLAIM = 'hot path: the claim returns the projector checkpoint it was taken against in the same statement (commit-safe read of the state the command was decided on)';
const BY_DESIGN_CATCH_UPS = 'pending CDC catch-up requests are catch_up_requested events without a catch_up_served row: one anti-join, so /health and the alerts count consistently';
const BY_DESIGN_ERASURE = 'erasure forgets a person in every table in one transaction (a partial erasure must not commit)';
const BY_DESIGN_REPLAY_IDS = "a rebuild gives each record the id live processing gave it, by the record's first decision in read order: sync_decisions has positions only, the read order's transaction ids are in events (one join, once per replay)";
const BY_DESIGN_ENCRYPT = 'encrypt-existing rewrites the personal columns of every table, batch by batch, resumable; it is the one writer that must touch them all';

export const ALLOWED_OUTSIDE_OWNER: AllowedReference[] = [
  { file: 'src/sync-projector/sync-records.repository.ts', table: 'outbox', reason: BY_DESIGN_EXACTLY_ONCE },
  { file: 'src/outbox/claim.ts', table: 'subscriber_checkpoints', reason: BY_DESIGN_CLAIM },
  { file: 'src/ingest/salesforce/catch-up-queue.ts', table: 'events', reason: BY_DESIGN_CATCH_UPS },
  { file: 'src/personal-data/erase-person.ts', table: 'outbox', reason: BY_DESIGN_ERASURE },
  { file: 'src/personal-data/erase-person.ts', table: 'sync_decisions', reason: BY_DESIGN_ERASURE },
  { file: 'src/personal-data/erase-person.ts', table: 'sync_records', reason: BY_DESIGN_ERASURE },
  { file: 'src/sync-projector/rebuild/replay-record-ids.ts', table: 'events', reason: BY_DESIGN_REPLAY_IDS },
  { file: 'src/personal-data/encrypt-existing.ts', table: 'events', reason: BY_DESIGN_ENCRYPT },
  { file: 'src/personal-data/encrypt-existing.ts', table: 'ingest_rejections', reason: BY_DESIGN_ENCRYPT },
  { file: 'src/personal-data/encrypt-existing.ts', table: 'outbox', reason: BY_DESIGN_ENCRYPT },
  { file: 'src/personal-data/encrypt-existing.ts', table: 'sync_decisions', reason: BY_DESIGN_ENCRYPT },
  { file: 'src/personal-data/encrypt-existing.ts', table: 'sync_records', reason: BY_DESIGN_ENCRYPT },
];
