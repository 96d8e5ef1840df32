-- The schema of a freshly migrated database: pg_dump --schema-only --no-owner --no-privileges,
-- without comments, session settings and blank-line runs (schemaDump in src/database/schema-dump.ts).
-- Checked by test/integration/schema-dump.spec.ts; after adding a migration, regenerate it with
--   UPDATE_SCHEMA_DUMP=1 npx jest test/integration/schema-dump.spec.ts

CREATE FUNCTION public.events_refuse_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

CREATE FUNCTION public.outbox_notify_inserted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  PERFORM pg_notify('crm_sync_outbox', '');
  RETURN NULL;
END;
$$;

CREATE TABLE public.api_usage_samples (
    crm text NOT NULL,
    sampled_at timestamp with time zone DEFAULT now() NOT NULL,
    used bigint NOT NULL,
    allocation bigint,
    CONSTRAINT api_usage_samples_crm_check CHECK ((crm = ANY (ARRAY['salesforce'::text, 'monday'::text])))
);

CREATE TABLE public.backfill_progress (
    object_key text NOT NULL,
    status text NOT NULL,
    since timestamp with time zone,
    last_modstamp timestamp with time zone,
    last_id text,
    total bigint,
    records_read bigint DEFAULT 0 NOT NULL,
    events_appended bigint DEFAULT 0 NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    reason text,
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    finished_at timestamp with time zone,
    CONSTRAINT backfill_progress_status_check CHECK ((status = ANY (ARRAY['running'::text, 'paused'::text, 'done'::text, 'failed'::text])))
);

CREATE TABLE public.bulk_import_jobs (
    job_id text NOT NULL,
    object_key text NOT NULL,
    board_id text NOT NULL,
    kind text NOT NULL,
    salesforce_ids text[] NOT NULL,
    status text DEFAULT 'recorded'::text NOT NULL,
    state text,
    counts jsonb,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    finished_at timestamp with time zone,
    CONSTRAINT bulk_import_jobs_kind_check CHECK ((kind = ANY (ARRAY['ingest'::text, 'backfill'::text]))),
    CONSTRAINT bulk_import_jobs_status_check CHECK ((status = ANY (ARRAY['recorded'::text, 'uploaded'::text, 'finished'::text, 'abandoned'::text])))
);

CREATE TABLE public.catch_up_served (
    request_position bigint NOT NULL,
    records integer NOT NULL,
    served_at timestamp with time zone DEFAULT now() NOT NULL
);

CREATE TABLE public.cdc_positions (
    channel text NOT NULL,
    replay_id bigint NOT NULL,
    last_commit_at timestamp with time zone,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

CREATE TABLE public.console_sessions (
    id_hash text NOT NULL,
    csrf_token text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL
);

CREATE TABLE public.events (
    "position" bigint NOT NULL,
    transaction_id xid8 DEFAULT pg_current_xact_id() NOT NULL,
    source text NOT NULL,
    source_event_id text NOT NULL,
    stream text NOT NULL,
    type text NOT NULL,
    origin text NOT NULL,
    payload jsonb NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT events_origin_check CHECK ((origin = ANY (ARRAY['user'::text, 'own_echo'::text, 'unknown'::text]))),
    CONSTRAINT events_source_check CHECK ((source = ANY (ARRAY['monday'::text, 'salesforce'::text, 'backfill'::text, 'system'::text])))
);

CREATE SEQUENCE public.events_position_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.events_position_seq OWNED BY public.events."position";

CREATE TABLE public.ingest_rejections (
    id bigint NOT NULL,
    received_at timestamp with time zone DEFAULT now() NOT NULL,
    source text NOT NULL,
    reason text NOT NULL,
    headers jsonb NOT NULL,
    body text NOT NULL,
    body_truncated boolean DEFAULT false NOT NULL
);

CREATE SEQUENCE public.ingest_rejections_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.ingest_rejections_id_seq OWNED BY public.ingest_rejections.id;

CREATE TABLE public.monday_catch_up_cursors (
    board_id text NOT NULL,
    last_updated_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

CREATE TABLE public.outbox (
    id bigint NOT NULL,
    record_id bigint NOT NULL,
    target text NOT NULL,
    kind text NOT NULL,
    payload jsonb NOT NULL,
    caused_by bigint NOT NULL,
    status text DEFAULT 'pending'::text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    available_at timestamp with time zone DEFAULT now() NOT NULL,
    locked_until timestamp with time zone,
    last_error jsonb,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    finished_at timestamp with time zone,
    claim_token uuid,
    progress jsonb,
    dispatches integer DEFAULT 0 NOT NULL,
    CONSTRAINT outbox_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'in_flight'::text, 'done'::text, 'dead'::text, 'discarded'::text]))),
    CONSTRAINT outbox_target_check CHECK ((target = ANY (ARRAY['salesforce'::text, 'monday'::text])))
);

CREATE SEQUENCE public.outbox_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.outbox_id_seq OWNED BY public.outbox.id;

CREATE TABLE public.parked_events (
    subscriber text NOT NULL,
    "position" bigint NOT NULL,
    transaction_id xid8 NOT NULL,
    event_type text NOT NULL,
    stream text NOT NULL,
    record_keys jsonb DEFAULT '[]'::jsonb NOT NULL,
    error_message text NOT NULL,
    error_stack text,
    parked_at timestamp with time zone DEFAULT now() NOT NULL,
    retry_requested_at timestamp with time zone,
    retried_at timestamp with time zone,
    retries integer DEFAULT 0 NOT NULL,
    resolved_at timestamp with time zone
);

CREATE TABLE public.personal_data_backfill (
    name text NOT NULL,
    last_position bigint NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

CREATE TABLE public.personal_data_erasures (
    id bigint NOT NULL,
    subjects text[] NOT NULL,
    keys integer NOT NULL,
    erased_at timestamp with time zone DEFAULT now() NOT NULL
);

CREATE SEQUENCE public.personal_data_erasures_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.personal_data_erasures_id_seq OWNED BY public.personal_data_erasures.id;

CREATE TABLE public.personal_data_keys (
    id bigint NOT NULL,
    subject text NOT NULL,
    wrapped_key bytea NOT NULL,
    kek_id text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

CREATE SEQUENCE public.personal_data_keys_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.personal_data_keys_id_seq OWNED BY public.personal_data_keys.id;

CREATE TABLE public.personal_data_lookup (
    hash text NOT NULL,
    subject text NOT NULL
);

CREATE TABLE public.reconcile_runs (
    id bigint NOT NULL,
    object_key text NOT NULL,
    status text NOT NULL,
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    finished_at timestamp with time zone,
    started_by text NOT NULL,
    summary jsonb,
    error text,
    CONSTRAINT reconcile_runs_status_check CHECK ((status = ANY (ARRAY['running'::text, 'done'::text, 'failed'::text])))
);

CREATE SEQUENCE public.reconcile_runs_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.reconcile_runs_id_seq OWNED BY public.reconcile_runs.id;

CREATE TABLE public.schema_migrations (
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);

CREATE TABLE public.subscriber_checkpoints (
    subscriber text NOT NULL,
    transaction_id xid8 DEFAULT '0'::xid8 NOT NULL,
    "position" bigint DEFAULT 0 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

CREATE TABLE public.sync_context_cache (
    name text NOT NULL,
    value jsonb NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

CREATE TABLE public.sync_decisions (
    "position" bigint NOT NULL,
    record_id bigint,
    event_type text NOT NULL,
    outcome text NOT NULL,
    reason text,
    detail jsonb,
    commands integer DEFAULT 0 NOT NULL,
    decided_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT sync_decisions_outcome_check CHECK ((outcome = ANY (ARRAY['projected'::text, 'skipped'::text, 'dead_lettered'::text])))
);

CREATE TABLE public.sync_records (
    id bigint NOT NULL,
    object_key text NOT NULL,
    salesforce_id text,
    monday_board_id text NOT NULL,
    monday_item_id text,
    deleted_side text,
    deleted_at timestamp with time zone,
    creating text,
    converted_at timestamp with time zone,
    fields jsonb DEFAULT '{}'::jsonb NOT NULL,
    waiting jsonb DEFAULT '[]'::jsonb NOT NULL,
    last_position bigint NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    command_seq jsonb DEFAULT '{}'::jsonb NOT NULL,
    CONSTRAINT sync_records_creating_check CHECK ((creating = ANY (ARRAY['salesforce'::text, 'monday'::text]))),
    CONSTRAINT sync_records_deleted_side_check CHECK ((deleted_side = ANY (ARRAY['salesforce'::text, 'monday'::text])))
);

CREATE SEQUENCE public.sync_records_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.sync_records_id_seq OWNED BY public.sync_records.id;

CREATE TABLE public.typeorm_migrations (
    id integer NOT NULL,
    "timestamp" bigint NOT NULL,
    name character varying NOT NULL
);

CREATE SEQUENCE public.typeorm_migrations_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.typeorm_migrations_id_seq OWNED BY public.typeorm_migrations.id;

ALTER TABLE ONLY public.events ALTER COLUMN "position" SET DEFAULT nextval('public.events_position_seq'::regclass);

ALTER TABLE ONLY public.ingest_rejections ALTER COLUMN id SET DEFAULT nextval('public.ingest_rejections_id_seq'::regclass);

ALTER TABLE ONLY public.outbox ALTER COLUMN id SET DEFAULT nextval('public.outbox_id_seq'::regclass);

ALTER TABLE ONLY public.personal_data_erasures ALTER COLUMN id SET DEFAULT nextval('public.personal_data_erasures_id_seq'::regclass);

ALTER TABLE ONLY public.personal_data_keys ALTER COLUMN id SET DEFAULT nextval('public.personal_data_keys_id_seq'::regclass);

ALTER TABLE ONLY public.reconcile_runs ALTER COLUMN id SET DEFAULT nextval('public.reconcile_runs_id_seq'::regclass);

ALTER TABLE ONLY public.sync_records ALTER COLUMN id SET DEFAULT nextval('public.sync_records_id_seq'::regclass);

ALTER TABLE ONLY public.typeorm_migrations ALTER COLUMN id SET DEFAULT nextval('public.typeorm_migrations_id_seq'::regclass);

ALTER TABLE ONLY public.typeorm_migrations
    ADD CONSTRAINT "PK_bb2f075707dd300ba86d0208923" PRIMARY KEY (id);

ALTER TABLE ONLY public.api_usage_samples
    ADD CONSTRAINT api_usage_samples_pkey PRIMARY KEY (crm, sampled_at);

ALTER TABLE ONLY public.backfill_progress
    ADD CONSTRAINT backfill_progress_pkey PRIMARY KEY (object_key);

ALTER TABLE ONLY public.bulk_import_jobs
    ADD CONSTRAINT bulk_import_jobs_pkey PRIMARY KEY (job_id);

ALTER TABLE ONLY public.catch_up_served
    ADD CONSTRAINT catch_up_served_pkey PRIMARY KEY (request_position);

ALTER TABLE ONLY public.cdc_positions
    ADD CONSTRAINT cdc_positions_pkey PRIMARY KEY (channel);

ALTER TABLE ONLY public.console_sessions
    ADD CONSTRAINT console_sessions_pkey PRIMARY KEY (id_hash);

ALTER TABLE ONLY public.events
    ADD CONSTRAINT events_pkey PRIMARY KEY ("position");

ALTER TABLE ONLY public.events
    ADD CONSTRAINT events_source_event_unique UNIQUE (source, source_event_id);

ALTER TABLE ONLY public.ingest_rejections
    ADD CONSTRAINT ingest_rejections_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.monday_catch_up_cursors
    ADD CONSTRAINT monday_catch_up_cursors_pkey PRIMARY KEY (board_id);

ALTER TABLE ONLY public.outbox
    ADD CONSTRAINT outbox_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.parked_events
    ADD CONSTRAINT parked_events_pkey PRIMARY KEY (subscriber, "position");

ALTER TABLE ONLY public.personal_data_backfill
    ADD CONSTRAINT personal_data_backfill_pkey PRIMARY KEY (name);

ALTER TABLE ONLY public.personal_data_erasures
    ADD CONSTRAINT personal_data_erasures_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.personal_data_keys
    ADD CONSTRAINT personal_data_keys_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.personal_data_keys
    ADD CONSTRAINT personal_data_keys_subject_key UNIQUE (subject);

ALTER TABLE ONLY public.personal_data_lookup
    ADD CONSTRAINT personal_data_lookup_pkey PRIMARY KEY (hash, subject);

ALTER TABLE ONLY public.reconcile_runs
    ADD CONSTRAINT reconcile_runs_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (name);

ALTER TABLE ONLY public.subscriber_checkpoints
    ADD CONSTRAINT subscriber_checkpoints_pkey PRIMARY KEY (subscriber);

ALTER TABLE ONLY public.sync_context_cache
    ADD CONSTRAINT sync_context_cache_pkey PRIMARY KEY (name);

ALTER TABLE ONLY public.sync_records
    ADD CONSTRAINT sync_records_pkey PRIMARY KEY (id);

CREATE INDEX bulk_import_jobs_open_idx ON public.bulk_import_jobs USING btree (board_id) WHERE (status = ANY (ARRAY['recorded'::text, 'uploaded'::text]));

CREATE INDEX console_sessions_expiry_idx ON public.console_sessions USING btree (expires_at);

CREATE INDEX events_read_order_idx ON public.events USING btree (transaction_id, "position");

CREATE INDEX events_stream_idx ON public.events USING btree (stream, "position");

CREATE INDEX outbox_caused_by_idx ON public.outbox USING btree (caused_by);

CREATE INDEX outbox_dead_idx ON public.outbox USING btree (id) WHERE (status = 'dead'::text);

CREATE INDEX outbox_open_per_record_idx ON public.outbox USING btree (record_id, id) WHERE (status = ANY (ARRAY['pending'::text, 'in_flight'::text]));

CREATE INDEX outbox_ready_idx ON public.outbox USING btree (available_at, id) WHERE (status = 'pending'::text);

CREATE INDEX parked_events_open_idx ON public.parked_events USING btree (subscriber, "position") WHERE (resolved_at IS NULL);

CREATE INDEX parked_events_retry_idx ON public.parked_events USING btree (subscriber, "position") WHERE ((retry_requested_at IS NOT NULL) AND (resolved_at IS NULL));

CREATE INDEX personal_data_keys_kek_idx ON public.personal_data_keys USING btree (kek_id);

CREATE INDEX personal_data_lookup_subject_idx ON public.personal_data_lookup USING btree (subject);

CREATE UNIQUE INDEX reconcile_runs_one_running_per_object ON public.reconcile_runs USING btree (object_key) WHERE (status = 'running'::text);

CREATE INDEX reconcile_runs_started_at_idx ON public.reconcile_runs USING btree (started_at DESC);

CREATE INDEX sync_decisions_position_idx ON public.sync_decisions USING btree ("position");

CREATE INDEX sync_decisions_record_idx ON public.sync_decisions USING btree (record_id, "position");

CREATE UNIQUE INDEX sync_records_monday_idx ON public.sync_records USING btree (monday_item_id) WHERE (monday_item_id IS NOT NULL);

CREATE UNIQUE INDEX sync_records_salesforce_idx ON public.sync_records USING btree (object_key, salesforce_id) WHERE (salesforce_id IS NOT NULL);

CREATE TRIGGER events_append_only_row BEFORE DELETE OR UPDATE ON public.events FOR EACH ROW EXECUTE FUNCTION public.events_refuse_change();

CREATE TRIGGER events_append_only_truncate BEFORE TRUNCATE ON public.events FOR EACH STATEMENT EXECUTE FUNCTION public.events_refuse_change();

CREATE TRIGGER outbox_inserted AFTER INSERT ON public.outbox FOR EACH STATEMENT EXECUTE FUNCTION public.outbox_notify_inserted();
