-- Why: `crm-sync duplicates --merge` is an operator's decision that deletes records on both sides;
-- each one is kept here (who was kept, who was merged away, which values the master took, what
-- was sent and how it ended) so the merge can be audited and explained after the fact.
CREATE TABLE duplicate_merges (
  id            bigserial   PRIMARY KEY,
  cluster_id    text        NOT NULL,
  object_key    text        NOT NULL,
  master        jsonb       NOT NULL,
  members       jsonb       NOT NULL,
  plan          jsonb       NOT NULL,
  status        text        NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
  outcome       jsonb,
  error         text,
  started_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz
);
CREATE INDEX duplicate_merges_cluster_idx ON duplicate_merges (cluster_id);
