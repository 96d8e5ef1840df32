import { ClientError, GraphQLClient } from 'graphql-request';
import { boundedTimeout } from '../sync-commands/write-deadline';

/**
 * The one place that imports graphql-request (style lesson 6). It sends a document and hands back
 * what monday answered, whatever the status: interpreting errors is translate-monday-error.ts's job.
 * Only a failure to get an answer at all (network, timeout) is thrown, as the raw cause.
 */
export interface GraphqlAnswer {
  status: number;
  /** The parsed JSON body (graphql-request parses it when Content-Type is JSON), or the text. */
  body: Record<string, unknown> | string | null;
  retryAfter: string | null;
  /** The `RateLimit` header (IETF draft syntax, monday.md 6.1). */
  rateLimit: string | null;
  /** `Idempotency-Replayed: true`: monday's cached answer to an earlier request with the same key (monday.md 1.5). */
  replayed?: boolean;
}

export interface GraphqlTransport {
  send(document: string, variables: Record<string, unknown>, extraHeaders?: Record<string, string>): Promise<GraphqlAnswer>;
}

export interface GraphqlTransportOptions {
  url: string;
  token: string;
  apiVersion: string;
  /** monday's server timeout is 60 s; a little more here so its own timeout error can arrive first. */
  timeoutMs?: number;
}

export class GraphqlRequestTransport implements GraphqlTransport {
  private readonly client: GraphQLClient;
  private readonly timeoutMs: number;

  constructor(options: GraphqlTransportOptions) {
    this.timeoutMs = options.timeoutMs ?? 65_000;
    this.client = new GraphQLClient(options.url, {
      // Raw token, no "Bearer" (monday.md 1.2); the version is pinned, never left to monday's default.
      headers: { Authorization: options.token, 'API-Version': options.apiVersion },
      // Partial data with per-alias errors must reach the caller, not become one exception.
      errorPolicy: 'all',
      fetch: globalThis.fetch,
    });
  }

  async send(document: string, variables: Record<string, unknown>, extraHeaders: Record<string, string> = {}): Promise<GraphqlAnswer> {
    try {
      const response = await this.client.rawRequest<Record<string, unknown>>({
        query: document,
        variables,
        requestHeaders: extraHeaders,
        // Within an outbox write, never past the lease of the claim it is sent under.
        signal: AbortSignal.timeout(boundedTimeout(this.timeoutMs)),
      });
      const body: Record<string, unknown> = { data: response.data };
      const errors = (response as { errors?: unknown }).errors;
      if (errors !== undefined) body.errors = errors;
      if (response.extensions !== undefined) body.extensions = response.extensions;
      return { status: response.status, body, ...rateHeaders(response.headers) };
    } catch (error) {
      if (!(error instanceof ClientError)) throw error;
      const { status, headers, ...rest } = error.response;
      const body = typeof rest.error === 'string' && Object.keys(rest).length === 1 ? rest.error : rest;
      return { status, body, ...rateHeaders(headers) };
    }
  }
}

function rateHeaders(headers: unknown): { retryAfter: string | null; rateLimit: string | null; replayed: boolean } {
  if (!(headers instanceof Headers)) return { retryAfter: null, rateLimit: null, replayed: false };
  return { retryAfter: headers.get('retry-after'), rateLimit: headers.get('ratelimit'), replayed: headers.get('idempotency-replayed') === 'true' };
}
