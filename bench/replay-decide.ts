/**
 * bench/replay-decide: the CPU of replay's decision loop alone (no Postgres), for A/B of builds of
 * the decision module in one process: `decideEvent` with dropped commands over bench/replay's log
 * (N linked opportunity pairs, then alternating monday stage changes and Salesforce amount changes),
 * built in memory as pg returns it, pages of 1,000 events, decision rows in COPY text, a new
 * RecordBatch every 100,000 events (as replay's writes). The builds alternate round by round.
 *
 *   npx tsx bench/replay-decide.ts --builds /tmp/base-X,/tmp/build-Y [--events 200000] [--rounds 3]
 *
 * tsx runs it in a child node without this node's flags: to measure with replay's heap flags,
 * bundle it (`npx esbuild bench/replay-decide.ts --bundle --platform=node --outfile=/tmp/rd.js`)
 * and run `node --max-semi-space-size=32 --heap-growing-percent=50 /tmp/rd.js --mapping
 * examples/nonprofit-leads.yaml --builds ...`.
 *
 * Each build is a directory holding dist/ compiled from some revision (tsc -p tsconfig.build.json).
 */
import { join, resolve } from 'node:path';
import { EXAMPLE_MAPPING, sandboxSchemas } from '../test/support/sandbox-schemas';
import { numberOption, stringOption } from './support/bench-options';
import { OPPORTUNITIES_BOARD } from './support/replay-log';

const PAIRS = 10_000;
const PAGE = 1_000;
const FLUSH_EVERY = 100_000;

type Json = Record<string, unknown>;

const id18 = (i: number) => `006${String(i).padStart(12, '0')}AAA`;

/** bench/replay's log (support/replay-log.ts), as events read from the log look. */
function replayLog(total: number): Json[] {
  const events: Json[] = [];
  let position = 1;
  const at = (ms: number) => ({ occurredAt: new Date(ms), recordedAt: new Date(ms) });
  for (let i = 1; i <= PAIRS; i++) {
    const payload = { objectKey: 'opportunity', salesforceObject: 'Opportunity', salesforceId: id18(i), mondayBoardId: OPPORTUNITIES_BOARD, mondayItemId: String(900000000 + i), via: 'backfill', values: { stage: 'Follow-up', amount: 1000 } };
    events.push({ position, transactionId: String(position++), source: 'system', sourceEventId: `link-${i}`, stream: 's', type: 'system.record_linked', origin: 'unknown', payload, ...at(1700000000000) });
  }
  for (let j = 1; j <= total - PAIRS; j++) {
    const k = 1 + (j % PAIRS);
    const monday = j % 2 === 0;
    // Flat strings, as pg's parser gives them (a concatenation would be hashed as a rope per look-up).
    const payload = monday
      ? { type: 'update_column_value', triggerTime: '2026-01-01T00:00:00Z', userId: 5001, triggerUuid: `change-${j}`, boardId: Number(OPPORTUNITIES_BOARD), pulseId: 900000000 + k, columnId: 'stage', columnType: 'color', value: { label: { index: 0, text: ['Follow-up', 'Quote', 'MOU'][Math.floor(j / 2) % 3] } }, changedAt: 1700000000 + j }
      : { object: 'Opportunity', recordId: id18(k), changeType: 'UPDATE', fields: { Amount: 1000 + j }, changedFields: ['Amount'], changeOrigin: '', commitTimestamp: (1700000000 + j) * 1000, commitUser: '005000000000001AAA', transactionKey: `t${j}`, sequenceNumber: 1, channel: '/data/OpportunityChangeEvent', replayId: j };
    const flat = JSON.parse(JSON.stringify(payload)) as Json;
    events.push({ position, transactionId: String(position++), source: monday ? 'monday' : 'salesforce', sourceEventId: `change-${j}`, stream: 's', type: monday ? 'monday.column_changed' : 'salesforce.record_changed', origin: 'user', payload: flat, ...at((1700000000 + j) * 1000) });
  }
  return events;
}

/** One build's decision loop: returns node CPU per 1,000 events of one pass over a fresh log. */
function loopOf(dir: string, total: number, mappingPath: string): () => number {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const load = (module: string) => require(join(resolve(dir), 'dist', module)) as unknown;
  const { loadMapping } = load('mapping') as { loadMapping: (path: string) => unknown };
  const { buildSyncContext } = load('sync-projector/build-sync-context') as { buildSyncContext: (...args: unknown[]) => unknown };
  const { LinkIndex } = load('sync-projector/link-index') as { LinkIndex: new () => unknown };
  const projector = load('sync-projector/sync-projector') as Record<string, (...args: unknown[]) => unknown> & { RecordBatch: new (records: unknown[]) => { load(r: unknown[]): void; changed(): unknown[] }; OutcomeTally: new () => { flush(): void } };
  const { decide, recordKeysOf } = load('sync-projector/decide') as Record<string, (...args: unknown[]) => unknown>;
  const { decisionRow } = load('sync-projector/rebuild') as { decisionRow: (row: unknown) => string };
  const mapping = loadMapping(mappingPath);
  const cached = JSON.parse(JSON.stringify({ live: sandboxSchemas(), salesforceUsers: [], mondayUsers: [] })) as unknown;
  return () => {
    const log = replayLog(total);
    const links = new LinkIndex();
    const context = buildSyncContext(mapping, cached, links);
    let batch = new projector.RecordBatch([]);
    const tally = new projector.OutcomeTally();
    const before = process.cpuUsage();
    let pages: string[] = [];
    for (let start = 0; start < log.length; start += PAGE) {
      const page = log.slice(start, start + PAGE);
      const pageKeys = page.map((event) => recordKeysOf(event, context));
      const decider = { batch, context, links, waiting: { load: () => Promise.resolve([]), loaded: true }, decideOne: decide, tally, dropCommands: true };
      const decided = { commands: [], decisions: [] as Array<{ position: number; eventType: string; outcome: unknown; commands: number }> };
      const rows: string[] = [];
      for (let i = 0; i < page.length; i++) {
        decided.decisions.length = 0;
        projector.decideEvent(page[i], decider, decided, pageKeys[i]);
        for (const row of decided.decisions) rows.push(decisionRow({ position: row.position, recordId: 1, eventType: row.eventType, outcome: row.outcome, commands: row.commands }));
      }
      pages.push(rows.join(''));
      if ((start + PAGE) % FLUSH_EVERY === 0) {
        const next = new projector.RecordBatch([]);
        next.load(batch.changed());
        batch = next;
        pages = [];
      }
    }
    tally.flush();
    const cpu = process.cpuUsage(before);
    return (cpu.user + cpu.system) / 1000 / (log.length / 1000);
  };
}

function main(): void {
  const builds = (stringOption('builds') ?? '').split(',').filter(Boolean);
  if (builds.length === 0) throw new Error('--builds DIR[,DIR...]: directories holding dist/ of the revisions to compare');
  const total = numberOption('events', 200_000);
  const rounds = numberOption('rounds', 3);
    // Bundled, EXAMPLE_MAPPING points next to the bundle: --mapping names the checkout's file then.
  const mappingPath = stringOption('mapping') ?? EXAMPLE_MAPPING;
  const loops = builds.map((dir) => loopOf(dir, total, mappingPath));
  const results: number[][] = builds.map(() => []);
  for (let round = 0; round < rounds; round++) {
    builds.forEach((dir, i) => {
      results[i].push(loops[i]());
      process.stdout.write(`round ${round + 1} ${dir}: ${results[i][round].toFixed(2)} ms node CPU per 1,000 events\n`);
    });
  }
  builds.forEach((dir, i) => process.stdout.write(`mean ${dir}: ${(results[i].reduce((a, b) => a + b, 0) / rounds).toFixed(2)} ms\n`));
}

main();
