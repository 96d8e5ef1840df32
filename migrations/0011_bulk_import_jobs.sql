-- Why: a backfill that creates items through monday's bulk import (ingest_items / backfill_items)
-- records each job here BEFORE uploading its file, with the Salesforce Id of every row in file order.
-- A run killed mid-job finds the job on restart and reconciles it (polls it to its end, links the
-- items its report names) instead of uploading the rows again: nothing is lost, nothing doubled.
CREATE TABLE bulk_import_jobs (
  job_id          text        PRIMARY KEY,
  object_key      text        NOT NULL,
  board_id        text        NOT NULL,
  kind            text        NOT NULL CHECK (kind IN ('ingest', 'backfill')),
  salesforce_ids  text[]      NOT NULL,
  status          text        NOT NULL DEFAULT 'recorded' CHECK (status IN ('recorded', 'uploaded', 'finished', 'abandoned')),
  state           text,
  counts          jsonb,
  created_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz
);
CREATE INDEX bulk_import_jobs_open_idx ON bulk_import_jobs (board_id) WHERE status IN ('recorded', 'uploaded');
