import type { SalesforceCall } from './salesforce-call';
import { requestJson } from './salesforce-call';
import { writableFields } from './salesforce-records';
import { SalesforceError, type SalesforceOperation } from './salesforce.error';
import type { RecordFields, SaveResult, WriteOptions } from './salesforce.port';
import { duplicateRuleHeaders } from './duplicate-rule-header';
import { recordErrorToSalesforceError, type SalesforceApiErrorBody } from './to-salesforce-error';

/** sObject Collections accept at most 200 records per call (reference 3.1). */
export const COLLECTION_BATCH_SIZE = 200;

interface RawSaveResult {
  id?: string | null;
  success: boolean;
  created?: boolean;
  errors?: SalesforceApiErrorBody[];
}

/**
 * create / update / upsert / delete through `/composite/sobjects` with allOrNone = false, split into
 * batches of 200. Results come back in input order (reference 3.1) and each keeps its own error; a
 * failure of a whole batch call (401 that could not be refreshed, 5xx, rate limit) throws.
 */
export async function createMany(call: SalesforceCall, object: string, records: readonly RecordFields[], options: WriteOptions = {}): Promise<SaveResult[]> {
  return inBatches(records, (batch) =>
    save(call, 'createMany', object, batch, () =>
      requestJson<RawSaveResult[]>(call.conn, 'POST', '/composite/sobjects', {
        allOrNone: false,
        records: batch.map((r) => ({ attributes: { type: object }, ...writableFields(r) })),
      }, duplicateRuleHeaders(options)),
    ),
  );
}

export async function updateMany(call: SalesforceCall, object: string, records: readonly RecordFields[], options: WriteOptions = {}): Promise<SaveResult[]> {
  for (const record of records) {
    if (typeof record.Id !== 'string' || record.Id === '') {
      throw new SalesforceError({ code: 'VALIDATION', operation: 'updateMany', object, message: 'updateMany: every record needs an Id', fields: ['Id'] });
    }
  }
  return inBatches(records, (batch) =>
    save(call, 'updateMany', object, batch, () =>
      requestJson<RawSaveResult[]>(call.conn, 'PATCH', '/composite/sobjects', {
        allOrNone: false,
        records: batch.map((r) => ({ attributes: { type: object }, id: r.Id, ...writableFields(r) })),
      }, duplicateRuleHeaders(options)),
    ),
  );
}

export async function upsertMany(
  call: SalesforceCall,
  object: string,
  externalIdField: string,
  records: readonly RecordFields[],
  options: WriteOptions = {},
): Promise<SaveResult[]> {
  return inBatches(records, (batch) =>
    save(call, 'upsertMany', object, batch, () =>
      requestJson<RawSaveResult[]>(call.conn, 'PATCH', `/composite/sobjects/${encodeURIComponent(object)}/${encodeURIComponent(externalIdField)}`, {
        allOrNone: false,
        records: batch.map((r) => ({ attributes: { type: object }, ...writableFields(r) })),
      }, duplicateRuleHeaders(options)),
    ),
  );
}

export async function deleteMany(call: SalesforceCall, ids: readonly string[]): Promise<SaveResult[]> {
  return inBatches(ids, (batch) =>
    save(call, 'deleteMany', undefined, batch.map((id) => ({ Id: id })), () =>
      requestJson<RawSaveResult[]>(call.conn, 'DELETE', `/composite/sobjects?ids=${batch.map(encodeURIComponent).join(',')}&allOrNone=false`),
    ),
  );
}

async function inBatches<T>(items: readonly T[], send: (batch: T[]) => Promise<SaveResult[]>): Promise<SaveResult[]> {
  const results: SaveResult[] = [];
  for (let start = 0; start < items.length; start += COLLECTION_BATCH_SIZE) {
    results.push(...(await send(items.slice(start, start + COLLECTION_BATCH_SIZE))));
  }
  return results;
}

async function save(
  call: SalesforceCall,
  operation: SalesforceOperation,
  object: string | undefined,
  batch: readonly RecordFields[],
  send: () => Promise<RawSaveResult[]>,
): Promise<SaveResult[]> {
  const raw = await call.run({ operation, object }, send);
  if (!Array.isArray(raw) || raw.length !== batch.length) {
    throw new SalesforceError({
      code: 'PERMANENT',
      operation,
      object,
      message: `sObject Collections answered ${Array.isArray(raw) ? raw.length : 'no'} results for ${batch.length} records`,
    });
  }
  return raw.map((result, index): SaveResult => {
    const knownId = typeof batch[index]?.Id === 'string' ? (batch[index]?.Id as string) : null;
    const id = result.id ?? knownId;
    if (result.success && id) return result.created === undefined ? { ok: true, id } : { ok: true, id, created: result.created };
    return { ok: false, id, error: recordErrorToSalesforceError(result.errors ?? [], { operation, object, recordId: id ?? undefined }) };
  });
}
