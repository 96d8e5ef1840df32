import { SqlMigration } from './sql-migration';

/**
 * Why: every change from either CRM is an immutable fact appended here; all other state is derived
 * from it (architecture.md). The unique (source, source_event_id) makes redelivery a no-op
 * (invariant 1). transaction_id lets readers avoid skipping late-committing positions (invariant 3):
 * they read only below pg_snapshot_xmin(pg_current_snapshot()), ordered by (transaction_id, position).
 *
 * The SQL is byte for byte the former migrations/0001_event_store.sql, whose checksum databases
 * migrated before TypeORM keep in schema_migrations.
 */
export class EventStore0001 extends SqlMigration {
  readonly file = '0001_event_store.sql';
  readonly sql = `-- Why: every change from either CRM is an immutable fact appended here; all other state is derived
-- from it (architecture.md). The unique (source, source_event_id) makes redelivery a no-op
-- (invariant 1). transaction_id lets readers avoid skipping late-committing positions (invariant 3):
-- they read only below pg_snapshot_xmin(pg_current_snapshot()), ordered by (transaction_id, position).
CREATE TABLE events (
  position        bigserial   PRIMARY KEY,
  transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
  source          text        NOT NULL CHECK (source IN ('monday', 'salesforce', 'backfill', 'system')),
  source_event_id text        NOT NULL,
  stream          text        NOT NULL,
  type            text        NOT NULL,
  origin          text        NOT NULL CHECK (origin IN ('user', 'own_echo', 'unknown')),
  payload         jsonb       NOT NULL,
  occurred_at     timestamptz NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT events_source_event_unique UNIQUE (source, source_event_id)
);

CREATE INDEX events_read_order_idx ON events (transaction_id, position);
CREATE INDEX events_stream_idx ON events (stream, position);

-- Why: a subscriber's checkpoint is written in the same transaction as its effects (invariant 4).
-- The checkpoint is the (transaction_id, position) of the last event handled, the read order key.
CREATE TABLE subscriber_checkpoints (
  subscriber     text        PRIMARY KEY,
  transaction_id xid8        NOT NULL DEFAULT '0',
  position       bigint      NOT NULL DEFAULT 0,
  updated_at     timestamptz NOT NULL DEFAULT now()
);

-- Why: a webhook we refuse (bad JSON, invalid payload) is not an event, but an operator must be able
-- to see what was refused and why. Headers are stored without secrets; bodies are capped.
CREATE TABLE ingest_rejections (
  id          bigserial   PRIMARY KEY,
  received_at timestamptz NOT NULL DEFAULT now(),
  source      text        NOT NULL,
  reason      text        NOT NULL,
  headers     jsonb       NOT NULL,
  body        text        NOT NULL,
  body_truncated boolean  NOT NULL DEFAULT false
);
`;
}
