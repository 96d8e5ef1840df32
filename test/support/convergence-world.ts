import { randomBytes } from 'node:crypto';
import type { MondayClock } from '../../src/monday';
import { loadMapping, type Mapping } from '../../src/mapping';
import { OUTBOX_CHANNEL } from '../../src/outbox';
import { EXAMPLE_MAPPING } from './sandbox-schemas';
import { startSyncEnvironment, type SyncEnvironment } from './sync-environment';

const CLIENT = 'crm-sync';

/**
 * A monday client clock on which waiting takes no time: a 429 makes the real client wait until the
 * end of monday's minute window (up to 60 s), which a seconds-long test cannot afford. Skipping the
 * wait keeps the client's behaviour (it still blocks, then retries) without the wall-clock cost.
 */
export function fastForwardClock(): MondayClock {
  let skipped = 0;
  return {
    now: () => Date.now() + skipped,
    sleep: async (ms) => {
      skipped += ms;
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

/**
 * startSyncEnvironment, with the monday client's pacing on `fastForwardClock` (a 429 would otherwise
 * block it up to 60 s), and nothing that depends on the wall clock: the monday catch-up (every 10
 * minutes) and the mapping's scheduled backfills are not scheduled, the scenario runs the catch-up
 * itself at a step its seed picks; and the mapped boards start without the demo items, which no
 * service ever watched (a catch-up reads back 5 minutes before its cursor: one that happened to fire
 * early in a run synced them, and their missing CloseDate, two-label Industry dropdowns and
 * duplicate contacts became dead letters: seed 17). With `personalData`: PII_ENCRYPTION_KEY set (a
 * fresh key) and PERSONAL_TEXT_FIELDS marked `pii: true`.
 */
export function startConvergenceEnvironment(options: { personalData?: boolean } = {}): Promise<SyncEnvironment> {
  const boards = loadMapping(EXAMPLE_MAPPING).objects.map((o) => Number(o.monday.board));
  return startSyncEnvironment({
    ...(options.personalData ? { env: { PII_ENCRYPTION_KEY: randomBytes(32).toString('base64') }, mapping: withPersonalTextFields(loadMapping(EXAMPLE_MAPPING)) } : {}),
    mondayClient: { clock: fastForwardClock() },
    schedules: { mondayCatchUp: null, backfills: false },
    beforeStart: (sandbox) => {
      for (const board of boards) for (const item of sandbox.monday.control.listItems(board)) sandbox.monday.control.deleteItem({ itemId: item.id });
    },
  });
}

/** Salesforce fields the scenario edits as free text, marked `pii: true` when it runs with PII_ENCRYPTION_KEY (names are personal already). */
export const PERSONAL_TEXT_FIELDS = ['NextStep', 'Description'];

/** The mapping with PERSONAL_TEXT_FIELDS marked `pii: true` on every object. */
function withPersonalTextFields(mapping: Mapping): Mapping {
  return {
    ...mapping,
    objects: mapping.objects.map((object) => ({ ...object, fields: object.fields.map((field) => (PERSONAL_TEXT_FIELDS.includes(String(field.salesforce)) ? { ...field, pii: true } : field)) })),
  };
}

/** Writes that reached each CRM and changed it, counted on the emulators' side (one per record written). */
export interface RemoteWrites {
  /** Committed Salesforce record changes made by our client (one change event per record). */
  salesforce: number;
  /** monday mutations (aliases counted one by one) by the integration user that succeeded. */
  monday: number;
}

export function countRemoteWrites(env: SyncEnvironment): RemoteWrites {
  const events = env.sandbox.salesforce.changeEventLog.readAfter(-2, 10_000_000);
  const salesforce = events === 'invalid' ? Number.NaN : events.filter((e) => e.payload.ChangeEventHeader.changeOrigin.includes(`client=${CLIENT}`)).reduce((n, e) => n + e.payload.ChangeEventHeader.recordIds.length, 0);
  const monday = env.sandbox.monday.control
    .requestLog()
    .filter((r) => r.operationType === 'mutation' && r.userId === env.sandbox.monday.integrationUserId && r.status === 200 && r.errorCodes.length === 0 && !r.idempotencyReplayed)
    .reduce((n, r) => n + r.fields.filter((f) => f !== 'complexity').length, 0);
  return { salesforce, monday };
}

/** Where the pipeline still has work, or null when every stage is idle. */
async function pendingWork(env: SyncEnvironment): Promise<Record<string, unknown> | null> {
  const pool = env.db.pool;
  const webhooks = env.sandbox.monday.control.webhookStats();
  const { rows: outbox } = await pool.query<{ open: number; dead: number; max: string | null }>(
    "SELECT count(*) FILTER (WHERE status IN ('pending', 'in_flight'))::int AS open, count(*) FILTER (WHERE status = 'dead')::int AS dead, max(id) AS max FROM outbox",
  );
  const { rows: projector } = await pool.query<{ behind: number; max: string | null }>(
    `SELECT (SELECT count(*)::int FROM events e, (SELECT COALESCE(max(transaction_id::text), '0')::xid8 AS tx, COALESCE(max(position), 0) AS pos FROM subscriber_checkpoints WHERE subscriber = 'sync') c WHERE (e.transaction_id, e.position) > (c.tx, c.pos)) AS behind,
            (SELECT max(position) FROM events) AS max`,
  );
  const { rows: positions } = await pool.query<{ channel: string; replay_id: string }>('SELECT channel, replay_id FROM cdc_positions');
  const delivered = new Map(positions.map((p) => [p.channel, Number(p.replay_id)]));
  const log = env.sandbox.salesforce.changeEventLog.readAfter(-2, 10_000_000);
  const cdcBehind: string[] = [];
  if (log !== 'invalid') {
    const latest = new Map<string, number>();
    for (const e of log) latest.set(e.payload.ChangeEventHeader.entityName, e.replayId);
    for (const [entity, replayId] of latest) if ((delivered.get(`/data/${entity}ChangeEvent`) ?? 0) < replayId) cdcBehind.push(entity);
  }
  const state = {
    // Retries of deliveries the receiver refused are not waited for.
    webhooksQueued: webhooks.queued + webhooks.inFlight,
    projectorBehind: projector[0].behind,
    outboxOpen: outbox[0].open,
    cdcBehind,
    // Progress markers: idle twice in a row with none of these moving means nothing is in between stages.
    lastEvent: projector[0].max,
    lastCommand: outbox[0].max,
    writes: countRemoteWrites(env),
  };
  const idle = state.webhooksQueued === 0 && state.projectorBehind === 0 && state.outboxOpen === 0 && cdcBehind.length === 0;
  return idle ? null : state;
}

/**
 * Retries the failure policy put off (backoff, a 429's wait) become due now, and the dispatcher is
 * woken: the test fast-forwards time instead of waiting it out. The delays themselves are unit-tested.
 */
export async function fastForwardRetries(env: SyncEnvironment): Promise<void> {
  // Rows locked in id order, as every other outbox row locker takes them (81e3502): in any order the
  // UPDATE deadlocked with the projector revising the same rows (campaign seed 93).
  const { rowCount } = await env.db.pool.query(
    "UPDATE outbox SET available_at = now() WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND available_at > now() ORDER BY id FOR UPDATE)",
  );
  if (rowCount) await env.db.pool.query('SELECT pg_notify($1, $2)', [OUTBOX_CHANNEL, 'fast-forward']);
}

/**
 * Waits until webhooks, CDC, projector and outbox are all idle, twice in a row with no event, command
 * or remote write in between. Bounded: throws with what was still pending.
 */
export async function waitForQuiet(env: SyncEnvironment, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let previous = '';
  let pending: Record<string, unknown> | null = null;
  while (Date.now() < deadline) {
    await fastForwardRetries(env);
    pending = await pendingWork(env);
    const marker = JSON.stringify({ ...(await markers(env)), pending });
    if (pending === null && marker === previous) return;
    previous = pending === null ? marker : '';
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
  const failed = env.sandbox.monday.control.webhookDeliveries().filter((d) => d.outcome !== 'delivered').slice(-5);
  const fields: Record<string, number> = {};
  for (const r of env.sandbox.monday.control.requestLog()) if (r.operationType === 'mutation') for (const f of r.fields) fields[`${f}:${r.status}`] = (fields[`${f}:${r.status}`] ?? 0) + 1;
  const { rows: rejected } = await env.db.pool.query('SELECT reason, left(body, 600) AS body FROM ingest_rejections ORDER BY id DESC LIMIT 3');
  const errors = env.logs.filter((l) => /"level":(50|40)/.test(l) && !l.includes('will retry')).slice(-5);
  throw new Error(`the pipeline did not become quiet within ${timeoutMs} ms: ${JSON.stringify(pending)}\nlog: ${errors.join('')}\nrejected: ${JSON.stringify(rejected)}\nfailed deliveries: ${JSON.stringify(failed)}\nmutations: ${JSON.stringify(fields)}`);
}

async function markers(env: SyncEnvironment) {
  const { rows } = await env.db.pool.query<{ events: string | null; commands: string | null }>('SELECT (SELECT max(position) FROM events) AS events, (SELECT max(id) FROM outbox) AS commands');
  return { ...rows[0], writes: countRemoteWrites(env) };
}

/** Webhooks the receiver refused (ingest_rejections), counted by reason. */
export async function webhookRejections(env: SyncEnvironment): Promise<Record<string, number>> {
  const { rows } = await env.db.pool.query<{ reason: string; n: number }>('SELECT reason, count(*)::int AS n FROM ingest_rejections GROUP BY reason');
  return Object.fromEntries(rows.map((r) => [r.reason, r.n]));
}
