import { SqlMigration } from './sql-migration';

/**
 * Why: the dispatcher (issue 6) needs three things 0003 does not give it. A claim token, so a
 * dispatcher whose lease expired (another instance took the command over) cannot record an outcome
 * for a command it no longer owns. A progress column, so a create that succeeded in the CRM but whose
 * follow-up (writing the Id back) failed is not created again on retry (invariant 6). And a
 * notification on insert, so dispatchers on every instance wake as soon as a decision commits
 * instead of waiting for their poll. `dispatches` counts every claim and is never reset (a retried
 * dead letter starts its `attempts` again), so each attempt's result event has its own idempotency key.
 *
 * The SQL is byte for byte the former migrations/0004_outbox_dispatch.sql, whose checksum databases
 * migrated before TypeORM keep in schema_migrations.
 */
export class OutboxDispatch0004 extends SqlMigration {
  readonly file = '0004_outbox_dispatch.sql';
  readonly sql = `-- Why: the dispatcher (issue 6) needs three things 0003 does not give it. A claim token, so a
-- dispatcher whose lease expired (another instance took the command over) cannot record an outcome
-- for a command it no longer owns. A progress column, so a create that succeeded in the CRM but whose
-- follow-up (writing the Id back) failed is not created again on retry (invariant 6). And a
-- notification on insert, so dispatchers on every instance wake as soon as a decision commits
-- instead of waiting for their poll. \`dispatches\` counts every claim and is never reset (a retried
-- dead letter starts its \`attempts\` again), so each attempt's result event has its own idempotency key.
ALTER TABLE outbox
  ADD COLUMN claim_token uuid,
  ADD COLUMN progress    jsonb,
  ADD COLUMN dispatches  integer NOT NULL DEFAULT 0;

CREATE FUNCTION outbox_notify_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('crm_sync_outbox', '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER outbox_inserted AFTER INSERT ON outbox
  FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify_inserted();
`;
}
