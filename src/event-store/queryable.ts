import type { QueryResult, QueryResultRow } from 'pg';

/** A pg Pool, PoolClient or Client: whatever can run a query (inside a transaction or not). */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}
