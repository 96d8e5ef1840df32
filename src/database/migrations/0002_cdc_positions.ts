import { SqlMigration } from './sql-migration';

/**
 * Why: the last processed CDC replay id of each channel is stored in the same transaction as the
 * events it produced (invariant 5), so a restart resubscribes exactly after what was committed:
 * nothing lost, and a redelivered message is a duplicate append, not a second event.
 *
 * The SQL is byte for byte the former migrations/0002_cdc_positions.sql, whose checksum databases
 * migrated before TypeORM keep in schema_migrations.
 */
export class CdcPositions0002 extends SqlMigration {
  readonly file = '0002_cdc_positions.sql';
  readonly sql = `-- Why: the last processed CDC replay id of each channel is stored in the same transaction as the
-- events it produced (invariant 5), so a restart resubscribes exactly after what was committed:
-- nothing lost, and a redelivered message is a duplicate append, not a second event.
CREATE TABLE cdc_positions (
  channel        text        PRIMARY KEY,
  replay_id      bigint      NOT NULL,
  last_commit_at timestamptz,
  updated_at     timestamptz NOT NULL DEFAULT now()
);
`;
}
