import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ExecutionResult, OperationDefinitionNode } from 'graphql';
import { execute, getOperationAST, Kind } from 'graphql';
import { BulkJobsRateLimited } from '../bulk-import/bulk-import-errors';
import type { RequestLog, RequestLogEntry } from '../control/request-log';
import type { EmulatorCore } from '../emulator-core';
import { MondayApiError } from '../errors';
import { estimateComplexity } from '../graphql/complexity-estimate';
import { DocumentCache } from '../graphql/document-cache';
import type { GraphqlContext } from '../graphql/graphql-context';
import { schemaFor } from '../graphql/schema-factory';
import { isoMillis } from '../time-format';
import { resolveApiVersion, versionAtLeast } from './api-version';
import { documentErrors, executionError, isLegacyFormat, legacyApplicationError, standaloneError } from './error-format';
import { DailyAnalytics } from './daily-analytics';
import { IdempotencyCache } from './idempotency-cache';
import { RateLimiter } from './rate-limiter';
import type { Throttle } from './throttle-errors';
import { resourceProtectionError, throttleResponse } from './throttle-errors';

interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
  cacheable?: boolean;
  /** A lost_response fault: the mutation was applied; the connection is destroyed instead of answered. */
  lostResponse?: boolean;
}

interface Parsed {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** POST /v2: monday's GraphQL endpoint with its headers, limits, error formats and Idempotency-Key. */
export class GraphqlEndpoint {
  readonly limiter: RateLimiter;
  readonly analytics: DailyAnalytics;
  readonly idempotency: IdempotencyCache;
  private readonly documents = new DocumentCache();

  constructor(
    private readonly core: EmulatorCore,
    private readonly log: RequestLog,
    private readonly serveDeprecated: boolean,
    analyticsRefreshMs = 10 * 60_000,
  ) {
    this.limiter = new RateLimiter(core.clock, core.limits);
    this.analytics = new DailyAnalytics(core.clock, this.limiter, analyticsRefreshMs);
    this.idempotency = new IdempotencyCache(core.clock);
  }

  register(app: FastifyInstance): void {
    app.post('/v2', (req, reply) => this.handle(req, reply));
  }

  private async handle(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const started = Date.now();
    const requestId = randomUUID();
    const entry: RequestLogEntry = {
      at: isoMillis(this.core.clock.now()),
      requestId,
      userId: null,
      apiVersion: null,
      operationType: null,
      operationName: null,
      fields: [],
      status: 0,
      complexity: 0,
      errorCodes: [],
      idempotencyReplayed: false,
      durationMs: 0,
    };
    const answer = await this.answer(req, entry);
    const version = entry.apiVersion;
    if (version && versionAtLeast(version, '2025-04') && !('error_code' in answer.body)) {
      answer.body.extensions = { ...(answer.body.extensions as object | undefined), request_id: requestId };
    }
    const payload = JSON.stringify(answer.body);
    reply.code(answer.status).headers({
      'content-type': 'application/json; charset=utf-8',
      'x-request-id': requestId,
      ...(version ? { 'api-version': version } : {}),
      ...this.limiter.headers(),
      ...answer.headers,
    });
    entry.status = answer.status;
    entry.durationMs = Date.now() - started;
    this.log.add(entry);
    if (answer.lostResponse) {
      reply.hijack();
      req.raw.socket?.destroy();
      return;
    }
    await reply.send(payload);
  }

  private async answer(req: FastifyRequest, entry: RequestLogEntry): Promise<Answer> {
    const account = this.core.account.id;
    const auth = String(req.headers.authorization ?? '').replace(/^Bearer\s+/i, '').trim();
    const user = auth ? this.core.store.userByToken(auth) : undefined;
    if (!user) return { status: 401, body: { errors: [{ message: 'Not Authenticated', extensions: { code: 'Unauthorized', status_code: 401 } }] } };
    entry.userId = user.id;

    let apiVersion: string;
    try {
      apiVersion = resolveApiVersion(header(req, 'api-version'), this.core.clock.now(), this.serveDeprecated);
    } catch (error) {
      if (error instanceof MondayApiError) return { status: 200, body: standaloneError(error, '2025-04', account) };
      throw error;
    }
    entry.apiVersion = apiVersion;

    const parsed = req.body as Parsed | string | undefined;
    if (typeof parsed === 'string') {
      return { status: 400, body: { errors: [{ message: 'Invalid JSON', extensions: { code: 'JsonParseException', status_code: 400 } }] } };
    }
    if (!parsed || typeof parsed.query !== 'string' || parsed.query.trim() === '') {
      return { status: 400, body: { errors: [{ message: 'Bad request', extensions: { code: 'BAD_REQUEST', status_code: 400 } }] } };
    }
    let variables: Record<string, unknown> = {};
    if (typeof parsed.variables === 'string' && !versionAtLeast(apiVersion, '2025-04')) {
      variables = JSON.parse(parsed.variables) as Record<string, unknown>;
    } else if (parsed.variables !== undefined && parsed.variables !== null) {
      if (typeof parsed.variables !== 'object' || Array.isArray(parsed.variables)) {
        return { status: 400, body: { errors: [{ message: 'Bad request: variables must be a JSON object', extensions: { code: 'BAD_REQUEST', status_code: 400 } }] } };
      }
      variables = parsed.variables as Record<string, unknown>;
    }

    const schema = schemaFor(apiVersion);
    const prepared = this.documents.prepare(schema, parsed.query);
    if (!prepared.ok) {
      this.limiter.countThrottled();
      const errors = documentErrors(prepared.errors, prepared.phase);
      entry.errorCodes = errors.map((e) => String((e.extensions as { code?: unknown } | undefined)?.code ?? ''));
      return { status: 200, body: isLegacyFormat(apiVersion) ? { errors, account_id: account } : { errors } };
    }
    const operationName = typeof parsed.operationName === 'string' ? parsed.operationName : undefined;
    const operation = getOperationAST(prepared.document, operationName);
    if (!operation) return { status: 400, body: { errors: [{ message: 'Bad request: no operation to run', extensions: { code: 'BAD_REQUEST' } }] } };
    entry.operationType = operation.operation === 'mutation' ? 'mutation' : 'query';
    entry.operationName = operation.name?.value ?? null;
    entry.fields = rootFields(operation);

    const key = header(req, 'idempotency-key');
    const useKey = key !== undefined && key !== '' && operation.operation === 'mutation';
    if (useKey) {
      const outcome = this.idempotency.begin(user.id, key);
      if (outcome.kind === 'conflict') {
        return {
          status: 409,
          headers: { 'retry-after': '1' },
          body: { errors: [{ message: 'A request with this idempotency key is currently being processed', extensions: { code: 'IDEMPOTENCY_CONFLICT' } }] },
        };
      }
      if (outcome.kind === 'replay') {
        entry.idempotencyReplayed = true;
        return { status: outcome.response.status, body: JSON.parse(outcome.response.body) as Record<string, unknown>, headers: { 'idempotency-replayed': 'true' } };
      }
    }
    let answer: Answer | undefined;
    try {
      answer = await this.run(prepared.document, operation, variables, operationName, user, apiVersion, entry);
      return answer;
    } finally {
      if (useKey) this.idempotency.finish(user.id, key, answer?.cacheable ? { status: answer.status, body: JSON.stringify(answer.body) } : undefined);
    }
  }

  private async run(
    document: Parameters<typeof execute>[0]['document'],
    operation: OperationDefinitionNode,
    variables: Record<string, unknown>,
    operationName: string | undefined,
    user: GraphqlContext['user'],
    apiVersion: string,
    entry: RequestLogEntry,
  ): Promise<Answer> {
    const cost = estimateComplexity(document, operation, variables, this.core.costs);
    entry.complexity = cost;
    if (cost > this.core.limits.maxQueryComplexity) {
      this.limiter.countThrottled();
      const error = new MondayApiError('maxComplexityExceeded', `Query has complexity of ${cost}, which exceeds max complexity of ${this.core.limits.maxQueryComplexity}`, {
        complexity: cost,
        max_complexity: this.core.limits.maxQueryComplexity,
      });
      return { status: 200, body: standaloneError(error, apiVersion, this.core.account.id) };
    }
    if (!this.limiter.enter()) {
      this.limiter.countThrottled();
      return this.throttled(this.limiter.concurrencyThrottle(), apiVersion);
    }
    try {
      // Injected faults act while the request holds its concurrency slot (and its idempotency key).
      const latency = this.core.faults.take('latency', entry.fields);
      if (latency?.latencyMs) await sleep(latency.latencyMs);
      const serverError = this.core.faults.take('http_500', entry.fields);
      if (serverError) {
        return { status: 500, body: { errors: [{ message: serverError.message ?? 'Internal Server Error', extensions: { code: 'INTERNAL_SERVER_ERROR', status_code: 500 } }] } };
      }
      if (this.core.faults.take('http_429', entry.fields)) {
        this.limiter.countThrottled();
        return this.throttled(this.limiter.minuteThrottle(), apiVersion);
      }
      const admitted = this.limiter.admit(cost, entry.fields.length === 1 && entry.fields[0] === 'complexity');
      if (!admitted.ok) return this.throttled(admitted.throttle, apiVersion);
      const context: GraphqlContext = {
        core: this.core,
        user,
        apiVersion,
        complexity: { before: admitted.admission.before, query: cost, after: admitted.admission.after, resetInSeconds: admitted.admission.resetInSeconds },
        platformApi: () => this.analytics.view(),
      };
      const result = (await execute({ schema: schemaFor(apiVersion), document, variableValues: variables, contextValue: context, operationName })) as ExecutionResult;
      if (!isLegacyFormat(apiVersion) && entry.fields.length > 0 && this.core.faults.take('too_many_requests', entry.fields)) {
        return this.resourceProtected(result, entry.fields[0]);
      }
      const formatted = this.formatResult(result, apiVersion, entry);
      if (operation.operation === 'mutation' && this.core.faults.take('lost_response', entry.fields)) formatted.lostResponse = true;
      return formatted;
    } finally {
      this.limiter.leave();
    }
  }

  private formatResult(result: ExecutionResult, apiVersion: string, entry: RequestLogEntry): Answer {
    if (!result.errors || result.errors.length === 0) return { status: 200, body: { data: result.data ?? null }, cacheable: true };
    const jobsLimited = result.errors.map((e) => e.originalError).find((e): e is BulkJobsRateLimited => e instanceof BulkJobsRateLimited);
    if (jobsLimited) return { status: 429, body: jobsLimited.body(), headers: { 'retry-after': String(Math.ceil(jobsLimited.retryAfterMs / 1000)) } };
    const formatted = result.errors.map((e) => executionError(e, apiVersion));
    entry.errorCodes = formatted.map((f) => String((f.body.extensions as { code?: unknown } | undefined)?.code ?? ''));
    const internal = formatted.some((f) => f.internal);
    if (isLegacyFormat(apiVersion)) {
      return { status: internal ? 500 : 200, body: legacyApplicationError(result.errors[0], apiVersion, this.core.account.id), cacheable: !internal };
    }
    return { status: internal ? 500 : 200, body: { data: result.data ?? null, errors: formatted.map((f) => f.body) }, cacheable: !internal };
  }

  private resourceProtected(result: ExecutionResult, field: string): Answer {
    const data = { ...(result.data ?? {}), [field]: null };
    return { status: 200, body: { data, errors: [resourceProtectionError(field)] }, cacheable: false };
  }

  private throttled(throttle: Throttle, apiVersion: string): Answer {
    const { status, body } = throttleResponse(throttle, apiVersion, this.core.account.id);
    return { status, body, headers: { 'retry-after': String(Math.max(1, throttle.retryInSeconds)) } };
  }
}

function header(req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function rootFields(operation: OperationDefinitionNode): string[] {
  return operation.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));
}
