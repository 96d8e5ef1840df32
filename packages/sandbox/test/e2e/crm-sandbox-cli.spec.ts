import { main, parseArguments, UsageError } from '../../src/cli';
import type { SandboxEnvironment } from '../../src/sandbox-environment';

describe('crm-sandbox command line', () => {
  it('reads ports, a state folder and the seed', () => {
    expect(parseArguments(['--port-salesforce', '7001', '--port-monday', '7002', '--state-dir', '/tmp/s', '--seed', 'empty'])).toEqual({
      salesforcePort: 7001,
      mondayPort: 7002,
      stateDir: '/tmp/s',
      seed: 'empty',
    });
    expect(parseArguments([])).toEqual({ salesforcePort: 0, mondayPort: 0 });
    expect(parseArguments(['--help'])).toBe('help');
  });

  it('refuses what it cannot start from, naming the argument', () => {
    expect(() => parseArguments(['--port-monday', 'x'])).toThrow(new UsageError('--port-monday takes a port number (0-65535, 0 = any free port), got x'));
    expect(() => parseArguments(['--seed', 'full'])).toThrow(UsageError);
    expect(() => parseArguments(['--verbose'])).toThrow('unknown argument --verbose');
  });

  describe('started', () => {
    let output = '';
    let sandbox: SandboxEnvironment | undefined;
    const write = jest.spyOn(process.stdout, 'write');
    const before = { SIGTERM: process.listeners('SIGTERM'), SIGINT: process.listeners('SIGINT') };

    beforeAll(async () => {
      write.mockImplementation((chunk: string | Uint8Array) => {
        output += String(chunk);
        return true;
      });
      try {
        sandbox = await main(['--seed', 'demo']);
      } finally {
        write.mockRestore();
      }
    });

    afterAll(async () => {
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        for (const listener of process.listeners(signal)) if (!before[signal].includes(listener)) process.removeListener(signal, listener);
      }
      await sandbox?.close();
    });

    it('prints both URLs and the variables that reach live emulators on 127.0.0.1, then ready', async () => {
      const lines = output.trimEnd().split('\n');
      expect(lines.at(-1)).toBe('ready');
      const variables = Object.fromEntries(lines.filter((line) => !line.startsWith('#') && line.includes('=')).map((line) => line.split(/=(.*)/s).slice(0, 2)));
      expect(variables).toEqual(sandbox?.variables);
      expect(variables.SALESFORCE_LOGIN_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(variables.MONDAY_API_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2$/);

      const token = await fetch(`${variables.SALESFORCE_LOGIN_URL}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'password',
          client_id: variables.SALESFORCE_CLIENT_ID,
          client_secret: variables.SALESFORCE_CLIENT_SECRET,
          username: variables.SALESFORCE_USERNAME,
          password: variables.SALESFORCE_PASSWORD,
        }),
      });
      expect(token.status).toBe(200);
      const me = await fetch(variables.MONDAY_API_URL, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: variables.MONDAY_API_TOKEN },
        body: JSON.stringify({ query: '{ boards { name } }' }),
      });
      const boards = (await me.json()) as { data: { boards: Array<{ name: string }> } };
      expect(boards.data.boards.length).toBeGreaterThan(0);
    });
  });
});
