import { expect } from 'expect';
import { activePersonalData, erasePerson, personalFieldPolicy } from '../../src/personal-data';
import { fastForwardRetries, PERSONAL_TEXT_FIELDS } from './convergence-world';
import { expectEventually } from './eventually';
import { pairMismatches } from './pair-checks';
import type { RandomEditScript, TrackedPair } from './random-edits';
import type { SyncEnvironment } from './sync-environment';

/**
 * The convergence scenario with PII_ENCRYPTION_KEY set (issue 19): one person is erased mid-run,
 * as `crm-sync erase --salesforce` does it, while the storm goes on around them.
 */

/** What was on both sides when the person was erased: nothing the sync does afterwards may change it. */
export interface ErasureMark {
  pair: TrackedPair;
  /** The last Salesforce change event at the erasure. */
  replayId: number;
  /** Log position of the erasure event. */
  position: number;
  item: string;
}

/**
 * Erases the first live, linked opportunity: the script stops editing it, its last edits are let
 * through to both sides (retries fast-forwarded; the other pairs' edits wait meanwhile), then its
 * data keys are destroyed. Null when the script has made no opportunity yet.
 */
export async function eraseOnePerson(env: SyncEnvironment, script: RandomEditScript): Promise<ErasureMark | null> {
  const linked = () => {
    script.discoverLinks();
    return script.pairs.find((p) => p.object === 'opportunity' && !p.removedOn && !p.erased && p.salesforceId && p.itemId);
  };
  // The storm waits here until the sync has linked an opportunity: on a loaded machine (monday's
  // minute limit throttling the first creates) none may be linked yet at the step the seed picked.
  if (!linked() && script.pairs.some((p) => p.object === 'opportunity' && !p.removedOn)) {
    await expectEventually(async () => {
      await fastForwardRetries(env);
      expect(linked()).toBeDefined();
    }, { timeoutMs: 60_000 });
  }
  const pair = linked();
  if (!pair) return null;
  pair.erased = true;
  const sides = { sandbox: env.sandbox, monday: env.monday, context: env.engine.context };
  await expectEventually(async () => {
    await fastForwardRetries(env);
    const { rows } = await env.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox o JOIN sync_records r ON r.id = o.record_id WHERE r.salesforce_id = $1 AND o.status IN ('pending', 'in_flight')`,
      [pair.salesforceId],
    );
    expect(rows[0].n).toBe(0);
    expect(await pairMismatches(sides, [pair])).toEqual([]);
  }, { timeoutMs: 60_000 });
  const protector = activePersonalData();
  if (!protector) throw new Error('the erasure scenario needs PII_ENCRYPTION_KEY');
  const report = await erasePerson(env.db.pool, protector.keys, { via: 'salesforce', salesforceId: pair.salesforceId as string }, personalFieldPolicy(env.mapping));
  expect(report?.subjects).toEqual(expect.arrayContaining([`salesforce:${pair.salesforceId}`, `monday:${pair.itemId}`]));
  if (!report?.position) throw new Error('the erasure recorded no event');
  return { pair, replayId: lastReplayId(env), position: report.position, item: itemState(env, pair.itemId as number) };
}

/**
 * Neither CRM was written for the erased person after the erasure: no command of theirs succeeded
 * (an update that changed nothing leaves no change event, so the log is asked too), no change
 * event of ours on the record, the item as it was.
 */
export async function expectNothingWrittenSince(env: SyncEnvironment, mark: ErasureMark): Promise<void> {
  const { rows: sent } = await env.db.pool.query<{ kind: string; position: string }>(
    `SELECT e.payload->>'kind' AS kind, e.position FROM events e JOIN sync_records r ON r.id = (e.payload->>'recordId')::bigint
     WHERE e.type = 'system.command_succeeded' AND e.position > $1 AND (r.salesforce_id = $2 OR r.monday_item_id = $3)`,
    [mark.position, mark.pair.salesforceId, String(mark.pair.itemId)],
  );
  expect({ erasedPersonWrittenAfterErasure: sent.map((c) => `${c.kind} at ${c.position}`) }).toEqual({ erasedPersonWrittenAfterErasure: [] });
  const log = env.sandbox.salesforce.changeEventLog.readAfter(mark.replayId, 10_000_000);
  if (log === 'invalid') throw new Error('change event log unreadable');
  const ours = log.filter((e) => e.payload.ChangeEventHeader.changeOrigin.includes('client=crm-sync') && e.payload.ChangeEventHeader.recordIds.includes(mark.pair.salesforceId as string));
  expect(ours.map((e) => ({ replayId: e.replayId, changed: e.payload.ChangeEventHeader.changedFields }))).toEqual([]);
  expect(itemState(env, mark.pair.itemId as number)).toBe(mark.item);
}

/**
 * Every personal value of the run as the emulators saw it: the names and PERSONAL_TEXT_FIELDS of
 * every Opportunity and Account change, and every item name. With the key set, none may be
 * readable in any table (the erased person's included).
 */
export function personalValuesOfRun(env: SyncEnvironment): string[] {
  const values = new Set<string>();
  const log = env.sandbox.salesforce.changeEventLog.readAfter(-2, 10_000_000);
  if (log === 'invalid') throw new Error('change event log unreadable');
  for (const e of log) {
    if (!['Opportunity', 'Account'].includes(e.payload.ChangeEventHeader.entityName)) continue;
    for (const field of ['Name', ...PERSONAL_TEXT_FIELDS]) {
      const value = (e.payload as Record<string, unknown>)[field];
      if (typeof value === 'string' && value.trim().length >= 8) values.add(value);
    }
  }
  for (const board of [9378000526, 9378000512]) for (const item of env.sandbox.monday.control.listItems(board, true)) if (item.name.length >= 8) values.add(item.name);
  return [...values];
}

function lastReplayId(env: SyncEnvironment): number {
  const log = env.sandbox.salesforce.changeEventLog.readAfter(-2, 10_000_000);
  if (log === 'invalid') throw new Error('change event log unreadable');
  return log.length > 0 ? log[log.length - 1].replayId : -2;
}

function itemState(env: SyncEnvironment, itemId: number): string {
  const item = env.sandbox.monday.control.getItem(itemId);
  return JSON.stringify({ name: item?.name, state: item?.state, values: item?.values });
}
