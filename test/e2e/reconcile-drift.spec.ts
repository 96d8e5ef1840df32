import { SchedulerRegistry } from '@nestjs/schedule';
import pino from 'pino';
import { reconcile, type Drift, type ReconcileReport } from '../../src/migration/reconcile';
import { formatReconcileTable } from '../../src/migration/reconcile-format';
import { startScheduledReconcile } from '../../src/migration/reconcile-schedule';
import { OutboxDispatcher } from '../../src/outbox/dispatcher';
import type { SObjectRecord } from '@crm-sync/sandbox';
import { expectEventually } from '../support/eventually';
import { EXAMPLE_MAPPING } from '../support/sandbox-schemas';
import { startSyncEnvironment, type SyncEnvironment } from '../support/sync-environment';
import { runCli } from '../support/run-cli';
import { linkedItems } from '../../src/sync-projector/linked-items';
import { expectPipelineIdle } from '../support/pipeline-idle';



/**
 * Drift injected behind the service's back in both emulators (monday webhooks dropped, Salesforce
 * edits with no change event), found by `reconcile` and repaired by `reconcile --fix` through the
 * normal pipeline (projector -> outbox -> dispatcher). Scoped to the `account` object of the example
 * mapping: the demo data gives it every kind of starting drift too.
 */
describe('crm-sync reconcile against both emulators', () => {
  let env: SyncEnvironment;
  let dispatcher: OutboxDispatcher | null = null;

  beforeAll(async () => {
    // No wall-clock monday catch-up: at a 10-minute boundary it read the items drifted without
    // webhooks and synced them between two runs of the test (a fresh-clone CI failure at 22:40).
    env = await startSyncEnvironment({ schedules: { mondayCatchUp: null } });
    // The sync engine may not run a dispatcher yet; the repairs need one.
    if (!('dispatcher' in env.engine)) {
      dispatcher = new OutboxDispatcher(
        { pool: env.service.runtime.pool, salesforce: env.salesforce, monday: env.monday, logger: pino({ level: 'silent' }), mapping: env.engine.context.mapping, linkedItems: (itemIds) => linkedItems(env.service.runtime.pool, itemIds) },
        { pollIntervalMs: 20, policy: { baseDelayMs: 10, maxDelayMs: 40, reauthDelayMs: 10, rateLimitFallbackMs: 20 } },
      );
      dispatcher.start();
    }
  });

  afterAll(async () => {
    await dispatcher?.stop();
    await env?.stop();
  });

  const run = (fix = false): Promise<ReconcileReport> =>
    reconcile({ db: env.service.runtime.pool, salesforce: env.salesforce, monday: env.monday, mapping: env.mapping }, { objectKey: 'account', fix });
  const driftsOf = (report: ReconcileReport): Drift[] => report.objects.flatMap((o) => o.drifts);

  const keyOf = (d: Drift): string => [d.kind, d.salesforceId, d.itemId, d.column].join('|');

  const pipelineIdle = () => expectPipelineIdle(env.service.runtime.pool);

  /** Once the pipeline is idle, reconcile finds exactly `expected` drift (by kind, record, item, field). */
  async function expectDriftEventually(expected: readonly string[]): Promise<ReconcileReport> {
    return expectEventually(
      async () => {
        await pipelineIdle();
        const report = await run();
        expect(driftsOf(report).map(keyOf).sort()).toEqual([...expected].sort());
        return report;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
  }

  /** Drift a person has to resolve (fix keeps neither side) or whose repair was dead-lettered, with the reason. */
  const needsAPerson = (d: Drift): boolean => d.fix === 'none' || /dead-lettered: .+/.test(d.detail ?? '');
  let baseline: string[] = [];

  /** Linked pairs of the account object: Salesforce id -> monday item id. */
  async function accountLinks(): Promise<Map<string, string>> {
    const { rows } = await env.service.runtime.pool.query<{ salesforce_id: string; monday_item_id: string }>(
      "SELECT salesforce_id, monday_item_id FROM sync_records WHERE object_key = 'account' AND deleted_side IS NULL AND salesforce_id IS NOT NULL AND monday_item_id IS NOT NULL ORDER BY id",
    );
    return new Map(rows.map((r) => [r.salesforce_id, r.monday_item_id]));
  }

  function withoutWebhooks(edit: () => void): void {
    env.sandbox.monday.control.addFault({ kind: 'drop_webhook', ratio: 1 });
    try {
      edit();
    } finally {
      env.sandbox.monday.control.clearFaults();
    }
  }

  /** Edits the org's stored record directly: no change event is published, as if CDC missed it. */
  function salesforceEditWithoutChangeEvent(type: string, id: string, change: (record: SObjectRecord) => void): void {
    const control = env.sandbox.salesforce.control;
    const snapshot = control.snapshot();
    const record = snapshot.records[type]?.find((r) => r.Id === id);
    if (!record) throw new Error(`no ${type} ${id}`);
    const now = new Date(control.now()).toISOString();
    change(record);
    record.LastModifiedDate = now;
    record.SystemModstamp = now;
    control.restore(snapshot);
  }

  /** A column's display text, read through the monday API. */
  async function columnText(itemId: string, columnId: string): Promise<string | null> {
    const [item] = await env.monday.itemsByIds([itemId]);
    return item?.columnValues.find((c) => c.id === columnId)?.text ?? null;
  }

  it('reports the demo data drift per kind, and --fix converges it through the pipeline until only what needs a person is left', async () => {
    const before = await run();
    expect(new Set(driftsOf(before).map((d) => d.kind))).toEqual(new Set(['salesforce_id_not_found', 'missing_on_salesforce', 'missing_on_monday']));
    expect(before.objects[0]).toMatchObject({ objectKey: 'account', salesforceRecords: 10, mondayItems: 5, comparedPairs: 0 });

    const fixed = await run(true);
    expect(fixed.fix?.eventsAppended).toBe(driftsOf(before).length);
    const after = await expectEventually(
      async () => {
        await pipelineIdle();
        const report = await run();
        expect(driftsOf(report).filter((d) => !needsAPerson(d))).toEqual([]);
        return report;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    // The demo org has Account types the board has no label for and an owner with no Salesforce user:
    // reported with the reason, not guessed at.
    expect(driftsOf(after).some((d) => d.kind === 'missing_on_monday' && /account_type does not accept/.test(d.detail ?? ''))).toBe(true);
    baseline = driftsOf(after).map(keyOf);
    expect(after.objects[0].comparedPairs).toBeGreaterThanOrEqual(9);
  });

  it('finds each drift injected behind the service\'s back and says which side the fix keeps', async () => {
    const inBaseline = new Set(baseline.flatMap((key) => key.split('|').slice(1, 3)));
    const links = [...(await accountLinks()).entries()].filter(([salesforceId, itemId]) => !inBaseline.has(salesforceId) && !inBaseline.has(itemId));
    expect(links.length).toBeGreaterThanOrEqual(5);
    const [cityPair, descriptionPair, deletedItemPair, deletedRecordPair, wrongIdPair] = links;
    const monday = env.sandbox.monday.control;

    withoutWebhooks(() => {
      monday.changeColumnValues({ itemId: Number(cityPair[1]), columnValues: { billing_city: 'Drifted City' } });
      monday.deleteItem({ itemId: Number(deletedItemPair[1]) });
      monday.changeColumnValues({ itemId: Number(wrongIdPair[1]), columnValues: { salesforce_id: '001Hs00000000ZZIAQ' } });
    });
    salesforceEditWithoutChangeEvent('Account', descriptionPair[0], (record) => (record.Description = 'Changed in Salesforce, no change event'));
    salesforceEditWithoutChangeEvent('Account', deletedRecordPair[0], (record) => (record.IsDeleted = true));

    const report = await run();
    const drifts = driftsOf(report).filter((d) => !baseline.includes(keyOf(d)));
    expect(drifts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'value_differs', salesforceId: cityPair[0], itemId: cityPair[1], column: 'billing_city', mondayValue: 'Drifted City', fix: 'monday' }),
        expect.objectContaining({ kind: 'value_differs', salesforceId: descriptionPair[0], column: 'description', salesforceValue: 'Changed in Salesforce, no change event', fix: 'salesforce' }),
        expect.objectContaining({ kind: 'removed_on_monday', salesforceId: deletedItemPair[0], itemId: deletedItemPair[1] }),
        expect.objectContaining({ kind: 'removed_on_salesforce', salesforceId: deletedRecordPair[0], itemId: deletedRecordPair[1] }),
        expect.objectContaining({ kind: 'link_disagrees', salesforceId: wrongIdPair[0], itemId: wrongIdPair[1] }),
      ]),
    );
    expect(drifts).toHaveLength(5);

    const table = formatReconcileTable(report);
    expect(table).toContain(`${baseline.length + 5} drift(s) found`);
    for (const kind of ['value_differs', 'removed_on_monday', 'removed_on_salesforce', 'link_disagrees']) expect(table).toContain(kind);
    expect(table).toContain('Drifted City');
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('--fix repairs every injected drift through the pipeline: a second run finds none and both CRMs hold the same values', async () => {
    const before = await run();
    const pairOf = (kind: string, column?: string) => driftsOf(before).find((d) => d.kind === kind && (!column || d.column === column)) as Drift;
    const city = pairOf('value_differs', 'billing_city');
    const description = pairOf('value_differs', 'description');
    const removedRecord = pairOf('removed_on_salesforce');
    const wrongId = pairOf('link_disagrees');

    const fixed = await run(true);
    expect(fixed.fix?.eventsAppended).toBeGreaterThanOrEqual(5);
    await expectDriftEventually(baseline);

    const salesforce = env.sandbox.salesforce.control;
    expect(salesforce.getRecord(city.salesforceId as string)?.BillingCity).toBe('Drifted City');
    expect(await columnText(description.itemId as string, 'description')).toBe('Changed in Salesforce, no change event');
    expect(env.sandbox.monday.control.getItem(Number(removedRecord.itemId))?.state).toBe('archived');
    expect(await columnText(wrongId.itemId as string, 'salesforce_id')).toBe(wrongId.salesforceId);
    const removedItem = pairOf('removed_on_monday');
    const { rows } = await env.service.runtime.pool.query("SELECT deleted_side FROM sync_records WHERE monday_item_id = $1", [removedItem.itemId]);
    expect(rows).toEqual([{ deleted_side: 'monday' }]);
    expect(salesforce.getRecord(removedItem.salesforceId as string)?.IsDeleted).toBe(false);
  });

  it('crm-sync reconcile prints the drift as a table, and as one JSON document with --json', async () => {
    const cityPair = [...(await accountLinks()).entries()].find(([salesforceId, itemId]) => !baseline.some((key) => key.includes(salesforceId) || key.includes(itemId))) as [string, string];
    withoutWebhooks(() => env.sandbox.monday.control.changeColumnValues({ itemId: Number(cityPair[1]), columnValues: { billing_city: 'Seen by the CLI' } }));
    const cliEnv = { ...env.sandbox.variables, DATABASE_URL: env.db.url, SYNC_CONFIG: EXAMPLE_MAPPING };

    const json = await runCli(['reconcile', '--object', 'account', '--json'], cliEnv);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as ReconcileReport;
    expect(report.objects.map((o) => o.objectKey)).toEqual(['account']);
    expect(driftsOf(report).map(keyOf).sort()).toEqual([...baseline, `value_differs|${cityPair[0]}|${cityPair[1]}|billing_city`].sort());
    expect(report.fix).toBeUndefined();

    const table = await runCli(['reconcile', '--object', 'account'], cliEnv);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^account \(Account <-> board 9378000512\): \d+ records, \d+ items, \d+ linked pairs compared, \d+ drift\(s\)$/m);
    expect(table.stdout).toMatch(new RegExp(`value_differs\\s+${cityPair[0]}\\s+${cityPair[1]}.*billing_city / BillingCity\\s+.+\\s+Seen by the CLI\\s+monday`));

    const unknown = await runCli(['reconcile', '--object', 'grant'], cliEnv);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no object "grant" in the mapping');
  });

  it('a scheduled reconcile with fix finds drift on its cron tick and the pipeline repairs it', async () => {
    const pair = [...(await accountLinks()).entries()].find(([salesforceId, itemId]) => !baseline.some((key) => key.includes(salesforceId) || key.includes(itemId))) as [string, string];
    const reports: ReconcileReport[] = [];
    const scheduled = startScheduledReconcile(
      { db: env.service.runtime.pool, salesforce: env.salesforce, monday: env.monday, mapping: env.mapping, context: env.engine.context },
      { schedule: '* * * * * *', fix: true, databaseUrl: env.db.url, logger: pino({ level: 'silent' }), onReport: (r) => reports.push(r), registry: new SchedulerRegistry() },
    );
    try {
      const before = await run();
      const outstanding = driftsOf(before).filter((d) => !baseline.includes(keyOf(d)));
      withoutWebhooks(() => env.sandbox.monday.control.changeColumnValues({ itemId: Number(pair[1]), columnValues: { billing_city: 'Fixed on schedule' } }));
      await expectEventually(() => expect(reports.some((r) => (r.fix?.eventsAppended ?? 0) > 0 && r.objects.some((o) => o.drifts.some((d) => d.itemId === pair[1])))).toBe(true), { timeoutMs: 10_000 });
      expect(outstanding.every((d) => d.fix !== 'none')).toBe(true);
      await expectEventually(async () => expect(env.sandbox.salesforce.control.getRecord(pair[0])?.BillingCity).toBe('Fixed on schedule'), { timeoutMs: 15_000, intervalMs: 100 });
    } finally {
      await scheduled.stop();
    }
    expect(() => startScheduledReconcile({ db: env.service.runtime.pool, salesforce: env.salesforce, monday: env.monday, mapping: env.mapping }, { schedule: 'every day', databaseUrl: env.db.url, logger: pino({ level: 'silent' }), registry: new SchedulerRegistry() })).toThrow(
      /not a valid cron expression/,
    );
  });
});
