import { Client, Pool } from 'pg';
import { payloadProtection } from './payload-protection';
import type { NewEvent } from './events';
import type { Queryable } from './queryable';

export const EVENTS_CHANNEL = 'crm_sync_events';

export type AppendResult = { appended: true; position: number } | { appended: false; reason: 'duplicate' };

/**
 * One statement for any number of events: the batch as one JSON array parameter, `ON CONFLICT DO
 * NOTHING` for idempotency (invariant 1), and pg_notify in the same statement so subscribers wake
 * when it commits (Postgres folds identical notifications of one transaction into one). Runs inside
 * the caller's transaction when given a client that is in one; otherwise it is its own transaction.
 *
 * Given a Pool the statement is its own transaction, so the notification is sent just after the
 * commit instead (see PostCommitNotifier): a transaction that NOTIFYs holds a database-wide lock
 * from pre-commit until it ends, fsync included, so concurrent notifying appends commit one at a
 * time; bench/append-vs-emmett measured 3x more single-event appends/s without it.
 *
 * One JSON array rather than seven text[] parameters: the payloads are serialised once, inside the
 * batch, instead of once to a string and again (every quote escaped) into an array literal.
 * Named (prepared once per connection) when the driver is pg's, so Postgres skips parse and plan.
 */
const appendSql = (notify: boolean): string => `
WITH input AS (
  SELECT * FROM ROWS FROM (
    jsonb_to_recordset($1::jsonb) AS (source text, source_event_id text, stream text, type text, origin text, payload jsonb, occurred_at timestamptz)
  ) WITH ORDINALITY AS t(source, source_event_id, stream, type, origin, payload, occurred_at, ord)
), inserted AS (
  INSERT INTO events (source, source_event_id, stream, type, origin, payload, occurred_at)
  SELECT source, source_event_id, stream, type, origin, payload, occurred_at FROM input ORDER BY ord
  ON CONFLICT ON CONSTRAINT events_source_event_unique DO NOTHING
  RETURNING position, source, source_event_id
)
SELECT position, source, source_event_id${notify ? `, pg_notify('${EVENTS_CHANNEL}', '') AS notified` : ''} FROM inserted`;
const APPEND = { name: 'crm_sync_append', text: appendSql(false) };
const APPEND_NOTIFY = { name: 'crm_sync_append_notify', text: appendSql(true) };

type AppendedRow = { position: string; source: string; source_event_id: string };

/** Appends events in order; the result at index i says what happened to events[i]. */
export async function appendEvents(db: Queryable, events: readonly NewEvent[]): Promise<AppendResult[]> {
  if (events.length === 0) return [];
  const firstIndexByKey = new Map<string, number>();
  const unique: NewEvent[] = [];
  events.forEach((event, index) => {
    const key = identity(event.source, event.sourceEventId);
    if (!firstIndexByKey.has(key)) {
      firstIndexByKey.set(key, index);
      unique.push(event);
    }
  });
  const autocommit = db instanceof Pool;
  const statement = autocommit ? APPEND : APPEND_NOTIFY;
  // PII_ENCRYPTION_KEY set: personal values are stored encrypted (src/personal-data installs the protection).
  const protection = payloadProtection();
  const stored = protection ? await protection.protect(unique) : unique;
  const batch = JSON.stringify(
    stored.map((e) => ({
      source: e.source,
      source_event_id: e.sourceEventId,
      stream: e.stream,
      type: e.type,
      origin: e.origin,
      payload: e.payload,
      occurred_at: e.occurredAt.toISOString(),
    })),
  );
  const { rows } =
    db instanceof Pool || db instanceof Client
      ? await db.query<AppendedRow>({ ...statement, values: [batch] })
      : await db.query<AppendedRow>(statement.text, [batch]);
  if (autocommit && rows.length > 0) void PostCommitNotifier.for(db).notify();
  const positionByKey = new Map(rows.map((r) => [identity(r.source, r.source_event_id), Number(r.position)]));
  return events.map((event, index) => {
    const key = identity(event.source, event.sourceEventId);
    const position = positionByKey.get(key);
    return position !== undefined && firstIndexByKey.get(key) === index
      ? { appended: true, position }
      : { appended: false, reason: 'duplicate' };
  });
}

export async function appendEvent(db: Queryable, event: NewEvent): Promise<AppendResult> {
  const [result] = await appendEvents(db, [event]);
  return result;
}

/**
 * NOTIFY after appends that committed on their own, coalesced: at most one notification in flight
 * per pool; an append that commits meanwhile is covered by the next one, which starts after the
 * current one ends and so after its commit. The append does not wait for it: the caller may
 * acknowledge once its own commit is done (invariant 2), and a NOTIFY is a commit of its own (an
 * fsync) that would otherwise sit on every webhook's latency. A failed notification is ignored:
 * subscribers' slow poll covers it.
 */
class PostCommitNotifier {
  private static readonly byPool = new WeakMap<Pool, PostCommitNotifier>();
  private inFlight: Promise<void> | null = null;
  private queued: Promise<void> | null = null;

  private constructor(private readonly pool: Pool) {}

  static for(pool: Pool): PostCommitNotifier {
    let notifier = PostCommitNotifier.byPool.get(pool);
    if (!notifier) PostCommitNotifier.byPool.set(pool, (notifier = new PostCommitNotifier(pool)));
    return notifier;
  }

  /** Resolves once a notification sent after this call has committed (or failed). */
  notify(): Promise<void> {
    if (this.queued) return this.queued;
    if (!this.inFlight) return this.send();
    this.queued = this.inFlight.then(() => {
      this.queued = null;
      return this.send();
    });
    return this.queued;
  }

  private send(): Promise<void> {
    const sent: Promise<void> = this.pool.query(`SELECT pg_notify('${EVENTS_CHANNEL}', '')`).then(
      () => {
        if (this.inFlight === sent) this.inFlight = null;
      },
      () => {
        if (this.inFlight === sent) this.inFlight = null;
      },
    );
    this.inFlight = sent;
    return sent;
  }
}

function identity(source: string, sourceEventId: string): string {
  return `${source}\u0000${sourceEventId}`;
}
