/**
 * monday bulk import in the emulator (addendum 1): ingest_items / backfill_items / fetch_job_status
 * with the 2026-10 shapes, the signed upload URL, per-row validation with the mutations' column rules,
 * the report, the limits, admin-only backfill and which operation fires webhooks.
 */
import { GraphQLClient, ClientError } from 'graphql-request';
import type { MondayEmulator } from '../../src/monday';
import { DEMO_BOARDS, startMondayEmulator } from '../../src/monday';
import { ScaledClock } from '../../src/clock';
import { DOCS, eventually, WebhookReceiver } from './sandbox-monday-support';

const LEADS = DEMO_BOARDS.leads;
const BOARD = String(LEADS.id);
const GROUP = LEADS.groups.newLeads;
const INGEST = `mutation ($b: ID!, $g: ID!, $m: OnMatchInput) { ingest_items(board_id: $b, group_id: $g, on_match: $m) { job_id upload_url } }`;
const BACKFILL = `mutation ($b: ID!, $g: ID!) { backfill_items(board_id: $b, group_id: $g) { job_id upload_url } }`;
const STATUS = `query ($j: ID!) { fetch_job_status(job_id: $j) { ... on ItemsJobStatus {
  status progress_percentage fully_imported failure_reason failure_message report_created report_url
  counts { submitted invalid skipped created updated failed } } } }`;

interface JobInit {
  job_id: string;
  upload_url: string;
}
interface JobStatus {
  status: string;
  progress_percentage: number;
  fully_imported: boolean;
  failure_reason: string | null;
  report_url: string | null;
  counts: Record<string, number>;
}

describe('monday emulator bulk import (2026-10)', () => {
  let em: MondayEmulator;
  let clock: ScaledClock;
  let client: GraphQLClient;

  const start = async (options: Parameters<typeof startMondayEmulator>[0] = {}): Promise<void> => {
    clock = new ScaledClock(1);
    em = await startMondayEmulator({ seed: 'demo', clock, bulkImport: { rowsPerSecond: 100 }, ...options });
    client = new GraphQLClient(em.url, { headers: { Authorization: em.apiToken, 'API-Version': '2026-10' } });
  };
  const put = (url: string, csv: string, headers: Record<string, string> = { 'content-type': 'text/csv' }): Promise<Response> =>
    fetch(url, { method: 'PUT', headers, body: csv });
  const status = async (jobId: string): Promise<JobStatus> => (await client.request<{ fetch_job_status: JobStatus }>(STATUS, { j: jobId })).fetch_job_status;
  const ingest = async (m?: unknown): Promise<JobInit> => (await client.request<{ ingest_items: JobInit }>(INGEST, { b: BOARD, g: GROUP, m })).ingest_items;

  afterEach(async () => {
    await em.close();
  });

  it('ingest_items: upload URL, rows applied in emulated time, counts, and a report naming each invalid row', async () => {
    // 5 rows take 500 emulated seconds: the clock runs in real time, so a loaded machine cannot finish the job before we look.
    await start({ bulkImport: { rowsPerSecond: 0.01 } });
    const job = await ingest();
    expect(job.upload_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/__bulk-upload\/\d+\?X-Amz-Expires=600&/);
    expect(await status(job.job_id)).toMatchObject({ status: 'UPLOAD_PENDING', progress_percentage: 0, fully_imported: false });
    const csv = [
      'name,email,lead_status,last_contacted,salesforce_id',
      'Ada Lovelace,Ada <ada@example.com>,New,2026-06-15,00Q000000000001AAA',
      '"Grace, Hopper",grace@example.com,,,00Q000000000002AAA',
      'Bad Status,b@example.com,No Such Label,,00Q000000000003AAA',
      'Bad Date,d@example.com,,15/06/2026,00Q000000000004AAA',
      ',nameless@example.com,,,00Q000000000005AAA',
    ].join('\n');
    const upload = await put(job.upload_url, csv);
    expect(upload.status).toBe(200);
    expect(upload.headers.get('etag')).toBeTruthy();
    expect((await status(job.job_id)).status).toBe('PROCESSING');

    clock.advance(600_000);
    const done = await status(job.job_id);
    expect(done).toMatchObject({ status: 'COMPLETED', progress_percentage: 100, fully_imported: true, failure_reason: null });
    expect(done.counts).toEqual({ submitted: 5, invalid: 3, skipped: 0, created: 2, updated: 0, failed: 0 });
    const items = em.control.listItems(LEADS.id).filter((i) => ['Ada Lovelace', 'Grace, Hopper'].includes(i.name));
    expect(items).toHaveLength(2);

    const report = await (await fetch(done.report_url ?? '')).text();
    const lines = report.trim().split('\n');
    expect(lines[0]).toBe('name,email,lead_status,last_contacted,salesforce_id,row_number,result,item_id,error');
    expect(lines[1]).toMatch(/^Ada Lovelace,.*,1,created,\d+,$/);
    expect(lines[3]).toMatch(/,3,invalid,,.*(label|No Such Label)/i);
    expect(lines[4]).toMatch(/,4,invalid,,.*last_contacted/);
    expect(lines[5]).toMatch(/,5,invalid,,name:/);
  });

  it('faults: bulk_row_failed reports a valid row failed with no item, bulk_row_missing leaves a row out of the report', async () => {
    await start();
    em.control.addFault({ kind: 'bulk_row_failed', count: 1, operation: 'ingest_items' });
    em.control.addFault({ kind: 'bulk_row_missing', count: 1, operation: 'ingest_items' });
    const job = await ingest();
    expect((await put(job.upload_url, ['name,salesforce_id', 'Row One,00Q000000000011AAA', 'Row Two,00Q000000000012AAA', 'Row Three,00Q000000000013AAA'].join('\n'))).status).toBe(200);
    clock.advance(60_000);

    const done = await status(job.job_id);
    expect(done).toMatchObject({ status: 'COMPLETED', fully_imported: false });
    expect(done.counts).toEqual({ submitted: 3, invalid: 0, skipped: 0, created: 1, updated: 0, failed: 1 });
    const lines = (await (await fetch(done.report_url ?? '')).text()).trim().split('\n');
    // Row 1 is left out (the missing fault is taken first), row 2 fails.
    expect(lines.slice(1)).toEqual([expect.stringMatching(/^Row Two,.*,2,failed,,INTERNAL_ERROR$/), expect.stringMatching(/^Row Three,.*,3,created,\d+,$/)]);
    expect(em.control.listItems(LEADS.id).filter((i) => i.name.startsWith('Row ')).map((i) => i.name)).toEqual(['Row Three']);
  });

  it('the upload URL takes only PUT text/csv without a token, once, and expires after 10 minutes', async () => {
    await start();
    const job = await ingest();
    expect((await put(job.upload_url, 'name\nx', { 'content-type': 'application/json' })).status).toBe(403);
    expect((await put(job.upload_url, 'name\nx', { 'content-type': 'text/csv', authorization: em.apiToken })).status).toBe(400);
    expect((await put(job.upload_url.replace(/Signature=\w+/, 'Signature=forged'), 'name\nx')).status).toBe(403);
    const late = await ingest();
    clock.advance(10 * 60_000 + 1_000);
    const expired = await put(late.upload_url, 'name\nx');
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('Request has expired');
  });

  it('a bad header fails the job with INVALID_UPLOAD; more rows than the limit is REJECTED', async () => {
    await start({ bulkImport: { ingestMaxRows: 3, rowsPerSecond: 100 } });
    const noName = await ingest();
    await put(noName.upload_url, 'email\na@example.com');
    expect(await status(noName.job_id)).toMatchObject({ status: 'FAILED', failure_reason: 'INVALID_UPLOAD', progress_percentage: 100 });
    const unknownColumn = await ingest();
    await put(unknownColumn.upload_url, 'name,no_such_column\nx,y');
    expect(await status(unknownColumn.job_id)).toMatchObject({ status: 'FAILED', failure_reason: 'INVALID_UPLOAD' });
    const tooMany = await ingest();
    await put(tooMany.upload_url, 'name\na\nb\nc\nd');
    expect(await status(tooMany.job_id)).toMatchObject({ status: 'REJECTED', failure_reason: 'INVALID_UPLOAD' });
  });

  it('ingest rows draw on the hourly item budget (ACCOUNT_CAPACITY_EXCEEDED); backfill rows do not', async () => {
    await start({ integrationUserIsAdmin: true, bulkImport: { hourlyItemBudget: 3, rowsPerSecond: 100 } });
    const first = await ingest();
    await put(first.upload_url, 'name\na\nb');
    const second = await ingest();
    await put(second.upload_url, 'name\nc\nd');
    expect(await status(second.job_id)).toMatchObject({ status: 'REJECTED', failure_reason: 'ACCOUNT_CAPACITY_EXCEEDED' });
    const backfill = (await client.request<{ backfill_items: JobInit }>(BACKFILL, { b: BOARD, g: GROUP })).backfill_items;
    await put(backfill.upload_url, 'name\ne\nf\ng\nh');
    clock.advance(1_000);
    expect((await status(backfill.job_id)).counts.created).toBe(4);
  });

  it('backfill_items is for account admins only', async () => {
    await start();
    const error = (await client.request(BACKFILL, { b: BOARD, g: GROUP }).catch((e: unknown) => e)) as ClientError;
    expect(error).toBeInstanceOf(ClientError);
    expect(error.response.errors?.[0]).toMatchObject({ message: 'Only admin users can perform this operation.' });
  });

  it('on_match UPSERT updates the matched item and leaves empty cells unchanged', async () => {
    await start();
    const first = await ingest();
    await put(first.upload_url, 'name,salesforce_id,city\nAda,00Q1,London');
    clock.advance(1_000);
    await status(first.job_id);
    const upsert = await ingest({ match_column_id: 'salesforce_id', behaviour: 'UPSERT' });
    await put(upsert.upload_url, 'name,salesforce_id,city\nAda King,00Q1,\nNew One,00Q2,Paris');
    clock.advance(1_000);
    expect((await status(upsert.job_id)).counts).toMatchObject({ created: 1, updated: 1 });
    const ada = em.control.listItems(LEADS.id).find((i) => i.name === 'Ada King');
    expect(ada?.values.city?.data).toBe('London');
  });

  it('ingested items fire create_pulse like any create; backfilled items fire none', async () => {
    await start({ integrationUserIsAdmin: true });
    const receiver = await new WebhookReceiver().start();
    try {
      await client.request(DOCS.createWebhook, { board: BOARD, url: receiver.url, event: 'create_item' });
      const before = receiver.received.length;
      const job = await ingest();
      await put(job.upload_url, 'name\nIngested');
      const backfill = (await client.request<{ backfill_items: JobInit }>(BACKFILL, { b: BOARD, g: GROUP })).backfill_items;
      await put(backfill.upload_url, 'name\nBackfilled');
      clock.advance(1_000);
      await status(job.job_id);
      await status(backfill.job_id);
      const pulseNames = (): unknown[] => receiver.received.slice(before).map((r) => (r.body as { event?: { pulseName?: string } }).event?.pulseName);
      await eventually(() => expect(pulseNames()).toContain('Ingested'));
      // deliveries are queued at once; the queue records every delivery it made, so none is pending
      expect(em.control.webhookDeliveries().map((d) => JSON.stringify(d))).not.toContainEqual(expect.stringContaining('Backfilled'));
      const names = receiver.received.slice(before).map((r) => (r.body as { event?: { pulseName?: string } }).event?.pulseName);
      expect(names).toEqual(['Ingested']);
    } finally {
      await receiver.close();
    }
  });

  it('the 101st job within an hour answers HTTP 429 RATE_LIMIT_EXCEEDED with retryAfterMs', async () => {
    await start({ bulkImport: { jobsPerHour: 2 } });
    await ingest();
    await ingest();
    const error = (await ingest().catch((e: unknown) => e)) as ClientError;
    expect(error.response.status).toBe(429);
    expect(error.response.errors?.[0]).toMatchObject({ extensions: { code: 'RATE_LIMIT_EXCEEDED', retryAfterMs: expect.any(Number) } });
  });

  it('unknown job ids are an InvalidArgumentException; the operations do not exist before 2026-07', async () => {
    await start();
    const error = (await status('123').catch((e: unknown) => e)) as ClientError;
    expect(error.response.errors?.[0]).toMatchObject({ extensions: { code: 'InvalidArgumentException' } });
    const old = new GraphQLClient(em.url, { headers: { Authorization: em.apiToken, 'API-Version': '2026-04' } });
    const missing = (await old.request(BACKFILL, { b: BOARD, g: GROUP }).catch((e: unknown) => e)) as ClientError;
    expect(missing.response.errors?.[0]).toMatchObject({ extensions: { code: 'undefinedField' } });
  });
});
