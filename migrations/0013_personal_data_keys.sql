-- Why: crypto-shredding (issue 19). Each person (subject: `salesforce:<Id>`, `monday:<itemId>`,
-- `record:<sync record id>`) has its own AES-256 data key, stored only wrapped by the
-- key-encryption key (PII_ENCRYPTION_KEY). Erasing a person deletes their keys: their ciphertext
-- in the append-only log can no longer be read by anyone. kek_id names the KEK that wrapped the row
-- (a hash prefix, never the key) so `crm-sync keys rotate` can rewrap row by row.
CREATE TABLE personal_data_keys (
  id          bigserial   PRIMARY KEY,
  subject     text        NOT NULL UNIQUE,
  wrapped_key bytea       NOT NULL,
  kek_id      text        NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX personal_data_keys_kek_idx ON personal_data_keys (kek_id);

-- Why: `crm-sync erase --email` must find a person without any readable address in the database:
-- a keyed hash (HMAC with the lookup key, itself a wrapped data key of subject `system:lookup`).
CREATE TABLE personal_data_lookup (
  hash    text NOT NULL,
  subject text NOT NULL,
  PRIMARY KEY (hash, subject)
);
CREATE INDEX personal_data_lookup_subject_idx ON personal_data_lookup (subject);

-- Why: an erasure is recorded with no personal data (who asked is the operator's business; what
-- was destroyed is ours). The log itself gets a system.personal_data_erased event too.
CREATE TABLE personal_data_erasures (
  id         bigserial   PRIMARY KEY,
  subjects   text[]      NOT NULL,
  keys       integer     NOT NULL,
  erased_at  timestamptz NOT NULL DEFAULT now()
);

-- Why: `crm-sync keys encrypt-existing` is resumable: it remembers the last position it encrypted.
CREATE TABLE personal_data_backfill (
  name          text        PRIMARY KEY,
  last_position bigint      NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now()
);
