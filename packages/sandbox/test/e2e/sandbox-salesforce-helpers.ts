import jsforce, { Connection } from 'jsforce';
import { startSalesforceEmulator, SalesforceEmulator, SalesforceEmulatorOptions } from '../../src/salesforce';

// jsforce and faye read proxy variables for every URL, loopback included (reference 0.10).
for (const name of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY']) delete process.env[name];

export async function startEmulator(options: SalesforceEmulatorOptions = {}): Promise<SalesforceEmulator> {
  return startSalesforceEmulator({ port: 0, ...options });
}

/** A jsforce connection logged in with the OAuth password grant, tagging writes with `client`. */
export async function passwordLogin(em: SalesforceEmulator, client = 'crm-sync'): Promise<Connection> {
  const c = em.credentials;
  const conn = new jsforce.Connection({
    loginUrl: em.url,
    version: '62.0',
    oauth2: { clientId: c.clientId, clientSecret: c.clientSecret, loginUrl: em.url },
    callOptions: { client },
    logLevel: 'NONE',
  });
  await conn.login(c.username, c.password);
  return conn;
}

export async function expectApiError(promise: PromiseLike<unknown>, errorCode: string): Promise<void> {
  await expect(Promise.resolve(promise)).rejects.toMatchObject({ errorCode });
}

/** Raw fetch against the emulator with the connection's token (for status codes and headers). */
export async function rawFetch(conn: Connection, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${conn.accessToken}`);
  if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
  return fetch(`${conn.instanceUrl}${path}`, { ...init, headers });
}
