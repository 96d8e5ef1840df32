import type { Queryable } from '../event-store';
import { to18 } from '../mapping/salesforce-id';
import type { MondayColumnValue, MondayItem, MondayPort } from '../monday/monday.port';
import { loadSyncRecords } from '../sync-projector/sync-records.repository';
import type { SalesforcePort, SObjectRecord } from '../salesforce/salesforce.port';
import type { Candidate } from './candidate';
import type { ObjectProfile } from './object-profile';

export interface CandidateSources {
  db: Queryable;
  salesforce: Pick<SalesforcePort, 'query'>;
  monday: Pick<MondayPort, 'streamBoardItems'>;
}

export interface ReadProgress {
  /** Records and items read so far (both CRMs). */
  onRead?: (count: number) => void;
}

export interface ObjectCandidates {
  readonly candidates: Candidate[];
  /** Salesforce Id (18) <-> monday item id of every live link of this object. */
  readonly links: ReadonlyMap<string, string>;
}

/**
 * Reads one mapped object from both CRMs (SOQL with large pages; every active item of the board,
 * only the mapped columns) and its links from sync_records, and turns each record into a Candidate
 * in Salesforce terms as its page arrives: only the candidates are kept, never the pages, so memory
 * grows with the candidates' few fields, not with the records' (a merge re-reads its cluster's
 * records by Id, `readRecords`).
 */
export async function readCandidates(sources: CandidateSources, profile: ObjectProfile, progress: ReadProgress = {}): Promise<ObjectCandidates> {
  const object = profile.object;
  let read = 0;
  const tick = () => {
    read++;
    if (read % 500 === 0) progress.onRead?.(read);
  };
  const [links, accountLinks] = await Promise.all([
    linksOf(sources.db, object.key),
    profile.organisationRef ? linksOf(sources.db, profile.organisationRef.objectKey) : Promise.resolve(new Map<string, string>()),
  ]);
  const itemToRecord = new Map([...links].map(([sf, item]) => [item, sf]));
  const itemToAccount = new Map([...accountLinks].map(([sf, item]) => [item, sf]));
  const byField = new Map(object.fields.filter((f) => typeof f.salesforce === 'string').map((f) => [f.salesforce as string, f.monday]));
  const columnIds = [...new Set(object.fields.map((f) => f.monday).filter((id) => id !== 'name'))];
  const candidates: Candidate[] = [];
  const fromRecord = (record: SObjectRecord): Candidate => {
    const id = to18(record.Id);
    const value = (field: string | null | undefined) => (field ? text(record[field]) : null);
    const accountId = profile.organisationRef ? value(profile.organisationRef.field.salesforce as string) : null;
    return candidate(profile, {
      crm: 'salesforce',
      id,
      value,
      organisationRef: accountId ? `account:${to18(accountId)}` : null,
      createdAt: text(record.CreatedDate),
      linkedTo: links.get(id) ?? null,
    });
  };
  const fromItem = (item: MondayItem): Candidate => {
    const columns = new Map(item.columnValues.map((c) => [c.id, c]));
    const value = (field: string | null | undefined): string | null => {
      if (!field) return null;
      if (field === object.name) return item.name.trim() === '' ? null : item.name;
      const column = byField.get(field);
      return column ? columnText(columns.get(column)) : null;
    };
    const relation = profile.organisationRef ? columns.get(profile.organisationRef.field.monday) : undefined;
    const linkedItem = relation?.linkedItemIds?.[0];
    const account = linkedItem ? itemToAccount.get(linkedItem) : undefined;
    return candidate(profile, {
      crm: 'monday',
      id: item.id,
      value,
      organisationRef: account ? `account:${account}` : linkedItem ? `item:${linkedItem}` : null,
      createdAt: item.createdAt,
      linkedTo: itemToRecord.get(item.id) ?? null,
    });
  };
  await Promise.all([
    convertEach(sources.salesforce.query(`SELECT ${profile.salesforceFields.join(', ')} FROM ${object.salesforce}`, { batchSize: 2000 }), fromRecord, candidates, tick),
    convertEach(sources.monday.streamBoardItems(object.monday.board, { columnIds }), fromItem, candidates, tick),
  ]);
  progress.onRead?.(read);
  return { candidates, links };
}

/** The records of `ids` (a merge's cluster), with the fields the search read, keyed by 18-character Id. */
export async function readRecords(salesforce: Pick<SalesforcePort, 'query'>, profile: ObjectProfile, ids: readonly string[]): Promise<Map<string, SObjectRecord>> {
  const records = new Map<string, SObjectRecord>();
  const valid = ids.filter((id) => /^[A-Za-z0-9]{15,18}$/.test(id));
  for (let start = 0; start < valid.length; start += 200) {
    const list = valid.slice(start, start + 200).map((id) => `'${id}'`).join(', ');
    for await (const record of salesforce.query(`SELECT ${profile.salesforceFields.join(', ')} FROM ${profile.object.salesforce} WHERE Id IN (${list})`)) {
      records.set(to18(record.Id), record);
    }
  }
  return records;
}

interface Source {
  crm: Candidate['crm'];
  id: string;
  value: (field: string | null | undefined) => string | null;
  organisationRef: string | null;
  createdAt: string | null;
  linkedTo: string | null;
}

function candidate(profile: ObjectProfile, source: Source): Candidate {
  const { value } = source;
  const firstName = value(profile.firstName?.salesforce as string | undefined);
  const lastName = value(profile.lastName?.salesforce as string | undefined);
  const personName = [firstName, lastName].filter((v) => v !== null).join(' ');
  const filled = profile.object.fields.filter((f) => typeof f.salesforce === 'string' && value(f.salesforce) !== null).length;
  return {
    crm: source.crm,
    id: source.id,
    name: profile.kind === 'person' && personName !== '' ? personName : (value(profile.object.name) ?? ''),
    firstName,
    lastName,
    company: value(profile.companyField),
    organisationRef: source.organisationRef,
    emails: profile.emailFields.map((f) => value(f.salesforce as string)).filter((v): v is string => v !== null),
    phones: profile.phoneFields.map((f) => value(f.salesforce as string)).filter((v): v is string => v !== null),
    website: value(profile.website?.salesforce as string | undefined),
    createdAt: source.createdAt,
    filled,
    linkedTo: source.linkedTo,
  };
}

/** The address of an email column (its `text` is a display label), the number of a phone column, else the column's text. */
function columnText(column: MondayColumnValue | undefined): string | null {
  if (!column) return null;
  if (column.type === 'email' && column.value) {
    try {
      const parsed = JSON.parse(column.value) as { email?: unknown };
      if (typeof parsed.email === 'string' && parsed.email.trim() !== '') return parsed.email;
    } catch {
      // not JSON: fall back to the text
    }
  }
  if (column.type === 'board_relation') return column.linkedItemIds && column.linkedItemIds.length > 0 ? column.linkedItemIds.join(',') : null;
  return text(column.text);
}

function text(value: unknown): string | null {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** Live links of one object: 18-char Salesforce Id -> monday item id. */
async function linksOf(db: Queryable, objectKey: string): Promise<Map<string, string>> {
  const records = await loadSyncRecords(db, objectKey);
  return new Map(records.filter((r) => !r.deleted && r.salesforceId && r.mondayItemId).map((r) => [to18(r.salesforceId!), r.mondayItemId!]));
}

async function convertEach<T>(source: AsyncIterable<T>, convert: (value: T) => Candidate, into: Candidate[], onEach: () => void): Promise<void> {
  for await (const value of source) {
    into.push(convert(value));
    onEach();
  }
}
