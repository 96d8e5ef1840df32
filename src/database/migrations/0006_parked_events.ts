import { SqlMigration } from './sql-migration';

/**
 * Why: issue 13, a poison event never stops the pipeline. An event whose decision throws (a bug, a
 * payload no decider expected, a row the projection cannot store) used to make its subscriber retry
 * the same batch forever. The runner now sets such an event aside here, with the error, and moves
 * its checkpoint past it; an operator retries it after a fix (POST /admin/parked-events/:position/retry),
 * which re-decides it for its record and marks it resolved. Replay skips the unresolved ones, as
 * live processing did.
 *
 * The SQL is byte for byte the former migrations/0006_parked_events.sql, whose checksum databases
 * migrated before TypeORM keep in schema_migrations.
 */
export class ParkedEvents0006 extends SqlMigration {
  readonly file = '0006_parked_events.sql';
  readonly sql = `-- Why: issue 13, a poison event never stops the pipeline. An event whose decision throws (a bug, a
-- payload no decider expected, a row the projection cannot store) used to make its subscriber retry
-- the same batch forever. The runner now sets such an event aside here, with the error, and moves
-- its checkpoint past it; an operator retries it after a fix (POST /admin/parked-events/:position/retry),
-- which re-decides it for its record and marks it resolved. Replay skips the unresolved ones, as
-- live processing did.
CREATE TABLE parked_events (
  subscriber         text        NOT NULL,
  position           bigint      NOT NULL,
  transaction_id     xid8        NOT NULL,
  event_type         text        NOT NULL,
  stream             text        NOT NULL,
  -- the records the event concerns, as the subscriber names them (e.g. ["item:123"])
  record_keys        jsonb       NOT NULL DEFAULT '[]',
  error_message      text        NOT NULL,
  error_stack        text,
  parked_at          timestamptz NOT NULL DEFAULT now(),
  -- an operator asked for a retry; the subscriber's leader runs it and clears this
  retry_requested_at timestamptz,
  retried_at         timestamptz,
  retries            integer     NOT NULL DEFAULT 0,
  resolved_at        timestamptz,
  PRIMARY KEY (subscriber, position)
);
CREATE INDEX parked_events_open_idx ON parked_events (subscriber, position) WHERE resolved_at IS NULL;
CREATE INDEX parked_events_retry_idx ON parked_events (subscriber, position) WHERE retry_requested_at IS NOT NULL AND resolved_at IS NULL;
`;
}
