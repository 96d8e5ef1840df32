import crypto from 'node:crypto';
import { tokensMatch } from '../../src/admin/admin-token.guard';
import { secretsMatch, SESSION_COOKIE, SIGN_IN_COOKIE } from '../../src/console/console-sessions';
import { registeredRoutes, type RegisteredRoute } from '../support/registered-routes';
import { startTestService, type TestService } from '../support/test-service';

const ADMIN_TOKEN = 'admin-token-correct-horse-battery-staple';

/**
 * Routes meant to be reachable without ADMIN_TOKEN, each for a reason. Every other route the router
 * serves must refuse a request without good credentials: a new route is protected or listed here.
 */
const PUBLIC: Array<{ route: RegExp; why: string }> = [
  { route: /^POST \/webhooks\/monday$/, why: "monday's own JWT or ?token= (test/e2e/monday-webhook-fuzz.spec.ts)" },
  { route: /^GET \/health$/, why: 'load balancers and orchestrators' },
  { route: /^GET \/metrics$/, why: 'Prometheus; no secret in it (secrets-never-leak.spec.ts)' },
  { route: /^GET \/docs(\/.*)?$/, why: 'the OpenAPI description' },
  { route: /^GET \/console\/assets\/console\.(css|js)$/, why: "the console's static style and script" },
  { route: /^(GET|POST) \/console\/sign-in$/, why: 'the sign-in form; its POST checks the token (tested below)' },
];

const name = (r: RegisteredRoute) => `${r.method} ${r.path}`;
/** A concrete URL for a route pattern (parameters filled with values each handler accepts the shape of). */
const concrete = (path: string) => path.replace(':crm', 'salesforce').replace(/:[a-zA-Z]+/g, '1');

describe('admin endpoints and the console: every route the router serves refuses a missing or wrong token', () => {
  let test: TestService;
  let routes: RegisteredRoute[];
  beforeAll(async () => {
    test = await startTestService({ ADMIN_TOKEN });
    routes = registeredRoutes(test.service.app);
  });
  afterAll(() => test.stop());

  const call = (route: RegisteredRoute, headers: Record<string, string> = {}) =>
    fetch(`${test.url}${concrete(route.path)}`, {
      method: route.method,
      redirect: 'manual',
      headers: { ...headers, ...(route.method === 'GET' ? {} : { 'content-type': 'application/json' }) },
      body: route.method === 'GET' ? undefined : '{}',
    });

  it("reads the routes from the router: the admin API, the console's pages and forms, and nothing outside /admin and /console that is not public", () => {
    expect(routes.map(name)).toEqual(expect.arrayContaining([
      'GET /admin/status',
      'GET /admin/dead-letters',
      'POST /admin/dead-letters/:id/retry',
      'GET /admin/records/:crm/:id/history',
      'GET /admin/parked-events',
      'POST /admin/parked-events/:position/retry',
      'GET /console',
      'POST /console/dead-letters/:id/retry',
      'POST /console/duplicates/:object/:cluster/merge',
      'POST /webhooks/monday',
    ]));
    const unclassified = routes.filter((r) => !PUBLIC.some((p) => p.route.test(name(r))) && !/^\/(admin|console)(\/|$)/.test(r.path));
    expect(unclassified.map(name)).toEqual([]);
  });

  it('answers 401 to every /admin route without the token, with a wrong one, a prefix of it, one character off, or another scheme', async () => {
    const admin = routes.filter((r) => r.path.startsWith('/admin'));
    expect(admin.length).toBeGreaterThanOrEqual(6);
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
        const response = await call(route, authorization === undefined ? {} : { authorization });
        expect({ route: name(route), authorization, status: response.status }).toEqual({ route: name(route), authorization, status: 401 });
      }
    }
    const { rows } = await test.db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE type LIKE 'system.%'");
    expect(rows[0].n).toBe(0);
  });

  it('lets the right token through', async () => {
    expect((await call({ method: 'GET', path: '/admin/status' }, { authorization: `Bearer ${ADMIN_TOKEN}` })).status).toBe(200);
  });

  it('sends every non-public /console page to sign-in and refuses every console form, without a session, with a forged one, or with the token as a bearer', async () => {
    const console = routes.filter((r) => r.path.startsWith('/console') && !PUBLIC.some((p) => p.route.test(name(r))));
    expect(console.length).toBeGreaterThanOrEqual(20);
    const wrong: Array<Record<string, string>> = [
      {},
      { cookie: `${SESSION_COOKIE}=forged-session-id` },
      { cookie: `${SESSION_COOKIE}=${ADMIN_TOKEN}` },
      { authorization: `Bearer ${ADMIN_TOKEN}` },
    ];
    for (const route of console) {
      for (const headers of wrong) {
        const response = await call(route, headers);
        const body = await response.text();
        const outcome = { route: name(route), headers, status: response.status, location: response.headers.get('location') };
        if (route.method === 'GET') expect(outcome).toEqual({ ...outcome, status: 303, location: '/console/sign-in' });
        else expect(outcome).toEqual({ ...outcome, status: 403, location: null });
        expect(response.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=`) && !c.startsWith(`${SESSION_COOKIE}=;`))).toBe(false);
        expect(body).not.toMatch(/<table|dead letter \d/i);
      }
    }
  });

  it('console sign-in: a wrong, missing, prefix or one-off token opens no session; the right one does', async () => {
    const signIn = async (token: string | undefined) => {
      const form = await fetch(`${test.url}/console/sign-in`, { redirect: 'manual' });
      await form.text();
      const csrf = form.headers.getSetCookie().map((c) => new RegExp(`^${SIGN_IN_COOKIE}=([^;]+)`).exec(c)?.[1]).find(Boolean) as string;
      expect(csrf).toBeTruthy();
      const body = new URLSearchParams({ _csrf: csrf, ...(token === undefined ? {} : { token }) });
      const response = await fetch(`${test.url}/console/sign-in`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${SIGN_IN_COOKIE}=${csrf}` },
        body: body.toString(),
      });
      await response.text();
      const session = response.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=`) && !c.startsWith(`${SESSION_COOKIE}=;`));
      return { status: response.status, location: response.headers.get('location'), session };
    };
    for (const token of [undefined, '', ADMIN_TOKEN.slice(0, -1), `${ADMIN_TOKEN.slice(0, -1)}X`, `${ADMIN_TOKEN}x`]) {
      expect({ token, ...(await signIn(token)) }).toEqual({ token, status: 303, location: '/console/sign-in?failed=1', session: false });
    }
    expect(await signIn(ADMIN_TOKEN)).toEqual({ status: 303, location: '/console', session: true });
  });

  it('compares in constant time: hashes of equal length through crypto.timingSafeEqual, whatever the lengths presented; the empty token never matches', () => {
    const spy = jest.spyOn(crypto, 'timingSafeEqual');
    try {
      for (const compare of [tokensMatch, secretsMatch]) {
        spy.mockClear();
        expect(compare(ADMIN_TOKEN, ADMIN_TOKEN)).toBe(true);
        expect(compare('x', ADMIN_TOKEN)).toBe(false);
        expect(compare(`${ADMIN_TOKEN}${'y'.repeat(10_000)}`, ADMIN_TOKEN)).toBe(false);
        expect(spy).toHaveBeenCalledTimes(3);
        for (const [a, b] of spy.mock.calls) expect([(a as Buffer).length, (b as Buffer).length]).toEqual([32, 32]);
        expect(compare('', '')).toBe(false);
      }
    } finally {
      spy.mockRestore();
    }
  });
});
