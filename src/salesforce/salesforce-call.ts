import type { Connection } from 'jsforce';
import type { SalesforceErrorContext } from './salesforce.error';

/**
 * What the helper modules (query paging, collections, Bulk 2.0) get from the client: the jsforce
 * connection and `run`, which attributes HTTP requests to the port operation and translates every
 * failure into a SalesforceError.
 */
export interface SalesforceCall {
  readonly conn: Connection;
  run<T>(context: SalesforceErrorContext, fn: () => Promise<T>): Promise<T>;
}

export const JSON_HEADERS = { 'Content-Type': 'application/json' } as const;

/** A JSON request through jsforce (session header, call options, 401 refresh, transport hook). */
export function requestJson<T>(conn: Connection, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  return conn.request<T>({
    method,
    url,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    headers: body === undefined ? headers : { ...JSON_HEADERS, ...headers },
  }) as unknown as Promise<T>;
}
