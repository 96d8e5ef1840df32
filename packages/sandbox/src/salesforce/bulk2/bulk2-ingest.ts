import { EmulatorContext } from '../context';
import { ApiErrorDetail } from '../errors';
import { apiChangeOrigin } from '../http/request-info';
import { SaveOutcome } from '../store/record-writer';
import { Transaction } from '../store/transaction';
import { parseCsv } from './bulk2-csv';
import { IngestJob } from './bulk2-jobs';

/** Bulk 2.0 processes uploads in chunks; each chunk of 200 records is one transaction (reference 4.2). */
const CHUNK = 200;
const NULL_MARKER = '#N/A';

/**
 * Applies an uploaded CSV (at UploadComplete): `#N/A` sets null, an empty cell leaves the field
 * alone (jsforce writes undefined that way, and adds an empty Id column to non-insert jobs),
 * `Account.Legacy_Id__c` columns set a lookup by external id.
 */
export function processIngestJob(ctx: EmulatorContext, job: IngestJob): void {
  const schema = ctx.org.registry.get(job.object);
  const { header, rows } = parseCsv(job.upload ?? '', job.format);
  const unknown = header.find((h) => {
    if (!schema) return true;
    const [first, second] = h.split('.');
    return second === undefined ? !schema.field(first as string) : !schema.relationship(first as string);
  });
  if (!schema || unknown !== undefined) {
    job.errorMessage = `InvalidBatch : Field name not found : ${unknown ?? job.object}`;
    job.unprocessed = { header, rows };
    job.state = 'UploadComplete';
    return;
  }
  job.successful = { header: ['sf__Id', 'sf__Created', ...header], rows: [] };
  job.failed = { header: ['sf__Id', 'sf__Error', ...header], rows: [] };
  job.unprocessed = { header, rows: [] };
  const context = {
    userId: job.createdById,
    changeOrigin: apiChangeOrigin('bulkapi', job.apiVersion, job.client),
    client: job.client,
  };
  for (let i = 0; i < rows.length; i += CHUNK) {
    ctx.org.transact(context, (tx) => {
      for (const row of rows.slice(i, i + CHUNK)) {
        const outcome = applyRow(ctx, tx, job, header, row);
        if (outcome.ok) job.successful.rows.push([outcome.id, String(outcome.created), ...row]);
        else job.failed.rows.push([outcome.id ?? '', errorText(outcome.errors), ...row]);
      }
    });
  }
  job.processed = rows.length;
  job.state = 'UploadComplete';
}

function applyRow(ctx: EmulatorContext, tx: Transaction, job: IngestJob, header: string[], row: string[]): SaveOutcome {
  const input: Record<string, unknown> = {};
  let id = '';
  header.forEach((column, i) => {
    const cell = row[i] ?? '';
    if (column.toLowerCase() === 'id') {
      id = cell;
      return;
    }
    if (cell === '') return;
    const value = cell === NULL_MARKER ? null : cell;
    const [rel, extField] = column.split('.');
    if (extField !== undefined) input[rel as string] = { [extField]: value };
    else input[column] = value;
  });
  const w = ctx.org.writer;
  switch (job.operation) {
    case 'insert':
      return w.create(tx, job.object, input);
    case 'update':
      return w.update(tx, job.object, id, input);
    case 'upsert': {
      const ext = job.externalIdFieldName ?? 'Id';
      if (ext.toLowerCase() === 'id') return id ? w.update(tx, job.object, id, input) : w.create(tx, job.object, input);
      const key = Object.keys(input).find((k) => k.toLowerCase() === ext.toLowerCase());
      const value = key ? input[key] : undefined;
      if (typeof value !== 'string') {
        return { ok: false, errors: [{ errorCode: 'MISSING_ARGUMENT', message: `${ext} not specified`, fields: [ext] }] };
      }
      return w.upsert(tx, job.object, ext, value, input);
    }
    case 'delete':
    case 'hardDelete':
      return w.delete(tx, job.object, id);
  }
}

/**
 * `STATUS_CODE:message:fields --` as real failed-results files write it
 * (`REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --`); `:--` when no field is named.
 */
export function errorText(errors: ApiErrorDetail[]): string {
  const e = errors[0];
  if (!e) return 'UNKNOWN_EXCEPTION:unknown error:--';
  return `${e.errorCode}:${e.message}:${e.fields.length > 0 ? `${e.fields.join(',')} --` : '--'}`;
}
