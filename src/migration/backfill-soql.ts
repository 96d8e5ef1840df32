import { salesforceFieldsOf, type ObjectMapping } from '../mapping/mapping.types';

/** Where a run stands in the object's (SystemModstamp, Id) order: the last record it has read. */
export interface ReadCursor {
  modstamp: string;
  id: string;
}

export interface BackfillQuery {
  object: ObjectMapping;
  /** Only records modified at or after this instant (--since, or a catch-up's gap start). */
  since: string | null;
  after: ReadCursor | null;
  /** Only these records (a catch-up that names them). */
  ids?: readonly string[];
  /** Read who created each record too (CreatedById): a catch-up tells our own creates apart. */
  creator?: boolean;
}

/** Id, SystemModstamp, the name field and every mapped field, each once (and CreatedById when asked). */
export function backfillFields(object: ObjectMapping, creator = false): string[] {
  const fields = ['Id', 'SystemModstamp', object.name, ...object.fields.flatMap((f) => salesforceFieldsOf(f)), ...(creator ? ['CreatedById'] : [])];
  return [...new Set(fields)];
}

/**
 * The object's records in (SystemModstamp, Id) order, from `after` on: a run that stops can start
 * again from its last cursor and neither skip nor reread a record. `backfill.where` is the user's
 * own SOQL condition, kept in parentheses so it cannot swallow ours.
 */
export function backfillSoql(query: BackfillQuery): string {
  return `SELECT ${backfillFields(query.object, query.creator).join(', ')} FROM ${query.object.salesforce}${whereClause(query)} ORDER BY SystemModstamp ASC, Id ASC`;
}

/** The same filter as COUNT(): how many records the run still has to read. */
export function backfillCountSoql(query: BackfillQuery): string {
  return `SELECT COUNT() FROM ${query.object.salesforce}${whereClause(query)}`;
}

function whereClause(query: BackfillQuery): string {
  const conditions: string[] = [];
  const where = query.object.backfill?.where?.trim();
  if (where) conditions.push(`(${where})`);
  if (query.since) conditions.push(`SystemModstamp >= ${soqlDateTime(query.since)}`);
  if (query.after) {
    const at = soqlDateTime(query.after.modstamp);
    conditions.push(`(SystemModstamp > ${at} OR (SystemModstamp = ${at} AND Id > ${soqlString(query.after.id)}))`);
  }
  if (query.ids && query.ids.length > 0) conditions.push(`Id IN (${query.ids.map(soqlString).join(', ')})`);
  return conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
}

/** A SOQL datetime literal (unquoted, UTC): 2026-03-01T12:00:00.000Z. */
export function soqlDateTime(value: string): string {
  const ms = Date.parse(normalizeOffset(value));
  if (Number.isNaN(ms)) throw new Error(`not a date-time: ${value}`);
  return new Date(ms).toISOString();
}

/** The canonical form of a SystemModstamp (REST says +0000, Bulk CSV says Z): one idempotency key per version. */
export function canonicalModstamp(value: string): string {
  return soqlDateTime(value);
}

function normalizeOffset(value: string): string {
  return value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
}

/** A quoted SOQL string literal. */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
