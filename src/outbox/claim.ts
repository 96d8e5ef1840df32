import type { Queryable } from '../event-store/queryable';
import type { Checkpoint } from '../event-store/read-batch';
import { revealColumns, withoutErasedCommandValues } from '../personal-data/derived-values';
import { SYNC_PROJECTOR } from '../sync-commands/sync-projector-name';
import type { OutboxCommand } from '../sync-commands/outbox-command';

/**
 * The sync projector's checkpoint when a command was claimed: the projector revises pending commands
 * in the transaction that moves its checkpoint, so the claimed payload reflects every event up to it.
 * A success event carries it, so the log shows what the sent command knew.
 */
export type StateAsOf = Checkpoint;

/** What a handler may have stored while partly done (a create that succeeded before its follow-up failed). */
export interface CommandProgress {
  salesforceId?: string;
  mondayItemId?: string;
  via?: string;
  /**
   * monday.create_item: the request that carried this create, saved before it was sent (see
   * monday-create-request.ts): its Idempotency-Key, the commands it held, in order, and when it was
   * first sent (ISO 8601, our clock; absent in requests saved before it was recorded).
   */
  mondayCreateRequest?: { key: string; commandIds: number[]; firstSentAt?: string };
}

/** A command claimed by one dispatcher: in flight under its claim token until `locked_until`. */
export interface ClaimedCommand {
  id: number;
  recordId: number;
  command: OutboxCommand;
  causedBy: number;
  /** This attempt's number since the command was written or last retried by an operator (the failure policy counts these). */
  attempts: number;
  /** Claims ever made of this command, this one included; never reset (idempotency keys of results). */
  dispatch: number;
  progress: CommandProgress | null;
  lastError: Record<string, unknown> | null;
  createdAt: Date;
  stateAsOf?: StateAsOf | null;
}

/**
 * Claims up to `limit` ready commands, one statement (style lessons 3 and 10):
 * - only the HEAD of each record's queue (its oldest pending or in-flight row), so commands of one
 *   record run in order and never two at once (invariant 8); a record whose head is in flight under
 *   a live lease has nothing to claim;
 * - a head is ready when pending and due, or in flight with an expired lease (its dispatcher died);
 * - FOR UPDATE SKIP LOCKED lets dispatchers on every instance claim side by side; the ready condition
 *   is repeated on the locked rows so Postgres re-checks it on a row another dispatcher changed
 *   between our snapshot and our lock (READ COMMITTED re-evaluation);
 * - the same UPDATE marks them in flight with a lease and this claim's token, and counts the attempt.
 */
const claimSql = (onlyHeads = '') => `
WITH heads AS (
  SELECT DISTINCT ON (record_id) id, status, available_at, locked_until
  FROM outbox
  WHERE status IN ('pending', 'in_flight')
  ORDER BY record_id, id
), ready AS (
  SELECT heads.id FROM heads${onlyHeads}
  WHERE ((heads.status = 'pending' AND heads.available_at <= now()) OR (heads.status = 'in_flight' AND heads.locked_until < now()))
  ORDER BY heads.available_at, heads.id
  LIMIT $1
), locked AS (
  SELECT o.id FROM outbox o JOIN ready USING (id)
  WHERE (o.status = 'pending' AND o.available_at <= now()) OR (o.status = 'in_flight' AND o.locked_until < now())
  FOR UPDATE OF o SKIP LOCKED
)
UPDATE outbox o
SET status = 'in_flight', locked_until = now() + $2 * interval '1 millisecond', claim_token = $3, attempts = o.attempts + 1, dispatches = o.dispatches + 1
FROM locked
WHERE o.id = locked.id
RETURNING o.id, o.record_id, o.payload, o.caused_by, o.attempts, o.dispatches, o.progress, o.last_error, o.created_at,
  (SELECT transaction_id::text FROM subscriber_checkpoints WHERE subscriber = $4) AS state_tx,
  (SELECT position FROM subscriber_checkpoints WHERE subscriber = $4) AS state_position`;
const CLAIM_SQL = claimSql();

interface ClaimRow {
  id: string;
  record_id: string;
  payload: OutboxCommand;
  caused_by: string;
  attempts: number;
  dispatches: number;
  progress: CommandProgress | null;
  last_error: Record<string, unknown> | null;
  created_at: Date;
  state_tx: string | null;
  state_position: string | null;
}

export async function claimCommands(db: Queryable, options: { limit: number; leaseMs: number; claimToken: string }): Promise<ClaimedCommand[]> {
  const { rows } = await db.query<ClaimRow>(CLAIM_SQL, [options.limit, options.leaseMs, options.claimToken, SYNC_PROJECTOR]);
  return toClaimed(rows);
}

/**
 * CLAIM_SQL narrowed to the monday.create_item commands of one board that no earlier attempt has
 * progressed (a bulk-import job's rows): the same head-of-queue, readiness and locking rules.
 */
const CLAIM_BOARD_CREATES_SQL = claimSql(
  " JOIN outbox c ON c.id = heads.id AND c.payload->>'kind' = 'monday.create_item' AND c.payload->>'boardId' = $5 AND c.progress IS NULL",
);

export async function claimBoardCreates(db: Queryable, options: { boardId: string; limit: number; leaseMs: number; claimToken: string }): Promise<ClaimedCommand[]> {
  const { rows } = await db.query<ClaimRow>(CLAIM_BOARD_CREATES_SQL, [options.limit, options.leaseMs, options.claimToken, SYNC_PROJECTOR, options.boardId]);
  return toClaimed(rows);
}

/** Commands `ids` still in flight under `claimToken`, read again (a claim held across steps keeps only their ids). */
const READ_HELD_SQL = `
SELECT o.id, o.record_id, o.payload, o.caused_by, o.attempts, o.dispatches, o.progress, o.last_error, o.created_at,
  (SELECT transaction_id::text FROM subscriber_checkpoints WHERE subscriber = $3) AS state_tx,
  (SELECT position FROM subscriber_checkpoints WHERE subscriber = $3) AS state_position
FROM outbox o WHERE o.id = ANY($1::bigint[]) AND o.claim_token = $2 AND o.status = 'in_flight'`;

export async function readHeld(db: Queryable, ids: readonly number[], claimToken: string): Promise<ClaimedCommand[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<ClaimRow>(READ_HELD_SQL, [ids, claimToken, SYNC_PROJECTOR]);
  return toClaimed(rows);
}

async function toClaimed(rows: ClaimRow[]): Promise<ClaimedCommand[]> {
  // An erased person's value is never written to either CRM (their key was destroyed while this waited).
  if (await revealColumns(rows, ['payload', 'last_error'])) for (const row of rows) row.payload = withoutErasedCommandValues(row.payload);
  return rows
    .map((row) => ({
      id: Number(row.id),
      recordId: Number(row.record_id),
      command: row.payload,
      causedBy: Number(row.caused_by),
      attempts: row.attempts,
      dispatch: row.dispatches,
      progress: row.progress,
      lastError: row.last_error,
      createdAt: row.created_at,
      stateAsOf: row.state_tx !== null && row.state_position !== null ? { transactionId: row.state_tx, position: Number(row.state_position) } : null,
    }))
    .sort((a, b) => a.id - b.id);
}

/**
 * Stores partial progress of a claimed command (e.g. the Id of the record a create just made), so
 * a retry continues from there instead of creating again. No-op when the claim was lost: returns
 * whether it was stored (a request saved before it is sent must not be sent unsaved).
 */
const SAVE_PROGRESS_SQL = `UPDATE outbox SET progress = $2::jsonb WHERE id = $1 AND claim_token = $3 AND status = 'in_flight'`;

export async function saveProgress(db: Queryable, id: number, claimToken: string, progress: CommandProgress): Promise<boolean> {
  const { rowCount } = await db.query(SAVE_PROGRESS_SQL, [id, JSON.stringify(progress), claimToken]);
  return rowCount === 1;
}

/**
 * The rows of ids $1 still in flight under claim token $2, locked in id order: every locker of outbox
 * rows that waits (this, the settlement, the projector revising waiting updates) takes them in id order,
 * so none waits on another in a cycle (a deadlock would abort one of them).
 */
export const HELD_IN_ID_ORDER = `SELECT id FROM outbox WHERE id = ANY($1::bigint[]) AND claim_token = $2 AND status = 'in_flight' ORDER BY id FOR UPDATE`;

/**
 * The fencing check right before a send, and the renewal: extends the lease of the commands of ids $1
 * still in flight under claim token $2 and returns them. Under the row locks no other dispatcher can
 * claim them between this check and the lease it sets; a command it does not return was taken over
 * (or settled) and must not be sent by this claim.
 */
const CONFIRM_SQL = `
WITH held AS (${HELD_IN_ID_ORDER})
UPDATE outbox o SET locked_until = now() + $3 * interval '1 millisecond'
FROM held WHERE o.id = held.id
RETURNING o.id AS confirmed`;

export async function confirmClaim(db: Queryable, ids: readonly number[], claimToken: string, leaseMs: number): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const { rows } = await db.query<{ confirmed: string }>(CONFIRM_SQL, [ids, claimToken, leaseMs]);
  return new Set(rows.map((r) => Number(r.confirmed)));
}

/** Gives claimed commands back untouched (shutdown before they were sent): pending again, attempt not counted. */
const RELEASE_SQL = `
WITH held AS (${HELD_IN_ID_ORDER})
UPDATE outbox o SET status = 'pending', locked_until = NULL, claim_token = NULL, attempts = GREATEST(o.attempts - 1, 0), dispatches = GREATEST(o.dispatches - 1, 0)
FROM held WHERE o.id = held.id`;

export async function releaseCommands(db: Queryable, ids: readonly number[], claimToken: string): Promise<void> {
  if (ids.length > 0) await db.query(RELEASE_SQL, [ids, claimToken]);
}
