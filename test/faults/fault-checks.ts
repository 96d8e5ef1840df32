import type { TrackedPair } from '../support/random-edits';
import { BOARDS, type Baseline } from '../support/pair-checks';
import { countRemoteWrites, waitForQuiet, type RemoteWrites } from './fault-quiet';
import type { FaultWorld } from './fault-world';
import type { SchedulePhases } from './schedule-phases';

export { BOARDS, SOBJECTS, type Baseline } from '../support/pair-checks';

export function baseline(world: FaultWorld): Baseline {
  const sf = world.sandbox.salesforce.control;
  const md = world.sandbox.monday.control;
  return {
    records: new Set([...sf.records('Opportunity', { includeDeleted: true }), ...sf.records('Account', { includeDeleted: true })].map((r) => String(r.Id))),
    items: new Set([...md.listItems(BOARDS.opportunity, true), ...md.listItems(BOARDS.account, true)].map((i) => i.id)),
  };
}

/**
 * Dead commands and dead-lettered decisions that a retry would fix: after the storm none may be left
 * (each fault was transient). Not counted: a write refused NOT_FOUND whose target a person deleted
 * meanwhile, the record's tombstone naming that side (seed 504: a monday.change_columns decided before
 * the item's delete webhook arrived); no retry can write to an item or record that is gone.
 */
export async function deadLetters(world: FaultWorld): Promise<unknown[]> {
  const { rows: commands } = await world.pool.query(
    `SELECT o.id, o.kind, left(o.last_error::text, 200) AS last_error FROM outbox o LEFT JOIN sync_records r ON r.id = o.record_id
     WHERE o.status = 'dead'
       AND NOT (o.last_error->>'code' = 'NOT_FOUND' AND r.deleted_side IS NOT NULL AND r.deleted_side = split_part(o.kind, '.', 1))`,
  );
  const { rows: decisions } = await world.pool.query("SELECT position, event_type, reason FROM sync_decisions WHERE outcome = 'dead_lettered'");
  return [...commands, ...decisions];
}

/** Webhooks the receiver refused (a refused webhook is a lost change). */
export async function webhookRejections(world: FaultWorld): Promise<Record<string, number>> {
  const { rows } = await world.pool.query<{ reason: string; n: number }>('SELECT reason, count(*)::int AS n FROM ingest_rejections GROUP BY reason');
  return Object.fromEntries(rows.map((r) => [r.reason, r.n]));
}

/**
 * No loop: one more human edit on each side costs exactly one write to the other side, and then the
 * system stays idle (no write in the quiet period after).
 */
export async function loopProbe(world: FaultWorld, pairs: TrackedPair[], timeoutMs: number, phases?: SchedulePhases): Promise<string | null> {
  const pair = pairs.find((p) => p.object === 'opportunity' && !p.removedOn && p.salesforceId && p.itemId);
  if (!pair) return 'no linked opportunity to probe with';
  const before = countRemoteWrites(world);
  world.sandbox.salesforce.control.updateAsHuman('Opportunity', pair.salesforceId as string, { NextStep: 'Probe after the faults' });
  world.sandbox.monday.control.changeColumnValues({ itemId: pair.itemId as number, columnValues: { amount: '4242' } });
  await waitForQuiet(world, timeoutMs, phases);
  const [item] = await world.monday.itemsByIds([String(pair.itemId)]);
  const nextStep = item?.columnValues.find((c) => c.id === 'next_step')?.text;
  const amount = world.sandbox.salesforce.control.getRecord(pair.salesforceId as string)?.Amount;
  if (nextStep !== 'Probe after the faults' || amount !== 4242) return `probe not synced: next_step ${JSON.stringify(nextStep)}, Amount ${JSON.stringify(amount)}`;
  const idle = countRemoteWrites(world);
  // Stays idle: nothing more is written while the system has nothing to do.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  await waitForQuiet(world, timeoutMs, phases);
  const after = countRemoteWrites(world);
  const probe: RemoteWrites = { salesforce: idle.salesforce - before.salesforce, monday: idle.monday - before.monday };
  if (probe.salesforce !== 1 || probe.monday !== 1) return `the probe's two edits cost ${JSON.stringify(probe)} writes, not one each`;
  if (after.salesforce !== idle.salesforce || after.monday !== idle.monday) return `writes while idle: ${JSON.stringify({ salesforce: after.salesforce - idle.salesforce, monday: after.monday - idle.monday })}`;
  return null;
}

/**
 * What the service knows of records that ended without an item: what the emulator's CDC log holds for
 * each, the events stored for it, its sync record, the decisions taken and the commands issued. Goes
 * into a failed schedule's detail, so a lost create is told apart from a stuck or skipped one.
 */
export async function recordStories(world: FaultWorld, recordIds: readonly string[]): Promise<string[]> {
  const { rows: channels } = await world.pool.query<{ channel: string; replay_id: string; events: number; max_replay: number | null }>(
    `SELECT p.channel, p.replay_id, count(e.position)::int AS events, max((e.payload->>'replayId')::bigint) AS max_replay
     FROM cdc_positions p LEFT JOIN events e ON e.type = 'salesforce.record_changed' AND e.payload->>'channel' = p.channel GROUP BY p.channel, p.replay_id ORDER BY p.channel`,
  );
  const stories = [`cdc positions ${JSON.stringify(channels)}`];
  const log = world.sandbox.salesforce.changeEventLog.readAfter(-2, 10_000_000);
  for (const id of recordIds) {
    // With its commit time, origin and values: which value each side got and when (seed 3310's story
    // lacked the Salesforce-side stage a person set while our create's outcome was lost).
    const cdc = log === 'invalid' ? 'invalid' : log.filter((e) => e.payload.ChangeEventHeader.recordIds.includes(id)).map((e) => cdcEntry(e.replayId, e.payload));
    // The items holding the Id (deleted and archived ones too), and the records of those items: an
    // item's own record (a person's edit before its link, its tombstone) holds no Salesforce Id (seed 3224).
    const holders = itemsHolding(world, id);
    const { rows: records } = await world.pool.query<{ id: string; salesforce_id: string | null; monday_item_id: string | null; creating: string | null; deleted_side: string | null; last_position: string }>(
      'SELECT id, salesforce_id, monday_item_id, creating, deleted_side, last_position FROM sync_records WHERE salesforce_id = $1 OR monday_item_id = ANY($2::text[]) ORDER BY id',
      [id, holders.map((i) => String(i.id))],
    );
    // The record's events and its items' (a column change names the item only), with what a column change set.
    const { rows: events } = await world.pool.query<{ position: string; type: string; origin: string; key: string; change: string | null }>(
      `SELECT position, type, origin, source_event_id AS key,
              coalesce(payload->>'changeType' || '@' || coalesce(payload->>'commitTimestamp', '') || ' ' || left(coalesce(payload->'fields', '{}')::text, 160),
                       payload->>'columnId' || '=' || left(coalesce(payload->'value', 'null')::text, 60) || ' at ' || coalesce(payload->>'changedAt', ''),
                       payload->>'reason',
                       'sentAt ' || (payload->>'sentAt') || ' ' || left(coalesce(payload->'written', payload->'values', '{}')::text, 160)) AS change
       FROM events WHERE stream LIKE '%' || $1 || '%' OR payload::text LIKE '%' || $1 || '%' OR stream = ANY($2::text[]) ORDER BY position`,
      [id, [...new Set([...records.flatMap((r) => r.monday_item_id ?? []), ...holders.map((i) => String(i.id))])].map((item) => `monday:item:${item}`)],
    );
    const recordKeys = records.map((r) => r.id);
    const { rows: decisions } = await world.pool.query<{ position: string; outcome: string; reason: string | null }>(
      'SELECT position, outcome, reason FROM sync_decisions WHERE record_id = ANY($1::bigint[]) OR position = ANY($2::bigint[]) ORDER BY position',
      [recordKeys, events.map((e) => e.position)],
    );
    // What each command carries now (a pending one is revised as the state moves on), its number and cause.
    const { rows: commands } = await world.pool.query<{ id: string; kind: string; status: string; attempts: number; caused_by: string; seq: number | null; values: string | null }>(
      `SELECT id, kind, status, attempts, caused_by, (payload->>'seq')::int AS seq, left((payload->'values')::text, 200) AS values
       FROM outbox WHERE record_id = ANY($1::bigint[]) ORDER BY id`,
      [recordKeys],
    );
    stories.push(
      `${id}: items ${JSON.stringify(holders)}; cdc ${JSON.stringify(cdc)}; events ${JSON.stringify(events.map((e) => `${e.position} ${e.type}/${e.change ?? ''} ${e.origin} ${e.key}`))}; ` +
        `records ${JSON.stringify(records)}; decisions ${JSON.stringify(decisions.map((d) => `${d.position} ${d.outcome} ${d.reason ?? ''}`))}; commands ${JSON.stringify(commands)}`,
    );
  }
  return stories;
}

/** One CDC event of the emulator's log: replay id, change type, commit time, a person's or ours (`us`), and its values. */
function cdcEntry(replayId: number | string, payload: { ChangeEventHeader: { changeType: string; commitTimestamp: number; changeOrigin: string }; [field: string]: unknown }): string {
  const { ChangeEventHeader: header, ...fields } = payload;
  const by = header.changeOrigin.includes('crm-sync') ? 'us' : 'person';
  return `${replayId}:${header.changeType}@${header.commitTimestamp} ${by} ${JSON.stringify(fields).slice(0, 200)}`;
}

/** The items of the script's boards whose Salesforce Id column holds `salesforceId`, in any state. */
function itemsHolding(world: FaultWorld, salesforceId: string): Array<{ id: number; state: string }> {
  const boards = [BOARDS.opportunity, BOARDS.account];
  return boards.flatMap((board) => world.sandbox.monday.control.listItems(board, true).filter((i) => JSON.stringify(i.values.salesforce_id ?? '').includes(salesforceId)).map((i) => ({ id: i.id, state: i.state })));
}
