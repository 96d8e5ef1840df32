import { ConfigError, loadConfig } from '../../src/config';

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
    const jwt = loadConfig({ ...production, SALESFORCE_PASSWORD: '', SALESFORCE_CLIENT_SECRET: '', SALESFORCE_PRIVATE_KEY: '-----BEGIN KEY-----' });
    expect(jwt.salesforce.auth).toMatchObject({ flow: 'jwt', privateKey: '-----BEGIN KEY-----' });
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

  it('knows its secret values so logs can redact them', () => {
    const config = loadConfig(production);
    expect(config.secretValues).toEqual(expect.arrayContaining(['monday-token-secret-value', 'password-secret-value', 'client-secret-value']));
  });
});
