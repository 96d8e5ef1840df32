import type { Queryable } from '../../src/event-store/queryable';

/**
 * Every text, varchar, json/jsonb and array column of every table that holds one of `planted` (any
 * case), as `table.column: value`: with PII_ENCRYPTION_KEY set, none may (interface.md section 5).
 */
export async function plaintextCopies(db: Queryable, planted: readonly string[]): Promise<string[]> {
  const { rows: columns } = await db.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'ARRAY')`,
  );
  const found: string[] = [];
  for (const { table_name: table, column_name: column } of columns) {
    for (const value of planted) {
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}" WHERE "${column}"::text ILIKE $1`, [`%${value}%`]);
      if (rows[0].n > 0) found.push(`${table}.${column}: ${value}`);
    }
  }
  return found;
}
