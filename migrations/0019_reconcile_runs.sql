-- Why: reconciles started from the console were kept in the memory of the instance that started
-- them, so another instance behind the same load balancer showed nothing, and a restart forgot them.
-- Each run is a row: running, then done with its summary or failed with the error. The summary
-- keeps counts and record ids, never field values (they may be personal data). One run per object
-- at a time is enforced by a Postgres advisory lock held while it runs; the partial unique index
-- makes a second 'running' row for an object impossible even so.
CREATE TABLE reconcile_runs (
  id bigserial PRIMARY KEY,
  object_key text NOT NULL,
  status text NOT NULL CHECK (status IN ('running', 'done', 'failed')),
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  started_by text NOT NULL,
  summary jsonb,
  error text
);
CREATE UNIQUE INDEX reconcile_runs_one_running_per_object ON reconcile_runs (object_key) WHERE status = 'running';
CREATE INDEX reconcile_runs_started_at_idx ON reconcile_runs (started_at DESC);
