import Fastify, { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EmulatorContext } from '../context';
import { FaultSpec } from '../control/fault-injector';
import { SalesforceApiError } from '../errors';
import { JSON_TYPE, sendJson } from './json-reply';
import { callOptionsClient, parseVersionSegment, peekRequestInfo, setRequestInfo } from './request-info';

const BODY_LIMIT = 160 * 1024 * 1024; // Bulk 2.0 accepts 150 MB uploads (reference 4.2)

/**
 * The fastify app and its cross-cutting hooks: fault injection, session check (401
 * INVALID_SESSION_ID), the daily API allocation with `Sforce-Limit-Info` on every reply, the request
 * log, and Salesforce-shaped errors. Routes are added by the route modules.
 */
export function createEmulatorApp(ctx: EmulatorContext): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT, forceCloseConnections: true });
  registerBodyParsers(app);

  app.addHook('onRequest', async (request, reply) => {
    const path = pathOf(request);
    if (!path.startsWith('/services/') && !path.startsWith('/id/')) return;
    const client = callOptionsClient(request.headers['sforce-call-options']);
    let drop = false;
    for (const fault of ctx.faults.take(request.method, path)) {
      const outcome = await applyFault(ctx, fault, reply);
      if (outcome === 'answered') return reply;
      if (outcome === 'drop') drop = true;
    }
    const segments = path.split('/');
    const version = segments[2] === 'data' ? parseVersionSegment(segments[3]) : null;
    if (version === null && !path.startsWith('/id/')) {
      if (drop) setRequestInfo(request, { userId: '', apiVersion: ctx.apiVersion, client, dropResponse: true });
      return;
    }
    const session = ctx.sessions.authenticate(request.headers.authorization);
    if (!session) {
      sendJson(reply, 401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
      return reply;
    }
    if (!ctx.usage.tryConsume()) {
      sendJson(reply, 403, [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
      return reply;
    }
    setRequestInfo(request, {
      userId: session.userId,
      apiVersion: version ?? ctx.apiVersion,
      client,
      dropResponse: drop,
    });
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const path = pathOf(request);
    if (path.startsWith('/services/')) reply.header('Sforce-Limit-Info', ctx.usage.header());
    if (peekRequestInfo(request)?.dropResponse) request.raw.socket?.destroy();
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    const path = pathOf(request);
    if (path.startsWith('/__sandbox')) return;
    ctx.requestLog.add({
      method: request.method,
      path,
      status: reply.statusCode,
      client: callOptionsClient(request.headers['sforce-call-options']),
      time: ctx.clock.now(),
    });
  });

  app.setErrorHandler(async (error: unknown, _request, reply) => {
    if (error instanceof SalesforceApiError) return sendJson(reply, error.status, error.restBody());
    const status = statusOf(error);
    if (status === 413) return sendJson(reply, 413, [{ errorCode: 'REQUEST_ENTITY_TOO_LARGE', message: 'Request too large' }]);
    if (status >= 400 && status < 500) {
      return sendJson(reply, status, [{ errorCode: 'JSON_PARSER_ERROR', message: messageOf(error) }]);
    }
    return sendJson(reply, 500, [
      { errorCode: 'UNKNOWN_EXCEPTION', message: `An unexpected error occurred: ${messageOf(error)}` },
    ]);
  });

  app.setNotFoundHandler(async (_request, reply) =>
    sendJson(reply, 404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]),
  );
  return app;
}

function pathOf(request: FastifyRequest): string {
  const q = request.url.indexOf('?');
  return q === -1 ? request.url : request.url.slice(0, q);
}

async function applyFault(
  ctx: EmulatorContext,
  fault: FaultSpec,
  reply: FastifyReply,
): Promise<'continue' | 'answered' | 'drop'> {
  switch (fault.kind) {
    case 'latency':
      await new Promise((resolve) => setTimeout(resolve, fault.latencyMs ?? 1000));
      return 'continue';
    case 'expire_sessions':
      ctx.sessions.expireAll();
      return 'continue';
    case 'commit_then_drop':
      return 'drop';
    case 'http_error':
      if (fault.message !== undefined || fault.errorCode !== undefined) {
        sendJson(reply, fault.status ?? 500, [{ errorCode: fault.errorCode ?? 'UNKNOWN_EXCEPTION', message: fault.message ?? 'An unexpected error occurred.' }]);
      } else if (fault.status === 503) {
        sendJson(reply, 503, [{ errorCode: 'SERVER_UNAVAILABLE', message: 'Server is temporarily unavailable' }]);
      } else {
        sendJson(reply, fault.status ?? 500, [
          {
            errorCode: 'UNKNOWN_EXCEPTION',
            message: 'An unexpected error occurred. Please include this ErrorId if you contact support: 1927538301-1 (-1227462019)',
          },
        ]);
      }
      return 'answered';
    case 'unable_to_lock_row':
      sendJson(reply, 400, [
        { errorCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record', fields: [] },
      ]);
      return 'answered';
    case 'request_limit_exceeded':
      sendJson(reply, 403, [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' }]);
      return 'answered';
  }
}

function registerBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      done(SalesforceApiError.of(400, 'JSON_PARSER_ERROR', `Unexpected character: ${messageOf(err)}`), undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, String(body)));
}

function statusOf(error: unknown): number {
  if (typeof error === 'object' && error !== null && 'statusCode' in error) {
    const s = (error as { statusCode: unknown }).statusCode;
    if (typeof s === 'number') return s;
  }
  return 500;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export { JSON_TYPE };
