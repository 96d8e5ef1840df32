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

/**
 * plaintextCopies for many values at once (hundreds: a convergence run's names and texts): each
 * column is read once and searched in memory, for the value as it is and as JSON escapes it.
 */
export async function plaintextValues(db: Queryable, values: readonly string[]): Promise<string[]> {
  const { rows: columns } = await db.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'ARRAY')`,
  );
  const needles = values.map((value) => ({ value, forms: [value.toLowerCase(), JSON.stringify(value).slice(1, -1).toLowerCase()] }));
  const found: string[] = [];
  for (const { table_name: table, column_name: column } of columns) {
    const { rows } = await db.query<{ v: string }>(`SELECT "${column}"::text AS v FROM "${table}" WHERE "${column}" IS NOT NULL`);
    const text = rows.map((r) => r.v.toLowerCase()).join('\u0000');
    for (const { value, forms } of needles) if (forms.some((form) => text.includes(form))) found.push(`${table}.${column}: ${value}`);
  }
  return found;
}
