import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { registerMondayWebhookRoute } from '../ingest/monday/monday-webhook.route';
import { MondayWebhookIngest } from '../ingest/monday/monday-webhook.ingest';
import { NestPinoLogger } from '../observability/nest-logger';
import { registerRequestLogging, requestIdOf } from '../observability/request-logging';
import { AppModule } from './app.module';
import { setupOpenApi } from './openapi';
import type { ServiceRuntime } from './service-runtime';
import type { ServiceShutdown } from './service-shutdown';

/** Webhook bodies are read raw up to this hard cap; the ingest answers 413 above 1 MiB after auth. */
const WEBHOOK_READ_CAP_BYTES = 8 * 1024 * 1024;

/** package.json at the package root: the same two levels up from src/app and dist/app. */
const SERVICE_VERSION = (JSON.parse(readFileSync(resolve(__dirname, '../../package.json'), 'utf8')) as { version: string }).version;

/**
 * The HTTP side on Fastify (faster than Express for the webhook hot path). JSON bodies of the
 * webhook route stay raw strings: the ingest must answer the challenge and check authentication
 * before it judges size or syntax (interface.md section 3), and must keep a rejected body for audit.
 *
 * POST /webhooks/monday is a plain Fastify route on the same instance (see monday-webhook.route.ts:
 * the hot path skips Nest's router); every other route is a Nest controller.
 */
export async function createHttpApp(runtime: Omit<ServiceRuntime, 'scheduler'>, shutdown: ServiceShutdown): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    // Fastify's own logger only for what goes wrong in it (warn and up, so not its per-request lines):
    // requests are logged by registerRequestLogging.
    loggerInstance: runtime.logger.child({ component: 'http' }, { level: 'warn' }),
    genReqId: requestIdOf,
    bodyLimit: WEBHOOK_READ_CAP_BYTES,
    // No Nest middleware anywhere (request logging is a Fastify hook), so no @fastify/middie: with it
    // registered every request, the webhook included, runs its hook even for an empty chain. Per-request
    // work belongs in a Fastify hook that skips the webhook, not in Nest middleware (which needs middie).
    skipMiddie: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRuntime(runtime, shutdown), adapter, {
    bodyParser: false,
    logger: new NestPinoLogger(runtime.logger.child({ component: 'nest' })),
  });
  registerRequestLogging(app, runtime.logger);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'string' }, (request, body, done) => {
    if (request.url.startsWith('/webhooks/')) return done(null, body);
    try {
      done(null, body === '' ? undefined : JSON.parse(body as string));
    } catch (error) {
      done(Object.assign(error as Error, { statusCode: 400 }), undefined);
    }
  });
  registerMondayWebhookRoute(app, app.get(MondayWebhookIngest), runtime.logger.child({ component: 'monday-webhook' }));
  // The console's HTML forms (sign-in, retry, ...); nothing else accepts form bodies.
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  setupOpenApi(app, SERVICE_VERSION);
  return app;
}
