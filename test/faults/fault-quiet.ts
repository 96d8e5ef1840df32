import { LeaderLock } from '../../src/event-store';
import { servePendingCatchUps } from '../../src/migration/catch-up-requests';
import { runMondayCatchUp } from '../../src/migration/monday-catch-up';
import { OUTBOX_CHANNEL } from '../../src/outbox';
import type { FaultWorld } from './fault-world';
import type { SchedulePhases } from './schedule-phases';

const CLIENT = 'crm-sync';
const RETENTION_MS = 72 * 3600_000;
const PROGRESS_CAP = 5;

/** Remote writes that changed something, counted on the emulators' side. */
export interface RemoteWrites {
  salesforce: number;
  monday: number;
}

export function countRemoteWrites(world: FaultWorld): RemoteWrites {
  const events = world.sandbox.salesforce.changeEventLog.readAfter(-2, 10_000_000);
  const salesforce = events === 'invalid' ? Number.NaN : events.filter((e) => e.payload.ChangeEventHeader.changeOrigin.includes(`client=${CLIENT}`)).reduce((n, e) => n + e.payload.ChangeEventHeader.recordIds.length, 0);
  const monday = world.sandbox.monday.control
    .requestLog()
    .filter((r) => r.operationType === 'mutation' && r.userId === world.sandbox.monday.integrationUserId && r.status === 200 && r.errorCodes.length === 0 && !r.idempotencyReplayed)
    .reduce((n, r) => n + r.fields.filter((f) => f !== 'complexity').length, 0);
  return { salesforce, monday };
}

const TIP = -1;
const tipFloors = new WeakMap<FaultWorld, Map<string, number>>();

/** The newest event of the channel's object when the harness first saw the channel at the tip. */
function tipFloor(world: FaultWorld, channel: string, newest: number): number {
  const floors = tipFloors.get(world) ?? new Map<string, number>();
  tipFloors.set(world, floors);
  if (!floors.has(channel)) floors.set(channel, newest);
  return floors.get(channel) as number;
}

/** Where the pipeline still has work, or null when every stage is idle. */
async function pendingWork(world: FaultWorld): Promise<Record<string, unknown> | null> {
  const webhooks = world.sandbox.monday.control.webhookStats();
  const { rows: outbox } = await world.pool.query<{ open: number }>("SELECT count(*) FILTER (WHERE status IN ('pending', 'in_flight'))::int AS open FROM outbox");
  const { rows: projector } = await world.pool.query<{ behind: number }>(
    `SELECT count(*)::int AS behind FROM events e, (SELECT COALESCE(max(transaction_id::text), '0')::xid8 AS tx, COALESCE(max(position), 0) AS pos FROM subscriber_checkpoints WHERE subscriber = 'sync') c WHERE (e.transaction_id, e.position) > (c.tx, c.pos)`,
  );
  const { rows: catchUps } = await world.pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM events e WHERE e.type = 'system.catch_up_requested' AND NOT EXISTS (SELECT 1 FROM catch_up_served s WHERE s.request_position = e.position)",
  );
  const { rows: positions } = await world.pool.query<{ channel: string; replay_id: string }>('SELECT channel, replay_id FROM cdc_positions');
  const delivered = new Map(positions.map((p) => [p.channel, Number(p.replay_id)]));
  const log = world.sandbox.salesforce.changeEventLog.readAfter(-2, 10_000_000);
  const cdcBehind: string[] = [];
  const retainedSince = world.sandbox.salesforce.control.now() - RETENTION_MS;
  if (log !== 'invalid') {
    const latest = new Map<string, number>();
    // An event past retention can never be delivered: its change comes through the gap catch-up.
    for (const e of log) if (e.payload.ChangeEventHeader.commitTimestamp >= retainedSince) latest.set(e.payload.ChangeEventHeader.entityName, e.replayId);
    for (const [entity, replayId] of latest) {
      const channel = `/data/${entity}ChangeEvent`;
      const stored = delivered.get(channel) ?? 0;
      // A channel at the tip (-1: subscribed from the tip after a gap or at first start) is sent only
      // what is committed after its subscription; what came before is its gap catch-up's (seed 509:
      // every Account edit after the expired replay id was made before the instances were back, so
      // the channel stayed at -1 and was waited for in vain). Counted from the newest event when the
      // channel is first seen at the tip.
      if (stored !== TIP) tipFloors.get(world)?.delete(channel);
      const floor = stored === TIP ? tipFloor(world, channel, replayId) : stored;
      if (floor < replayId) cdcBehind.push(entity);
    }
  }
  const state = {
    webhooksQueued: webhooks.queued + webhooks.inFlight,
    webhookRetries: webhooks.pendingRetries,
    projectorBehind: projector[0].behind,
    outboxOpen: outbox[0].open,
    catchUps: catchUps[0].n,
    cdcBehind,
  };
  const idle = state.webhooksQueued === 0 && state.webhookRetries === 0 && state.projectorBehind === 0 && state.outboxOpen === 0 && state.catchUps === 0 && cdcBehind.length === 0;
  return idle ? null : state;
}

/**
 * Time the test does not wait out: the outbox's backoff delays become due now, monday's delivery
 * retries run now (monday retries once a minute; no clock moves), and the scheduled jobs a cron would run
 * (serving CDC gap catch-ups every minute) run now, under the job's lock as the service runs them.
 */
async function fastForward(world: FaultWorld): Promise<void> {
  const { rowCount } = await world.pool.query("UPDATE outbox SET available_at = now() WHERE status = 'pending' AND available_at > now()");
  if (rowCount) await world.pool.query('SELECT pg_notify($1, $2)', [OUTBOX_CHANNEL, 'fast-forward']);
  const webhooks = world.sandbox.monday.control.webhookStats();
  // Retried now, not by moving monday's clock a minute: that put monday ahead of the service's clock.
  if (webhooks.pendingRetries > 0 && webhooks.queued + webhooks.inFlight === 0) world.sandbox.monday.control.retryWebhooksNow();
  await serveCatchUpRequests(world);
}

/** One run of the service's `catch-up-requests` job (normally every minute). */
export async function serveCatchUpRequests(world: FaultWorld): Promise<void> {
  const { rows } = await world.pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM events e WHERE e.type = 'system.catch_up_requested' AND NOT EXISTS (SELECT 1 FROM catch_up_served s WHERE s.request_position = e.position)",
  );
  if (rows[0].n === 0) return;
  await underJobLock(world, 'catch-up-requests', async () => servePendingCatchUps(world.pool, world.salesforce, (await world.context()).mapping));
}

const CATCH_UP_TICKS = 5;

/**
 * One successful run of the service's `monday-catch-up` job (normally every 10 minutes), on monday's
 * emulated clock. A run that meets one of the background faults (a monday 500 or 429) fails as it
 * would in the service, which leaves its cursor and runs again at the next tick: so does this, up to
 * CATCH_UP_TICKS times. `objectKeys`: only the boards of these objects (all by default).
 */
export async function runMondayCatchUpJob(world: FaultWorld, objectKeys?: readonly string[]): Promise<number> {
  const mapping = objectKeys ? { ...world.mapping, objects: world.mapping.objects.filter((o) => objectKeys.includes(o.key)) } : world.mapping;
  for (let tick = 1; ; tick++) {
    try {
      let appended = 0;
      await underJobLock(world, 'monday-catch-up', async () => {
        const boards = await runMondayCatchUp(world.pool, world.monday, mapping, { now: () => world.sandbox.monday.control.now() });
        appended = boards.reduce((n, b) => n + b.appended, 0);
      });
      return appended;
    } catch (error) {
      if (tick >= CATCH_UP_TICKS) throw new Error(`monday catch-up failed ${tick} ticks in a row: ${(error as Error).message}`, { cause: error });
    }
  }
}

async function underJobLock(world: FaultWorld, job: string, work: () => Promise<unknown>): Promise<void> {
  const lock = new LeaderLock(world.databaseUrl, `schedule:${job}`);
  for (;;) {
    if (await lock.tryAcquire()) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  try {
    await work();
  } finally {
    await lock.release();
  }
}

function pendingStages(pending: Record<string, unknown> | null): string[] {
  if (pending === null) return ['idle (confirming)'];
  return Object.entries(pending).flatMap(([stage, value]) => (Array.isArray(value) ? value.length > 0 : value !== 0) ? [stage] : []);
}

/**
 * Waits until webhooks, CDC, catch-ups, projector and outbox are all idle, twice in a row with no
 * event, command or remote write in between. Throws with what was still pending when nothing moved
 * for `stallMs` (no new event, command, remote write or change in what is pending): a loaded machine
 * is slow but moves, a stuck pipeline does not. A pipeline that moves forever (a loop) is cut off at
 * PROGRESS_CAP times `stallMs`.
 */
export async function waitForQuiet(world: FaultWorld, stallMs: number, phases?: SchedulePhases): Promise<void> {
  const cap = Date.now() + PROGRESS_CAP * stallMs;
  let sampled = Date.now();
  let deadline = Date.now() + stallMs;
  let progress = '';
  let previous = '';
  let pending: Record<string, unknown> | null = null;
  let lastError = '';
  while (Date.now() < deadline) {
    try {
      await fastForward(world);
      pending = await pendingWork(world);
      // What the wait was for since the previous look: each stage still pending gets the time.
      const now = Date.now();
      for (const stage of pendingStages(pending)) phases?.add(`quiet: ${stage}`, now - sampled);
      sampled = now;
      const { rows } = await world.pool.query<{ events: string | null; commands: string | null }>('SELECT (SELECT max(position) FROM events) AS events, (SELECT max(id) FROM outbox) AS commands');
      const marker = JSON.stringify({ ...rows[0], writes: countRemoteWrites(world), pending });
      if (pending === null && marker === previous) return;
      if (marker !== progress) {
        progress = marker;
        deadline = Math.min(cap, Date.now() + stallMs);
      }
      previous = pending === null ? marker : '';
    } catch (error) {
      // The database may be coming back from a restart.
      lastError = (error as Error).message;
      phases?.add('quiet: database unreachable', Date.now() - sampled);
      sampled = Date.now();
      previous = '';
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const errors = world.logs.filter((l) => /"level":(50|40)/.test(l) && !l.includes('will retry')).slice(-4);
  const why = Date.now() >= cap ? `still moving after ${PROGRESS_CAP * stallMs} ms` : `nothing moved for ${stallMs} ms`;
  throw new Error(`not quiet (${why}): ${JSON.stringify(pending)} ${lastError}\nlog: ${errors.join('')}`);
}
