-- Why: the log is append-only (architecture.md); the database enforces it rather than trusting
-- every writer. Erasure needs neither UPDATE nor DELETE (it destroys keys, see 0013). The one
-- exception is `crm-sync keys encrypt-existing`, which replaces the plaintext personal values of
-- events written before encryption was turned on: it sets `crm_sync.maintenance` for its own
-- transaction (SET LOCAL), and only then may a payload change, nothing else of the row.
CREATE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND current_setting('crm_sync.maintenance', true) = 'encrypt-existing' THEN
    IF (NEW.position, NEW.transaction_id, NEW.source, NEW.source_event_id, NEW.stream, NEW.type, NEW.origin, NEW.occurred_at, NEW.recorded_at)
     IS NOT DISTINCT FROM (OLD.position, OLD.transaction_id, OLD.source, OLD.source_event_id, OLD.stream, OLD.type, OLD.origin, OLD.occurred_at, OLD.recorded_at) THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'events is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege', HINT = 'the event log is never changed; to forget a person use crm-sync erase';
END;
$$;

CREATE TRIGGER events_append_only_row BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION events_refuse_change();
CREATE TRIGGER events_append_only_truncate BEFORE TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_change();
