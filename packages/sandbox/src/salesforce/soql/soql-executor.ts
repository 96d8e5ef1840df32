import { detail, SalesforceApiError } from '../errors';
import { SchemaRegistry, SObjectSchema } from '../schema/schema-registry';
import { parseDateTime } from '../store/field-values';
import { RecordStore, SObjectRecord } from '../store/record-store';
import { Condition, SoqlQuery, SoqlSyntaxError } from './soql-ast';
import { comparable, compare, orderValues, toOperand } from './soql-conditions';
import { parseSoql } from './soql-parser';
import { ResolvedPath, resolveObject, resolvePath, valueAt } from './soql-resolve';

export interface SoqlEnvironment {
  registry: SchemaRegistry;
  store: RecordStore;
  now: number;
  apiVersion: string;
  /** queryAll: include records in the recycle bin (IsDeleted = true). */
  includeDeleted: boolean;
}

export interface QueryExecution {
  object: SObjectSchema;
  totalSize: number;
  /** Result rows in REST shape (attributes, nested relationship objects); empty for COUNT(). */
  rows: Array<Record<string, unknown>>;
  /** Selected field paths in order (Bulk 2.0 CSV columns). */
  columns: ResolvedPath[];
}

type Predicate = (record: SObjectRecord) => boolean;

/**
 * Deleted records stay in the recycle bin for 15 days, then Salesforce erases them for good: queryAll
 * no longer returns them (emptied earlier by an administrator, sooner). Without this a client could
 * learn of a delete from any time back, which no org allows.
 */
export const RECYCLE_BIN_RETENTION_MS = 15 * 24 * 3600_000;

function inQueryScope(record: SObjectRecord, env: SoqlEnvironment): boolean {
  if (record.IsDeleted !== true) return true;
  if (!env.includeDeleted) return false;
  const deletedAt = typeof record.SystemModstamp === 'string' ? parseDateTime(record.SystemModstamp) : null;
  return deletedAt !== null && deletedAt >= env.now - RECYCLE_BIN_RETENTION_MS;
}

const MAX_OFFSET = 2000;

/** Parses, checks against the schema, and runs a SOQL query over the record store. */
export function executeSoql(source: string, env: SoqlEnvironment): QueryExecution {
  let query: SoqlQuery;
  try {
    query = parseSoql(source);
  } catch (err) {
    if (err instanceof SoqlSyntaxError) throw SalesforceApiError.of(400, 'MALFORMED_QUERY', err.message);
    throw err;
  }
  const object = resolveObject(env.registry, query.from);
  const isCount = query.select.some((s) => s.kind === 'count');
  if (isCount && query.select.length > 1) {
    throw SalesforceApiError.of(400, 'MALFORMED_QUERY', 'COUNT() cannot be combined with other fields');
  }
  const columns = selectedColumns(query, object, env.registry);
  const where = query.where ? compileCondition(query.where, object, env) : () => true;
  const order = query.orderBy.map((o) => ({ ...o, resolved: resolvePath(env.registry, object, o.path) }));
  if (query.offset !== null && query.offset > MAX_OFFSET) {
    throw SalesforceApiError.of(400, 'NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is ${MAX_OFFSET}`);
  }

  let matched: SObjectRecord[] = [];
  for (const record of env.store.table(object.name).values()) {
    if (inQueryScope(record, env) && where(record)) matched.push(record);
  }
  if (order.length > 0) {
    const keyed = matched.map((r) => ({ r, keys: order.map((o) => comparable(o.resolved.field, valueAt(env.store, r, o.resolved))) }));
    keyed.sort((a, b) => {
      for (let i = 0; i < order.length; i++) {
        const o = order[i] as (typeof order)[number];
        const c = orderValues(a.keys[i] ?? null, b.keys[i] ?? null, o.descending, o.nullsFirst);
        if (c !== 0) return c;
      }
      return 0;
    });
    matched = keyed.map((k) => k.r);
  }
  const start = query.offset ?? 0;
  const end = query.limit === null ? matched.length : Math.min(matched.length, start + query.limit);
  const page = matched.slice(start, end);
  if (isCount) return { object, totalSize: page.length, rows: [], columns };
  return { object, totalSize: page.length, rows: page.map((r) => buildRow(object, r, columns, env)), columns };
}

function selectedColumns(query: SoqlQuery, object: SObjectSchema, registry: SchemaRegistry): ResolvedPath[] {
  const out: ResolvedPath[] = [];
  for (const item of query.select) {
    if (item.kind === 'count') continue;
    if (item.kind === 'field') {
      out.push(resolvePath(registry, object, item.path));
      continue;
    }
    for (const f of object.fields) {
      if (item.which === 'ALL' || (item.which === 'CUSTOM') === f.custom) {
        out.push({ hops: [], field: f, text: f.name });
      }
    }
  }
  return out;
}

function compileCondition(c: Condition, object: SObjectSchema, env: SoqlEnvironment): Predicate {
  switch (c.kind) {
    case 'and': {
      const parts = c.items.map((i) => compileCondition(i, object, env));
      return (r) => parts.every((p) => p(r));
    }
    case 'or': {
      const parts = c.items.map((i) => compileCondition(i, object, env));
      return (r) => parts.some((p) => p(r));
    }
    case 'not': {
      const inner = compileCondition(c.inner, object, env);
      return (r) => !inner(r);
    }
    case 'compare': {
      const path = resolvePath(env.registry, object, c.path);
      if (c.op === 'LIKE' && c.value.type !== 'string') {
        throw SalesforceApiError.of(400, 'MALFORMED_QUERY', 'LIKE requires a string value');
      }
      const operand = toOperand(path.field, c.value, env.now);
      return (r) => compare(c.op, comparable(path.field, valueAt(env.store, r, path)), operand);
    }
    case 'in': {
      const path = resolvePath(env.registry, object, c.path);
      const operands = c.values.map((v) => toOperand(path.field, v, env.now));
      return (r) => {
        const v = comparable(path.field, valueAt(env.store, r, path));
        const hit = operands.some((o) => compare('=', v, o));
        return c.negated ? !hit && v !== null : hit;
      };
    }
    case 'includes': {
      const path = resolvePath(env.registry, object, c.path);
      if (path.field.type !== 'multipicklist') {
        throw new SalesforceApiError(400, [detail('INVALID_QUERY_FILTER_OPERATOR', 'includes or excludes operator only valid on multipicklist field')]);
      }
      // Each value may be `A;B` meaning "A and B selected".
      const wanted = c.values.map((v) => v.toLowerCase().split(';').map((s) => s.trim()));
      return (r) => {
        const raw = valueAt(env.store, r, path);
        const selected = new Set(raw === null ? [] : String(raw).toLowerCase().split(';'));
        const hit = wanted.some((all) => all.every((v) => selected.has(v)));
        return c.negated ? !hit : hit;
      };
    }
  }
}

function buildRow(
  object: SObjectSchema,
  record: SObjectRecord,
  columns: ResolvedPath[],
  env: SoqlEnvironment,
): Record<string, unknown> {
  const row: Record<string, unknown> = {
    attributes: { type: object.name, url: `/services/data/v${env.apiVersion}/sobjects/${object.name}/${String(record.Id)}` },
  };
  for (const col of columns) {
    if (col.hops.length === 0) {
      row[col.field.name] = record[col.field.name] ?? null;
      continue;
    }
    let container = row;
    let current: SObjectRecord | undefined = record;
    for (const hop of col.hops) {
      const rel = hop.relationshipName as string;
      const refId: unknown = current?.[hop.name];
      const target = typeof refId === 'string' ? env.store.get(refId) : undefined;
      if (!target) {
        if (!(rel in container)) container[rel] = null;
        current = undefined;
        break;
      }
      let nested = container[rel] as Record<string, unknown> | null | undefined;
      if (!nested) {
        nested = {
          attributes: {
            type: target.schema.name,
            url: `/services/data/v${env.apiVersion}/sobjects/${target.schema.name}/${String(target.record.Id)}`,
          },
        };
        container[rel] = nested;
      }
      container = nested;
      current = target.record;
    }
    if (current) container[col.field.name] = current[col.field.name] ?? null;
  }
  return row;
}
