import { SqlMigration } from './sql-migration';

/**
 * Why: the projections of the sync (issue 6). One row per synced record pair holds the link
 * (monday item <-> Salesforce record), its tombstone, and the last known value of every mapped
 * field on each side with its source timestamp. Rebuildable from the event log (crm-sync replay).
 *
 * The SQL is byte for byte the former migrations/0003_sync_state.sql, whose checksum databases
 * migrated before TypeORM keep in schema_migrations.
 */
export class SyncState0003 extends SqlMigration {
  readonly file = '0003_sync_state.sql';
  readonly sql = `-- Why: the projections of the sync (issue 6). One row per synced record pair holds the link
-- (monday item <-> Salesforce record), its tombstone, and the last known value of every mapped
-- field on each side with its source timestamp. Rebuildable from the event log (crm-sync replay).
CREATE TABLE sync_records (
  id              bigserial   PRIMARY KEY,
  object_key      text        NOT NULL,
  salesforce_id   text,
  monday_board_id text        NOT NULL,
  monday_item_id  text,
  -- set when either side deleted/archived the record: a late update can no longer resurrect it
  deleted_side    text        CHECK (deleted_side IN ('salesforce', 'monday')),
  deleted_at      timestamptz,
  -- a create toward this side is in the outbox: do not issue a second one (invariant 6)
  creating        text        CHECK (creating IN ('salesforce', 'monday')),
  -- Lead conversion requested (lead lifecycle): convert once only
  converted_at    timestamptz,
  fields          jsonb       NOT NULL DEFAULT '{}',
  -- relation fields waiting for the other record to be linked
  waiting         jsonb       NOT NULL DEFAULT '[]',
  last_position   bigint      NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX sync_records_salesforce_idx ON sync_records (object_key, salesforce_id) WHERE salesforce_id IS NOT NULL;
CREATE UNIQUE INDEX sync_records_monday_idx ON sync_records (monday_item_id) WHERE monday_item_id IS NOT NULL;

-- Why: commands to either CRM are written in the same transaction as the decision that caused them
-- (invariant 4) and sent by dispatchers on every instance: claimed with FOR UPDATE SKIP LOCKED,
-- one in flight per record at a time (invariant 8). A dead letter is a row with status 'dead'.
CREATE TABLE outbox (
  id            bigserial   PRIMARY KEY,
  record_id     bigint      NOT NULL,
  target        text        NOT NULL CHECK (target IN ('salesforce', 'monday')),
  kind          text        NOT NULL,
  payload       jsonb       NOT NULL,
  caused_by     bigint      NOT NULL,
  status        text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'in_flight', 'done', 'dead')),
  attempts      integer     NOT NULL DEFAULT 0,
  available_at  timestamptz NOT NULL DEFAULT now(),
  locked_until  timestamptz,
  last_error    jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz
);
CREATE INDEX outbox_ready_idx ON outbox (available_at, id) WHERE status = 'pending';
CREATE INDEX outbox_open_per_record_idx ON outbox (record_id, id) WHERE status IN ('pending', 'in_flight');
CREATE INDEX outbox_dead_idx ON outbox (id) WHERE status = 'dead';

-- Why: invariant 11, nothing silently dropped: every event the sync projector reads ends as
-- projected, skipped with a reason, or dead-lettered, and the reason is queryable (audit history).
CREATE TABLE sync_decisions (
  position    bigint      NOT NULL,
  record_id   bigint,
  event_type  text        NOT NULL,
  outcome     text        NOT NULL CHECK (outcome IN ('projected', 'skipped', 'dead_lettered')),
  reason      text,
  detail      jsonb,
  commands    integer     NOT NULL DEFAULT 0,
  decided_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sync_decisions_position_idx ON sync_decisions (position);
CREATE INDEX sync_decisions_record_idx ON sync_decisions (record_id, position);

-- Why: replay must not call either CRM (invariant 10), yet decisions depend on the live schemas
-- (column types, describe) and on the user directory. Start-up stores what it read here; replay
-- and the projector read it back.
CREATE TABLE sync_context_cache (
  name       text        PRIMARY KEY,
  value      jsonb       NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
`;
}
