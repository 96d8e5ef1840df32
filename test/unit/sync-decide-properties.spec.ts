import fc from 'fast-check';
import type { RecordedEvent } from '../../src/event-store';
import type { OutboxCommand } from '../../src/sync-commands/outbox-command';
import type { SalesforceValue } from '../../src/mapping/converters/converter.types';
import { decide } from '../../src/sync-projector/decide';
import { LinkIndex } from '../../src/sync-projector/link-index';
import { revisePendingCommand, valuesWritten } from '../../src/sync-projector/pending-commands';
import type { SyncContext } from '../../src/sync-projector/sync-context';
import type { SyncRecord } from '../../src/sync-projector/sync-record';
import { EmailUserDirectory } from '../../src/sync-projector/user-directory';
import { exampleResolvedMapping } from '../support/sandbox-schemas';
import { itemSnapshot, mondayColumnChanged, recordLinked, recorded, salesforceChanged } from '../support/sync-events';

/**
 * Property tests of the pure decision (decide + revisePendingCommand) for one linked opportunity's
 * stage, in a small model of the world: people edit either side at any time; each side reports its
 * changes in order (CDC per record, webhooks), ours as own echoes; the outbox runs one command of the
 * record at a time (claim, then the write lands later), and its success comes back as an event timed
 * by when it was sent. fast-check picks the interleaving; afterwards everything is delivered.
 */
const BOARD = '9378000526';
const ITEM = '501';
const OPP = '006000000000001AAA';
const STAGES = ['Follow-up', 'Quote', 'MOU'] as const;
type Stage = (typeof STAGES)[number];
type Side = 'salesforce' | 'monday';

type Step =
  | { kind: 'edit'; side: Side; value: Stage }
  | { kind: 'report'; side: Side }
  | { kind: 'claim' }
  | { kind: 'land' }
  | { kind: 'succeed' }
  /** monday refuses the next webhook (an outage, a kill) and retries it later, after the others. */
  | { kind: 'retry' }
  /** A refresh of the item (monday.refresh_item) reads it now; its snapshot is appended at `readReport`. */
  | { kind: 'read' }
  | { kind: 'readReport' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('edit' as const), side: fc.constantFrom<Side>('salesforce', 'monday'), value: fc.constantFrom(...STAGES) }),
  fc.record({ kind: fc.constant('report' as const), side: fc.constantFrom<Side>('salesforce', 'monday') }),
  fc.record({ kind: fc.constant('claim' as const) }),
  fc.record({ kind: fc.constant('land' as const) }),
  fc.record({ kind: fc.constant('succeed' as const) }),
);

interface Notice {
  value: Stage;
  /** What the side held right before (a monday webhook's previousValue). */
  previous: Stage;
  at: number;
  ours: boolean;
}

/** The steps above, plus monday webhooks delivered out of order by its retries (issue 20's campaign). */
const stepWithRetries: fc.Arbitrary<Step> = fc.oneof(step, fc.constant({ kind: 'retry' as const }));

/** The steps above, plus refreshes of the item whose snapshots are appended after later webhooks (seed 21). */
const stepWithReads: fc.Arbitrary<Step> = fc.oneof(step, fc.constant({ kind: 'read' as const }), fc.constant({ kind: 'readReport' as const }));

const MAPPING = exampleResolvedMapping();

class World {
  readonly links = new LinkIndex();
  readonly context: SyncContext = { mapping: MAPPING, links: this.links, users: new EmailUserDirectory() };
  record: SyncRecord;
  clock = 1_000;
  held: Record<Side, Stage> = { salesforce: 'Follow-up', monday: 'Follow-up' };
  notices: Record<Side, Notice[]> = { salesforce: [], monday: [] };
  /** When monday's item last changed (its updatedAt, which monday gives to the second). */
  mondayUpdatedAt = 1_000;
  reads: Array<{ value: Stage; updatedAt: number; at: number }> = [];
  pending: OutboxCommand[] = [];
  inFlight: { command: OutboxCommand; sentAt: number } | null = null;
  successes: Array<{ command: OutboxCommand; sentAt: number; at: number }> = [];
  /** Commands decided on an own echo that repeated the agreed value (must never happen). */
  echoCommands: string[] = [];
  /** Commands decided on an own echo while a command carrying the agreed value was still to land on that side (must never happen). */
  echoCommandsWhileCarried: string[] = [];

  /** `numbered`: the dispatcher copies commands' numbers into outcomes; false: a log written before they had any. */
  constructor(private readonly numbered = true) {
    this.links.add('opportunity', OPP, ITEM);
    const linked = decide(null, recordLinked({ objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: OPP, boardId: BOARD, itemId: ITEM, values: { __name__: 'Deal', stage: 'Follow-up' }, at: this.clock }), this.context);
    this.record = linked.record as SyncRecord;
  }

  run(s: Step): void {
    this.clock += 10;
    switch (s.kind) {
      case 'edit':
        if (this.held[s.side] === s.value) return;
        this.notices[s.side].push({ value: s.value, previous: this.held[s.side], at: this.clock, ours: false });
        this.held[s.side] = s.value;
        if (s.side === 'monday') this.mondayUpdatedAt = this.clock;
        return;
      case 'report': {
        const notice = this.notices[s.side].shift();
        if (notice) this.project(this.noticeEvent(s.side, notice), notice);
        return;
      }
      case 'claim':
        if (!this.inFlight && this.pending.length > 0) this.inFlight = { command: this.pending.shift() as OutboxCommand, sentAt: this.clock };
        return;
      case 'land': {
        if (!this.inFlight) return;
        const { command, sentAt } = this.inFlight;
        this.inFlight = null;
        const side = command.target;
        const value = valueOf(command);
        if (value !== undefined && this.held[side] !== value) {
          this.notices[side].push({ value, previous: this.held[side], at: this.clock, ours: true });
          this.held[side] = value;
          if (side === 'monday') this.mondayUpdatedAt = this.clock;
        }
        this.successes.push({ command, sentAt, at: this.clock });
        return;
      }
      case 'read':
        this.reads.push({ value: this.held.monday, updatedAt: Math.floor(this.mondayUpdatedAt / 1_000) * 1_000, at: this.clock });
        return;
      case 'readReport': {
        const read = this.reads.shift();
        if (!read) return;
        const snapshot = itemSnapshot(BOARD, ITEM, 'Deal', { stage: read.value }, read.updatedAt);
        this.project({ ...snapshot, occurredAt: new Date(read.at) });
        return;
      }
      case 'retry': {
        const refused = this.notices.monday.shift();
        if (refused) this.notices.monday.push(refused);
        return;
      }
      case 'succeed': {
        const done = this.successes.shift();
        if (!done) return;
        this.project(
          recorded({
            type: 'system.command_succeeded',
            source: 'system',
            sourceEventId: `command:${this.clock}`,
            stream: `salesforce:Opportunity:${OPP}`,
            origin: 'unknown',
            occurredAt: new Date(this.clock),
            payload: {
              commandId: this.clock,
              kind: done.command.kind,
              target: done.command.target,
              recordId: 1,
              written: 'values' in done.command && done.command.values ? done.command.values : {},
              sentAt: done.sentAt,
              // The dispatcher copies the command's number into its outcome.
              ...(this.numbered && 'seq' in done.command && done.command.seq !== undefined ? { seq: done.command.seq } : {}),
            },
          }),
        );
        return;
      }
    }
  }

  /** Everything still on its way is delivered, sent and reported, until nothing moves. */
  drain(): void {
    for (let i = 0; i < 200; i++) {
      const busy = this.notices.salesforce.length + this.notices.monday.length + this.pending.length + this.successes.length + this.reads.length + (this.inFlight ? 1 : 0);
      if (busy === 0) return;
      for (const s of [{ kind: 'report', side: 'salesforce' }, { kind: 'report', side: 'monday' }, { kind: 'claim' }, { kind: 'land' }, { kind: 'succeed' }, { kind: 'readReport' }] as Step[]) this.run(s);
    }
    throw new Error('the pair never came to rest (a loop)');
  }

  private noticeEvent(side: Side, notice: Notice): RecordedEvent {
    const origin = notice.ours ? 'own_echo' : 'user';
    if (side === 'salesforce') return salesforceChanged({ object: 'Opportunity', id: OPP, fields: { StageName: notice.value }, at: notice.at, origin });
    const label = (stage: Stage) => ({ label: { index: STAGES.indexOf(stage), text: stage }, post_id: null });
    const event = mondayColumnChanged({ boardId: BOARD, itemId: ITEM, columnId: 'stage', columnType: 'color', value: label(notice.value), at: notice.at, origin });
    return { ...event, payload: { ...event.payload, previousValue: label(notice.previous) } } as RecordedEvent;
  }

  private project(event: RecordedEvent, notice?: Notice): void {
    const agreedBefore = this.record.fields.stage?.agreed;
    const side = event.type === 'salesforce.record_changed' ? 'salesforce' : 'monday';
    // The echo is of a command that landed: one still pending or in flight is newer than it.
    const carried = [...this.pending, ...(this.inFlight ? [this.inFlight.command] : [])].some((c) => c.target === side && valueOf(c) === agreedBefore);
    const result = decide(this.record, event, this.context);
    this.record = result.record as SyncRecord;
    if (notice?.ours && notice.value === agreedBefore && result.commands.length > 0) this.echoCommands.push(`${event.type} ${notice.value}: ${JSON.stringify(result.commands)}`);
    if (notice?.ours && carried && result.commands.length > 0) this.echoCommandsWhileCarried.push(`${event.type} ${notice.value} (agreed ${String(agreedBefore)}): ${JSON.stringify(result.commands)}`);
    for (const command of result.commands) {
      if (command.kind !== 'salesforce.update' && command.kind !== 'monday.change_columns') throw new Error(`unexpected command ${command.kind}`);
      this.pending.push(command);
    }
    // The runner revises what waiting (unclaimed) commands carry in the same transaction, each
    // knowing what the commands before it (the one in flight as claimed) still write to its side.
    const writtenBefore: Record<Side, Map<string, SalesforceValue>> = { salesforce: new Map(), monday: new Map() };
    const before = (command: OutboxCommand) => Object.entries(valuesWritten(command)).forEach(([key, value]) => writtenBefore[command.target].set(key, value));
    if (this.inFlight) before(this.inFlight.command);
    this.pending = this.pending.flatMap((command) => {
      const revision = revisePendingCommand(command, this.record, this.context.mapping, new Map(writtenBefore[command.target]));
      if (revision.kind === 'cancelled') return [];
      const revised = revision.kind === 'rewritten' ? revision.command : command;
      before(revised);
      return [revised];
    });
  }
}

function valueOf(command: OutboxCommand): Stage | undefined {
  if (command.kind === 'salesforce.update') return command.fields.StageName as Stage | undefined;
  if (command.kind === 'monday.change_columns') return (command.columnValues.stage as { label?: Stage } | undefined)?.label;
  return undefined;
}

function converges(steps: Parameters<World['run']>[0][], numbered = true): void {
  const world = new World(numbered);
  for (const s of steps) world.run(s);
  world.drain();
  const agreed = world.record.fields.stage.agreed;
  expect({ salesforce: world.held.salesforce, monday: world.held.monday }).toEqual({ salesforce: agreed, monday: agreed });
}

function noEchoCommandWhileCarried(steps: Parameters<World['run']>[0][]): void {
  const world = new World();
  for (const s of steps) world.run(s);
  world.drain();
  expect(world.echoCommandsWhileCarried).toEqual([]);
}

describe('sync decide properties (fast-check)', () => {
  // Seeded so that npm test is deterministic; FC_SEED=<n> FC_RUNS=<n> search further.
  it('any interleaving of edits on both sides, reports, echoes, sends and outcomes converges: both sides hold the agreed value', () => {
    fc.assert(fc.property(fc.array(step, { maxLength: 40 }), (steps) => converges(steps)), { numRuns: Number(process.env.FC_RUNS ?? 5_000), seed: Number(process.env.FC_SEED ?? 20_261_207) });
  });

  it('the same with monday webhooks refused and retried later, out of order: a late edit never wins over what monday showed after it', () => {
    fc.assert(fc.property(fc.array(stepWithRetries, { maxLength: 40 }), (steps) => converges(steps)), { numRuns: Number(process.env.FC_RUNS ?? 5_000), seed: Number(process.env.FC_SEED ?? 20_261_207) });
  });

  it('the same with refreshes of the item read at one step and appended at a later one, after webhooks of changes made in between (seed 21)', () => {
    fc.assert(fc.property(fc.array(stepWithReads, { maxLength: 40 }), (steps) => converges(steps)), { numRuns: Number(process.env.FC_RUNS ?? 5_000), seed: Number(process.env.FC_SEED ?? 20_261_207) });
  });

  // Found by the refresh property (40,000 runs) when a refresh still counted as what monday holds
  // now: monday MOU (t=1010), Follow-up (1020), Salesforce MOU (1030, agreed); the MOU webhook cancels
  // the write of MOU to monday (held); the refresh read after all three, updatedAt 1000 (to the
  // second), replaced what monday held with Follow-up, so the late Follow-up webhook no longer showed
  // that monday had lost the agreed MOU after holding it, and nothing repaired monday.
  it('known counterexample: two monday edits, a Salesforce edit, a refresh read appended after all of them', () => {
    converges([
      { kind: 'edit', side: 'monday', value: 'MOU' },
      { kind: 'edit', side: 'monday', value: 'Follow-up' },
      { kind: 'edit', side: 'salesforce', value: 'MOU' },
      { kind: 'read' },
    ] as Parameters<World['run']>[0][]);
  });

  // Found by an unseeded run (issue 16): the Salesforce edit back to Follow-up was decided while our
  // write of MOU to monday was in flight, when monday still looked like it held Follow-up, so nothing
  // was sent; the echo of MOU then showed monday had lost the agreed value, and was not repaired.
  it('known counterexample: edit Salesforce, report, claim, land, edit Salesforce again', () => {
    converges([
      { kind: 'edit', side: 'salesforce', value: 'MOU' },
      { kind: 'report', side: 'salesforce' },
      { kind: 'claim' },
      { kind: 'land' },
      { kind: 'edit', side: 'salesforce', value: 'Follow-up' },
    ] as Parameters<World['run']>[0][]);
  });


  // Found by a run with another seed: the monday edit to MOU was decided while our write of Quote to
  // Salesforce was in flight, when Salesforce still looked like it held MOU (a person's edit seen
  // earlier), so nothing was sent. Salesforce already held Quote (the person's later edit), so our
  // write changed nothing and had no echo: only its success shows Salesforce lacks the agreed MOU.
  it('known counterexample: our write changing nothing, in flight while the other side agreed what the target seemed to hold', () => {
    converges([
      { kind: 'edit', side: 'salesforce', value: 'MOU' },
      { kind: 'edit', side: 'monday', value: 'Quote' },
      { kind: 'edit', side: 'salesforce', value: 'Quote' },
      { kind: 'report', side: 'monday' },
      { kind: 'edit', side: 'monday', value: 'MOU' },
      { kind: 'claim' },
    ] as Parameters<World['run']>[0][]);
  });

  it('with outcome events written before commands were numbered (no seq), the same interleavings still converge', () => {
    fc.assert(fc.property(fc.array(step, { maxLength: 40 }), (steps) => converges(steps, false)), { numRuns: Number(process.env.FC_RUNS ?? 2_000), seed: Number(process.env.FC_SEED ?? 20_261_207) });
  });

  // Issue 16, seed 615's family (sync-decide-sending-to.spec.ts): the echo of an older command of
  // ours, with a value the agreed one replaced, is no lost write while a newer command carries the
  // agreed value there; a repair would be a second write of the same value.
  it('an own echo of an older command never produces a command while a newer one carrying the agreed value is still to land there', () => {
    fc.assert(fc.property(fc.array(step, { maxLength: 40 }), noEchoCommandWhileCarried), { numRuns: Number(process.env.FC_RUNS ?? 3_000), seed: Number(process.env.FC_SEED ?? 20_261_207) });
  });

  // The interleaving of seed 615's family, too long for the random search to hit often: monday
  // Quote, MOU, Quote, each sent; the first two land, the third is in flight when their echoes come.
  it('known counterexample: the echoes of Quote and MOU while the second Quote is in flight send nothing, and the pair converges', () => {
    const sent = (value: Stage) => [{ kind: 'edit', side: 'monday', value }, { kind: 'report', side: 'monday' }, { kind: 'claim' }, { kind: 'land' }];
    const steps = [...sent('Quote'), ...sent('MOU'), ...sent('Quote').slice(0, 3), { kind: 'report', side: 'salesforce' }, { kind: 'report', side: 'salesforce' }] as Parameters<World['run']>[0][];
    noEchoCommandWhileCarried(steps);
    converges(steps);
  });

  it('an own echo of the agreed value never produces a command', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const world = new World();
        for (const s of steps) world.run(s);
        world.drain();
        expect(world.echoCommands).toEqual([]);
      }),
      { numRuns: 300, seed: 20_261_207 },
    );
  });
});
