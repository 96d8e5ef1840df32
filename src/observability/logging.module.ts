import type { DynamicModule } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { serializeRequest } from './logger';

/**
 * nestjs-pino over the service's logger (its redaction and secret scrubbing apply): Nest's own
 * messages and one pino-http line per request, with credentials in headers and `?token=` redacted.
 * Request lines are written at debug: at thousands of webhooks a second they would drown the rest.
 */
export function loggingModule(logger: Logger): DynamicModule {
  return LoggerModule.forRoot({
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
