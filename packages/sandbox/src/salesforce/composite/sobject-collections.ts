import { EmulatorContext } from '../context';
import { ApiErrorDetail, collectionError, detail, SalesforceApiError } from '../errors';
import { restRecord } from '../http/record-format';
import { normalizeId } from '../ids/salesforce-id';
import { SaveOutcome } from '../store/record-writer';
import { Transaction } from '../store/transaction';

export const MAX_COLLECTION_RECORDS = 200;

export type CollectionResult = Record<string, unknown>;

interface CollectionBody {
  allOrNone: boolean;
  records: Array<Record<string, unknown>>;
}

/**
 * sObject Collections (reference 3.1): up to 200 records per call, results in request order with
 * `statusCode` errors; allOrNone rolls every record back and marks the valid ones
 * ALL_OR_NONE_OPERATION_ROLLED_BACK.
 */
export function collectionBody(raw: unknown): CollectionBody {
  if (typeof raw !== 'object' || raw === null || !Array.isArray((raw as { records?: unknown }).records)) {
    throw SalesforceApiError.of(400, 'JSON_PARSER_ERROR', 'The request body must contain a records array');
  }
  const body = raw as { allOrNone?: unknown; records: unknown[] };
  if (body.records.length > MAX_COLLECTION_RECORDS) {
    throw SalesforceApiError.of(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_COLLECTION_RECORDS} records into this call`);
  }
  const records = body.records.map((r) => (typeof r === 'object' && r !== null ? (r as Record<string, unknown>) : {}));
  return { allOrNone: body.allOrNone === true, records };
}

export function createMany(ctx: EmulatorContext, tx: Transaction, body: CollectionBody): CollectionResult[] {
  return runAll(tx, body.allOrNone, body.records, (r) => {
    const type = typeOf(r);
    if (!type) return { ok: false, errors: [detail('INVALID_TYPE', 'Must specify a type in attributes')] };
    if ('Id' in r || 'id' in r) {
      return { ok: false, errors: [detail('INVALID_FIELD', 'cannot specify Id in an insert call', ['Id'])] };
    }
    return ctx.org.writer.create(tx, type, r);
  });
}

export function updateMany(ctx: EmulatorContext, tx: Transaction, body: CollectionBody): CollectionResult[] {
  return runAll(tx, body.allOrNone, body.records, (r) => {
    const { id, Id, ...fields } = r;
    const rawId = typeof id === 'string' ? id : typeof Id === 'string' ? Id : undefined;
    if (!rawId) return { ok: false, errors: [detail('MISSING_ARGUMENT', 'Id not specified in an update call', ['Id'])] };
    return ctx.org.writer.update(tx, typeOf(r) ?? null, rawId, fields);
  });
}

export function upsertMany(
  ctx: EmulatorContext,
  tx: Transaction,
  type: string,
  extField: string,
  body: CollectionBody,
): CollectionResult[] {
  return runAll(tx, body.allOrNone, body.records, (r) => {
    const entry = Object.entries(r).find(([k]) => k.toLowerCase() === extField.toLowerCase());
    if (!entry || entry[1] === null || entry[1] === undefined || entry[1] === '') {
      return { ok: false, errors: [detail('MISSING_ARGUMENT', `${extField} not specified`, [extField])] };
    }
    return ctx.org.writer.upsert(tx, type, extField, String(entry[1]), r);
  }, true);
}

export function deleteMany(ctx: EmulatorContext, tx: Transaction, ids: string[], allOrNone: boolean): CollectionResult[] {
  if (ids.length > MAX_COLLECTION_RECORDS) {
    throw SalesforceApiError.of(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_COLLECTION_RECORDS} records into this call`);
  }
  return runAll(tx, allOrNone, ids, (id) => ctx.org.writer.delete(tx, null, id));
}

export function retrieveMany(
  ctx: EmulatorContext,
  type: string,
  ids: string[],
  fields: string[],
  version: string,
): Array<Record<string, unknown> | null> {
  const schema = ctx.org.registry.get(type);
  if (!schema) throw SalesforceApiError.of(404, 'NOT_FOUND', 'The requested resource does not exist');
  const unknown = fields.find((f) => !schema.field(f));
  if (unknown) throw SalesforceApiError.of(400, 'INVALID_FIELD', `No such column '${unknown}' on entity '${schema.name}'.`);
  return ids.map((raw) => {
    const id = normalizeId(raw);
    const found = id ? ctx.org.store.get(id) : undefined;
    if (!found || found.schema !== schema || found.record.IsDeleted === true) return null;
    return restRecord(schema, found.record, version, fields);
  });
}

function typeOf(r: Record<string, unknown>): string | undefined {
  const attributes = r.attributes;
  if (typeof attributes === 'object' && attributes !== null) {
    const type = (attributes as { type?: unknown }).type;
    if (typeof type === 'string') return type;
  }
  return undefined;
}

function runAll<T>(
  tx: Transaction,
  allOrNone: boolean,
  items: T[],
  write: (item: T) => SaveOutcome,
  withCreated = false,
): CollectionResult[] {
  const savepoint = tx.savepoint();
  const outcomes = items.map((item) => write(item));
  const failed = outcomes.some((o) => !o.ok);
  if (allOrNone && failed) {
    tx.rollback(savepoint);
    return outcomes.map((o) =>
      o.ok
        ? { success: false, errors: [collectionError(rolledBack())], ...(withCreated ? { created: false } : {}) }
        : failure(o.errors, o.id, withCreated),
    );
  }
  return outcomes.map((o) =>
    o.ok ? { id: o.id, success: true, errors: [], ...(withCreated ? { created: o.created } : {}) } : failure(o.errors, o.id, withCreated),
  );
}

/** An upsert's failed item still says `"created": false`, as Salesforce's collection upsert does. */
function failure(errors: ApiErrorDetail[], id: string | undefined, withCreated: boolean): CollectionResult {
  return { ...(id ? { id } : {}), success: false, errors: errors.map(collectionError), ...(withCreated ? { created: false } : {}) };
}

function rolledBack(): ApiErrorDetail {
  return detail(
    'ALL_OR_NONE_OPERATION_ROLLED_BACK',
    'Record rolled back because not all records were valid and the request was using AllOrNone header',
  );
}
