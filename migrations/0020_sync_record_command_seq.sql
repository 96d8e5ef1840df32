-- Why: issue 16, the sync numbers each value-carrying command it issues for a record and side, and a
-- field's "a command carrying the agreed value is on its way" waits for that command's outcome (which
-- carries the number) instead of ending at the echo of an older command of ours carrying the same
-- value (convergence seed 615's redundant write). The last number issued per side is record state.
ALTER TABLE sync_records ADD COLUMN command_seq jsonb NOT NULL DEFAULT '{}';
