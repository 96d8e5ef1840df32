import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { serializeRequest } from './logger';

/**
 * One line per HTTP request, at debug (at thousands of webhooks a second they would drown the
 * rest), with credentials in headers and `?token=` redacted: `request completed` (`request errored`
 * from 500 up) with the request, the status and the time taken in ms.
 *
 * A Fastify onResponse hook, registered only when debug lines are written: at any other level no
 * request pays for it. It replaces nestjs-pino's pino-http middleware, which engaged Nest's middleware
 * layer (@fastify/middie) and built a child logger for every request even when its line was then
 * dropped: together about a fifth of the service's CPU per webhook in bench/ingest
 * (docs/benchmarks.md, "Issue 15: before and after").
 */
export function registerRequestLogging(app: NestFastifyApplication, logger: Logger): void {
  const http = logger.child({ component: 'http' }, { serializers: { req: serializeRequest } });
  if (!http.isLevelEnabled('debug')) return;
  app.getHttpAdapter().getInstance().addHook('onResponse', async (request, reply) => {
    const line = {
      req: { id: request.id, method: request.method, url: request.url, headers: request.headers },
      res: { statusCode: reply.statusCode },
      responseTime: Math.round(reply.elapsedTime),
    };
    http.debug(line, reply.statusCode >= 500 ? 'request errored' : 'request completed');
  });
}

/** The caller's X-Request-Id when it sent one, else a fresh id. */
export function requestIdOf(req: { headers: Record<string, string | string[] | undefined> }): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && given !== '' ? given : randomUUID();
}
