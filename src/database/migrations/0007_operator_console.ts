import { SqlMigration } from './sql-migration';

/**
 * Why: the operator console charts each CRM's API usage over the last 24 hours (issue 17), and
 * neither API keeps a history we can read back: Salesforce reports only the current api-usage N/M,
 * monday nothing at all. Each instance samples what it last saw once a minute; a week is kept.
 *
 * The SQL is byte for byte the former migrations/0007_operator_console.sql, whose checksum databases
 * migrated before TypeORM keep in schema_migrations.
 */
export class OperatorConsole0007 extends SqlMigration {
  readonly file = '0007_operator_console.sql';
  readonly sql = `-- Why: the operator console charts each CRM's API usage over the last 24 hours (issue 17), and
-- neither API keeps a history we can read back: Salesforce reports only the current api-usage N/M,
-- monday nothing at all. Each instance samples what it last saw once a minute; a week is kept.
CREATE TABLE api_usage_samples (
  crm        text        NOT NULL CHECK (crm IN ('salesforce', 'monday')),
  sampled_at timestamptz NOT NULL DEFAULT now(),
  -- Salesforce: the org's requests in its rolling 24 h; monday: calls this instance made since 00:00 UTC
  used       bigint      NOT NULL,
  -- the daily allocation when known (Salesforce always; monday never reports it)
  allocation bigint,
  PRIMARY KEY (crm, sampled_at)
);

-- Why: the operator console signs in with ADMIN_TOKEN and keeps a server-side session, shared by
-- every instance on this database (a load balancer may send the next request to another one).
-- Only a hash of the session id is stored: a database read does not yield a usable cookie.
CREATE TABLE console_sessions (
  id_hash    text        PRIMARY KEY,
  csrf_token text        NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX console_sessions_expiry_idx ON console_sessions (expires_at);

-- Why: an operator may discard a dead letter the data will never allow (the record was deleted on
-- purpose, the value is wrong on both sides): it leaves the dead-letter list but keeps its row and
-- error, so the record's history still shows what was not written and why.
ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check CHECK (status IN ('pending', 'in_flight', 'done', 'dead', 'discarded'));
`;
}
