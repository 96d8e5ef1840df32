import { RequestMethod, type DynamicModule } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { serializeRequest } from './logger';

/**
 * nestjs-pino over the service's logger (its redaction and secret scrubbing apply): Nest's own
 * messages and one pino-http line per request, with credentials in headers and `?token=` redacted.
 * Request lines are written at debug: at thousands of webhooks a second they would drown the rest.
 * `unloggedPosts`: POST routes pino-http skips unless debug lines are written (the webhook, the
 * ingest hot path: pino-http's per-request child logger, redaction and timing cost it about a third
 * more CPU per event in bench/ingest even when the line is then dropped; every webhook accepted is an
 * event in the log, every refusal a rejection row).
 */
export function loggingModule(logger: Logger, unloggedPosts: readonly string[] = []): DynamicModule {
  const skipped = logger.isLevelEnabled('debug') ? [] : unloggedPosts;
  return LoggerModule.forRoot({
    ...(skipped.length > 0 ? { exclude: skipped.map((path) => ({ path, method: RequestMethod.POST })) } : {}),
    pinoHttp: {
      logger: logger.child({ component: 'http' }),
      useLevel: 'debug',
      genReqId: (req: IncomingMessage) => requestIdOf(req),
      serializers: {
        req: serializeRequest,
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      },
    },
  });
}

/** The caller's X-Request-Id when it sent one, else a fresh id. */
export function requestIdOf(req: { headers: Record<string, string | string[] | undefined> }): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && given !== '' ? given : randomUUID();
}
