import type { Queryable } from '../event-store/queryable';
import { isSalesforceId, to18 } from '../mapping/salesforce-id';
import { NAME_KEY } from '../mapping/resolved-mapping';
import { activePersonalData } from '../personal-data/active';
import { revealColumns } from '../personal-data/derived-values';
import type { PersonalDataProtector } from '../personal-data/protector';

export interface RecordMatch {
  crm: 'monday' | 'salesforce';
  id: string;
  objectKey: string;
  name: string | null;
  salesforceId: string | null;
  mondayItemId: string | null;
}

export type SearchKind = 'monday item id' | 'Salesforce Id' | 'e-mail' | 'name';

export function searchKindOf(query: string): SearchKind {
  if (/^\d{1,20}$/.test(query)) return 'monday item id';
  if (isSalesforceId(query)) return 'Salesforce Id';
  if (query.includes('@')) return 'e-mail';
  return 'name';
}

const RECORD_COLUMNS = `id, object_key, salesforce_id, monday_item_id, fields -> '${NAME_KEY}' ->> 'agreed' AS name`;

/** With PII_ENCRYPTION_KEY set, a name search decrypts the names of at most this many records (the newest). */
export const ENCRYPTED_NAME_SCAN = 20_000;

/**
 * Finds synced records by monday item id, Salesforce Id (15 or 18), e-mail (equal, any case, in any
 * mapped field on either side) or name (contains, any case). A scan of sync_records: fine for a
 * person searching, not for a hot path. With PII_ENCRYPTION_KEY set, values are sealed: an e-mail
 * is found through the keyed-hash lookup (personal_data_lookup, as `crm-sync erase --email` finds
 * it), a name by decrypting the names of the newest ENCRYPTED_NAME_SCAN records.
 */
export async function searchRecords(db: Queryable, query: string): Promise<{ kind: SearchKind; matches: RecordMatch[] }> {
  const q = query.trim();
  const kind = searchKindOf(q);
  let sql: string;
  let params: unknown[];
  if (kind === 'monday item id') [sql, params] = [`SELECT ${RECORD_COLUMNS} FROM sync_records WHERE monday_item_id = $1`, [q]];
  else if (kind === 'Salesforce Id') [sql, params] = [`SELECT ${RECORD_COLUMNS} FROM sync_records WHERE salesforce_id = $1`, [to18(q)]];
  else if (kind === 'e-mail') {
    sql = `SELECT ${RECORD_COLUMNS} FROM sync_records r WHERE EXISTS (
             SELECT 1 FROM jsonb_each(r.fields) f
             WHERE lower(f.value ->> 'agreed') = lower($1) OR lower(f.value -> 'salesforce' ->> 'value') = lower($1) OR lower(f.value -> 'monday' ->> 'value') = lower($1))
           ORDER BY id DESC LIMIT 50`;
    params = [q];
  } else {
    sql = `SELECT ${RECORD_COLUMNS} FROM sync_records WHERE fields -> '${NAME_KEY}' ->> 'agreed' ILIKE $1 ORDER BY id DESC LIMIT 50`;
    params = [`%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`];
  }
  const personalData = activePersonalData();
  let { rows } = await db.query<RecordRow>(sql, params);
  if (personalData && kind === 'e-mail') rows = unique([...rows, ...(await recordsWithEmail(db, personalData, q))]);
  if (personalData && kind === 'name') rows = unique([...rows, ...(await recordsNamed(db, personalData, q))]);
  if (personalData) for (const row of rows) row.name = row.name === null ? null : await personalData.openText(row.name, `${NAME_KEY}.agreed`);
  const matches = rows.map((r) => ({
    crm: r.monday_item_id ? ('monday' as const) : ('salesforce' as const),
    id: r.monday_item_id ?? r.salesforce_id ?? '',
    objectKey: r.object_key,
    name: r.name,
    salesforceId: r.salesforce_id,
    mondayItemId: r.monday_item_id,
  }));
  // An id nobody synced may still have events (e.g. a record the mapping skipped): let history look.
  if (matches.length === 0 && (kind === 'monday item id' || kind === 'Salesforce Id')) {
    const crm = kind === 'monday item id' ? 'monday' : 'salesforce';
    matches.push({ crm, id: crm === 'salesforce' ? to18(q) : q, objectKey: '?', name: null, salesforceId: crm === 'salesforce' ? to18(q) : null, mondayItemId: crm === 'monday' ? q : null });
  }
  return { kind, matches };
}

interface RecordRow {
  id: string;
  object_key: string;
  salesforce_id: string | null;
  monday_item_id: string | null;
  name: string | null;
}

/** Records of the subjects the keyed-hash lookup knows for this address (the side an event came from, or the record). */
async function recordsWithEmail(db: Queryable, personalData: PersonalDataProtector, email: string): Promise<RecordRow[]> {
  const subjects = await personalData.keys.subjectsWithEmail(db, email);
  const idsOf = (prefix: string) => subjects.filter((s) => s.startsWith(prefix)).map((s) => s.slice(prefix.length));
  if (subjects.length === 0) return [];
  const { rows } = await db.query<RecordRow>(
    `SELECT ${RECORD_COLUMNS} FROM sync_records WHERE salesforce_id = ANY($1::text[]) OR monday_item_id = ANY($2::text[]) OR id = ANY($3::bigint[]) ORDER BY id DESC LIMIT 50`,
    [idsOf('salesforce:'), idsOf('monday:'), idsOf('record:').filter((id) => /^\d+$/.test(id))],
  );
  return rows;
}

/** Records whose (sealed) name contains the text, any case: the newest ENCRYPTED_NAME_SCAN names decrypted in memory. */
async function recordsNamed(db: Queryable, personalData: PersonalDataProtector, text: string): Promise<RecordRow[]> {
  // Each name is read in the shape it was sealed in (its field key and `agreed`), so its associated data matches.
  const { rows } = await db.query<RecordRow & { sealed: Record<string, { agreed: unknown }> }>(
    `SELECT ${RECORD_COLUMNS}, jsonb_build_object('${NAME_KEY}', jsonb_build_object('agreed', fields -> '${NAME_KEY}' -> 'agreed')) AS sealed
     FROM sync_records WHERE fields -> '${NAME_KEY}' -> 'agreed' ? '$enc' ORDER BY id DESC LIMIT ${ENCRYPTED_NAME_SCAN}`,
  );
  const cells = rows.map((row) => ({ row, payload: row.sealed as unknown }));
  await personalData.reveal(cells);
  const needle = text.toLowerCase();
  return cells
    .filter(({ payload }) => {
      const name = (payload as Record<string, { agreed: unknown }>)[NAME_KEY]?.agreed;
      return typeof name === 'string' && name.toLowerCase().includes(needle);
    })
    .slice(0, 50)
    .map(({ row: { sealed: _sealed, ...row } }) => row);
}

function unique(rows: RecordRow[]): RecordRow[] {
  return [...new Map(rows.map((row) => [row.id, row])).values()];
}

/** Stored record fields with both sides' values, for the side-by-side view. */
export async function recordFields(db: Queryable, recordId: number): Promise<Record<string, { agreed?: unknown; salesforce?: { value: unknown; at: number }; monday?: { value: unknown; at: number } }>> {
  const { rows } = await db.query<{ fields: Record<string, never> }>('SELECT fields FROM sync_records WHERE id = $1', [recordId]);
  await revealColumns(rows, ['fields']);
  return rows[0]?.fields ?? {};
}
