import { SqlMigration } from './sql-migration';

/**
 * Why: the backfill (issue 7) must survive a kill and continue where it stopped, so each object's
 * run keeps explicit progress (style lesson 14): the resume cursor (last SystemModstamp, last Id,
 * read in that order), status, counts and attempts. The cursor is written in the same transaction
 * as the snapshot events of the page it covers, so a resumed run neither skips nor re-counts a page.
 *
 * The SQL is byte for byte the former migrations/0005_backfill_progress.sql, whose checksum databases
 * migrated before TypeORM keep in schema_migrations.
 */
export class BackfillProgress0005 extends SqlMigration {
  readonly file = '0005_backfill_progress.sql';
  readonly sql = `-- Why: the backfill (issue 7) must survive a kill and continue where it stopped, so each object's
-- run keeps explicit progress (style lesson 14): the resume cursor (last SystemModstamp, last Id,
-- read in that order), status, counts and attempts. The cursor is written in the same transaction
-- as the snapshot events of the page it covers, so a resumed run neither skips nor re-counts a page.
CREATE TABLE backfill_progress (
  object_key      text        PRIMARY KEY,
  status          text        NOT NULL CHECK (status IN ('running', 'paused', 'done', 'failed')),
  -- lower bound of the run (--since or a catch-up's gap start); null reads all history
  since           timestamptz,
  last_modstamp   timestamptz,
  last_id         text,
  -- records the run expects (COUNT() at its start), read so far, and snapshots new to the log
  total           bigint,
  records_read    bigint      NOT NULL DEFAULT 0,
  events_appended bigint      NOT NULL DEFAULT 0,
  attempts        integer     NOT NULL DEFAULT 0,
  -- why the run paused (API-usage floor) or failed
  reason          text,
  started_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz
);

-- Why: a CDC gap appends system.catch_up_requested (invariant 5); the targeted backfill that reads
-- the named objects again marks the request served here, so "pending catch-ups" is a query
-- (requests without a row) and a restart does not serve the same request twice.
CREATE TABLE catch_up_served (
  request_position bigint      PRIMARY KEY,
  records          integer     NOT NULL,
  served_at        timestamptz NOT NULL DEFAULT now()
);

-- Why: monday retries a webhook for 30 minutes only; the scheduled monday catch-up reads items
-- updated since the last change it saw on each board (__last_updated__) and appends what the log
-- has not seen. This is its per-board cursor.
CREATE TABLE monday_catch_up_cursors (
  board_id        text        PRIMARY KEY,
  last_updated_at timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now()
);
`;
}
