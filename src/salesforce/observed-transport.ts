import { AsyncLocalStorage } from 'node:async_hooks';
import type { Connection } from 'jsforce';
import { counter } from '../observability/metrics-registry';
import { boundedTimeout } from '../sync-commands/write-deadline';
import type { SalesforceOperation } from './salesforce.error';

const requests = counter('crm_sync_salesforce_requests_total', 'HTTP requests sent to Salesforce by port operation and status class', [
  'operation',
  'status',
]);

/** What the HTTP layer saw during one port call (jsforce errors do not carry the status). */
export interface CallFacts {
  operation: SalesforceOperation;
  httpStatus?: number;
  retryAfterMs?: number;
}

/** jsforce's own request timeout (30 min), when neither the call nor our defaults set one. */
const JSFORCE_TIMEOUT_MS = 30 * 60_000;

/** The port call in progress, so every HTTP request it causes (pages, refresh retries) is attributed to it. */
export const callContext = new AsyncLocalStorage<CallFacts>();

/** jsforce's per-request transport options (HttpRequestOptions in jsforce/lib/types/common). */
export interface TransportDefaults {
  timeout?: number;
  retry?: { maxRetries?: number; minTimeout?: number; timeoutFactor?: number };
}

export interface TransportObserver {
  onResponse(status: number, headers: Record<string, string>): void;
}

interface HttpResponseLike {
  statusCode: number;
  headers: Record<string, string>;
}

type HttpRequestFn = (request: unknown, options?: Record<string, unknown>) => PromiseLike<HttpResponseLike | undefined>;

/**
 * The one hook on every HTTP request jsforce makes for this connection (REST, Bulk 2.0, SOAP all go
 * through `conn._transport`; the OAuth token endpoint uses its own transport). It
 * - applies our defaults for timeout and transport retries (jsforce's own: 30 min timeout, 5 retries
 *   of GET/PUT/DELETE over about 15 s, reference 9.3),
 * - reports status and headers (Sforce-Limit-Info, Retry-After) to the observer,
 * - counts requests by port operation.
 * The original StreamPromise is returned untouched so jsforce's streaming of bodies keeps working.
 */
export function observeTransport(conn: Connection, defaults: TransportDefaults, observer: TransportObserver): void {
  const original = conn._transport as unknown as { httpRequest: HttpRequestFn };
  const originalRequest = original.httpRequest.bind(original);
  const wrapped: HttpRequestFn = (request, options = {}) => {
    const facts = callContext.getStore();
    // Within an outbox write, the request (its transport retries included) ends before the claim's lease may.
    const timeout = boundedTimeout((options.timeout as number | undefined) ?? defaults.timeout ?? JSFORCE_TIMEOUT_MS);
    const merged = { ...options, timeout, retry: { ...defaults.retry, ...(options.retry as object | undefined) } };
    const pending = originalRequest(request, merged);
    pending.then(
      (response) => {
        if (!response) return;
        requests.inc({ operation: facts?.operation ?? 'other', status: `${Math.floor(response.statusCode / 100)}xx` });
        if (facts) {
          facts.httpStatus = response.statusCode;
          facts.retryAfterMs = retryAfterMs(response.headers['retry-after']);
        }
        observer.onResponse(response.statusCode, response.headers);
      },
      () => {
        requests.inc({ operation: facts?.operation ?? 'other', status: 'error' });
      },
    );
    return pending;
  };
  original.httpRequest = wrapped;
}

function retryAfterMs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
