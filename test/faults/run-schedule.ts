import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { RandomEditScript, SeededRandom } from '../support/random-edits';
import { duplicatePairs, pairMismatches } from '../support/pair-checks';
import { baseline, deadLetters, loopProbe, recordStories, webhookRejections } from './fault-checks';
import { FaultActions, type FaultRunOptions } from './fault-actions';
import type { FaultPostgres } from './fault-postgres';
import { runMondayCatchUpJob, waitForQuiet } from './fault-quiet';
import { describeSchedule, drawSchedule, type FaultSchedule } from './fault-schedule';
import { startCluster, startFaultWorld, type FaultWorld } from './fault-world';
import { SchedulePhases } from './schedule-phases';

/** The objects the random edits work on and the duplicate check counts (test/support/pair-checks.ts). */
const STORM_OBJECTS = ['opportunity', 'account'];

export interface ScheduleOptions extends FaultRunOptions {
  edits: number;
  faults: number;
  /** How long the pipeline may go without any progress before it is declared stuck (see waitForQuiet). */
  quietTimeoutMs: number;
  /** Where to write the instances' logs when the schedule fails. */
  logsPath?: string;
  /** The compiled CLI the instances run on (test/support/compiled-service.ts); absent: through tsx. */
  compiledMain?: string;
  /** How the first two instances start (fault-world.ts startCluster); default sequential. */
  clusterStart?: 'together' | 'sequential';
}

/** `instanceStartsMs`: spawn to listening of each `crm-sync start` of the schedule. */
export type ScheduleResult =
  | { seed: number; passed: true; schedule: string; notes: string[]; instanceStartsMs: number[]; phasesMs?: Record<string, number> }
  | { seed: number; passed: false; schedule: string; reason: string; detail: string; instanceStartsMs?: number[]; phasesMs?: Record<string, number> };

/** One fault schedule from start to verdict, in a world of its own (a fresh database on the given server). */
export async function runFaultSchedule(seed: number, postgres: FaultPostgres, options: ScheduleOptions): Promise<ScheduleResult> {
  const schedule = drawSchedule(seed, options);
  const world = await startFaultWorld(postgres, `faults_${seed}_${randomBytes(4).toString('hex')}`, options.compiledMain);
  const journal: string[] = [];
  const phases = new SchedulePhases();
  phases.mark('world start');
  try {
    const notes = await runSchedule(world, schedule, options, journal, phases);
    return { seed, passed: true, schedule: describeSchedule(schedule), notes, instanceStartsMs: world.startTimesMs, phasesMs: phases.summary() };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (options.logsPath) writeFileSync(options.logsPath, world.logs.join(''));
    return { seed, passed: false, schedule: describeSchedule(schedule), reason: oneLine(message), detail: `${message}\nlast actions:\n  ${journal.slice(-80).join('\n  ')}`, instanceStartsMs: world.startTimesMs, phasesMs: phases.summary() };
  } finally {
    await world.close();
  }
}

async function runSchedule(world: FaultWorld, schedule: FaultSchedule, options: ScheduleOptions, journal: string[], phases: SchedulePhases): Promise<string[]> {
  clearBoardsOutsideTheStorm(world);
  await startCluster(world, options.clusterStart);
  phases.mark('cluster start');
  await waitForQuiet(world, options.quietTimeoutMs, phases);
  phases.mark('quiet waits');
  // The items the sandbox made on the storm's boards before the service started are unknown to it
  // until a monday catch-up reads them (the outage's, or the service's 10-minute tick): each then
  // gets its Salesforce record. Read them now, so those records belong to the baseline and not to
  // the storm, whose duplicate check would count them as extra records that no new item holds
  // (seed 102: "18 new Salesforce records for 14 pairs", each held by a sandbox item).
  await runMondayCatchUpJob(world, STORM_OBJECTS);
  phases.mark('monday catch-ups');
  await waitForQuiet(world, options.quietTimeoutMs, phases);
  phases.mark('quiet waits');
  const before = baseline(world);
  const random = new SeededRandom(schedule.seed);
  const script = new RandomEditScript(random, world.sandbox, await world.context());
  const actions = new FaultActions(world, random, script, options);
  const sf = world.sandbox.salesforce.control;
  const md = world.sandbox.monday.control;

  // Background faults for the whole storm: about 10% of requests to each CRM fail, and duplicated
  // webhook deliveries arrive in 3-46 copies.
  md.addFault({ kind: 'http_500', ratio: schedule.errorRatio / 3 });
  md.addFault({ kind: 'too_many_requests', ratio: schedule.errorRatio / 3 });
  md.addFault({ kind: 'latency', ratio: schedule.errorRatio / 3, latencyMs: 3_000 });
  // A 429 makes the client wait out monday's minute window (up to 60 s): one in some schedules.
  if (random.chance(0.3)) md.addFault({ kind: 'http_429', count: 1 });
  md.addFault({ kind: 'duplicate_webhook', ratio: 0.05, copies: schedule.webhookCopies });
  const salesforceFaults = ['http_error', 'unable_to_lock_row', 'request_limit_exceeded'] as const;

  let next = 0;
  for (let edit = 0; edit < schedule.edits; edit++) {
    script.step();
    journal.splice(0, journal.length, ...script.journal.slice(-15));
    if (sf.faults().length === 0 && random.chance(schedule.errorRatio)) sf.injectFault({ kind: random.pick(salesforceFaults), times: 1, pathContains: '/sobjects' });
    while (next < schedule.faults.length && schedule.faults[next].afterEdit === edit) {
      journal.push(`fault ${schedule.faults[next].kind}`);
      phases.mark('storm edits');
      await actions.inject(schedule.faults[next].kind);
      phases.mark(`fault ${schedule.faults[next].kind}`);
      next += 1;
    }
    // Pacing of the load (bursts with short gaps), not a wait for a condition.
    if (random.chance(0.3)) await new Promise((resolve) => setTimeout(resolve, random.int(0, 40)));
  }

  phases.mark('storm edits');
  await actions.settle();
  phases.mark('settle: restarted instances listening');
  md.clearFaults();
  sf.clearFaults();
  await waitForQuiet(world, options.quietTimeoutMs, phases);
  phases.mark('quiet waits');
  // Deliveries monday gave up on: the monday catch-up job (every 10 minutes in the service) repairs them.
  if (md.webhookDeliveries().some((d) => d.outcome === 'gave_up')) {
    await runMondayCatchUpJob(world);
    phases.mark('monday catch-ups');
    await waitForQuiet(world, options.quietTimeoutMs, phases);
    phases.mark('quiet waits');
  }
  script.discoverLinks();

  const rejections = await webhookRejections(world);
  if (Object.keys(rejections).length > 0) throw new Error(`webhooks refused (a lost change): ${JSON.stringify(rejections)}`);
  const dead = await deadLetters(world);
  if (dead.length > 0) throw new Error(`left dead-lettered: ${JSON.stringify(dead).slice(0, 600)}`);
  const doubled = duplicatePairs(world.sandbox, script.pairs, before);
  if (doubled.length > 0) {
    // Records without an item, and records held by several items (seed 513).
    const named = doubled.flatMap((problem) => /record (\S+) is held by items/.exec(problem)?.[1] ?? []);
    const stories = await recordStories(world, named.slice(0, 4));
    journal.splice(0, journal.length, ...script.journal);
    throw new Error(`duplicates: ${doubled.slice(0, 5).join('; ')}\nrecords named:\n  ${stories.join('\n  ')}`);
  }
  const wrong = await pairMismatches({ sandbox: world.sandbox, monday: world.monday, context: await world.context() }, script.pairs);
  if (wrong.length > 0) {
    const ids = [...new Set(wrong.flatMap((problem) => /^\w+ (\w{18}) \//.exec(problem)?.[1] ?? []))];
    const stories = await recordStories(world, ids.slice(0, 4));
    // Every edit of those pairs, not only the storm's last ones: what each side was given, in order.
    const items = [...new Set(wrong.flatMap((problem) => /\/ item (\d+)/.exec(problem)?.[1] ?? []))];
    journal.splice(0, journal.length, ...script.journal.filter((action) => [...ids, ...items.map((item) => `item ${item})`)].some((key) => action.includes(key))));
    throw new Error(`sides disagree (${wrong.length}): ${wrong.slice(0, 5).join('; ')}\nrecords that disagree:\n  ${stories.join('\n  ')}`);
  }
  phases.mark('checks');
  const loop = await loopProbe(world, script.pairs, options.quietTimeoutMs, phases);
  phases.mark('loop probe');
  if (loop) throw new Error(`loop check: ${loop}`);
  return actions.notes;
}

/**
 * The sandbox's demo items on the mapped boards the storm does not edit (leads, contacts) are
 * deleted before any instance starts (no webhook is installed yet, so none is sent). The edits run
 * on the storm's boards only; these items would be read by the first catch-up of all boards (the
 * monday outage's), which reads 5 minutes back from a board's first cursor, and synced in the middle
 * of the storm: the demo's people held as both a Contact item and a qualified Lead item make a
 * second Contact through the conversion, and a Contact create then matches two (seed 600:
 * `AMBIGUOUS_MATCH` on sam@lumendata.example.com). The monday clock jumped 41 minutes before that
 * catch-up ran until the outage stopped moving clocks, so it never looked that far back.
 */
function clearBoardsOutsideTheStorm(world: FaultWorld): void {
  const md = world.sandbox.monday.control;
  for (const object of world.mapping.objects.filter((o) => !STORM_OBJECTS.includes(o.key))) {
    for (const item of md.listItems(Number(object.monday.board))) md.deleteItem({ itemId: item.id });
  }
}

function oneLine(message: string): string {
  // eslint-disable-next-line no-control-regex
  const plain = message.replace(/\u001b\[[0-9;]*m/g, '').replace(/\s+/g, ' ').trim();
  return plain.length > 300 ? `${plain.slice(0, 300)}…` : plain;
}
