import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fastify, { type FastifyInstance } from 'fastify';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/observability/logger';
import { registerRequestLogging } from '../../src/observability/request-logging';

/** A Fastify app with request logging at `level`, one route, and the JSON lines its logger wrote. */
async function appLoggingAt(level: 'debug' | 'info'): Promise<{ server: FastifyInstance; lines: Record<string, unknown>[] }> {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  const server = fastify();
  const app = { getHttpAdapter: () => ({ getInstance: () => server }) } as unknown as NestFastifyApplication;
  registerRequestLogging(app, createLogger({ level, secretValues: [], destination }));
  server.post('/webhooks/monday', async () => ({ ok: true }));
  await server.ready();
  return { server, lines };
}

describe('request logging', () => {
  it('writes one debug line per request with its status and the credentials redacted', async () => {
    const { server, lines } = await appLoggingAt('debug');
    expect(server.printRoutes({ includeHooks: true })).toContain('onResponse');
    await server.inject({ method: 'POST', url: '/webhooks/monday?token=s3cret-token', headers: { authorization: 'Bearer jwt-value' }, payload: {} });
    await server.inject({ method: 'GET', url: '/missing' });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      level: 20,
      component: 'http',
      msg: 'request completed',
      req: { method: 'POST', url: '/webhooks/monday?token=[redacted]', headers: { authorization: '[redacted]' } },
      res: { statusCode: 200 },
    });
    expect(lines[1]).toMatchObject({ req: { method: 'GET', url: '/missing' }, res: { statusCode: 404 } });
    expect(JSON.stringify(lines)).not.toMatch(/s3cret-token|jwt-value/);
    await server.close();
  });

  it('adds no hook at all above debug, so no request (the webhook above all) pays for a dropped line', async () => {
    const { server, lines } = await appLoggingAt('info');
    expect(server.printRoutes({ includeHooks: true })).not.toContain('onResponse');
    await server.inject({ method: 'POST', url: '/webhooks/monday', payload: {} });
    expect(lines).toHaveLength(0);
    await server.close();
  });
});
