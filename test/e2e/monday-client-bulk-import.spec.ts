/**
 * GraphqlMondayBulkImport (MondayPort.bulkImport) against the monday emulator: admin check, job start,
 * pre-signed upload, status polling and the report, as the backfill's bulk path uses them.
 */
import { createMondayClient, MondayError, type MondayBulkImport } from '../../src/monday';
import { buildImportFile } from '../../src/monday/bulk-import-csv';
import { ScaledClock } from '@crm-sync/sandbox';
import { DEMO_BOARDS, startMondayEmulator, type MondayEmulator } from '@crm-sync/sandbox';

const BOARD = String(DEMO_BOARDS.leads.id);
const GROUP = DEMO_BOARDS.leads.groups.newLeads;

describe('GraphqlMondayBulkImport against the emulator', () => {
  let em: MondayEmulator;
  let clock: ScaledClock;

  const client = (apiVersion = '2026-10'): MondayBulkImport | undefined =>
    createMondayClient({ apiUrl: em.url, apiToken: em.apiToken, apiVersion, signingSecret: null, webhookToken: null }).bulkImport;
  const start = async (admin: boolean) => {
    clock = new ScaledClock(1);
    em = await startMondayEmulator({ seed: 'demo', clock, integrationUserIsAdmin: admin, bulkImport: { rowsPerSecond: 1_000 } });
  };
  afterEach(() => em.close());

  it('is absent before API 2026-07', async () => {
    await start(true);
    expect(client('2026-04')).toBeUndefined();
    expect(client('2026-10')).toBeDefined();
  });

  it('runs a backfill job end to end: admin token, upload, COMPLETED with counts, a report naming each row and its item', async () => {
    await start(true);
    const bulk = client() as MondayBulkImport;
    expect(await bulk.tokenIsAdmin()).toBe(true);
    const columns = [
      { id: 'salesforce_id', title: 'Salesforce Id', type: 'text', settings: {} },
      { id: 'email', title: 'Email', type: 'email', settings: {} },
    ];
    const file = buildImportFile(columns, [
      { name: 'Ada Org', columnValues: { salesforce_id: '00Q000000000001AAA', email: { email: 'ada@example.com', text: 'ada@example.com' } } },
      { name: 'Bad Org', columnValues: { salesforce_id: '00Q000000000002AAA', email: { email: 'not-an-email', text: 'x' } } },
    ]);
    const job = await bulk.startJob('backfill', BOARD, GROUP);
    expect((await bulk.jobStatus(job.jobId)).state).toBe('UPLOAD_PENDING');

    await bulk.upload(job.uploadUrl, file.csv);
    clock.advance(10_000);
    const status = await bulk.jobStatus(job.jobId);

    expect(status).toMatchObject({ state: 'COMPLETED', progressPercentage: 100, fullyImported: true });
    expect(status.counts).toMatchObject({ submitted: 2, created: 1, invalid: 1 });
    const report = await bulk.report(status.reportUrl as string);
    expect(report.map((r) => [r.rowNumber, r.result, r.cells.salesforce_id])).toEqual([
      [1, 'created', '00Q000000000001AAA'],
      [2, 'invalid', '00Q000000000002AAA'],
    ]);
    expect(report[0].itemId).toMatch(/^\d+$/);
    expect(report[1].error).toMatch(/email/);
    expect(em.control.listItems(DEMO_BOARDS.leads.id).find((i) => String(i.id) === report[0].itemId)?.name).toBe('Ada Org');
  });

  it('a non-admin token: tokenIsAdmin is false and backfill_items is refused, ingest_items works', async () => {
    await start(false);
    const bulk = client() as MondayBulkImport;
    expect(await bulk.tokenIsAdmin()).toBe(false);
    await expect(bulk.startJob('backfill', BOARD, GROUP)).rejects.toBeInstanceOf(MondayError);
    const job = await bulk.startJob('ingest', BOARD, GROUP);
    expect(job.jobId).toMatch(/^\d+$/);
  });

  it('a second upload to the same job is refused (a job takes one file)', async () => {
    await start(true);
    const bulk = client() as MondayBulkImport;
    const job = await bulk.startJob('ingest', BOARD, GROUP);
    await bulk.upload(job.uploadUrl, 'name\nOne\n');
    await expect(bulk.upload(job.uploadUrl, 'name\nTwo\n')).rejects.toMatchObject({ code: 'PERMANENT', details: { httpStatus: 403 } });
  });
});
