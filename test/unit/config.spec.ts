import { generateKeyPairSync } from 'node:crypto';
import { ConfigError, loadConfig } from '../../src/config';

const { privateKey: PRIVATE_KEY_PEM, publicKey: PUBLIC_KEY_PEM } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

const production = {
  MONDAY_API_TOKEN: 'monday-token-secret-value',
  MONDAY_SIGNING_SECRET: 'signing-secret-value',
  SALESFORCE_CLIENT_ID: 'client-id-value',
  SALESFORCE_CLIENT_SECRET: 'client-secret-value',
  SALESFORCE_USERNAME: 'integration@example.org',
  SALESFORCE_PASSWORD: 'password-secret-value',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('with no credentials at all the service runs in sandbox mode with the documented defaults', () => {
    const config = loadConfig({});
    expect(config.mode).toBe('sandbox');
    expect(config.http).toEqual({ port: 3000, host: '127.0.0.1', publicUrl: null });
    expect(config.syncConfigPath).toBe('./crm-sync.yaml');
    expect(config.salesforce.clientName).toBe('crm-sync');
    expect(config.databaseUrl).toBeNull();
  });

  it('full production credentials select the username-password flow', () => {
    const config = loadConfig(production);
    expect(config.mode).toBe('production');
    expect(config.salesforce.auth).toMatchObject({ flow: 'password', username: 'integration@example.org' });
  });

  it('reports every invalid variable at once, by name and never by value', () => {
    const problems = problemsOf({ ...production, PORT: 'not-a-port', LOG_LEVEL: 'chatty', DATABASE_URL: 'mysql://x', MONDAY_API_VERSION: 'v2' });
    const text = problems.join('\n');
    expect(text).toMatch(/PORT/);
    expect(text).toMatch(/LOG_LEVEL/);
    expect(text).toMatch(/DATABASE_URL/);
    expect(text).toMatch(/MONDAY_API_VERSION/);
    expect(problems.length).toBeGreaterThanOrEqual(4);
    for (const value of ['not-a-port', 'chatty', 'mysql://x', ...Object.values(production)]) expect(text).not.toContain(value);
  });

  it('credentials for one side only is an error naming the missing side, not a silent sandbox', () => {
    expect(problemsOf({ MONDAY_API_TOKEN: 'x-token', MONDAY_SIGNING_SECRET: 'sss' }).join('\n')).toMatch(/SALESFORCE_CLIENT_ID is required/);
    expect(problemsOf({ SALESFORCE_CLIENT_ID: 'id', SALESFORCE_CLIENT_SECRET: 'secret' }).join('\n')).toMatch(/MONDAY_API_TOKEN is required/);
  });

  it('production needs a way to authenticate webhooks', () => {
    const { MONDAY_SIGNING_SECRET: _omitted, ...rest } = production;
    expect(problemsOf(rest).join('\n')).toMatch(/MONDAY_SIGNING_SECRET or MONDAY_WEBHOOK_TOKEN/);
  });

  it('chooses the JWT bearer flow from a private key, and the token flow from an access token', () => {
    const jwt = loadConfig({ ...production, SALESFORCE_PASSWORD: '', SALESFORCE_CLIENT_SECRET: '', SALESFORCE_PRIVATE_KEY: PRIVATE_KEY_PEM });
    expect(jwt.salesforce.auth).toMatchObject({ flow: 'jwt', privateKey: PRIVATE_KEY_PEM.trim() });
    const token = loadConfig({
      MONDAY_API_TOKEN: 'm-token', MONDAY_WEBHOOK_TOKEN: 'hook-token',
      SALESFORCE_ACCESS_TOKEN: '00Dxx!token', SALESFORCE_INSTANCE_URL: 'https://example.my.salesforce.com',
    });
    expect(token.salesforce.auth).toMatchObject({ flow: 'token', instanceUrl: 'https://example.my.salesforce.com' });
  });

  it('an unreadable private key file is reported by variable name', () => {
    const problems = problemsOf({ ...production, SALESFORCE_PRIVATE_KEY_FILE: '/nonexistent/key.pem' });
    expect(problems.join('\n')).toMatch(/SALESFORCE_PRIVATE_KEY_FILE cannot be read/);
    expect(problems.join('\n')).not.toContain('/nonexistent/key.pem');
  });

  it('the scheduled reconcile is off by default, and reports only when on unless RECONCILE_FIX says otherwise', () => {
    expect(loadConfig({}).reconcile).toEqual({ schedule: null, fix: false });
    expect(loadConfig({ RECONCILE_SCHEDULE: '30 2 * * *' }).reconcile).toEqual({ schedule: '30 2 * * *', fix: false });
    expect(loadConfig({ RECONCILE_SCHEDULE: '@daily', RECONCILE_FIX: 'true' }).reconcile).toEqual({ schedule: '@daily', fix: true });
  });

  it('a bad reconcile cron or fix flag is reported by variable name, with the others', () => {
    for (const schedule of ['every night', '61 * * * *', '1 2 3']) {
      const problems = problemsOf({ RECONCILE_SCHEDULE: schedule, RECONCILE_FIX: 'yes', PORT: 'x' });
      const text = problems.join('\n');
      expect(text).toMatch(/RECONCILE_SCHEDULE is not a valid cron expression/);
      expect(text).toMatch(/RECONCILE_FIX must be true or false/);
      expect(text).toMatch(/PORT/);
      expect(text).not.toContain(schedule);
    }
  });

  it.each(['SALESFORCE_PASSWORD', 'SALESFORCE_CLIENT_SECRET', 'MONDAY_SIGNING_SECRET', 'MONDAY_WEBHOOK_TOKEN'])(
    'only %s set (no id or token) is a partial configuration naming it, not a silent sandbox',
    (variable) => {
      const problems = problemsOf({ [variable]: 'some-secret-value' });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain(variable);
      expect(problems[0]).toMatch(/MONDAY_API_TOKEN/);
      expect(problems[0]).toMatch(/SALESFORCE_CLIENT_ID/);
      expect(problems[0]).not.toContain('some-secret-value');
    },
  );

  it('a partial configuration names every variable that was set', () => {
    const text = problemsOf({ MONDAY_SIGNING_SECRET: 'sss-secret', SALESFORCE_PASSWORD: 'pw-secret' }).join('\n');
    expect(text).toMatch(/SALESFORCE_PASSWORD, MONDAY_SIGNING_SECRET are set/);
  });

  it('a valid cron that never fires is reported by variable name', () => {
    const problems = problemsOf({ RECONCILE_SCHEDULE: '0 0 31 2 *' });
    expect(problems).toEqual([expect.stringMatching(/^RECONCILE_SCHEDULE never fires/)]);
    expect(loadConfig({ RECONCILE_SCHEDULE: '0 0 29 2 *' }).reconcile.schedule).toBe('0 0 29 2 *'); // leap years
  });

  it('a SALESFORCE_PRIVATE_KEY that is not a PEM private key is reported by name, never by value', () => {
    const withKey = (key: string) => ({ ...production, SALESFORCE_PASSWORD: '', SALESFORCE_CLIENT_SECRET: '', SALESFORCE_PRIVATE_KEY: key });
    for (const key of ['not-a-key-at-all', '-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----', PUBLIC_KEY_PEM]) {
      const problems = problemsOf(withKey(key));
      expect(problems).toEqual([expect.stringMatching(/^SALESFORCE_PRIVATE_KEY is not a PEM private key/)]);
      expect(problems[0]).not.toContain('garbage');
    }
  });

  it('PORT=abc is one message naming PORT', () => {
    expect(problemsOf({ PORT: 'abc' })).toEqual(['PORT must be a whole number from 0 to 65535']);
    expect(problemsOf({ PORT: '70000' })).toEqual(['PORT must be a whole number from 0 to 65535']);
  });

  it('the start-up wait for Postgres is 60 s unless DATABASE_WAIT_SECONDS says otherwise', () => {
    expect(loadConfig({}).databaseWaitMs).toBe(60_000);
    expect(loadConfig({ DATABASE_WAIT_SECONDS: '5' }).databaseWaitMs).toBe(5_000);
    expect(problemsOf({ DATABASE_WAIT_SECONDS: 'soon' })).toEqual([expect.stringMatching(/^DATABASE_WAIT_SECONDS must be/)]);
  });

  it('a Bulk API 2.0 query may run 120 minutes unless SALESFORCE_BULK_QUERY_TIMEOUT_MINUTES says otherwise', () => {
    expect(loadConfig({}).salesforce.bulkQueryTimeoutMs).toBe(120 * 60_000);
    expect(loadConfig({ SALESFORCE_BULK_QUERY_TIMEOUT_MINUTES: '240' }).salesforce.bulkQueryTimeoutMs).toBe(240 * 60_000);
    expect(problemsOf({ SALESFORCE_BULK_QUERY_TIMEOUT_MINUTES: '0' })).toEqual([expect.stringMatching(/^SALESFORCE_BULK_QUERY_TIMEOUT_MINUTES must be/)]);
  });

  it('the user lists are read again every 60 minutes unless USER_DIRECTORY_REFRESH_MINUTES says otherwise (0: only at start)', () => {
    expect(loadConfig({}).userDirectoryRefreshMs).toBe(60 * 60_000);
    expect(loadConfig({ USER_DIRECTORY_REFRESH_MINUTES: '5' }).userDirectoryRefreshMs).toBe(5 * 60_000);
    expect(loadConfig({ USER_DIRECTORY_REFRESH_MINUTES: '0' }).userDirectoryRefreshMs).toBe(0);
    for (const wrong of ['-1', '1.5', 'hourly', '1441']) {
      expect(problemsOf({ USER_DIRECTORY_REFRESH_MINUTES: wrong })).toEqual([expect.stringMatching(/^USER_DIRECTORY_REFRESH_MINUTES must be a whole number of minutes from 0/)]);
    }
  });

  it('knows its secret values so logs can redact them', () => {
    const config = loadConfig(production);
    expect(config.secretValues).toEqual(expect.arrayContaining(['monday-token-secret-value', 'password-secret-value', 'client-secret-value']));
  });

  it('also knows the parts of secrets that are echoed alone: the DATABASE_URL password, each line of a private key', () => {
    const config = loadConfig({ ...production, DATABASE_URL: 'postgres://sync:db%23pass-secret@db.example.org:5432/crm' });
    expect(config.secretValues).toEqual(expect.arrayContaining(['postgres://sync:db%23pass-secret@db.example.org:5432/crm', 'db%23pass-secret', 'db#pass-secret']));
    const jwt = loadConfig({ ...production, SALESFORCE_CLIENT_SECRET: undefined, SALESFORCE_PASSWORD: undefined, SALESFORCE_PRIVATE_KEY: PRIVATE_KEY_PEM });
    const bodyLines = PRIVATE_KEY_PEM.split('\n').filter((line) => line.length > 0 && !line.startsWith('-----'));
    expect(bodyLines.length).toBeGreaterThan(5);
    expect(jwt.secretValues).toEqual(expect.arrayContaining(bodyLines.filter((line) => line.length >= 16)));
    expect(jwt.secretValues).not.toContain('-----BEGIN PRIVATE KEY-----');
  });
});
