import { ModulesContainer } from '@nestjs/core';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { tokensMatch } from '../../src/admin/admin-token.guard';
import { startTestService, type TestService } from '../support/test-service';

const ADMIN_TOKEN = 'admin-token-correct-horse-battery-staple';

interface Route {
  method: string;
  path: string;
}

/** Every route of every Nest controller of the running app, read from the decorators' metadata. */
function controllerRoutes(test: TestService): Route[] {
  const routes: Route[] = [];
  for (const module of test.service.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!type) continue;
      const prefixes = [Reflect.getMetadata(PATH_METADATA, type) as string | string[]].flat();
      for (const name of Object.getOwnPropertyNames(type.prototype)) {
        const handler = (type.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function' || name === 'constructor') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        for (const prefix of prefixes) {
          for (const sub of [Reflect.getMetadata(PATH_METADATA, handler) as string | string[]].flat()) {
            routes.push({ method: RequestMethod[method], path: `/${[prefix, sub].filter((p) => p && p !== '/').join('/')}`.replace(/\/+/g, '/') });
          }
        }
      }
    }
  }
  return routes;
}

/** A concrete URL for a route pattern (parameters filled with values each handler accepts the shape of). */
const concrete = (path: string) => path.replace(':crm', 'salesforce').replace(/:[a-zA-Z]+/g, '1');

describe('admin endpoints: every /admin route refuses a missing or wrong token', () => {
  let test: TestService;
  beforeAll(async () => {
    test = await startTestService({ ADMIN_TOKEN });
  });
  afterAll(() => test.stop());

  const call = (route: Route, authorization?: string) =>
    fetch(`${test.url}${concrete(route.path)}`, {
      method: route.method,
      headers: { ...(authorization === undefined ? {} : { authorization }), ...(route.method === 'GET' ? {} : { 'content-type': 'application/json' }) },
      body: route.method === 'GET' ? undefined : '{}',
    });

  it('finds the admin routes (status, dead letters and their retry, record history, parked events)', () => {
    const admin = controllerRoutes(test).filter((r) => r.path.startsWith('/admin'));
    expect(admin).toEqual(expect.arrayContaining([
      { method: 'GET', path: '/admin/status' },
      { method: 'GET', path: '/admin/dead-letters' },
      { method: 'POST', path: '/admin/dead-letters/:id/retry' },
      { method: 'GET', path: '/admin/parked-events' },
    ]));
  });

  it('answers 401 to every admin route without the token, with a wrong one, a prefix of it, one character off, or another scheme', async () => {
    const admin = controllerRoutes(test).filter((r) => r.path.startsWith('/admin'));
    const wrong = [
      undefined,
      '',
      'Bearer',
      'Bearer ',
      'Bearer wrong',
      `Bearer ${ADMIN_TOKEN.slice(0, -1)}`,
      `Bearer ${ADMIN_TOKEN}x`,
      `Bearer ${ADMIN_TOKEN.slice(0, -1)}X`,
      `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}`,
      ADMIN_TOKEN,
    ];
    for (const route of admin) {
      for (const authorization of wrong) {
        const response = await call(route, authorization);
        expect({ route, authorization, status: response.status }).toEqual({ route, authorization, status: 401 });
      }
    }
    const { rows } = await test.db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE type LIKE 'system.%'");
    expect(rows[0].n).toBe(0);
  });

  it('lets the right token through', async () => {
    const response = await call({ method: 'GET', path: '/admin/status' }, `Bearer ${ADMIN_TOKEN}`);
    expect(response.status).toBe(200);
  });

  it('compares hashes of equal length: tokens of any length are refused without throwing, the empty token never matches', () => {
    expect(tokensMatch(ADMIN_TOKEN, ADMIN_TOKEN)).toBe(true);
    expect(tokensMatch('x', ADMIN_TOKEN)).toBe(false);
    expect(tokensMatch(`${ADMIN_TOKEN}${'y'.repeat(10_000)}`, ADMIN_TOKEN)).toBe(false);
    expect(tokensMatch('', '')).toBe(false);
  });
});
