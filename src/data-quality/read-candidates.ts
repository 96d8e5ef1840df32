import type { Queryable } from '../event-store';
import { to18 } from '../mapping/salesforce-id';
import type { MondayColumnValue, MondayItem, MondayPort } from '../monday/monday.port';
import { loadSyncRecords } from '../projectors/sync-records.repository';
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
  readonly salesforceRecords: ReadonlyMap<string, SObjectRecord>;
  readonly items: ReadonlyMap<string, MondayItem>;
}

/**
 * Reads one mapped object from both CRMs (SOQL with large pages; every active item of the board)
 * and its links from sync_records, and turns each record into a Candidate in Salesforce terms.
 */
export async function readCandidates(sources: CandidateSources, profile: ObjectProfile, progress: ReadProgress = {}): Promise<ObjectCandidates> {
  const object = profile.object;
  let read = 0;
  const tick = () => {
    read++;
    if (read % 500 === 0) progress.onRead?.(read);
  };
  const [records, items, links, accountLinks] = await Promise.all([
    collect(sources.salesforce.query(`SELECT ${profile.salesforceFields.join(', ')} FROM ${object.salesforce}`, { batchSize: 2000 }), tick),
    collect(sources.monday.streamBoardItems(object.monday.board), tick),
    linksOf(sources.db, object.key),
    profile.organisationRef ? linksOf(sources.db, profile.organisationRef.objectKey) : Promise.resolve(new Map<string, string>()),
  ]);
  progress.onRead?.(read);
  const itemToRecord = new Map([...links].map(([sf, item]) => [item, sf]));
  const itemToAccount = new Map([...accountLinks].map(([sf, item]) => [item, sf]));
  const candidates: Candidate[] = [];
  for (const record of records) {
    const id = to18(record.Id);
    const value = (field: string | null | undefined) => (field ? text(record[field]) : null);
    const accountId = profile.organisationRef ? value(profile.organisationRef.field.salesforce as string) : null;
    candidates.push(
      candidate(profile, {
        crm: 'salesforce',
        id,
        value,
        organisationRef: accountId ? `account:${to18(accountId)}` : null,
        createdAt: text(record.CreatedDate),
        linkedTo: links.get(id) ?? null,
      }),
    );
  }
  for (const item of items) {
    const columns = new Map(item.columnValues.map((c) => [c.id, c]));
    const byField = new Map(object.fields.filter((f) => typeof f.salesforce === 'string').map((f) => [f.salesforce as string, f.monday]));
    const value = (field: string | null | undefined): string | null => {
      if (!field) return null;
      if (field === object.name) return item.name.trim() === '' ? null : item.name;
      const column = byField.get(field);
      return column ? columnText(columns.get(column)) : null;
    };
    const relation = profile.organisationRef ? columns.get(profile.organisationRef.field.monday) : undefined;
    const linkedItem = relation?.linkedItemIds?.[0];
    const account = linkedItem ? itemToAccount.get(linkedItem) : undefined;
    candidates.push(
      candidate(profile, {
        crm: 'monday',
        id: item.id,
        value,
        organisationRef: account ? `account:${account}` : linkedItem ? `item:${linkedItem}` : null,
        createdAt: item.createdAt,
        linkedTo: itemToRecord.get(item.id) ?? null,
      }),
    );
  }
  return {
    candidates,
    links,
    salesforceRecords: new Map(records.map((r) => [to18(r.Id), r])),
    items: new Map(items.map((i) => [i.id, i])),
  };
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

async function collect<T>(source: AsyncIterable<T>, onEach: () => void): Promise<T[]> {
  const all: T[] = [];
  for await (const value of source) {
    all.push(value);
    onEach();
  }
  return all;
}
