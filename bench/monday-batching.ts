/**
 * bench/monday-batching: how many aliased mutations per request (MondayClientOptions.batchSize).
 * The real monday client writes to the emulator under monday's default budget (10M complexity points
 * per minute, create_item 10,000 points, a change 1,000 in the emulator's cost model), one request
 * at a time per board, several boards in parallel, for batch sizes 1, 5, 10, 25, 50.
 *
 *   npx tsx bench/monday-batching.ts [--sizes 1,5,10,25,50] [--items 1500] [--boards 3]
 *                                    [--base-ms 150] [--per-mutation-ms 20] [--scale 5]
 *
 * Time is emulated: the emulator's clock runs `scale` times faster than real time and the client
 * paces on it, so budget minutes pass quickly; figures are per EMULATED second. The emulator answers
 * in about a millisecond; monday does not, so each request is delayed by a latency model of
 * `base-ms + per-mutation-ms * mutations` emulated ms (monday runs the aliases one after the other).
 * The model's numbers are an assumption (monday publishes none): change them to see how the
 * conclusion moves. Local CPU time is scaled too, which slightly favours large batches.
 *
 * Measured 2026-11-23 with the defaults (1,500 mutations over 3 boards, clock x5; the lead copies
 * the table to docs/benchmarks.md):
 *
 *   workload              batch  req/item  items/s  batch latency ms  throttled
 *   create_item               1      1        14.3       170              0
 *   create_item               5      0.20     21.2       250              0
 *   create_item              10      0.10     22.2       350              0
 *   create_item              25      0.04     22.2       650              0
 *   create_item              50      0.02     22.2      1150              0
 *   change_column_values      1      1        15.7       170              0
 *   change_column_values      5      0.20     53.1       250              0
 *   change_column_values     10      0.10     74.6       350              0
 *   change_column_values     25      0.04    105        650              0
 *   change_column_values     50      0.02    112       1150              0
 *
 * Conclusion: requests/item is 1/batch and nothing was throttled at any size (the pacer holds
 * requests back for the reset instead of letting monday refuse them). create_item is bound by the
 * complexity budget from batch 5 on (10M points/min at 10,000 per item: 1,000 items/min for the
 * whole account, whatever the batch). Changes, the common case, gain 7x from 1 to 25 per request
 * and only 7% more from 25 to 50, while a batch's latency (the time a board's queue is held, and the
 * number of writes one 5xx or timeout leaves in doubt) almost doubles. Default batchSize = 25
 * (DEFAULT_MUTATION_BATCH_SIZE in src/monday/index.ts).
 */
import { createMondayClient, type MondayMutation } from '../src/monday';
import { GraphqlRequestTransport, type GraphqlTransport } from '../src/monday/graphql-transport';
import { ScaledClock } from '@crm-sync/sandbox';
import { startMondayEmulator, type MondayEmulator } from '@crm-sync/sandbox';
import { numberListOption, numberOption } from './support/bench-options';
import { log, report, round, type Row } from './support/bench-report';

type Workload = 'create_item' | 'change_column_values';

async function main(): Promise<void> {
  const sizes = numberListOption('sizes', [1, 5, 10, 25, 50]);
  const items = numberOption('items', 1500);
  const boardCount = numberOption('boards', 3);
  const baseMs = numberOption('base-ms', 150);
  const perMutationMs = numberOption('per-mutation-ms', 20);
  const scale = numberOption('scale', 5);

  const rows: Row[] = [];
  for (const workload of ['create_item', 'change_column_values'] as const) {
    for (const size of sizes) {
      const emulator = await startMondayEmulator({ clock: new ScaledClock(scale) });
      try {
        rows.push(await measure(emulator, { workload, size, items, boardCount, baseMs, perMutationMs, scale }));
        log(`${workload} batch ${size}: ${JSON.stringify(rows[rows.length - 1])}`);
      } finally {
        await emulator.close();
      }
    }
  }
  report({
    bench: 'monday-batching',
    rows,
    notes: [
      `${items} mutations over ${boardCount} boards per run; default budget 10M points/min; latency model ${baseMs} ms + ${perMutationMs} ms per mutation (emulated); clock x${scale}`,
      'items/s and latency in emulated time; throttled = HTTP 429 answers in the emulator log',
    ],
  });
}

interface Run {
  workload: Workload;
  size: number;
  items: number;
  boardCount: number;
  baseMs: number;
  perMutationMs: number;
  scale: number;
}

async function measure(emulator: MondayEmulator, run: Run): Promise<Row> {
  const owner = emulator.control.humanUsers()[0].id;
  const perBoard = Math.ceil(run.items / run.boardCount);
  const boards = Array.from({ length: run.boardCount }, (_, b) => {
    const board = emulator.control.seedBoard({
      name: `Bench ${b}`,
      ownerId: owner,
      groups: [{ id: 'topics', title: 'Topics' }],
      columns: [
        { id: 'text', title: 'Text', type: 'text' },
        { id: 'status', title: 'Status', type: 'status' },
      ],
    });
    const seeded = run.workload === 'change_column_values' ? emulator.control.seedItems(board.id, Array.from({ length: perBoard }, (_, i) => ({ name: `Seed ${i}` }))) : [];
    return { id: String(board.id), itemIds: seeded.map((item) => String(item.id)) };
  });

  const latencies: number[] = [];
  const transport = new ModelledLatency(
    new GraphqlRequestTransport({ url: emulator.url, token: emulator.apiToken, apiVersion: '2025-10' }),
    run,
    (ms) => latencies.push(ms),
  );
  const clock = { now: () => emulator.clock.now(), sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, Math.ceil(ms / run.scale))) };
  const client = createMondayClient(
    { apiUrl: emulator.url, apiToken: emulator.apiToken, apiVersion: '2025-10', signingSecret: null, webhookToken: null },
    { transport, clock, batchSize: run.size },
  );

  emulator.control.clearRequestLog();
  const started = emulator.clock.now();
  const outcomes = await Promise.all(boards.map((board) => client.applyMutations(board.id, mutations(run.workload, board.itemIds, perBoard))));
  const elapsedS = (emulator.clock.now() - started) / 1000;

  const batches = emulator.control.requestLog().filter((e) => e.operationName === 'MutationBatch');
  const done = outcomes.flat();
  const failed = done.filter((o) => !o.ok).length;
  return {
    workload: run.workload,
    batch: run.size,
    items: done.length,
    failed,
    requests: batches.length,
    'req/item': round(batches.length / done.length, 3),
    'items/s': round(done.length / elapsedS, 1),
    'elapsed s': round(elapsedS, 1),
    'batch latency ms': round(latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length), 0),
    throttled: batches.filter((e) => e.status === 429).length,
  };
}

function mutations(workload: Workload, itemIds: string[], count: number): MondayMutation[] {
  return Array.from({ length: count }, (_, i) =>
    workload === 'create_item'
      ? { kind: 'create_item', groupId: 'topics', name: `Bench item ${i}`, columnValues: { text: `v${i}` } }
      : { kind: 'change_column_values', itemId: itemIds[i], columnValues: { text: `changed ${i}`, status: { index: i % 3 } } },
  );
}

/** monday's answer time as the model says: base + per mutation, in emulated ms, slept in real ms. */
class ModelledLatency implements GraphqlTransport {
  constructor(
    private readonly inner: GraphqlTransport,
    private readonly run: Run,
    private readonly record: (emulatedMs: number) => void,
  ) {}

  async send(document: string, variables: Record<string, unknown>): Promise<Awaited<ReturnType<GraphqlTransport['send']>>> {
    const mutationCount = (document.match(/\bm\d+: /g) ?? []).length;
    const emulatedMs = this.run.baseMs + this.run.perMutationMs * mutationCount;
    this.record(emulatedMs);
    await new Promise((r) => setTimeout(r, Math.ceil(emulatedMs / this.run.scale)));
    return this.inner.send(document, variables);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
