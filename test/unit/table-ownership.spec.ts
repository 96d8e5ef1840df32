/**
 * Table ownership (docs/architecture.md "Who owns which table"): SQL naming a table appears only in
 * the folder of src/ that owns it; other modules call the owner's exported functions. The exceptions
 * are listed below, each with its reason; an exception that no longer matches anything fails too,
 * so the list shrinks as queries move. src/database (migrations, schema dump, entities) is exempt.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ALLOWED_OUTSIDE_OWNER, TABLE_OWNERS } from '../support/table-owners';

const ROOT = resolve(__dirname, '../..');
const SRC = join(ROOT, 'src');

/** A table named after a SQL keyword that reads or writes it (upper case, as the code writes SQL). */
const TABLE_REFERENCE = /\b(?:FROM|JOIN|INTO|UPDATE|TABLE|TRUNCATE)\s+(?:ONLY\s+)?([a-z_][a-z0-9_]*)\b/g;

function tablesNamedIn(text: string): string[] {
  return [...text.matchAll(TABLE_REFERENCE)].map((match) => match[1]);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** `file table` for every SQL reference outside the table's owner folder. */
function referencesOutsideOwners(): Set<string> {
  const found = new Set<string>();
  for (const path of sourceFiles(SRC)) {
    const file = relative(ROOT, path).split('\\').join('/');
    const folder = file.split('/')[1];
    if (folder === 'database') continue;
    for (const table of tablesNamedIn(readFileSync(path, 'utf8'))) {
      const owner = TABLE_OWNERS[table];
      if (owner !== undefined && owner !== folder) found.add(`${file} ${table}`);
    }
  }
  return found;
}

describe('table ownership', () => {
  it('finds the tables a statement names (the scan itself works)', () => {
    expect(tablesNamedIn("SELECT r.id FROM sync_records r JOIN outbox o ON o.record_id = r.id WHERE x IN (SELECT 1 FROM events)")).toEqual(['sync_records', 'outbox', 'events']);
    expect(tablesNamedIn('INSERT INTO catch_up_served (a) VALUES (1); UPDATE ONLY outbox SET x = 1; DELETE FROM parked_events')).toEqual(['catch_up_served', 'outbox', 'parked_events']);
    // English in comments ("read from events") is not SQL.
    expect(tablesNamedIn('// read from events')).toEqual([]);
  });

  it('knows an owner for every table the migrations create', () => {
    const migrations = sourceFiles(join(SRC, 'database/migrations')).map((path) => readFileSync(path, 'utf8')).join('\n');
    const created = [...migrations.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?([a-z_]+)/g)].map((m) => m[1]);
    expect(created.length).toBeGreaterThan(10);
    expect(created.filter((table) => TABLE_OWNERS[table] === undefined)).toEqual([]);
  });

  it('finds SQL naming a table only in its owner folder, or in a listed exception', () => {
    const found = referencesOutsideOwners();
    const allowed = new Set(ALLOWED_OUTSIDE_OWNER.map((a) => `${a.file} ${a.table}`));
    expect([...found].filter((reference) => !allowed.has(reference)).sort()).toEqual([]);
  });

  it('lists no exception that no longer occurs (move a query, drop its line)', () => {
    const found = referencesOutsideOwners();
    expect(ALLOWED_OUTSIDE_OWNER.filter((a) => !found.has(`${a.file} ${a.table}`)).map((a) => `${a.file} ${a.table}`)).toEqual([]);
  });

  it('gives every exception a reason', () => {
    expect(ALLOWED_OUTSIDE_OWNER.filter((a) => a.reason.trim().length < 20)).toEqual([]);
  });
});
