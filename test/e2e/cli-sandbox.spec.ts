import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

describe('crm-sync sandbox (interface.md section 4)', () => {
  it('prints the NAME=value lines that point a crm-sync at the emulators, then ready, and both answer', async () => {
    const child = spawn(process.execPath, [resolve(ROOT, 'node_modules/tsx/dist/cli.mjs'), resolve(ROOT, 'src/cli/main.ts'), 'sandbox'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const lines = await new Promise<string[]>((resolveLines, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (/^ready$/m.test(out)) resolveLines(out.trim().split('\n'));
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      expect(lines[lines.length - 1]).toBe('ready');
      const variables = Object.fromEntries(lines.slice(0, -1).map((l) => l.split(/=(.*)/s).slice(0, 2)));
      expect(Object.keys(variables).sort()).toEqual(
        ['MONDAY_API_TOKEN', 'MONDAY_API_URL', 'MONDAY_SIGNING_SECRET', 'SALESFORCE_CLIENT_ID', 'SALESFORCE_CLIENT_SECRET', 'SALESFORCE_LOGIN_URL', 'SALESFORCE_PASSWORD', 'SALESFORCE_USERNAME'].sort(),
      );
      const token = await fetch(`${variables.SALESFORCE_LOGIN_URL}/services/oauth2/token`, {
        method: 'POST',
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
        headers: { 'content-type': 'application/json', authorization: variables.MONDAY_API_TOKEN, 'api-version': '2025-10' },
        body: JSON.stringify({ query: '{ boards(limit: 10) { id name } }' }),
      });
      expect((await me.json()).data.boards.map((b: { name: string }) => b.name)).toEqual(expect.arrayContaining(['Leads', 'Opportunities']));
    } finally {
      child.kill('SIGTERM');
    }
  });
});
